// The windows' durable memory: raw readings and traffic counts for `retention_h`, the windows waiting for
// (re)computation, and the hourly results the indices are computed from. One SQLite file of its own
// (<data_dir>/windows.sqlite). Readings are keyed by (site, node, part, time) and counts by (site, detector,
// lane, direction, time): a redelivered duplicate overwrites its row instead of counting twice.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface AirRow {
  site: string;
  node: string;
  part: string;
  time: number;
  /** 0 when a qc bit in EXCLUDED_FROM_MEANS (or a warm-up flag) keeps it out of the means. */
  valid: 0 | 1;
  fields: Record<string, number>;
}

export interface TrafficRow {
  site: string;
  detector: string;
  lane: string;
  direction: string;
  time: number;
  interval_s: number;
  vehicles: number;
  heavy: number | null;
}

export interface WindowKey {
  site: string;
  /** Window length (ms). */
  win: number;
  start: number;
}

/** Means of some `air` fields per time bucket, from the valid readings only (see WindowStore.airBuckets). */
export interface AirBucket {
  /** Bucket start (ms). */
  start: number;
  /** Valid readings in the bucket. */
  samples: number;
  /** 1-minute slots holding at least one valid reading (completeness = slots / bucket minutes). */
  slots: number;
  /** Mean of each asked field over the readings that carry it; absent when none does. */
  means: Record<string, number>;
}

/** What readers outside the aggregator may ask of the store (the station page's history): queries only. */
export type WindowStoreReader = Pick<WindowStore, 'airBuckets' | 'traffic' | 'hours'>;

/** Field names go into a JSON path: canonical quantity names only (DESIGN.md §3). */
const FIELD_NAME = /^[a-z][a-z0-9_]*$/;

