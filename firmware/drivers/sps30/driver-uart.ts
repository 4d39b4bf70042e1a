// Host side of an SPS30 on UART (SHDLC, 115200 8N1). The serial stream is injected (a serialport instance, a pty,
// or any Duplex): this module never imports serialport. SHDLC is master/slave and half-duplex, so commands run one
// at a time and each waits for its own MISO reply (same ADR and CMD) or a timeout.
//
// Events
//   'frame_error' (ShdlcScanError)  a refused candidate (checksum, length, stuffing); it also fails the command
//                                   waiting for a reply, since on a half-duplex line it was that reply
//   'error'       (Error)           the stream itself failed
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import type { Values } from '../types.js';
import {
  asciiz, CMD, commandName, INFO_PRODUCT_TYPE, INFO_SERIAL, mosi, parseVersion, SPS30_ADDRESS, WAKE_PULSE,
  type Sps30Version,
} from './commands.js';
import { decodeMeasurement, MEASUREMENT_BYTES } from './measurement.js';
import { OneAtATime, writeBytes } from '../../protocols/command-line.js';
import {
  hex, SHDLC_DEVICE_ERROR_FLAG, ShdlcScanner, ShdlcStateError, stateErrorCode, type ShdlcCounts, type ShdlcFrame,
  type ShdlcScanError,
} from './shdlc.js';

export interface Sps30UartOptions {
  /** How long each command waits for its reply. Default 1000 ms (the sensor answers within ~20 ms). */
  commandTimeoutMs?: number;
  /**
   * Pause between the wake pulse byte and the wake-up frame. The pulse opens a 100 ms window for the wake-up
   * command (datasheet v1.0 §5 (UART); python-uart-sps30 WakeUp), so this must stay well below 100. Default 10 ms.
   */
  wakeGapMs?: number;
  /** Injected so tests run without real waits; defaults to setTimeout. */
  sleep?: (ms: number) => Promise<void>;
}

export interface Sps30Reply {
  command: number;
  state: number;
  data: Buffer;
  /** State bit 7: the device flags an error condition (python-shdlc-driver connection.py). */
  deviceError: boolean;
}

export interface Sps30Measurement {
  values: Values;
  deviceError: boolean;
}

export interface Sps30UartEvents {
  frame_error: [error: ShdlcScanError];
  error: [error: Error];
}

