// The sampling runtime of one sensor node. For each configured part it opens the part through its PartModule
// and runs it on the part's schedule:
//   - polled parts (I2C) are read every `every_s`;
//   - streaming parts (UART) deliver frames; with `average_s` > 0 the frames of the last `average_s` before each
//     sample time are averaged (one min and one max trimmed), otherwise every frame is a reading;
//   - a part that can sleep (laser, fan) is duty-cycled when the interval allows: woken just long enough before
//     each sample time to warm up and fill its averaging window, then put back to sleep;
//   - readings flagged `warmup` by the driver are discarded (DESIGN.md §1) and the part shows `warming`;
//   - a part whose link is lost (USB unplugged), that cannot be opened, or whose polls keep failing is closed and
//     reopened with exponential backoff (backoff.ts: 1 s doubling to 60 s, ±20 % jitter, reset once readings flow
//     again); its status says when the next attempt is; readings resume without a restart and the gap is recorded;
//   - a failed poll is retried twice, 50 ms apart, before it counts; three failed polls in a row fault the part;
//   - a part whose values all stay identical for longer than `stuck_after_s` has its readings flagged `stuck`
//     (stuck.ts), kept, and `stuck: true` in its status until a value changes;
//   - timestamps per part stay strictly increasing through system clock steps (clock.ts): a reading whose time
//     had to be moved, or that follows a step, is flagged `clock_step`; each step is logged once with its size.
// Every reading is stamped with the time it was taken (a window's end for an average), never when it arrives.
// A part that fails never stops the others. Status changes are reported for the retained per-node status topic.
import type { Logger } from 'pino';
import type { Reading } from '../contract.js';
import type { BusConfig, PartEnv, PartHandle, PartModule, PartSample, Values } from '../drivers/types.js';
import { averageSamples } from './average.js';
import { Backoff } from './backoff.js';
import { NodeClock, PartTimeline } from './clock.js';
import { partEnv, type NodeEnv } from './env.js';
import { DEFAULT_STUCK_AFTER_S, StuckWatch } from './stuck.js';

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
  /** Flag readings `stuck` after this many seconds of identical values (0: never). Default 900 (options.ts). */
  stuck_after_s?: number;
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
  /** While the part is waiting to be opened again: when the next attempt is (ISO 8601). */
  next_attempt?: string;
  /** Polls in a row that failed after their retries (polled parts; the part faults at 3). */
  failed_polls?: number;
  /** Every value has stayed identical for longer than `stuck_after_s`; cleared when one changes. */
  stuck?: boolean;
}

export interface NodeDeps {
  log: Logger;
  modules: ReadonlyMap<string, PartModule<any>>;
  /** Bus access for this node (real or simulated, on the Pi or on an Arduino satellite). */
  env: Pick<NodeEnv, 'simulate' | 'log' | 'serialFor' | 'i2cFor'> & Partial<Pick<NodeEnv, 'analogFor'>>;
  emit(reading: Reading): void;
  /** Called whenever a part's status changes (for the retained status topic and the local API). */
  onStatus?(statuses: Record<string, PartStatus>): void;
  /** Wall clock, ms since the epoch (timestamps). Default Date.now. */
  now?: () => number;
  /** A clock that never steps, ms (step detection, stuck durations). Default performance.now. */
  monotonic?: () => number;
  /** Uniform in [0, 1), for backoff jitter. Default Math.random. */
  random?: () => number;
}

/** Polls in a row that fail (after their retries) before a polled part is faulted, closed and opened again. */
export const FAILED_POLLS_BEFORE_FAULT = 3;
/**
 * A failed read is tried again this many times, this far apart, before the poll counts as failed: a single EIO or
 * NACK (a clock-stretching chip, a glitch on a long I2C cable) is common and says nothing about the part.
 */
export const READ_RETRIES = 2;
export const READ_RETRY_DELAY_MS = 50;

