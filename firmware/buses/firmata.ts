// An Arduino running stock StandardFirmata/ConfigurableFirmata, opened with firmata.js (firmata-io) over serialport
// and wrapped in a johnny-five Board. The only module that imports johnny-five and firmata-io; drivers get the board
// through their own narrow interfaces. toolchain.md §2: pass `io:` (never `port:`), hand Firmata a constructed port,
// and set reportVersionTimeout; §3: flush a pty right after opening it.
import { createRequire } from 'node:module';
import type { EventEmitter } from 'node:events';
import five from 'johnny-five';
import { SerialPort } from 'serialport';

/** The parts of firmata.js's Firmata instance Airlane reads (firmata-io ships no typings). */
export interface Firmata extends EventEmitter {
  isReady: boolean;
  name: string;
  version: { major?: number; minor?: number };
  firmware: { name?: string; version?: { major: number; minor: number } };
  pins: Array<{ supportedModes: number[]; mode?: number; value: number; analogChannel?: number }>;
  analogPins: number[];
  MODES: Readonly<Record<string, number>>;
  pinMode(pin: number, mode: number): void;
  digitalRead(pin: number, callback: (value: number) => void): void;
  /** Turns on reporting of analog channel `channel` (A0 = 0) and calls back with each 10-bit value. */
  analogRead(channel: number, callback: (value: number) => void): void;
  reportAnalogPin(channel: number, value: 0 | 1): void;
  reportDigitalPin(pin: number, value: 0 | 1): void;
  reset(): void;
  // I2C and serial (firmata-io lib/firmata.js; firmata/protocol i2c.md, serial-1.0.md). Used by firmata-i2c.ts and
  // firmata-serial.ts, which explain the quirks.
  /** Sends I2C_CONFIG; firmata.js refuses I2C requests until it has been called. */
  i2cConfig(options: { delay?: number } | number): unknown;
  /** `data[0]` goes first on the wire (the register pointer for most chips). */
  i2cWrite(address: number, data: number[]): unknown;
  /** Read once; the callback gets the reply's data bytes (event `I2C-reply-<address>-<register>`). */
  i2cReadOnce(address: number, register: number, bytesToRead: number, callback: (data: number[]) => void): unknown;
  i2cReadOnce(address: number, bytesToRead: number, callback: (data: number[]) => void): unknown;
  serialConfig(options: { portId: number; baud: number; rxPin?: number; txPin?: number }): void;
  serialWrite(portId: number, bytes: number[]): void;
  /** Continuous read; the callback gets each SERIAL_REPLY's bytes (event `serial-data-<portId>`). */
  serialRead(portId: number, callback: (data: number[]) => void): void;
  serialStop(portId: number): void;
  serialClose(portId: number): void;
  serialListen(portId: number): void;
  /** The serial link firmata.js was handed (a serialport has a `path`). */
  transport?: { path?: string };
}

type FirmataClass = new (port: object, options: { reportVersionTimeout: number }) => Firmata;

const require = createRequire(import.meta.url);
// firmata-io exports a factory that binds the transport class and returns Firmata (toolchain.md §2).
const Firmata = (require('firmata-io') as (transport: unknown) => FirmataClass)(SerialPort);

/** What Firmata needs from a serial link: a serialport instance, or any Duplex (duplexPair() for the demo). */
export interface FirmataPort {
  write(data: Buffer, callback?: (error?: Error | null) => void): unknown;
  on(event: string, listener: (...args: never[]) => void): unknown;
  removeListener(event: string, listener: (...args: never[]) => void): unknown;
  listeners(event: string): Function[];
  readonly isOpen?: boolean;
  readonly opening?: boolean;
  readonly path?: string;
  open?(callback: (error: Error | null) => void): void;
  flush?(callback: (error: Error | null) => void): void;
  close?(callback: (error: Error | null) => void): void;
  end?(): unknown;
}

export type FirmataTarget = { path: string; baudRate?: number } | { port: FirmataPort };

export interface OpenFirmataOptions {
  /** Give up when the board has not completed the handshake within this time. */
  timeoutMs: number;
  /**
   * How long to wait for the version report a freshly reset board sends on its own before asking for it (F9).
   * An Uno's bootloader takes about 1.5 s after the DTR reset that opening the port causes; a pty answers at once.
   */
  reportVersionTimeoutMs?: number;
  /** Errors after the handshake (port unplugged, write failed); without it they are written to stderr. */
  onError?: (error: Error) => void;
}

export interface FirmataBoard {
  board: five.Board;
  io: Firmata;
  /** Close the serial link (also a port passed in). Resolves once it is closed. */
  close(): Promise<void>;
}

/** StandardFirmata's baud rate (Firmata.begin(57600)). */
export const FIRMATA_BAUD = 57_600;

const LINK_EVENTS = ['data', 'open', 'close', 'error'] as const;

