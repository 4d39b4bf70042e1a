// The sampling runtime of one sensor node. For each configured part it opens the part through its PartModule
// and runs it on the part's schedule:
//   - polled parts (I2C) are read every `every_s`;
//   - streaming parts (UART) deliver frames; with `average_s` > 0 the frames of the last `average_s` before each
//     sample time are averaged (one min and one max trimmed), otherwise every frame is a reading;
//   - a part that can sleep (laser, fan) is duty-cycled when the interval allows: woken just long enough before
//     each sample time to warm up and fill its averaging window, then put back to sleep;
//   - readings flagged `warmup` by the driver are discarded (DESIGN.md §1) and the part shows `warming`;
//   - a part whose link is lost (USB unplugged) is closed and reopened with backoff; readings resume without a
//     restart and the gap is recorded in its status.
// Every reading is stamped with the time it was taken (a window's end for an average), never when it arrives.
// A part that fails never stops the others. Status changes are reported for the retained per-node status topic.
import type { Logger } from 'pino';
import type { Reading } from '../contract.js';
import type { BusConfig, PartEnv, PartHandle, PartModule, PartSample, Values } from '../drivers/types.js';
import { averageSamples } from './average.js';
import { partEnv, type NodeEnv } from './env.js';

export interface NodePartConfig {
  part: string;
  bus: BusConfig;
  /** Where the part is wired, for messages ("i2c-1", "/dev/ttyAMA0"). */
  where: string;
  every_s: number;
  /** Streaming parts: average the frames of this many seconds before each sample time (0: every frame). */
  average_s: number;
  /** Sleep the part between samples when it can and the interval allows. */
  duty_cycle: boolean;
  options: unknown;
}

export interface NodeConfig {
  site: string;
  id: string;
  clock: Reading['clock'];
  parts: NodePartConfig[];
}

export type PartState = 'starting' | 'warming' | 'ok' | 'sleeping' | 'faulted';

export interface PartStatus {
  state: PartState;
  /** When the part entered this state (ISO 8601). */
  since: string;
  last_reading?: string;
  last_error?: string;
  errors: number;
  /** Readings discarded during warm-up. */
  warmup_discarded: number;
  /** Times the link was lost and reopened, and the length of the last gap in readings. */
  reopened: number;
  last_gap_s?: number;
}

export interface NodeDeps {
  log: Logger;
  modules: ReadonlyMap<string, PartModule<any>>;
  /** Bus access for this node (real or simulated, on the Pi or on an Arduino satellite). */
  env: Pick<NodeEnv, 'simulate' | 'log' | 'serialFor' | 'i2cFor'> & Partial<Pick<NodeEnv, 'analogFor'>>;
  emit(reading: Reading): void;
  /** Called whenever a part's status changes (for the retained status topic and the local API). */
  onStatus?(statuses: Record<string, PartStatus>): void;
  now?: () => number;
}

/** Consecutive failed reads after which a polled part is closed and opened again. */
const POLL_FAILURES_BEFORE_REOPEN = 3;

/** Margin between waking a duty-cycled part and the start of its averaging window, beyond its warm-up. */
const WAKE_MARGIN_S = 2;

export class NodeRuntime {
  private readonly latest = new Map<string, number>();
  private readonly runners: PartRunner[] = [];

  constructor(
    private readonly config: NodeConfig,
    private readonly deps: NodeDeps,
  ) {}

  async start(): Promise<void> {
    for (const pc of this.config.parts) {
      const mod = this.deps.modules.get(pc.part);
      if (!mod) throw new Error(`node ${this.config.id}: unknown part "${pc.part}"`);
      const runner = new PartRunner(pc, mod, {
        log: this.deps.log.child({ node: this.config.id, part: pc.part, where: pc.where }),
        env: partEnv(this.deps.env, pc.bus, pc.part, (q) => this.latest.get(q)),
        now: this.deps.now ?? Date.now,
        deliver: (values, time, flags) => this.deliver(pc.part, values, time, flags),
        statusChanged: () => this.deps.onStatus?.(this.statuses()),
      });
      this.runners.push(runner);
      await runner.start();
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.runners.map((r) => r.stop()));
  }

  statuses(): Record<string, PartStatus> {
    return Object.fromEntries(this.runners.map((r) => [r.part, { ...r.status }]));
  }

  private deliver(part: string, values: Values, time: number, flags: string[] | undefined): void {
    for (const [q, v] of Object.entries(values)) this.latest.set(q, v);
    const reading: Reading = { v: 1, site: this.config.site, node: this.config.id, part, time: new Date(time).toISOString(), clock: this.config.clock, values };
    if (flags?.length) reading.flags = flags;
    this.deps.emit(reading);
  }
}

interface RunnerDeps {
  log: Logger;
  env: PartEnv;
  now: () => number;
  deliver(values: Values, time: number, flags: string[] | undefined): void;
  statusChanged(): void;
}

class PartRunner {
  readonly part: string;
  status: PartStatus;
  private handle: PartHandle | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;
  private window: { time: number; values: Values }[] = [];
  private lostAt: number | undefined;
  private lastReadingAt: number | undefined;

  constructor(
    private readonly pc: NodePartConfig,
    private readonly mod: PartModule<any>,
    private readonly deps: RunnerDeps,
  ) {
    this.part = pc.part;
    this.status = { state: 'starting', since: new Date(deps.now()).toISOString(), errors: 0, warmup_discarded: 0, reopened: 0 };
  }

  async start(): Promise<void> {
    await this.open(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.handle?.close().catch(() => undefined);
    this.handle = undefined;
  }

  private setState(state: PartState, error?: string): void {
    if (error !== undefined) {
      this.status.last_error = error;
      this.status.errors++;
    }
    if (this.status.state !== state) {
      this.status.state = state;
      this.status.since = new Date(this.deps.now()).toISOString();
    }
    this.deps.statusChanged();
  }

  private later(fn: () => void, ms: number): void {
    if (this.stopped) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, Math.max(0, ms));
    this.timers.add(t);
  }

