// An SDS011 at the far end of a serial link: it writes real 10-byte data frames and reply frames and obeys the
// real 19-byte commands it reads, so the driver under test cannot tell it from a sensor.
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import type { Values } from '../types.js';
import { urbanConditions, type UrbanConditions } from '../../sim/urban-day.js';
import { encodeReply, SdsCommandScanner, SDS_ALL_DEVICES, type SdsCommandFrame, type SdsCommandName } from './commands.js';
import { frameChecksum, SDS_HEAD, SDS_KIND_DATA, SDS_TAIL, type FirmwareDate, type SdsReportingMode } from './protocol.js';

/** "Serial data output frequency: 1 time/s" (specification V1.3, Technical Parameters). */
export const SDS_ACTIVE_INTERVAL_MS = 1000;

/** Tenths of a µg/m³ on the wire, 0–999.9 (specification V1.3 range); clamped, never wrapped. */
const tenths = (v: number) => Math.min(9999, Math.max(0, Math.round(v * 10)));

function need(values: Values, key: string): number {
  const v = values[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`encodeDataFrame: values.${key} must be a finite number`);
  return v;
}

/** The data frame a sensor with `deviceId` sends for these values (layout: protocols.md §2). */
export function encodeDataFrame(values: Values, deviceId: number): Buffer {
  const pm25 = tenths(need(values, 'pm25_ugm3'));
  const pm10 = tenths(need(values, 'pm10_ugm3'));
  const b = Buffer.from([SDS_HEAD, SDS_KIND_DATA, pm25 & 0xff, pm25 >> 8, pm10 & 0xff, pm10 >> 8, (deviceId >> 8) & 0xff, deviceId & 0xff, 0, SDS_TAIL]);
  b[8] = frameChecksum(b);
  return b;
}

/** PM2.5 and PM10 from the shared urban scenario, at the sensor's 0.1 µg/m³ resolution. */
export function valuesFromConditions(c: UrbanConditions): Values {
  const pm25 = tenths(c.pm25_ugm3) / 10;
  return { pm25_ugm3: pm25, pm10_ugm3: Math.max(pm25, tenths(c.pm10_ugm3) / 10) };
}

export interface Sds011SimulatorOptions {
  /** Continuous-mode period. Default 1000 ms (datasheet); the demo may go faster. */
  intervalMs?: number;
  /** Default 0xA160, the ID in the Control Protocol's examples. */
  deviceId?: number;
  /** Default 2018-11-16, a version real SDS011s report (cyberman54/ESP32-Paxcounter issue #1004 log). */
  firmware?: FirmwareDate;
  /** Where values come from. Default: valuesFromConditions(urbanConditions(clock())). */
  values?: () => Values;
  clock?: () => Date;
}

export interface Sds011SimulatorEvents {
  command: [frame: SdsCommandFrame];
  frame: [frame: Buffer, values: Values];
  reply: [frame: Buffer];
}

/**
 * Writes into an injected Duplex (the device end of a pty opened with serialport, or an in-process stream) and
 * reads the host's commands back from it. Power-up state: active reporting, working, continuous.
 *
 * Simulator choices where the Control Protocol is silent: asleep, the sensor still answers configuration
 * commands (its UART stays up; only laser and fan stop) but sends no data, so a query-data command gets no
 * answer; with a working period of n minutes it sends one frame every n·60 frame intervals (n minutes at the
 * real 1 s interval) instead of modelling the 30 s run before each frame.
 */