export async function openFirmataBoard(target: FirmataTarget, options: OpenFirmataOptions): Promise<FirmataBoard> {
  const ownPort = 'path' in target;
  const port: FirmataPort = ownPort
    ? new SerialPort({ path: target.path, baudRate: target.baudRate ?? FIRMATA_BAUD, autoOpen: false })
    : target.port;
  const where = ownPort ? target.path : (port.path ?? 'the injected serial stream');

  if (port.open && port.isOpen === false) {
    try {
      // A serialport constructed with autoOpen is already opening: wait for it instead of opening twice.
      if (port.opening) {
        await new Promise<void>((resolve, reject) => {
          const opened = () => {
            port.removeListener('error', failed);
            resolve();
          };
          const failed = (e: Error) => {
            port.removeListener('open', opened);
            reject(e);
          };
          port.on('open', opened);
          port.on('error', failed);
        });
      } else await callback((cb) => port.open!(cb));
    } catch (e) {
      throw new Error(
        `cannot open ${where}: ${(e as Error).message}. Check the port name (ls -l /dev/serial/by-id/), that no other ` +
          'program holds it, and that this user may use serial ports (group dialout).',
      );
    }
  }
  // toolchain.md §3: a pty keeps what was written while nobody listened; a real board resets on open anyway.
  if (port.flush) await callback((cb) => port.flush!(cb)).catch(() => undefined);

  const before = new Map(LINK_EVENTS.map((e) => [e, new Set(port.listeners(e))]));
  let received = 0;
  const countBytes = (chunk: Buffer) => (received += chunk.length);
  port.on('data', countBytes);

  const io = new Firmata(port, { reportVersionTimeout: options.reportVersionTimeoutMs ?? 2_000 });
  const stage = { version: false, firmware: false, capabilities: false };
  io.once('reportversion', () => (stage.version = true));
  io.once('queryfirmware', () => (stage.firmware = true));
  io.once('capability-query', () => (stage.capabilities = true));

  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(handshakeTimeout(where, options.timeoutMs, stage, received))), options.timeoutMs);
      const closed = () => fail(new Error('the port closed'));
      const fail = (e: Error) => {
        clearTimeout(timer);
        reject(new Error(`Firmata link on ${where} failed during the handshake: ${e.message}`));
      };
      io.once('error', fail);
      io.once('close', closed);
      io.once('ready', () => {
        clearTimeout(timer);
        io.removeListener('error', fail);
        io.removeListener('close', closed);
        resolve();
      });
    });
  } catch (e) {
    // Firmata's own version-request timer would write into a port that is about to close.
    clearTimeout((io as unknown as { reportVersionTimeoutId?: NodeJS.Timeout }).reportVersionTimeoutId);
    io.removeAllListeners();
    for (const event of LINK_EVENTS) {
      for (const l of port.listeners(event)) if (!before.get(event)!.has(l)) port.removeListener(event, l as never);
    }
    if (ownPort) await closePort(port);
    throw e;
  } finally {
    port.removeListener('data', countBytes);
  }

  const onError = options.onError ?? ((e: Error) => process.stderr.write(`firmata ${where}: ${e.message}\n`));
  io.on('error', onError);
  // With io already ready, johnny-five emits "connect" and "ready" on the next tick (board.js, options.io branch).
  const board = new five.Board({ io, repl: false, debug: false, sigint: false } as five.BoardOption);
  board.on('error', () => undefined); // johnny-five re-emits io errors on the board; onError already has them
  await new Promise<void>((resolve) => board.on('ready', () => resolve()));

  return {
    board,
    io,
    close: () => closePort(port),
  };
}

function handshakeTimeout(
  where: string,
  timeoutMs: number,
  stage: { version: boolean; firmware: boolean; capabilities: boolean },
  received: number,
): string {
  const head = `no Firmata board answered on ${where} within ${timeoutMs} ms`;
  if (stage.version && !stage.firmware) {
    return `${head}: it sent a version report but no firmware name. Re-flash StandardFirmata (Arduino IDE: File > Examples > Firmata).`;
  }
  if (stage.firmware) {
    return `${head}: it stopped answering during the ${stage.capabilities ? 'analog mapping' : 'capability'} query. Reset the board and retry.`;
  }
  if (received > 0) {
    return (
      `${head}: it sent ${received} bytes but no Firmata version report. The board runs another sketch or talks at a ` +
      `baud rate other than ${FIRMATA_BAUD}: flash StandardFirmata (Arduino IDE: File > Examples > Firmata > StandardFirmata).`
    );
  }
  return (
    `${head}: nothing was received. Check that this is the Arduino's port (ls -l /dev/serial/by-id/), that the USB ` +
    'cable is plugged in, and that the board is flashed with StandardFirmata (Arduino IDE: File > Examples > Firmata).'
  );
}

async function closePort(port: FirmataPort): Promise<void> {
  if (port.close) {
    if (port.isOpen === false) return;
    await callback((cb) => port.close!(cb)).catch(() => undefined);
  } else {
    // A plain stream ends gracefully: destroy() would abort the other end of a duplexPair() with an error.
    port.end?.();
  }
}

function callback(run: (cb: (error: Error | null) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => run((error) => (error ? reject(error) : resolve())));
}
