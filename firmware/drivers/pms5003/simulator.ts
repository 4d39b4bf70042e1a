// A PMS5003 / PMS5003T that lives at the far end of a serial link: it writes real 32-byte frames and ACKs and
// obeys the real command bytes it reads, so the driver under test cannot tell it from a sensor.
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import type { Values } from '../types.js';
import { urbanConditions, type UrbanConditions } from '../../sim/urban-day.js';
import { encodeAck, PmsCommandScanner, type PmsCommandFrame, type PmsCommandName } from './commands.js';
import { checkVariant, PMS_LEN_DATA, PMS_LEN_LEGACY, type PmsVariant } from './protocol.js';

/** Datasheet active-mode period (manual V2.3 Appendix I: "stable mode", 2.3 s; protocols.md §1). */
export const PMS_ACTIVE_INTERVAL_MS = 2300;

const PM_KEYS = ['pm1_cf1_ugm3', 'pm25_cf1_ugm3', 'pm10_cf1_ugm3', 'pm1_ugm3', 'pm25_ugm3', 'pm10_ugm3'] as const;
const COUNT_KEYS = ['n0_3_per_dl', 'n0_5_per_dl', 'n1_0_per_dl', 'n2_5_per_dl'] as const;

const word = (v: number) => Math.min(0xffff, Math.max(0, Math.round(v)));
function need(values: Values, key: string): number {
  const v = values[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`encodeFrame: values.${key} must be a finite number`);
  return v;
}

export interface EncodeFrameOptions {
  /** Byte 28 (firmware version in practice). Default 0x97, as in PyPMS's captured PMS5003 frames. */
  version?: number;
  /** Byte 29 (error code in practice). Default 0. */
  errorCode?: number;
}

/**
 * The 32-byte frame a sensor of `variant` would send for these values (layout: protocols.md §1). Integers on
 * the wire: PM and counts are rounded, temperature and humidity are sent ×10. Throws on a missing quantity.
 */
export function encodeFrame(values: Values, variant: PmsVariant = 'pms5003', options: EncodeFrameOptions = {}): Buffer {
  checkVariant(variant);
  const b = Buffer.alloc(PMS_LEN_DATA + 4);
  b[0] = 0x42;
  b[1] = 0x4d;
  b.writeUInt16BE(PMS_LEN_DATA, 2);
  let o = 4;
  for (const k of PM_KEYS) (b.writeUInt16BE(word(need(values, k)), o), (o += 2));
  for (const k of COUNT_KEYS) (b.writeUInt16BE(word(need(values, k)), o), (o += 2));
  if (variant === 'pms5003t') {
    const t = Math.round(need(values, 'temperature_c') * 10);
    b.writeInt16BE(Math.min(32767, Math.max(-32768, t)), 24);
    b.writeUInt16BE(word(need(values, 'humidity_pct') * 10), 26);
  } else {
    b.writeUInt16BE(word(need(values, 'n5_0_per_dl')), 24);
    b.writeUInt16BE(word(need(values, 'n10_per_dl')), 26);
  }
  b[28] = (options.version ?? 0x97) & 0xff;
  b[29] = (options.errorCode ?? 0) & 0xff;
  let sum = 0;
  for (let i = 0; i < 30; i++) sum += b[i] as number;
  b.writeUInt16BE(sum & 0xffff, 30);
  return b;
}

/** The 24-byte frame of a PMS1003–3003 (length 20): six PM words, six reserved bytes, checksum. */
export function encodeLegacyFrame(values: Values): Buffer {
  const b = Buffer.alloc(PMS_LEN_LEGACY + 4);
  b[0] = 0x42;
  b[1] = 0x4d;
  b.writeUInt16BE(PMS_LEN_LEGACY, 2);
  let o = 4;
  for (const k of PM_KEYS) (b.writeUInt16BE(word(need(values, k)), o), (o += 2));
  let sum = 0;
  for (let i = 0; i < 22; i++) sum += b[i] as number;
  b.writeUInt16BE(sum & 0xffff, 22);
  return b;
}

/**
 * Plausible frame values from the shared urban scenario. Atmospheric PM comes straight from it. CF=1 equals
 * atmospheric at low loads and runs above it at high loads (the shape Plantower data shows; the 30 µg/m³ knee
 * and 1.5 slope are a simulator choice, not a datasheet fact). Counts are scaled from PM1 and from the coarse
 * PM10−PM2.5 fraction with ratios close to PyPMS's captured PMS5003T frames, kept non-increasing with size.
 */
