// Host side of an SDS011 link. The serial stream is injected (a serialport instance, a pty, or any Duplex): this
// module never imports serialport.
//
// Events
//   'reading' (SdsDriverReading)  every valid data frame: pm25_ugm3 and pm10_ugm3, the sensor's ID, flags:
//                                 'warmup'  within warmupS of power-up or wake (air-quality.md §7: SDS011 15 s;
//                                           mark, do not drop)
//                                 No humidity flag: the SDS011 measures no humidity. Its spec stops at 70 % RH
//                                 (air-quality.md §7); flagging needs an RH source and belongs downstream.
//   'reply'   (SdsReply)          every valid reply frame (`AA C5 …`)
//   'frame_error' (SdsErrorEvent) a refused candidate (bad tail, bad checksum, truncated), counted in `counts`
//   'stale'   ()                  active mode, awake, and no frame for staleAfterMs (+ the working period); the
//                                 half-received frame is dropped
//   'fresh'   ()                  first frame after a 'stale'
//   'error'   (Error)             the stream itself failed (forwarded from the port)
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import type { Values } from '../types.js';
import { sdsCommands, SDS_ALL_DEVICES } from './commands.js';
import { sds011 } from './definition.js';
import { OneAtATime, writeBytes } from '../../protocols/command-line.js';
import {
  formatDeviceId,
  SdsParser,
  type FirmwareDate,
  type SdsCounts,
  type SdsErrorEvent,
  type SdsEvent,
  type SdsReply,
  type SdsReportingMode,
} from './protocol.js';

export interface Sds011DriverOptions {
  /** Address commands to this sensor only; replies from others are ignored. Default FF FF (any sensor). */
  deviceId?: number;
  /** Readings within this many seconds of power-up or wake are flagged 'warmup'. Default 15 (definition). */
  warmupS?: number;
  /** Silence (active mode, awake) after which the link is stale. Default 3000 ms (protocols.md §9). */
  staleAfterMs?: number;
  /** How long a command waits for its answer. Default 2000 ms. */
  commandTimeoutMs?: number;
  /**
   * When the sensor was last powered up or woken (ms since epoch). Default: construction time, since a sensor
   * that was just plugged in warms up too. null: it has been running long enough; no warm-up flag.
   */
  awakeSince?: number | null;
  /** The reporting mode the sensor is believed to be in at start. Default 'active' (power-up default). */
  mode?: SdsReportingMode;
  /** The working period (minutes) the sensor is believed to have at start. Default 0 (continuous). */
  workingPeriodMin?: number;
  now?: () => number;
}

export interface SdsDriverReading {
  /** When the frame was completed on the host. */
  time: Date;
  values: Values;
  deviceId: number;
  flags: string[];
}

export interface Sds011DriverEvents {
  reading: [reading: SdsDriverReading];
  reply: [reply: SdsReply];
  frame_error: [error: SdsErrorEvent];
  stale: [];
  fresh: [];
  error: [error: Error];
}

type Incoming = { kind: 'reading'; reading: SdsDriverReading } | { kind: 'reply'; reply: SdsReply };

interface Waiter {
  /** Returns the result when this frame answers the pending command, else undefined. */
  pick(e: Incoming): unknown;
  resolve(value: unknown): void;
}

export class Sds011 extends EventEmitter<Sds011DriverEvents> {
  readonly warmupS: number;
  readonly staleAfterMs: number;
  readonly commandTimeoutMs: number;
  mode: SdsReportingMode;
  workingPeriodMin: number;
  asleep = false;
  private target: number;
  private heardId: number | undefined;
  private awakeSince: number | null;
  private readonly now: () => number;
  private readonly parser: SdsParser;
  private last: SdsDriverReading | undefined;
  private staleTimer: NodeJS.Timeout | undefined;
  private isStale = false;
  private waiters: Waiter[] = [];
  private readonly queue = new OneAtATime();
  private closed = false;
  private readonly onPortError = (e: Error) => this.emit('error', e);

  constructor(
    private readonly port: Duplex,
    options: Sds011DriverOptions = {},
  ) {
    super();
    this.warmupS = options.warmupS ?? sds011.warmupS;
    this.staleAfterMs = options.staleAfterMs ?? 3000;
    this.commandTimeoutMs = options.commandTimeoutMs ?? 2000;
    for (const [k, v] of Object.entries({ warmupS: this.warmupS, staleAfterMs: this.staleAfterMs, commandTimeoutMs: this.commandTimeoutMs })) {
      if (!(typeof v === 'number' && v >= 0 && Number.isFinite(v))) throw new TypeError(`${k} must be a non-negative number; got ${v}`);
    }
    this.target = options.deviceId ?? SDS_ALL_DEVICES;
    if (!Number.isInteger(this.target) || this.target < 0 || this.target > 0xffff) throw new TypeError(`deviceId must be 0x0000–0xFFFF; got ${options.deviceId}`);
    this.mode = options.mode ?? 'active';
    this.workingPeriodMin = options.workingPeriodMin ?? 0;
    this.now = options.now ?? Date.now;
    this.awakeSince = options.awakeSince === undefined ? this.now() : options.awakeSince;
    this.parser = new SdsParser();
    this.parser.on('data', (e: SdsEvent) => this.onEvent(e));
    port.on('error', this.onPortError);
    port.pipe(this.parser);
    this.armStale();
  }