export class WindowStore {
  private readonly db: Database.Database;
  private readonly q: Record<
    'air' | 'traffic' | 'dirty' | 'due' | 'undirty' | 'airIn' | 'trafficIn' | 'putHour' | 'hours' | 'pruneAir' | 'pruneTraffic' | 'pruneHours',
    Database.Statement
  >;
  /** Read-only statements prepared on first use (airBuckets: one per number of fields). */
  private readonly readers = new Map<string, Database.Statement>();
  readonly write: (air: readonly AirRow[], traffic: readonly TrafficRow[], dirty: readonly WindowKey[]) => void;
  readonly clearDirty: (keys: readonly WindowKey[]) => void;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // Derived state: a power cut may lose the last commit; the outbox keeps the raw data for the outputs.
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS air_reading (site TEXT NOT NULL, node TEXT NOT NULL, part TEXT NOT NULL, time INTEGER NOT NULL,
        valid INTEGER NOT NULL, fields TEXT NOT NULL, PRIMARY KEY (site, node, part, time)) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS air_reading_site_time ON air_reading (site, time);
      CREATE TABLE IF NOT EXISTS traffic_count (site TEXT NOT NULL, detector TEXT NOT NULL, lane TEXT NOT NULL, direction TEXT NOT NULL,
        time INTEGER NOT NULL, interval_s REAL NOT NULL, vehicles REAL NOT NULL, heavy REAL,
        PRIMARY KEY (site, detector, lane, direction, time)) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS traffic_count_site_time ON traffic_count (site, time);
      -- Windows touched by data since they were last emitted; kept on disk so a crash before the emission is retried.
      CREATE TABLE IF NOT EXISTS dirty (site TEXT NOT NULL, win INTEGER NOT NULL, start INTEGER NOT NULL, PRIMARY KEY (site, win, start)) WITHOUT ROWID;
      -- The last computed 1 h window per site (JSON fields), the input of the indices.
      CREATE TABLE IF NOT EXISTS hourly (site TEXT NOT NULL, start INTEGER NOT NULL, fields TEXT NOT NULL, PRIMARY KEY (site, start)) WITHOUT ROWID;
    `);
    this.q = {
      air: this.db.prepare('INSERT OR REPLACE INTO air_reading (site, node, part, time, valid, fields) VALUES (?, ?, ?, ?, ?, ?)'),
      traffic: this.db.prepare(
        'INSERT OR REPLACE INTO traffic_count (site, detector, lane, direction, time, interval_s, vehicles, heavy) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      dirty: this.db.prepare('INSERT OR IGNORE INTO dirty (site, win, start) VALUES (?, ?, ?)'),
      due: this.db.prepare('SELECT site, win, start FROM dirty WHERE start + win + ? <= ? ORDER BY site, start, win'),
      undirty: this.db.prepare('DELETE FROM dirty WHERE site = ? AND win = ? AND start = ?'),
      // A fixed order makes the floating-point sums, hence the means, independent of the arrival order.
      airIn: this.db.prepare('SELECT time, fields FROM air_reading WHERE site = ? AND time >= ? AND time < ? AND valid = 1 ORDER BY time, node, part'),
      trafficIn: this.db.prepare(
        `SELECT detector, lane, direction, time, interval_s, vehicles, heavy FROM traffic_count
         WHERE site = ? AND time >= ? AND time < ? ORDER BY time, detector, lane, direction`,
      ),
      putHour: this.db.prepare('INSERT OR REPLACE INTO hourly (site, start, fields) VALUES (?, ?, ?)'),
      hours: this.db.prepare('SELECT start, fields FROM hourly WHERE site = ? AND start >= ? AND start < ? ORDER BY start'),
      pruneAir: this.db.prepare('DELETE FROM air_reading WHERE time < ?'),
      pruneTraffic: this.db.prepare('DELETE FROM traffic_count WHERE time < ?'),
      pruneHours: this.db.prepare('DELETE FROM hourly WHERE start < ?'),
    };
    this.write = this.db.transaction((air: readonly AirRow[], traffic: readonly TrafficRow[], dirty: readonly WindowKey[]) => {
      for (const r of air) this.q.air.run(r.site, r.node, r.part, r.time, r.valid, JSON.stringify(r.fields));
      for (const t of traffic) this.q.traffic.run(t.site, t.detector, t.lane, t.direction, t.time, t.interval_s, t.vehicles, t.heavy);
      for (const d of dirty) this.q.dirty.run(d.site, d.win, d.start);
    });
    this.clearDirty = this.db.transaction((keys: readonly WindowKey[]) => {
      for (const k of keys) this.q.undirty.run(k.site, k.win, k.start);
    });
  }

  /** Dirty windows whose end + grace has passed at `now`. */
  due(now: number, graceMs: number): WindowKey[] {
    return this.q.due.all(graceMs, now) as WindowKey[];
  }

  validAir(site: string, from: number, to: number): { time: number; fields: Record<string, number> }[] {
    return (this.q.airIn.all(site, from, to) as { time: number; fields: string }[]).map((r) => ({ time: r.time, fields: JSON.parse(r.fields) as Record<string, number> }));
  }

  /** Counts whose interval starts in [from, to). */
  traffic(site: string, from: number, to: number): Omit<TrafficRow, 'site'>[] {
    return this.q.trafficIn.all(site, from, to) as Omit<TrafficRow, 'site'>[];
  }

  putHour(site: string, start: number, fields: Record<string, number>): void {
    this.q.putHour.run(site, start, JSON.stringify(fields));
  }

  hours(site: string, from: number, to: number): Map<number, Record<string, number>> {
    const rows = this.q.hours.all(site, from, to) as { start: number; fields: string }[];
    return new Map(rows.map((r) => [r.start, JSON.parse(r.fields) as Record<string, number>]));
  }

  /**
   * Per-bucket means of `fields` over [from, to), in SQL so that a day of readings is summed inside SQLite instead
   * of being parsed row by row in JS. Same rules as windowFields(): valid readings only, a field's mean over the
   * readings carrying it (avg() skips NULL, as windowFields skips absent fields), a slot per UTC minute. Buckets
   * without a valid reading are left out. `from` should be a multiple of `bucketMs` and of one minute.
   */
  airBuckets(site: string, from: number, to: number, bucketMs: number, fields: readonly string[]): AirBucket[] {
    for (const f of fields) if (!FIELD_NAME.test(f)) throw new TypeError(`airBuckets: "${f}" is not a quantity name (snake_case)`);
    const key = `airBuckets:${fields.length}`;
    let stmt = this.readers.get(key);
    if (!stmt) {
      const means = fields.map((_, i) => `avg(json_extract(fields, ?)) AS f${i}`).join(', ');
      stmt = this.db.prepare(
        `SELECT CAST((time - ?) / ? AS INTEGER) AS b, count(*) AS samples, count(DISTINCT time / 60000) AS slots${means ? ', ' + means : ''}
         FROM air_reading WHERE site = ? AND time >= ? AND time < ? AND valid = 1 GROUP BY b ORDER BY b`,
      );
      this.readers.set(key, stmt);
    }
    const rows = stmt.all(from, bucketMs, ...fields.map((f) => `$."${f}"`), site, from, to) as Record<string, number | null>[];
    return rows.map((r) => {
      const means: Record<string, number> = {};
      fields.forEach((f, i) => {
        const v = r[`f${i}`];
        if (typeof v === 'number' && Number.isFinite(v)) means[f] = v;
      });
      return { start: from + (r.b as number) * bucketMs, samples: r.samples as number, slots: r.slots as number, means };
    });
  }

  prune(readingsBefore: number, hoursBefore: number): void {
    this.q.pruneAir.run(readingsBefore);
    this.q.pruneTraffic.run(readingsBefore);
    this.q.pruneHours.run(hoursBefore);
  }

  close(): void {
    this.db.close();
  }
}
