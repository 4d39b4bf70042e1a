// A private Mosquitto 2.x for the tests: one loopback listener on a free port, anonymous access, no
// persistence, logs to its own file (toolchain.md §4; influxdb-mqtt.md §6 on allow_anonymous).
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort, makeServiceDir, requireExecutable, startDaemon, withPortRetry, type RunningService } from './daemon.js';

// MQTT 3.1.1 CONNECT (clean session, keep-alive 10 s, client id "ready"): the broker must answer CONNACK
// (0x20) with return code 0, which a bare TCP accept does not prove.
const CONNECT = Buffer.from([0x10, 0x11, 0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0x02, 0x00, 0x0a, 0x00, 0x05, 0x72, 0x65, 0x61, 0x64, 0x79]);

function brokerAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write(CONNECT));
    socket.once('data', (d: Buffer) => done(d[0] === 0x20 && d[3] === 0x00));
  });
}

export interface MosquittoOptions {
  /** Extra mosquitto.conf lines, e.g. `max_queued_messages 0` for a load test. */
  extraConfig?: string[];
}

export async function startMosquitto(options: MosquittoOptions = {}): Promise<RunningService> {
  const mosquitto = requireExecutable('mosquitto');
  return withPortRetry(async () => {
    const dir = makeServiceDir('mosquitto');
    const port = await freePort();
    const configFile = join(dir, 'mosquitto.conf');
    const lines = [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence false',
      'log_dest stderr',
      'log_type error',
      'log_type warning',
      ...(options.extraConfig ?? []),
    ];
    // As root Mosquitto would switch to the "mosquitto" user; staying root keeps it independent of that account.
    if (process.getuid?.() === 0) lines.push('user root');
    writeFileSync(configFile, `${lines.join('\n')}\n`);
    const daemon = await startDaemon({
      name: 'mosquitto',
      command: mosquitto,
      args: ['-c', configFile],
      dir,
      ready: () => brokerAnswers(port),
    });
    return { url: `mqtt://127.0.0.1:${port}`, pid: daemon.pid, stop: daemon.stop };
  });
}