  /** The ID the sensor last sent (data or reply frame); undefined until it has said anything. */
  get deviceId(): number | undefined {
    return this.heardId;
  }

  /** Frames, replies and refused candidates by reason, since start. */
  get counts(): SdsCounts {
    return this.parser.counts;
  }

  get stale(): boolean {
    return this.isStale;
  }

  /** The last reading; 'stale' is added to its flags once it is older than the stale limit. */
  latest(): SdsDriverReading | undefined {
    const r = this.last;
    if (!r) return undefined;
    if (this.now() - r.time.getTime() >= this.staleLimitMs() && !r.flags.includes('stale')) return { ...r, flags: [...r.flags, 'stale'] };
    return r;
  }

  /** Sets the reporting mode (kept in the sensor's flash) and resolves on the sensor's confirmation. */
  setMode(mode: SdsReportingMode): Promise<void> {
    const cmd = sdsCommands.setReportingMode(mode, this.target); // throws TypeError on a bad mode, before queueing
    return this.serial(async () => {
      await this.request(`set reporting mode ${mode}`, cmd, (e) =>
        e.kind === 'reply' && e.reply.command === 'reporting_mode' && e.reply.set && e.reply.mode === mode && this.fromTarget(e.reply) ? true : undefined,
      );
      this.mode = mode;
      this.armStale();
    });
  }

  /** Asks the sensor which reporting mode it is in. */
  getMode(): Promise<SdsReportingMode> {
    return this.serial(async () => {
      const mode = await this.request('get reporting mode', sdsCommands.getReportingMode(this.target), (e) =>
        e.kind === 'reply' && e.reply.command === 'reporting_mode' && !e.reply.set && this.fromTarget(e.reply) ? e.reply.mode : undefined,
      );
      this.mode = mode;
      this.armStale();
      return mode;
    });
  }

  /** Asks for one measurement (query mode; an active sensor answers too) and resolves with its reading. */
  query(): Promise<SdsDriverReading> {
    return this.serial(() =>
      this.request('query data', sdsCommands.queryData(this.target), (e) => (e.kind === 'reading' && this.fromTarget(e.reading) ? e.reading : undefined)),
    );
  }

  /** Laser and fan off; resolves on the sensor's `06 01 00` reply. */
  sleep(): Promise<void> {
    return this.serial(async () => {
      await this.request('sleep', sdsCommands.sleep(this.target), (e) =>
        e.kind === 'reply' && e.reply.command === 'sleep_work' && e.reply.set && !e.reply.working && this.fromTarget(e.reply) ? true : undefined,
      );
      this.asleep = true;
      this.armStale();
    });
  }

  /**
   * Laser and fan on. Resolves on the `06 01 01` reply, or on the first data frame, whichever comes first:
   * an active sensor's frames prove it is awake even where a firmware's reply is lost. Readings for the next
   * warmupS seconds carry 'warmup'.
   */
  wake(): Promise<void> {
    return this.serial(async () => {
      await this.request('wake', sdsCommands.work(this.target), (e) =>
        (e.kind === 'reply' && e.reply.command === 'sleep_work' && e.reply.set && e.reply.working && this.fromTarget(e.reply)) ||
        (e.kind === 'reading' && this.fromTarget(e.reading))
          ? true
          : undefined,
      );
      this.asleep = false;
      this.awakeSince = this.now();
      this.armStale();
    });
  }

  /** 0 = continuous; n = 1–30 minutes: the sensor works 30 s and sleeps n·60−30 s by itself (kept in flash). */
  setWorkingPeriod(minutes: number): Promise<void> {
    const cmd = sdsCommands.setWorkingPeriod(minutes, this.target); // throws TypeError outside 0–30
    return this.serial(async () => {
      await this.request(`set working period ${minutes}`, cmd, (e) =>
        e.kind === 'reply' && e.reply.command === 'working_period' && e.reply.set && e.reply.minutes === minutes && this.fromTarget(e.reply) ? true : undefined,
      );
      this.workingPeriodMin = minutes;
      this.armStale();
    });
  }

  /** Asks the sensor for its working period in minutes (0 = continuous). */
  getWorkingPeriod(): Promise<number> {
    return this.serial(async () => {
      const minutes = await this.request('get working period', sdsCommands.getWorkingPeriod(this.target), (e) =>
        e.kind === 'reply' && e.reply.command === 'working_period' && !e.reply.set && this.fromTarget(e.reply) ? e.reply.minutes : undefined,
      );
      this.workingPeriodMin = minutes;
      this.armStale();
      return minutes;
    });
  }