/** Margin between waking a duty-cycled part and the start of its averaging window, beyond its warm-up. */
const WAKE_MARGIN_S = 2;

export class NodeRuntime {
  private readonly latest = new Map<string, number>();
  private readonly runners: PartRunner[] = [];
  private readonly clock: NodeClock;

  constructor(
    private readonly config: NodeConfig,
    private readonly deps: NodeDeps,
  ) {
    const log = deps.log.child({ node: config.id });
    this.clock = new NodeClock({
      now: deps.now ?? Date.now,
      monotonic: deps.monotonic ?? (() => performance.now()),
      onStep: (step) =>
        log.warn(
          { step_ms: step.ms, direction: step.direction },
          `system clock stepped ${step.direction} by ${(step.ms / 1000).toFixed(3)} s (NTP?): readings keep strictly increasing times and are flagged clock_step`,
        ),
    });
  }

  async start(): Promise<void> {
    for (const pc of this.config.parts) {
      const mod = this.deps.modules.get(pc.part);
      if (!mod) throw new Error(`node ${this.config.id}: unknown part "${pc.part}"`);
      const runner = new PartRunner(pc, mod, {
        log: this.deps.log.child({ node: this.config.id, part: pc.part, where: pc.where }),
        env: partEnv(this.deps.env, pc.bus, pc.part, (q) => this.latest.get(q)),
        now: this.deps.now ?? Date.now,
        monotonic: this.deps.monotonic ?? (() => performance.now()),
        random: this.deps.random ?? Math.random,
        clock: this.clock,
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
  monotonic: () => number;
  random: () => number;
  clock: NodeClock;
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
  private readonly backoff: Backoff;
  private readonly timeline = new PartTimeline();
  private readonly stuckWatch: StuckWatch;

  constructor(
    private readonly pc: NodePartConfig,
    private readonly mod: PartModule<any>,
    private readonly deps: RunnerDeps,
  ) {
    this.part = pc.part;
    this.status = { state: 'starting', since: new Date(deps.now()).toISOString(), errors: 0, warmup_discarded: 0, reopened: 0, stuck: false };
    this.backoff = new Backoff({ random: deps.random });
    this.stuckWatch = new StuckWatch((pc.stuck_after_s ?? DEFAULT_STUCK_AFTER_S) * 1000);
  }

  async start(): Promise<void> {
    await this.open();
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

  /** Picks the delay before the next open, shows it in the status, and arms the timer. */
  private scheduleOpen(): number {
    const delayMs = this.backoff.next();
    this.status.next_attempt = new Date(this.deps.now() + delayMs).toISOString();
    this.later(() => void this.open(), delayMs);
    return delayMs;
  }

  /** The part answered: the next failure starts the backoff from 1 s again. */
  private flowing(): void {
    this.backoff.reset();
  }

  private async open(): Promise<void> {
    const { log } = this.deps;
    delete this.status.next_attempt;
    let handle: PartHandle;
    try {
      handle = await this.mod.open(this.pc.options, this.deps.env);
    } catch (e) {
      if (this.stopped) return;
      const retryMs = this.scheduleOpen();
      this.setState('faulted', `cannot open: ${(e as Error).message}`);
      log.error(
        { err: (e as Error).message, retry_in_s: retryMs / 1000, attempt: this.backoff.attempts },
        `cannot open ${this.pc.part} at ${this.pc.where}: check wiring, power and the address/path in the station config`,
      );
      return;
    }
    if (this.stopped) return void (await handle.close().catch(() => undefined));
    this.handle = handle;
    if (handle.read && !handle.stream) this.status.failed_polls = 0;
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
    // A value repeated across a gap proves nothing about the part.
    this.stuckWatch.reset();
    this.status.stuck = false;
    this.setState('faulted', reason);
    // The next open waits for this close: a port still closing cannot be opened again.
    await handle.close().catch(() => undefined);
    if (this.stopped) return;
    const retryMs = this.scheduleOpen();
    this.deps.statusChanged();
    this.deps.log.error({ reason, retry_in_s: retryMs / 1000 }, `${this.pc.part} at ${this.pc.where} lost; reopening`);
  }

  private onFrame(s: PartSample): void {
    this.flowing();
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

  private accept(values: Values, takenAt: number, driverFlags: string[] | undefined): void {
    const { log } = this.deps;
    const flags = driverFlags ? [...driverFlags] : [];
    const stamp = this.timeline.stamp(takenAt, this.deps.clock.observe().epoch);
    const time = stamp.time;
    if (stamp.clockStep) flags.push('clock_step');
    if (stamp.heldBackMs !== undefined) {
      log.warn({ step_ms: stamp.heldBackMs }, `system clock went back ${stamp.heldBackMs} ms: ${this.pc.part} readings keep the last time + 1 ms until it catches up (flagged clock_step)`);
    }
    const stuck = this.stuckWatch.observe(values, this.deps.monotonic());
    if (stuck) flags.push('stuck');
    if (stuck !== this.status.stuck) {
      this.status.stuck = stuck;
      if (stuck) log.warn({ stuck_after_s: this.pc.stuck_after_s ?? DEFAULT_STUCK_AFTER_S, values }, `${this.pc.part} at ${this.pc.where} has returned the same values for too long: flagged stuck until a value changes: check the sensor and its wiring`);
      else log.info(`${this.pc.part} at ${this.pc.where} values move again`);
      this.deps.statusChanged();
    }
    if (this.lostAt !== undefined) {
      this.status.last_gap_s = Math.round((time - this.lostAt) / 100) / 10;
      this.lostAt = undefined;
    }
    this.lastReadingAt = time;
    this.status.last_reading = new Date(time).toISOString();
    if (this.status.state !== 'ok') this.setState('ok');
    this.deps.deliver(values, time, flags.length ? flags : undefined);
  }

  private poll(handle: PartHandle): void {
    let failures = 0;
    const read = async () => {
      if (this.stopped || this.handle !== handle) return;
      try {
        const s = await this.readWithRetries(handle);
        if (this.handle !== handle) return;
        failures = 0;
        if (this.status.failed_polls) this.status.failed_polls = 0;
        this.flowing();
        if (s.flags?.includes('warmup')) {
          this.status.warmup_discarded++;
          this.setState('warming');
        } else this.accept(s.values, s.time?.getTime() ?? this.deps.now(), s.flags);
      } catch (e) {
        // A read cut short by stop() or by a reopen is not a fault of this poll.
        if (this.stopped || this.handle !== handle) return;
        const message = (e as Error).message;
        this.status.failed_polls = ++failures;
        // Polls that keep failing mean the part or its link went away (a power cycle undoes a sensor's set-up, an
        // unplugged USB adapter closes its port): fault it and open it afresh, as for a lost stream.
        if (failures >= FAILED_POLLS_BEFORE_FAULT) {
          return void this.lost(handle, `${failures} polls in a row failed (each read tried ${READ_RETRIES + 1} times): ${message}`);
        }
        this.setState(this.status.state, message);
        this.deps.log.warn({ err: message, failed_polls: failures }, `read failed at ${this.pc.where} after ${READ_RETRIES} retries; trying again at the next sample`);
      }
      this.later(() => void read(), this.pc.every_s * 1000);
    };
    void read();
  }

  /** One poll: the read, tried again up to READ_RETRIES times, READ_RETRY_DELAY_MS apart. */
  private async readWithRetries(handle: PartHandle): Promise<PartSample> {
    for (let retry = 0; ; retry++) {
      try {
        return await handle.read!();
      } catch (e) {
        if (retry >= READ_RETRIES || this.stopped || this.handle !== handle) throw e;
        await new Promise<void>((resolve) => this.later(resolve, READ_RETRY_DELAY_MS));
      }
    }
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
