// An SPS30 at the far end of a serial line: it decodes the real MOSI frames and answers with real MISO frames, so
// the driver under test cannot tell it from a sensor. Which command each mode allows follows the datasheet v1.0
// §5 (UART) ("This command can only be executed in Idle-Mode" etc., repeated in python-uart-sps30's docstrings); a
// refused command gets state 0x43, as the real capture in fixtures.ts shows for a wake-up sent to an awake sensor.
//
// Sleep: the UART is off. The first byte that arrives is the low pulse that switches it on (it is not received);
// for the next 100 ms frames are decoded again, and only wake-up is answered. This makes both documented wake
// sequences work: `FF` then wake-up, or wake-up twice (the first one's opening flag is the pulse).
//
// SIMULATOR CHOICES (the datasheet does not say): stop in idle mode answers 0x43; the u16 output format
// (start with 0x05) is not simulated and answers 0x04; commands other than wake-up during the 100 ms window get
// no reply.
import type { Duplex } from 'node:stream';
import {
  AUTO_CLEAN_SUBCOMMAND, CMD, commandName, FORMAT_FLOAT, FORMAT_U16, INFO_PRODUCT_TYPE, INFO_SERIAL, SPS30_ADDRESS,
  START_SUBCOMMAND,
} from './commands.js';
import { encodeMeasurement } from './measurement.js';
import { encodeMiso, SHDLC_DEVICE_ERROR_FLAG, ShdlcScanner, type ShdlcFrame } from './shdlc.js';
import { Sps30Model, type Sps30ModelOptions } from './simulator.js';

/** Wake window after the low pulse (datasheet v1.0 §5 (UART), python-uart-sps30 WakeUp). */
export const WAKE_WINDOW_MS = 100;

const ERR_LENGTH = 0x01;
const ERR_UNKNOWN = 0x02;
const ERR_PARAMETER = 0x04;
const ERR_STATE = 0x43;

export const SPS30_PRODUCT_TYPE = '00080000';

export class Sps30UartSimulator {
  readonly model: Sps30Model;
  /** Names of the commands received (and decoded), in order — for tests. */
  readonly received: string[] = [];
  private readonly scanner: ShdlcScanner;
  private interfaceOnUntil = 0;
  private stopped = false;
  private readonly onData = (chunk: Buffer) => this.receive(chunk);

  constructor(
    private readonly port: Duplex,
    options: Sps30ModelOptions = {},
  ) {
    this.model = new Sps30Model(options);
    // Refused MOSI candidates are dropped, as the sensor drops them (no reply).
    this.scanner = new ShdlcScanner('mosi', { frame: (f) => this.handle(f), error: () => undefined });
    port.on('data', this.onData);
  }

  get mode() {
    return this.model.mode;
  }