export function valuesFromConditions(c: UrbanConditions, variant: PmsVariant = 'pms5003'): Values {
  const pm1 = Math.round(c.pm1_ugm3);
  const pm25 = Math.max(pm1, Math.round(c.pm25_ugm3));
  const pm10 = Math.max(pm25, Math.round(c.pm10_ugm3));
  const cf1 = (atm: number) => Math.round(atm <= 30 ? atm : 30 + (atm - 30) * 1.5);
  const n0_3 = Math.round(180 * pm1 + 30);
  const n0_5 = Math.round(n0_3 * 0.3);
  const n1_0 = Math.min(n0_5, Math.round(n0_5 * 0.23));
  const n2_5 = Math.min(n1_0, Math.round(2 * (pm10 - pm25)));
  const n5_0 = Math.min(n2_5, Math.round(n2_5 * 0.3));
  const n10 = Math.min(n5_0, Math.round(n5_0 * 0.3));
  const values: Values = {
    pm1_ugm3: pm1,
    pm25_ugm3: pm25,
    pm10_ugm3: pm10,
    pm1_cf1_ugm3: cf1(pm1),
    pm25_cf1_ugm3: cf1(pm25),
    pm10_cf1_ugm3: cf1(pm10),
    n0_3_per_dl: n0_3,
    n0_5_per_dl: n0_5,
    n1_0_per_dl: n1_0,
    n2_5_per_dl: n2_5,
  };
  if (variant === 'pms5003t') {
    values.temperature_c = Math.round(c.temperature_c * 10) / 10;
    values.humidity_pct = Math.round(c.humidity_pct * 10) / 10;
  } else {
    values.n5_0_per_dl = n5_0;
    values.n10_per_dl = n10;
  }
  return values;
}

export interface Pms5003SimulatorOptions {
  variant?: PmsVariant;
  /** Active-mode period. Default 2300 ms (datasheet); the demo may go faster. */
  intervalMs?: number;
  /** Where values come from. Default: valuesFromConditions(urbanConditions(clock()), variant). */
  values?: () => Values;
  clock?: () => Date;
  /**
   * Send an ACK for wake (E4 01). Off by default: real sensors answer wake with data frames, not an ACK
   * (public drivers note "expecting NO ANS"); only sleep and the mode commands are ACKed.
   */
  ackWake?: boolean;
}

export interface Pms5003SimulatorEvents {
  command: [frame: PmsCommandFrame];
  frame: [frame: Buffer, values: Values];
}

/**
 * Writes into an injected Duplex (the device end of a pty opened with serialport, or an in-process stream)
 * and reads the host's commands back from it. Power-up state: active mode, awake.
 */
export class Pms5003Simulator extends EventEmitter<Pms5003SimulatorEvents> {
  readonly variant: PmsVariant;
  readonly intervalMs: number;
  mode: 'active' | 'passive' = 'active';
  asleep = false;
  framesSent = 0;
  readonly commandsReceived: PmsCommandName[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private readonly scanner: PmsCommandScanner;
  private readonly valueSource: () => Values;
  private readonly onData = (chunk: Buffer) => this.scanner.push(chunk);

  constructor(
    private readonly port: Duplex,
    private readonly options: Pms5003SimulatorOptions = {},
  ) {
    super();
    this.variant = checkVariant(options.variant ?? 'pms5003');
    this.intervalMs = options.intervalMs ?? PMS_ACTIVE_INTERVAL_MS;
    if (!(this.intervalMs > 0)) throw new TypeError(`intervalMs must be > 0; got ${options.intervalMs}`);
    const clock = options.clock ?? (() => new Date());
    this.valueSource = options.values ?? (() => valuesFromConditions(urbanConditions(clock()), this.variant));
    this.scanner = new PmsCommandScanner((f) => this.onCommand(f));
  }

  /** Power on: start listening for commands and, in active mode, sending frames. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.port.on('data', this.onData);
    this.schedule();
  }

  stop(): void {
    this.running = false;
    this.port.off('data', this.onData);
    this.clearTimer();
  }

  /** Write one frame now (what a read command or an active-mode tick does). */
  sendFrame(): Buffer {
    const values = this.valueSource();
    const frame = encodeFrame(values, this.variant);
    this.port.write(frame);
    this.framesSent++;
    this.emit('frame', frame, values);
    return frame;
  }

  private schedule(): void {
    this.clearTimer();
    if (!this.running || this.asleep || this.mode !== 'active') return;
    this.timer = setInterval(() => this.sendFrame(), this.intervalMs);
  }

  private clearTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private onCommand(f: PmsCommandFrame): void {
    if (f.name) this.commandsReceived.push(f.name);
    this.emit('command', f);
    const datal = f.data & 0xff;
    switch (f.name) {
      case 'passive':
      case 'active':
        this.mode = f.name;
        this.port.write(encodeAck(f.cmd, datal));
        this.schedule();
        break;
      case 'read':
        if (!this.asleep) this.sendFrame();
        break;
      case 'sleep':
        this.port.write(encodeAck(f.cmd, datal));
        this.asleep = true;
        this.schedule();
        break;
      case 'wake':
        if (this.options.ackWake) this.port.write(encodeAck(f.cmd, datal));
        this.asleep = false;
        this.schedule();
        break;
      default:
        // unknown command: a real sensor stays silent
        break;
    }
  }
}