export class Sds011Simulator extends EventEmitter<Sds011SimulatorEvents> {
  readonly intervalMs: number;
  deviceId: number;
  firmware: FirmwareDate;
  mode: SdsReportingMode = 'active';
  asleep = false;
  workingPeriodMin = 0;
  framesSent = 0;
  readonly commandsReceived: SdsCommandName[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private readonly scanner: SdsCommandScanner;
  private readonly valueSource: () => Values;
  private readonly onData = (chunk: Buffer) => this.scanner.push(chunk);

  constructor(
    private readonly port: Duplex,
    options: Sds011SimulatorOptions = {},
  ) {
    super();
    this.intervalMs = options.intervalMs ?? SDS_ACTIVE_INTERVAL_MS;
    if (!(this.intervalMs > 0)) throw new TypeError(`intervalMs must be > 0; got ${options.intervalMs}`);
    this.deviceId = options.deviceId ?? 0xa160;
    if (!Number.isInteger(this.deviceId) || this.deviceId < 0 || this.deviceId >= SDS_ALL_DEVICES) {
      throw new TypeError(`deviceId must be 0x0000–0xFFFE (FFFF is the broadcast address); got ${options.deviceId}`);
    }
    this.firmware = options.firmware ?? { year: 2018, month: 11, day: 16 };
    const clock = options.clock ?? (() => new Date());
    this.valueSource = options.values ?? (() => valuesFromConditions(urbanConditions(clock())));
    this.scanner = new SdsCommandScanner((f) => this.onCommand(f));
  }

  /** Power on: listen for commands and, in active mode, send frames. */
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

  /** Write one data frame now (what a query-data command or an active-mode tick does). */
  sendFrame(): Buffer {
    const values = this.valueSource();
    const frame = encodeDataFrame(values, this.deviceId);
    this.port.write(frame);
    this.framesSent++;
    this.emit('frame', frame, values);
    return frame;
  }

  private reply(cmd: number, r: readonly [number, number, number]): void {
    const frame = encodeReply(cmd, r, this.deviceId);
    this.port.write(frame);
    this.emit('reply', frame);
  }

  private schedule(): void {
    this.clearTimer();
    if (!this.running || this.asleep || this.mode !== 'active') return;
    const period = this.workingPeriodMin > 0 ? this.workingPeriodMin * 60 * this.intervalMs : this.intervalMs;
    this.timer = setInterval(() => this.sendFrame(), period);
  }

  private clearTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private onCommand(f: SdsCommandFrame): void {
    // A command for another sensor on a shared line is not ours to answer.
    if (f.deviceId !== SDS_ALL_DEVICES && f.deviceId !== this.deviceId) return;
    if (f.name) this.commandsReceived.push(f.name);
    this.emit('command', f);
    const d2 = f.data[1] as number;
    switch (f.name) {
      case 'set_mode_active':
      case 'set_mode_query':
        this.mode = f.name === 'set_mode_query' ? 'query' : 'active';
        this.reply(f.cmd, [1, this.mode === 'query' ? 1 : 0, 0]);
        this.schedule();
        break;
      case 'get_mode':
        this.reply(f.cmd, [0, this.mode === 'query' ? 1 : 0, 0]);
        break;
      case 'query_data':
        if (!this.asleep) this.sendFrame();
        break;
      case 'set_device_id': {
        const newId = ((f.data[10] as number) << 8) | (f.data[11] as number);
        if (newId === SDS_ALL_DEVICES) break; // FF FF would make the sensor unaddressable; a real one's behaviour is unknown
        this.deviceId = newId;
        this.reply(f.cmd, [0, 0, 0]); // sent under the new ID (Control Protocol V1.3 example: … A0 01 A6 AB)
        break;
      }
      case 'sleep':
      case 'work':
        this.asleep = f.name === 'sleep';
        this.reply(f.cmd, [1, this.asleep ? 0 : 1, 0]);
        this.schedule();
        break;
      case 'get_sleep_work':
        this.reply(f.cmd, [0, this.asleep ? 0 : 1, 0]);
        break;
      case 'set_working_period':
        if (d2 > 30) break; // out of the documented 0–30: ignore rather than guess
        this.workingPeriodMin = d2;
        this.reply(f.cmd, [1, d2, 0]);
        this.schedule();
        break;
      case 'get_working_period':
        this.reply(f.cmd, [0, this.workingPeriodMin, 0]);
        break;
      case 'firmware_version':
        this.reply(f.cmd, [this.firmware.year % 100, this.firmware.month, this.firmware.day]);
        break;
      default:
        // an unknown command: a real sensor stays silent
        break;
    }
  }
}