  /** Detaches from the port (which stays open: the caller owns it). */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.port.off('data', this.onData);
  }

  private receive(chunk: Buffer): void {
    for (let i = 0; i < chunk.length; i++) {
      if (this.model.mode === 'sleep' && this.model.now() > this.interfaceOnUntil) {
        // UART off: this byte's start bit is the wake pulse; the byte itself is lost.
        this.interfaceOnUntil = this.model.now() + WAKE_WINDOW_MS;
        this.scanner.reset();
        continue;
      }
      this.scanner.push(chunk.subarray(i, i + 1));
    }
  }

  private handle(f: ShdlcFrame): void {
    if (this.stopped || f.address !== SPS30_ADDRESS) return; // SHDLC: only the addressed slave answers
    this.received.push(commandName(f.command) ?? `0x${f.command.toString(16)}`);
    const m = this.model;
    if (m.mode === 'sleep') {
      if (f.command === CMD.wake && f.data.length === 0) {
        m.idle();
        this.reply(f.command, 0);
      }
      return;
    }
    const d = f.data;
    const need = (len: number) => (d.length === len ? 0 : ERR_LENGTH);
    switch (f.command) {
      case CMD.start: {
        if (d.length !== 2) return this.reply(f.command, ERR_LENGTH);
        if (d[0] !== START_SUBCOMMAND || (d[1] !== FORMAT_FLOAT && d[1] !== FORMAT_U16)) return this.reply(f.command, ERR_PARAMETER);
        if (d[1] === FORMAT_U16) return this.reply(f.command, ERR_PARAMETER);
        if (m.mode !== 'idle') return this.reply(f.command, ERR_STATE);
        m.startMeasuring();
        return this.reply(f.command, 0);
      }
      case CMD.stop:
        if (need(0)) return this.reply(f.command, ERR_LENGTH);
        if (m.mode !== 'measuring') return this.reply(f.command, ERR_STATE);
        m.idle();
        return this.reply(f.command, 0);
      case CMD.read: {
        if (need(0)) return this.reply(f.command, ERR_LENGTH);
        if (m.mode !== 'measuring') return this.reply(f.command, ERR_STATE);
        const v = m.takeNew();
        return this.reply(f.command, 0, v ? encodeMeasurement(v) : undefined);
      }
      case CMD.sleep:
        if (m.firmware.major < 2) return this.reply(f.command, ERR_UNKNOWN);
        if (need(0)) return this.reply(f.command, ERR_LENGTH);
        if (m.mode !== 'idle') return this.reply(f.command, ERR_STATE);
        this.reply(f.command, 0);
        m.sleep();
        this.interfaceOnUntil = 0;
        return;
      case CMD.wake:
        // Reached only when awake: the real sensor answers 0x43 (fixtures.ts, STACKEXCHANGE_WAKE_0X43).
        return this.reply(f.command, ERR_STATE);
      case CMD.fanClean:
        if (need(0)) return this.reply(f.command, ERR_LENGTH);
        if (m.mode !== 'measuring') return this.reply(f.command, ERR_STATE);
        m.fanCleanings++;
        return this.reply(f.command, 0);
      case CMD.autoClean: {
        if (d[0] !== AUTO_CLEAN_SUBCOMMAND) return this.reply(f.command, d.length === 0 ? ERR_LENGTH : ERR_PARAMETER);
        if (d.length === 1) {
          const out = Buffer.alloc(4);
          out.writeUInt32BE(m.autoCleanIntervalS >>> 0);
          return this.reply(f.command, 0, out);
        }
        if (d.length !== 5) return this.reply(f.command, ERR_LENGTH);
        m.autoCleanIntervalS = d.readUInt32BE(1);
        return this.reply(f.command, 0);
      }
      case CMD.deviceInfo: {
        if (need(1)) return this.reply(f.command, ERR_LENGTH);
        const text = d[0] === INFO_PRODUCT_TYPE ? SPS30_PRODUCT_TYPE : d[0] === INFO_SERIAL ? m.serial : undefined;
        if (text === undefined) return this.reply(f.command, ERR_PARAMETER);
        return this.reply(f.command, 0, Buffer.from(text + '\0', 'latin1'));
      }
      case CMD.version:
        if (need(0)) return this.reply(f.command, ERR_LENGTH);
        // fw major, minor, reserved, hardware revision, reserved, SHDLC major, minor (python-uart-sps30 ReadVersion)
        return this.reply(f.command, 0, Buffer.from([m.firmware.major, m.firmware.minor, 0, 7, 0, 2, 0]));
      case CMD.reset:
        if (need(0)) return this.reply(f.command, ERR_LENGTH);
        this.reply(f.command, 0);
        m.idle();
        return;
      default:
        return this.reply(f.command, ERR_UNKNOWN);
    }
  }

  private reply(command: number, errorCode: number, data?: Uint8Array): void {
    if (this.stopped) return;
    const state = errorCode | (this.model.deviceError ? SHDLC_DEVICE_ERROR_FLAG : 0);
    this.port.write(encodeMiso(SPS30_ADDRESS, command, state, data));
  }
}
