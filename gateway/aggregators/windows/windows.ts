// Clock-aligned windows (1 min, 15 min, 1 h, UTC) of air and traffic per site into `air_traffic`, and the
// per-site indices computed from the hourly windows into `aqi` (DESIGN.md §3). Every reading and count is kept
// in a SQLite store for `retention_h`; each one marks the windows it falls in as dirty. A dirty window is
// (re)computed from the store once its end + grace has passed: live data gives one emission per window, and a
// late reading (a backlog replayed after an outage) re-emits exactly the windows it lands in, once per tick however
// many readings arrive. The point has the same tags and time as before, so InfluxDB overwrites it, and the final
// state is what an uninterrupted run writes (InfluxDB continuous queries would have missed the backlog).
import type { Logger } from 'pino';
import type { Aggregator, Sink } from '../../core/plugin.js';
import type { Metric } from '../../core/metric.js';
import { EXCLUDED_FROM_MEANS } from '../../core/qc.js';
import { WINDOW_MS, type WindowName, type WindowsOptions } from './options.js';
import { WindowStore, type AirRow, type TrafficRow, type WindowKey, type WindowStoreReader } from './store.js';
import { windowFields } from './compute.js';
import { atmoDay, dayRange, eaqiHour, HOUR_MS, usEpaHour } from './site-indices.js';

/** Runtime flags that keep a reading out of the means when no QC processor has turned them into `qc` bits yet. */
const EXCLUDING_FLAGS = new Set(['warmup', 'stuck']);
/** A reading stamped further ahead than this is refused: a free-running clock must not open windows ahead. */
const FUTURE_TOLERANCE_MS = 60_000;
/** Buffered rows are written in one transaction per tick, or sooner when a backlog fills the buffer. */
const MAX_BUFFER = 2000;
/** While the store cannot be written (disk full), rows wait in memory up to this many; older ones are dropped. */
const MAX_PENDING = 50_000;
const PRUNE_EVERY_MS = 60_000;
/** Hourly results outlive raw readings: the NowCast needs 12 h behind and ATMO a whole local day. */
const HOURS_KEPT_MS = 48 * HOUR_MS;
/** The 1-minute window: each one closed also refreshes the provisional means of the hour still open. */
const MINUTE_MS = WINDOW_MS['1m'];

const NAME_BY_MS = new Map<number, WindowName>(Object.entries(WINDOW_MS).map(([k, v]) => [v, k as WindowName]));

export interface WindowsDeps {
  /** The store file, `<data_dir>/windows.sqlite` (':memory:' in tests). */
  file: string;
  now?: () => number;
  log?: Logger;
}

export class WindowsAggregator implements Aggregator {
  readonly name = 'windows';
  /** Data for a window already emitted (it was re-emitted). */
  late = 0;
  /** Refused: stamped in the future. */
  future = 0;
  /** Refused: older than retention_h, its window could no longer be recomputed whole. */
  tooOld = 0;
  /** Store failures (the figures catch up once the store is writable again). */
  errors = 0;
  /** Rows dropped because the store stayed unwritable. */
  dropped = 0;
  lastError: string | undefined;
  private readonly log: Logger | undefined;
  private readonly store: WindowStore;
  private readonly now: () => number;
  private readonly wins: number[];
  private readonly graceMs: number;
  private readonly retentionMs: number;
  private air: AirRow[] = [];
  private traffic: TrafficRow[] = [];
  private readonly dirty = new Map<string, WindowKey>();
  private lastPrune = -Infinity;

  constructor(
    private readonly options: WindowsOptions,
    deps: WindowsDeps,
  ) {
    this.store = new WindowStore(deps.file);
    this.now = deps.now ?? Date.now;
    this.log = deps.log;
    this.wins = options.windows.map((w) => WINDOW_MS[w]);
    this.graceMs = options.grace_s * 1000;
    this.retentionMs = options.retention_h * HOUR_MS;
  }

  add(m: Metric): void {
    if (m.measurement !== 'air' && m.measurement !== 'traffic') return;
    const site = m.tags.site;
    if (!site || !Number.isFinite(m.time)) return;
    const now = this.now();
    if (m.time > now + FUTURE_TOLERANCE_MS) {
      this.future++;
      return;
    }
    const longest = Math.max(...this.wins);
    if (Math.floor(m.time / longest) * longest < now - this.retentionMs) {
      this.tooOld++;
      return;
    }
    let intervalMs = 0;
    if (m.measurement === 'air') {
      const { qc, ...values } = m.fields;
      const excluded = ((qc ?? 0) & EXCLUDED_FROM_MEANS) !== 0 || (m.meta?.flags ?? []).some((f) => EXCLUDING_FLAGS.has(f));
      this.air.push({ site, node: m.tags.node ?? '', part: m.tags.part ?? '', time: m.time, valid: excluded ? 0 : 1, fields: values });
    } else {
      intervalMs = (m.fields.interval_s ?? 0) * 1000;
      if (!(intervalMs > 0)) return;
      this.traffic.push({
        site,
        detector: m.tags.detector ?? '',
        lane: m.tags.lane ?? 'all',
        direction: m.tags.direction ?? 'all',
        time: m.time,
        interval_s: m.fields.interval_s!,
        vehicles: m.fields.vehicles ?? 0,
        heavy: m.fields.heavy_vehicles ?? null,
      });
    }
    let late = false;
    for (const win of this.wins) {
      const start = Math.floor(m.time / win) * win;
      // A count longer than the window (or straddling its end) does not belong to it.
      if (intervalMs && m.time + intervalMs > start + win) continue;
      if (start + win + this.graceMs <= now) late = true;
      this.dirty.set(`${site}\u0000${win}\u0000${start}`, { site, win, start });
    }
    if (late) this.late++;
    if (this.air.length + this.traffic.length >= MAX_BUFFER) this.tryFlush();
  }

