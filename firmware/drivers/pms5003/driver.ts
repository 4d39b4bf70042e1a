// Host side of a PMS5003 / PMS5003T link. The serial stream is injected (a serialport instance, a pty, or any
// Duplex): this module never imports serialport.
//
// Events
//   'reading' (PmsDriverReading)  every checksum-valid data frame, values by canonical name, flags:
//                                 'warmup'  frame inside warmupS of power-up/wake (manual V2.3: stable ≥ 30 s
//                                           after wake-up; air-quality.md §7: mark, do not drop)
//                                 'sensor_error'  byte 29 (error code) non-zero
//   'ack'     ({command, data})   an ACK frame
//   'frame_error' (PmsErrorEvent) a rejected candidate (bad checksum, implausible length, truncated, or values
//                                 that break the manual's ordering: code 'implausible', protocol.ts) — counted
//                                 in `counts`; never fatal
//   'stale'   ()                  active mode, awake, and no frame for staleAfterMs (AirGradient: 3 s,
//                                 protocols.md §9); the half-received frame is dropped
//   'fresh'   ()                  first frame after a 'stale'
//   'error'   (Error)             the stream itself failed (forwarded from the port)
// latest() returns the last reading, with 'stale' added to its flags once it is staleAfterMs old.
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import type { Values } from '../types.js';
import { pms5003 } from './definition.js';
import { pmsCommand, PMS_CMD_MODE, PMS_CMD_SLEEP, type PmsCommandName } from './commands.js';
import { checkVariant, PmsParser, type PmsCounts, type PmsErrorEvent, type PmsEvent, type PmsVariant } from './protocol.js';
import { OneAtATime, writeBytes } from '../../protocols/command-line.js';

export interface Pms5003DriverOptions {
  variant?: PmsVariant;
  /** Readings within this many seconds of power-up or wake are flagged 'warmup'. Default 30 (definition). */
  warmupS?: number;
  /** Silence (in active mode, awake) after which the link is stale. Default 3000 ms (AirGradient). */
  staleAfterMs?: number;
  /** How long setMode/sleep wait for their ACK and requestRead for its frame. Default 2000 ms. */
  commandTimeoutMs?: number;
  /**
   * When the sensor was last powered up or woken (ms since epoch). Default: construction time, since a sensor
   * that was just plugged in warms up too. null: it has been running long enough; no warm-up flag.
   */
  awakeSince?: number | null;
  /** The sensor's mode at start. Default 'active' (power-up default, manual V2.3 Appendix II). */
  mode?: 'active' | 'passive';
  now?: () => number;
}

export interface PmsDriverReading {
  /** When the frame was completed on the host (ISO time is derived from this by the node runtime). */
  time: Date;
  values: Values;
  flags: string[];
  /** 32 (PMS5003/7003/5003T) or 24 (PMS1003–3003). */
  frameBytes: number;
  version?: number;
  errorCode?: number;
}

export interface Pms5003DriverEvents {
  reading: [reading: PmsDriverReading];
  ack: [ack: { command: number; data: number }];
  frame_error: [error: PmsErrorEvent];
  stale: [];
  fresh: [];
  error: [error: Error];
}

interface AckWaiter {
  command: number;
  data: number;
  resolve: () => void;
}

export class Pms5003 extends EventEmitter<Pms5003DriverEvents> {
  readonly variant: PmsVariant;
  readonly warmupS: number;
  readonly staleAfterMs: number;
  readonly commandTimeoutMs: number;
  mode: 'active' | 'passive';
  asleep = false;
  private awakeSince: number | null;
  private readonly now: () => number;
  private readonly parser: PmsParser;
  private last: PmsDriverReading | undefined;
  private staleTimer: NodeJS.Timeout | undefined;
  private isStale = false;
  private ackWaiters: AckWaiter[] = [];
  private readWaiters: Array<(r: PmsDriverReading) => void> = [];
  private readonly queue = new OneAtATime();
  private closed = false;
  private readonly onPortError = (e: Error) => this.emit('error', e);

  constructor(
    private readonly port: Duplex,
    options: Pms5003DriverOptions = {},
  ) {
    super();
    this.variant = checkVariant(options.variant ?? 'pms5003');
    this.warmupS = options.warmupS ?? pms5003.warmupS;
    this.staleAfterMs = options.staleAfterMs ?? 3000;
    this.commandTimeoutMs = options.commandTimeoutMs ?? 2000;
    for (const [k, v] of Object.entries({ warmupS: this.warmupS, staleAfterMs: this.staleAfterMs, commandTimeoutMs: this.commandTimeoutMs })) {
      if (!(typeof v === 'number' && v >= 0 && Number.isFinite(v))) throw new TypeError(`${k} must be a non-negative number; got ${v}`);
    }
    this.mode = options.mode ?? 'active';
    this.now = options.now ?? Date.now;
    this.awakeSince = options.awakeSince === undefined ? this.now() : options.awakeSince;
    this.parser = new PmsParser({ variant: this.variant });
    this.parser.on('data', (e: PmsEvent) => this.onEvent(e));
    port.on('error', this.onPortError);
    port.pipe(this.parser);
    this.armStale();
  }

