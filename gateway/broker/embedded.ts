// The in-process MQTT broker of the demo and of a stand-alone station (aedes, MQTT 3.1.1): used only when no
// AIRLANE_MQTT_URL / `mqtt.url` names a real broker. Bound to loopback; a busy port falls back to a free one.
import { Aedes } from 'aedes';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';

export interface EmbeddedBroker {
  url: string;
  /** The broker itself (tests watch its 'ack' events). */
  aedes: Aedes;
  close(): Promise<void>;
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export async function startEmbeddedBroker(port: number, log: Logger): Promise<EmbeddedBroker> {
  const aedes = await Aedes.createBroker();
  const server = createServer(aedes.handle);
  try {
    await listen(server, port);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    log.warn({ port }, `MQTT port ${port} is taken (another broker?); the embedded broker uses a free port instead`);
    await listen(server, 0);
  }
  const url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    aedes,
    async close() {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