  push(now: number, sink: Sink): void {
    // Errors stay here: a full disk must not take the pipeline's tick (or the gateway) down.
    if (!this.tryFlush()) return;
    try {
      this.emit(now, sink);
    } catch (e) {
      this.failed(e, 'cannot recompute the windows');
    }
  }

  private emit(now: number, sink: Sink): void {
    const due = this.store.due(now, this.graceMs);
    if (due.length) {
      const hoursBySite = new Map<string, Set<number>>();
      const minuteSites = new Set<string>();
      for (const k of due) {
        if (k.win === MINUTE_MS) minuteSites.add(k.site);
        const fields = windowFields(k.start, k.win, this.store.validAir(k.site, k.start, k.start + k.win), this.store.traffic(k.site, k.start, k.start + k.win));
        sink.push({ measurement: 'air_traffic', tags: { site: k.site, window: NAME_BY_MS.get(k.win) ?? `${k.win / 1000}s` }, fields, time: k.start });
        if (k.win === HOUR_MS) {
          this.store.putHour(k.site, k.start, fields);
          let set = hoursBySite.get(k.site);
          if (!set) hoursBySite.set(k.site, (set = new Set()));
          set.add(k.start);
        }
      }
      // The hour still open: its provisional hourly means (kept for the indices, not written as a window) so the
      // day's ATMO level exists from the first minutes; the hour's own window replaces them once it closes.
      const open = Math.floor(now / HOUR_MS) * HOUR_MS;
      if (this.wins.includes(HOUR_MS)) {
        for (const site of minuteSites) {
          if (hoursBySite.get(site)?.has(open)) continue;
          const fields = windowFields(open, HOUR_MS, this.store.validAir(site, open, open + HOUR_MS), this.store.traffic(site, open, open + HOUR_MS));
          if (!(fields.air_samples! > 0)) continue;
          this.store.putHour(site, open, fields);
          let set = hoursBySite.get(site);
          if (!set) hoursBySite.set(site, (set = new Set()));
          set.add(open);
        }
      }
      for (const [site, hours] of hoursBySite) for (const m of this.indices(site, hours)) sink.push(m);
      // Cleared only once emitted: a crash in between recomputes them on the next start.
      this.store.clearDirty(due);
    }
    if (now - this.lastPrune >= PRUNE_EVERY_MS) {
      this.lastPrune = now;
      this.store.prune(now - this.retentionMs - Math.max(...this.wins), now - HOURS_KEPT_MS);
    }
  }

  private tryFlush(): boolean {
    try {
      this.flushBuffer();
      return true;
    } catch (e) {
      this.failed(e, 'cannot write the window store; readings wait in memory');
      const over = this.air.length + this.traffic.length - MAX_PENDING;
      if (over > 0) {
        const fromAir = Math.min(over, this.air.length);
        this.air.splice(0, fromAir);
        this.traffic.splice(0, over - fromAir);
        this.dropped += over;
      }
      return false;
    }
  }

  private failed(e: unknown, what: string): void {
    this.errors++;
    this.lastError = (e as Error).message;
    this.log?.error({ err: this.lastError, errors: this.errors, dropped: this.dropped }, `${what}: check free disk space and permissions of the windows.sqlite file`);
  }

  /** Writes what add() buffered, so a reader of the file (or a restart) sees it. */
  flushBuffer(): void {
    if (!this.air.length && !this.traffic.length && !this.dirty.size) return;
    this.store.write(this.air, this.traffic, [...this.dirty.values()]);
    this.air = [];
    this.traffic = [];
    this.dirty.clear();
  }

  close(): void {
    this.flushBuffer();
    this.store.close();
  }

  /** Read-only queries on the store: the station page's 24 h history. */
  get reader(): WindowStoreReader {
    return this.store;
  }

  /** The `aqi` points that depend on the given (just recomputed) hours of one site. */
  private indices(site: string, changed: Set<number>): Metric[] {
    const schemes = new Set(this.options.indices);
    const sorted = [...changed].sort((a, b) => a - b);
    const first = sorted[0]!;
    const last = sorted[sorted.length - 1]!;
    const days = new Set(sorted.map((h) => dayRange(h)[0]));
    const from = Math.min(first - 11 * HOUR_MS, ...days);
    const to = Math.max(last + 12 * HOUR_MS, ...[...days].map((d) => dayRange(d)[1]));
    const hours = this.store.hours(site, from, to);
    const out: Metric[] = [];
    if (schemes.has('eaqi')) {
      for (const h of sorted) {
        const m = eaqiHour(site, h, hours.get(h));
        if (m) out.push(m);
      }
    }
    if (schemes.has('us-epa')) {
      // A changed hour moves the NowCast of the 11 hours after it too; only hours that exist get a point.
      const affected = new Set<number>();
      for (const h of sorted) for (let i = 0; i < 12; i++) if (hours.has(h + i * HOUR_MS)) affected.add(h + i * HOUR_MS);
      for (const h of [...affected].sort((a, b) => a - b)) {
        const m = usEpaHour(site, h, hours);
        if (m) out.push(m);
      }
    }
    if (schemes.has('atmo')) {
      for (const d of [...days].sort((a, b) => a - b)) {
        const [s, e] = dayRange(d);
        const ofDay = new Map([...hours].filter(([t]) => t >= s && t < e));
        const m = atmoDay(site, d, ofDay, this.options.site_type === 'kerbside');
        if (m) out.push(m);
      }
    }
    return out;
  }
}