  /** Frames, ACKs and rejected candidates by reason, since start. */
  get counts(): PmsCounts {
    return this.parser.counts;
  }

  get stale(): boolean {
    return this.isStale;
  }

  /** The last reading; 'stale' is added to its flags once it is staleAfterMs old or older. */
  latest(): PmsDriverReading | undefined {
    const r = this.last;
    if (!r) return undefined;
    if (this.now() - r.time.getTime() >= this.staleAfterMs && !r.flags.includes('stale')) {
      return { ...r, flags: [...r.flags, 'stale'] };
    }
    return r;
  }

  /** Switches active/passive and resolves on the sensor's ACK (`42 4D 00 04 E1 0x …`). */
  setMode(mode: 'active' | 'passive'): Promise<void> {
    if (mode !== 'active' && mode !== 'passive') throw new TypeError(`mode must be 'active' or 'passive'; got ${String(mode)}`);
    return this.serial(async () => {
      await this.commandWithAck(mode, PMS_CMD_MODE, mode === 'active' ? 1 : 0);
      this.mode = mode;
      this.armStale();
    });
  }

  /** Passive mode: asks for one frame and resolves with the reading it produces. */
  requestRead(): Promise<PmsDriverReading> {
    return this.serial(async () => {
      const next = this.nextReading('read');
      await this.write(pmsCommand('read'));
      return next;
    });
  }

  /** Fan and laser off; resolves on the ACK (`42 4D 00 04 E4 00 01 77`, airrohr #730). */
  sleep(): Promise<void> {
    return this.serial(async () => {
      await this.commandWithAck('sleep', PMS_CMD_SLEEP, 0);
      this.asleep = true;
      this.armStale();
    });
  }

  /**
   * Fan and laser on. Real sensors send no ACK for wake; they resume frames (active mode). Resolves once the
   * command is written; readings for the next warmupS seconds carry 'warmup'.
   */
  wake(): Promise<void> {
    return this.serial(async () => {
      await this.write(pmsCommand('wake'));
      this.asleep = false;
      this.awakeSince = this.now();
      this.armStale();
    });
  }

  /** Detaches from the port (which stays open: the caller owns it) and rejects nothing further. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.staleTimer);
    this.port.unpipe(this.parser);
    this.port.off('error', this.onPortError);
    this.parser.destroy();
  }

  private onEvent(e: PmsEvent): void {
    if (e.kind === 'error') {
      this.emit('frame_error', e);
      return;
    }
    if (e.kind === 'ack') {
      const i = this.ackWaiters.findIndex((w) => w.command === e.command && w.data === e.data);
      if (i >= 0) this.ackWaiters.splice(i, 1)[0]?.resolve();
      this.emit('ack', { command: e.command, data: e.data });
      return;
    }
    const t = this.now();
    const flags: string[] = [];
    if (this.awakeSince !== null && t - this.awakeSince < this.warmupS * 1000) flags.push('warmup');
    if (e.errorCode) flags.push('sensor_error');
    const reading: PmsDriverReading = { time: new Date(t), values: e.values, flags, frameBytes: e.frameBytes };
    if (e.version !== undefined) reading.version = e.version;
    if (e.errorCode !== undefined) reading.errorCode = e.errorCode;
    this.last = reading;
    if (this.isStale) {
      this.isStale = false;
      this.emit('fresh');
    }
    this.armStale();
    const waiters = this.readWaiters;
    this.readWaiters = [];
    for (const w of waiters) w(reading);
    this.emit('reading', reading);
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
    }, this.staleAfterMs);
    this.staleTimer.unref();
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('PMS5003 driver is closed'));
    return this.queue.run(task);
  }

  private write(buf: Buffer): Promise<void> {
    return writeBytes(this.port, buf, 'PMS5003');
  }

  private async commandWithAck(name: PmsCommandName, command: number, data: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    let waiter: AckWaiter | undefined;
    const acked = new Promise<void>((resolve, reject) => {
      waiter = { command, data, resolve };
      this.ackWaiters.push(waiter);
      timer = setTimeout(() => {
        this.ackWaiters = this.ackWaiters.filter((w) => w !== waiter);
        reject(
          new Error(
            `PMS5003: no ACK to '${name}' within ${this.commandTimeoutMs} ms — check the sensor's TX → host RX wire ` +
              `and that the port runs 9600 8N1`,
          ),
        );
      }, this.commandTimeoutMs);
    });
    try {
      await this.write(pmsCommand(name));
      await acked;
    } finally {
      clearTimeout(timer);
    }
  }

  private nextReading(what: string): Promise<PmsDriverReading> {
    return new Promise((resolve, reject) => {
      const waiter = (r: PmsDriverReading) => {
        clearTimeout(timer);
        resolve(r);
      };
      const timer = setTimeout(() => {
        this.readWaiters = this.readWaiters.filter((w) => w !== waiter);
        reject(new Error(`PMS5003: no data frame within ${this.commandTimeoutMs} ms after '${what}' — is the sensor asleep?`));
      }, this.commandTimeoutMs);
      this.readWaiters.push(waiter);
    });
  }
}