  private async open(attempt: number): Promise<void> {
    const { log } = this.deps;
    let handle: PartHandle;
    try {
      handle = await this.mod.open(this.pc.options, this.deps.env);
    } catch (e) {
      const retryS = Math.min(300, 5 * 2 ** attempt);
      this.setState('faulted', `cannot open: ${(e as Error).message}`);
      log.error({ err: (e as Error).message, retry_in_s: retryS }, `cannot open ${this.pc.part} at ${this.pc.where}: check wiring, power and the address/path in the station config`);
      this.later(() => void this.open(attempt + 1), retryS * 1000);
      return;
    }
    if (this.stopped) return void (await handle.close().catch(() => undefined));
    this.handle = handle;
    this.setState('warming');
    if (handle.stream) {
      handle.stream(
        (s) => this.onFrame(s),
        (reason) => {
          this.status.errors++;
          this.status.last_error = reason;
          log.warn({ reason }, 'frame refused');
        },
        (reason) => void this.lost(handle, reason),
      );
      if (this.pc.average_s > 0) this.scheduleCycle();
    } else if (handle.read) {
      this.poll(handle);
    }
  }

  /** The link is gone: close, say so, and reopen with backoff; the gap shows in the status when data resumes. */
  private async lost(handle: PartHandle, reason: string): Promise<void> {
    if (this.handle !== handle || this.stopped) return;
    this.handle = undefined;
    this.lostAt = this.lastReadingAt ?? this.deps.now();
    this.window = [];
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.status.reopened++;
    this.setState('faulted', reason);
    this.deps.log.error({ reason }, `${this.pc.part} at ${this.pc.where} lost; reopening`);
    await handle.close().catch(() => undefined);
    this.later(() => void this.open(0), 1000);
  }

  private onFrame(s: PartSample): void {
    if (s.flags?.includes('warmup')) {
      this.status.warmup_discarded++;
      if (this.status.state !== 'sleeping') this.setState('warming');
      return;
    }
    const time = s.time?.getTime() ?? this.deps.now();
    if (this.pc.average_s > 0) {
      this.window.push({ time, values: s.values });
      return;
    }
    this.accept(s.values, time, s.flags);
  }

  private accept(values: Values, time: number, flags: string[] | undefined): void {
    if (this.lostAt !== undefined) {
      this.status.last_gap_s = Math.round((time - this.lostAt) / 100) / 10;
      this.lostAt = undefined;
    }
    this.lastReadingAt = time;
    this.status.last_reading = new Date(time).toISOString();
    if (this.status.state !== 'ok') this.setState('ok');
    this.deps.deliver(values, time, flags);
  }

  private poll(handle: PartHandle): void {
    let failures = 0;
    const read = async () => {
      if (this.stopped || this.handle !== handle) return;
      try {
        const s = await handle.read!();
        failures = 0;
        if (s.flags?.includes('warmup')) {
          this.status.warmup_discarded++;
          this.setState('warming');
        } else this.accept(s.values, s.time?.getTime() ?? this.deps.now(), s.flags);
      } catch (e) {
        // A read cut short by stop() is not a fault.
        if (this.stopped) return;
        this.setState('faulted', (e as Error).message);
        this.deps.log.warn({ err: (e as Error).message }, `read failed at ${this.pc.where}; retrying at the next sample`);
        // Reads that keep failing mean the part or its link went away (a power cycle undoes a sensor's set-up, an
        // unplugged USB adapter closes its port): open it afresh, as for a lost stream.
        if (++failures >= POLL_FAILURES_BEFORE_REOPEN) return void this.lost(handle, `${failures} reads in a row failed: ${(e as Error).message}`);
      }
      this.later(() => void read(), this.pc.every_s * 1000);
    };
    void read();
  }

  /**
   * Averaging streaming parts: at each sample time T (aligned to multiples of every_s) emit the trimmed mean of
   * the frames in (T − average_s, T]. With duty cycling the part sleeps in between and is woken at
   * T − average_s − warm-up − margin.
   */
  private scheduleCycle(): void {
    const handle = this.handle;
    if (!handle) return;
    const everyMs = this.pc.every_s * 1000;
    const averageMs = this.pc.average_s * 1000;
    const warmupMs = (handle.warmupS ?? this.mod.definition.warmupS) * 1000;
    const leadMs = averageMs + warmupMs + WAKE_MARGIN_S * 1000;
    const canSleep = this.pc.duty_cycle && !!handle.sleep && !!handle.wake && everyMs > leadMs + WAKE_MARGIN_S * 1000;
    const now = this.deps.now();
    const next = Math.ceil((now + 1) / everyMs) * everyMs;
    this.later(() => {
      if (this.handle !== handle) return;
      const from = next - averageMs;
      const frames = this.window.filter((f) => f.time > from && f.time <= next).map((f) => f.values);
      this.window = this.window.filter((f) => f.time > next);
      if (frames.length) this.accept(averageSamples(frames), next, undefined);
      if (canSleep) {
        handle.sleep!().then(
          () => this.setState('sleeping'),
          (e: Error) => this.deps.log.warn({ err: e.message }, 'sleep command not acknowledged'),
        );
        const wakeAt = next + everyMs - leadMs;
        this.later(() => {
          if (this.handle !== handle) return;
          handle.wake!().then(
            () => this.setState('warming'),
            (e: Error) => this.setState('faulted', `wake failed: ${e.message}`),
          );
        }, wakeAt - this.deps.now());
      }
      this.scheduleCycle();
    }, next - now);
  }
}