interface Waiter {
  command: number;
  what: string;
  resolve: (f: ShdlcFrame) => void;
  reject: (e: Error) => void;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Sps30Uart extends EventEmitter<Sps30UartEvents> {
  readonly commandTimeoutMs: number;
  readonly wakeGapMs: number;
  /** True after a successful sleep(), false after wake(). */
  asleep = false;
  private readonly sleepFor: (ms: number) => Promise<void>;
  private readonly scanner: ShdlcScanner;
  private waiter: Waiter | undefined;
  private readonly queue = new OneAtATime();
  private closed = false;
  private cachedVersion: Sps30Version | undefined;
  private readonly onData = (chunk: Buffer) => this.scanner.push(chunk);
  private readonly onPortError = (e: Error) => this.emit('error', e);

  constructor(
    private readonly port: Duplex,
    options: Sps30UartOptions = {},
  ) {
    super();
    this.commandTimeoutMs = options.commandTimeoutMs ?? 1000;
    this.wakeGapMs = options.wakeGapMs ?? 10;
    for (const [k, v] of Object.entries({ commandTimeoutMs: this.commandTimeoutMs, wakeGapMs: this.wakeGapMs })) {
      if (!(typeof v === 'number' && v >= 0 && Number.isFinite(v))) throw new TypeError(`${k} must be a non-negative number; got ${v}`);
    }
    if (this.wakeGapMs >= 100) throw new RangeError(`wakeGapMs must stay below the sensor's 100 ms wake window; got ${this.wakeGapMs}`);
    this.sleepFor = options.sleep ?? defaultSleep;
    this.scanner = new ShdlcScanner('miso', {
      frame: (f) => this.onFrame(f),
      error: (e) => this.onScanError(e),
    });
    port.on('data', this.onData);
    port.on('error', this.onPortError);
  }

  /** MISO frames and refused candidates by reason, since start. */
  get counts(): ShdlcCounts {
    return this.scanner.counts;
  }

  /** Start measurement with big-endian float output (`7E 00 00 02 01 03 F9 7E`). Idle mode only. */
  async start(): Promise<void> {
    await this.transceive(CMD.start, mosi.start(), 'start measurement');
  }

  /** Stop measurement: back to idle (`7E 00 01 00 FE 7E`). */
  async stop(): Promise<void> {
    await this.transceive(CMD.stop, mosi.stop(), 'stop measurement');
  }

  /** The latest measurement, or null when the sensor has none new since the last read (an empty reply). */
  async readMeasurement(): Promise<Sps30Measurement | null> {
    const r = await this.transceive(CMD.read, mosi.read(), 'read measured values');
    if (r.data.length === 0) return null;
    if (r.data.length !== MEASUREMENT_BYTES) {
      throw new Error(
        `SPS30: 'read measured values' returned ${r.data.length} bytes, expected ${MEASUREMENT_BYTES} (float format); ` +
          'a 20-byte reply means the measurement was started in u16 format by another program — stop and start it again',
      );
    }
    return { values: decodeMeasurement(r.data), deviceError: r.deviceError };
  }

  /** Sleep mode: fan, laser and UART off (firmware ≥ 2.0, idle mode only). */
  async sleep(): Promise<void> {
    const v = await this.version();
    if (v.firmware.major < 2) {
      throw new Error(`SPS30: sleep needs firmware 2.0 or later; this sensor runs ${v.firmware.major}.${v.firmware.minor} — stop the measurement instead`);
    }
    await this.transceive(CMD.sleep, mosi.sleep(), 'sleep');
    this.asleep = true;
  }

  /**
   * Wake from sleep: a 0xFF byte first (its start bit is the low pulse that switches the UART on), then the
   * wake-up frame within 100 ms. A sensor that was not asleep answers state 0x43 (ShdlcStateError).
   */
  wake(): Promise<void> {
    return this.serial(async () => {
      await this.write(Buffer.of(WAKE_PULSE));
      await this.sleepFor(this.wakeGapMs);
      await this.exchange(CMD.wake, mosi.wake(), 'wake-up');
      this.asleep = false;
    });
  }

  /** Manual fan cleaning (about 10 s at full speed; measurement mode only). */
  async fanClean(): Promise<void> {
    await this.transceive(CMD.fanClean, mosi.fanClean(), 'start fan cleaning');
  }

  /** Auto-cleaning interval in seconds (0 = off). */
  async autoCleanInterval(): Promise<number> {
    const r = await this.transceive(CMD.autoClean, mosi.readAutoClean(), 'read auto-cleaning interval');
    if (r.data.length !== 4) throw new Error(`SPS30: auto-cleaning interval reply has ${r.data.length} bytes; expected 4`);
    return r.data.readUInt32BE(0);
  }

  async setAutoCleanInterval(seconds: number): Promise<void> {
    await this.transceive(CMD.autoClean, mosi.writeAutoClean(seconds), 'write auto-cleaning interval');
  }

  /** Device information string for a subcommand (0x00 product type, 0x03 serial number). */
  async deviceInfo(sub: number): Promise<string> {
    const r = await this.transceive(CMD.deviceInfo, mosi.deviceInfo(sub), 'device information');
    return asciiz(r.data);
  }

  serialNumber(): Promise<string> {
    return this.deviceInfo(INFO_SERIAL);
  }

  productType(): Promise<string> {
    return this.deviceInfo(INFO_PRODUCT_TYPE);
  }

  /** Firmware, hardware and SHDLC versions (read once, then cached). */
  async version(): Promise<Sps30Version> {
    if (!this.cachedVersion) {
      const r = await this.transceive(CMD.version, mosi.version(), 'read version');
      this.cachedVersion = parseVersion(r.data);
    }
    return this.cachedVersion;
  }

  /** Soft reset: the sensor ends up as after power-up (idle). */
  async reset(): Promise<void> {
    await this.transceive(CMD.reset, mosi.reset(), 'device reset');
    this.asleep = false;
  }

  /**
   * Sends one MOSI frame and resolves with its MISO reply. A non-zero error code in the state byte rejects with
   * ShdlcStateError; no reply within commandTimeoutMs, or a refused reply frame, rejects with a plain Error.
   */
  transceive(command: number, frame: Buffer, what = commandName(command) ?? `command 0x${command.toString(16)}`): Promise<Sps30Reply> {
    return this.serial(() => this.exchange(command, frame, what));
  }

  /** Detaches from the port (which stays open: the caller owns it); a command still waiting is rejected. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.port.off('data', this.onData);
    this.port.off('error', this.onPortError);
    this.waiter?.reject(new Error('SPS30 driver closed while waiting for a reply'));
    this.waiter = undefined;
  }

  private async exchange(command: number, frame: Buffer, what: string): Promise<Sps30Reply> {
    let timer: NodeJS.Timeout | undefined;
    const reply = new Promise<ShdlcFrame>((resolve, reject) => {
      this.waiter = { command, what, resolve, reject };
      timer = setTimeout(() => {
        this.waiter = undefined;
        reject(
          new Error(
            `SPS30: no reply to '${what}' within ${this.commandTimeoutMs} ms — check that TX and RX are crossed, the port ` +
              'runs 115200 8N1, SEL is left floating (UART mode), and that the sensor is not asleep',
          ),
        );
      }, this.commandTimeoutMs);
    });
    // A timeout that fires while the write is still pending is handled by the await below, not reported unhandled.
    reply.catch(() => undefined);
    try {
      await this.write(frame);
      const f = await reply;
      const state = f.state ?? 0;
      if (stateErrorCode(state) !== 0) throw new ShdlcStateError(command, state, `SPS30 '${what}'`);
      return { command, state, data: f.data, deviceError: (state & SHDLC_DEVICE_ERROR_FLAG) !== 0 };
    } finally {
      clearTimeout(timer);
      this.waiter = undefined;
    }
  }

  private onFrame(f: ShdlcFrame): void {
    const w = this.waiter;
    // A frame for another command or address is a leftover (a late reply after a timeout): not ours to take.
    if (!w || f.command !== w.command || f.address !== SPS30_ADDRESS) return;
    this.waiter = undefined;
    w.resolve(f);
  }

  private onScanError(e: ShdlcScanError): void {
    this.emit('frame_error', e);
    const w = this.waiter;
    if (!w) return;
    this.waiter = undefined;
    w.reject(new Error(`SPS30: reply to '${w.what}' refused: ${e.reason} (${hex(e.raw)})`));
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('SPS30 driver is closed'));
    return this.queue.run(task);
  }

  private write(buf: Buffer): Promise<void> {
    return writeBytes(this.port, buf, 'SPS30');
  }
}