  /** The firmware date, e.g. { year: 2015, month: 7, day: 10 } for `AA C5 07 0F 07 0A …`. */
  firmwareVersion(): Promise<FirmwareDate> {
    return this.serial(() =>
      this.request('firmware version', sdsCommands.firmwareVersion(this.target), (e) =>
        e.kind === 'reply' && e.reply.command === 'firmware_version' && this.fromTarget(e.reply)
          ? { year: e.reply.year, month: e.reply.month, day: e.reply.day }
          : undefined,
      ),
    );
  }

  /**
   * Gives the sensor a new ID (kept in flash); resolves when it answers under that ID. If the driver was
   * addressing one sensor, it follows it to the new ID.
   */
  setDeviceId(newId: number): Promise<void> {
    const cmd = sdsCommands.setDeviceId(newId, this.target); // throws TypeError on a bad ID
    return this.serial(async () => {
      await this.request(`set device ID ${formatDeviceId(newId)}`, cmd, (e) =>
        e.kind === 'reply' && e.reply.command === 'device_id' && e.reply.deviceId === newId ? true : undefined,
      );
      if (this.target !== SDS_ALL_DEVICES) this.target = newId;
    });
  }

  /** Detaches from the port (which stays open: the caller owns it). Pending commands time out. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.staleTimer);
    this.port.unpipe(this.parser);
    this.port.off('error', this.onPortError);
    this.parser.destroy();
  }

  private fromTarget(x: { deviceId: number }): boolean {
    return this.target === SDS_ALL_DEVICES || x.deviceId === this.target;
  }

  private onEvent(e: SdsEvent): void {
    if (e.kind === 'error') {
      this.emit('frame_error', e);
      return;
    }
    let incoming: Incoming;
    if (e.kind === 'reply') {
      this.heardId = e.reply.deviceId;
      incoming = { kind: 'reply', reply: e.reply };
    } else {
      this.heardId = e.deviceId;
      const t = this.now();
      const flags: string[] = [];
      if (this.awakeSince !== null && t - this.awakeSince < this.warmupS * 1000) flags.push('warmup');
      const reading: SdsDriverReading = { time: new Date(t), values: e.values, deviceId: e.deviceId, flags };
      this.last = reading;
      incoming = { kind: 'reading', reading };
    }
    // Any frame shows the line is alive.
    if (this.isStale) {
      this.isStale = false;
      this.emit('fresh');
    }
    this.armStale();
    for (let i = 0; i < this.waiters.length; i++) {
      const w = this.waiters[i]!;
      const result = w.pick(incoming);
      if (result !== undefined) {
        this.waiters.splice(i, 1);
        w.resolve(result);
        break;
      }
    }
    if (incoming.kind === 'reply') this.emit('reply', incoming.reply);
    else this.emit('reading', incoming.reading);
  }

  private staleLimitMs(): number {
    // With a working period the sensor is silent by design for up to n minutes between frames.
    return this.staleAfterMs + this.workingPeriodMin * 60_000;
  }

  /** (Re)starts the silence timer; only an awake sensor in active mode is expected to talk on its own. */
  private armStale(): void {
    clearTimeout(this.staleTimer);
    this.staleTimer = undefined;
    if (this.closed || this.asleep || this.mode !== 'active') return;
    this.staleTimer = setTimeout(() => {
      this.staleTimer = undefined;
      this.parser.reset();
      if (!this.isStale) {
        this.isStale = true;
        this.emit('stale');
      }
    }, this.staleLimitMs());
    this.staleTimer.unref();
  }

  /** Commands run one at a time: replies carry no sequence number, so only one question may be open. */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('SDS011 driver is closed'));
    return this.queue.run(task);
  }

  private write(buf: Buffer): Promise<void> {
    return writeBytes(this.port, buf, 'SDS011');
  }

  /** Writes a command and resolves with the first frame `pick` accepts, or rejects after commandTimeoutMs. */
  private async request<T>(what: string, command: Buffer, pick: (e: Incoming) => T | undefined): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    let waiter: Waiter | undefined;
    const answered = new Promise<T>((resolve, reject) => {
      waiter = { pick, resolve: resolve as (v: unknown) => void };
      this.waiters.push(waiter);
      timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        const to = this.target === SDS_ALL_DEVICES ? '' : ` (addressed to ${formatDeviceId(this.target)})`;
        reject(
          new Error(
            `SDS011: no answer to '${what}'${to} within ${this.commandTimeoutMs} ms — check the host TX → sensor RX wire, ` +
              `that the port runs 9600 8N1, and the device_id`,
          ),
        );
      }, this.commandTimeoutMs);
    });
    try {
      await this.write(command);
      return await answered;
    } finally {
      clearTimeout(timer);
      this.waiters = this.waiters.filter((w) => w !== waiter);
    }
  }
}
