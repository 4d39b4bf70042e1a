// Serial links for UART parts: a real port through serialport, or a simulated one — a socat pty pair when socat
// is installed (the driver then goes through the real serialport stack), an in-process stream pair otherwise.
import { Duplex, PassThrough } from 'node:stream';
import { SerialPort } from 'serialport';
import type { SerialLink } from '../drivers/types.js';
import { openPtyPair, socatAvailable } from './pty-pair.js';

export async function openSerialPort(path: string, baudRate: number): Promise<SerialPort> {
  const port = new SerialPort({ path, baudRate, autoOpen: false });
  await new Promise<void>((resolve, reject) =>
    port.open((e) =>
      e
        ? reject(new Error(`cannot open serial port ${path} at ${baudRate} baud: ${e.message} — check the cable, the path (ls /dev/serial*) and that no other program holds it`))
        : resolve(),
    ),
  );
  // A pty or a UART keeps bytes written while nobody was reading (toolchain.md §3): start clean.
  await new Promise<void>((resolve) => port.flush(() => resolve()));
  return port;
}

export async function closeSerialPort(port: SerialPort): Promise<void> {
  if (!port.isOpen) return;
  await new Promise<void>((resolve) => port.close(() => resolve()));
}

/** Two crossed in-process streams standing in for a serial cable: what one end writes, the other reads. */
export function duplexPair(): { host: Duplex; device: Duplex } {
  const toDevice = new PassThrough();
  const toHost = new PassThrough();
  return {
    host: Duplex.from({ readable: toHost, writable: toDevice }),
    device: Duplex.from({ readable: toDevice, writable: toHost }),
  };
}

export interface SimulatedSerial {
  host: Duplex;
  device: Duplex;
  where: string;
  close(): Promise<void>;
}

/** A simulated serial line: through socat ptys and serialport when possible, in-process otherwise. */
export async function simulatedSerial(baudRate: number, preferPty = socatAvailable()): Promise<SimulatedSerial> {
  if (preferPty) {
    const pair = await openPtyPair();
    const device = await openSerialPort(pair.devicePath, baudRate);
    const host = await openSerialPort(pair.hostPath, baudRate);
    return {
      host,
      device,
      where: `simulated pty ${pair.hostPath}`,
      async close() {
        await closeSerialPort(host);
        await closeSerialPort(device);
        await pair.close();
      },
    };
  }
  const { host, device } = duplexPair();
  return {
    host,
    device,
    where: 'simulated in-process serial line',
    async close() {
      // Duplex.from() reports destroy() as an AbortError on the stream: a closed line is not an error here.
      for (const end of [host, device]) {
        end.on('error', () => undefined);
        end.destroy();
      }
    },
  };
}

export function toLink(s: SimulatedSerial, stop: () => void): SerialLink {
  return {
    stream: s.host,
    where: s.where,
    async close() {
      stop();
      await s.close();
    },
  };
}
