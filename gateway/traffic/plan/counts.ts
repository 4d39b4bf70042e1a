// Count and NO2 inputs of the signal-plan advice. Both arrive as plain series the analysis can join:
// 15-min counts per detector lane (interval start, UTC — traffic.md §3: stamp the window start) and NO2 means.
//
// Counts CSV (header required, columns in any order, extra columns ignored):
//   time,detector,lane,vehicles,heavy_vehicles
//   2026-03-02T07:00:00Z,n-stop,1,231,14
// time = start of the 15-min interval, ISO 8601 in UTC; lane "all" for a whole-approach detector;
// heavy_vehicles may be empty (taken as 0 and said in the assumptions).
// NO2 CSV: time,no2_ugm3 (start of a 15-min or 1-h window, UTC).
import { readFileSync } from 'node:fs';

export interface CountRow {
  /** ms since the epoch: interval start. */
  time: number;
  detector: string;
  lane: string;
  vehicles: number;
  heavy_vehicles: number;
}

export interface No2Row {
  time: number;
  no2_ugm3: number;
}

export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]00:?00)$/;

function splitCsv(text: string, file: string, need: readonly string[]): { rows: string[][]; col: Record<string, number> } {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim().toLowerCase());
  const col: Record<string, number> = {};
  for (const n of need) {
    const i = header.indexOf(n);
    if (i < 0) throw new InputError(`${file}: line 1: the header has no "${n}" column — the header must name ${need.join(',')}`);
    col[n] = i;
  }
  const rows: string[][] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || line.startsWith('#')) {
      rows.push([]);
      continue;
    }
    rows.push(line.split(',').map((c) => c.trim()));
  }
  return { rows, col };
}

function time(text: string, where: string): number {
  if (!ISO_UTC.test(text)) throw new InputError(`${where}: time "${text}" is not ISO 8601 UTC — write the interval start like 2026-03-02T07:15:00Z`);
  const t = Date.parse(text);
  if (!Number.isFinite(t)) throw new InputError(`${where}: time "${text}" is not a date`);
  return t;
}

function count(text: string | undefined, name: string, where: string, optional = false): number {
  if ((text === undefined || text === '') && optional) return 0;
  if (text === undefined || !/^\d+$/.test(text)) throw new InputError(`${where}: ${name} "${text ?? ''}" is not a whole number ≥ 0 — give the vehicles counted in the 15 min`);
  return Number(text);
}

export function parseCountsCsv(text: string, file = 'counts'): CountRow[] {
  const { rows, col } = splitCsv(text, file, ['time', 'detector', 'lane', 'vehicles', 'heavy_vehicles']);
  const out: CountRow[] = [];
  const seen = new Set<string>();
  rows.forEach((r, i) => {
    if (r.length === 0) return;
    const where = `${file}: line ${i + 2}`;
    const row: CountRow = {
      time: time(r[col.time!] ?? '', where),
      detector: r[col.detector!] ?? '',
      lane: r[col.lane!] || 'all',
      vehicles: count(r[col.vehicles!], 'vehicles', where),
      heavy_vehicles: count(r[col.heavy_vehicles!], 'heavy_vehicles', where, true),
    };
    if (!row.detector) throw new InputError(`${where}: detector is empty — name the detector as in the intersection file`);
    if (row.heavy_vehicles > row.vehicles) throw new InputError(`${where}: heavy_vehicles ${row.heavy_vehicles} > vehicles ${row.vehicles} — heavy vehicles are part of vehicles`);
    if (row.time % 900_000 !== 0) throw new InputError(`${where}: ${r[col.time!]} is not on a 15-min boundary (:00, :15, :30, :45)`);
    const key = `${row.time}/${row.detector}/${row.lane}`;
    if (seen.has(key)) throw new InputError(`${where}: a second count for ${row.detector} lane ${row.lane} at ${r[col.time!]} — one row per detector lane and interval`);
    seen.add(key);
    out.push(row);
  });
  if (out.length === 0) throw new InputError(`${file}: no counts — the file has a header and no rows`);
  return out;
}

export function parseNo2Csv(text: string, file = 'no2'): No2Row[] {
  const { rows, col } = splitCsv(text, file, ['time', 'no2_ugm3']);
  const out: No2Row[] = [];
  rows.forEach((r, i) => {
    if (r.length === 0) return;
    const where = `${file}: line ${i + 2}`;
    const v = Number(r[col.no2_ugm3!]);
    if (r[col.no2_ugm3!] === '' || !Number.isFinite(v)) throw new InputError(`${where}: no2_ugm3 "${r[col.no2_ugm3!] ?? ''}" is not a number`);
    out.push({ time: time(r[col.time!] ?? '', where), no2_ugm3: v });
  });
  return out;
}

export function readCsvFile<T>(file: string, parse: (text: string, file: string) => T): T {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`${file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}) — check the path`);
  }
  return parse(text, file);
}

export interface InfluxRange {
  /** Days of data to read, ending at `until`. Default 7 (a week: weekdays and weekend). */
  days?: number;
  /** End of the range (ms since the epoch); default now() on the server. */
  until?: number;
}

/** The InfluxQL the --from-influx mode sends (site is escaped for a single-quoted string literal). */
export function influxQueries(site: string, range: InfluxRange = {}): { traffic: string; no2: string } {
  const s = site.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
  const days = range.days ?? 7;
  const when =
    range.until === undefined
      ? `time > now() - ${days}d`
      : `time >= '${new Date(range.until - days * 86_400_000).toISOString()}' AND time < '${new Date(range.until).toISOString()}'`;
  return {
    // Counts arrive per detector lane, stamped at their interval start; summing into 15-min buckets copes with
    // counters reporting every minute as well as every 15 min.
    traffic: `SELECT sum("vehicles") AS vehicles, sum("heavy_vehicles") AS heavy_vehicles FROM "traffic" WHERE "site" = '${s}' AND ${when} GROUP BY time(15m), "detector", "lane" fill(none)`,
    no2: `SELECT mean("no2_ugm3") AS no2_ugm3 FROM "air_traffic" WHERE "site" = '${s}' AND "window" = '15m' AND ${when} GROUP BY time(15m) fill(none)`,
  };
}

interface InfluxSeries {
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

async function query(url: string, q: string): Promise<InfluxSeries[]> {
  const u = new URL(url);
  const db = decodeURIComponent(u.pathname.replace(/^\/|\/$/g, '')) || 'airlane';
  const base = `${u.protocol}//${u.host}/query`;
  const params = new URLSearchParams({ db, q, epoch: 'ms' });
  const headers: Record<string, string> = {};
  if (u.username) headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`;
  let res: Response;
  try {
    res = await fetch(`${base}?${params}`, { headers, signal: AbortSignal.timeout(30_000) });
  } catch (e) {
    throw new InputError(`InfluxDB at ${u.protocol}//${u.host}: ${(e as Error).message} — check the URL and that influxd runs`);
  }
  const body = (await res.json().catch(() => ({}))) as { results?: Array<{ series?: InfluxSeries[]; error?: string }>; error?: string };
  const err = body.error ?? body.results?.[0]?.error;
  if (!res.ok || err) throw new InputError(`InfluxDB at ${u.protocol}//${u.host}: ${res.status} ${err ?? res.statusText}`);
  return body.results?.[0]?.series ?? [];
}

/** Counts and NO2 of a site from InfluxDB (URL http://host:8086/database, the station's AIRLANE_INFLUX_URL). */
export async function readFromInflux(url: string, site: string, range: InfluxRange = {}): Promise<{ counts: CountRow[]; no2: No2Row[]; queries: string[] }> {
  const q = influxQueries(site, range);
  const counts: CountRow[] = [];
  for (const s of await query(url, q.traffic)) {
    const ti = s.columns.indexOf('time');
    const vi = s.columns.indexOf('vehicles');
    const hi = s.columns.indexOf('heavy_vehicles');
    for (const v of s.values) {
      counts.push({
        time: Number(v[ti]),
        detector: s.tags?.detector ?? '',
        lane: s.tags?.lane || 'all',
        vehicles: Math.round(Number(v[vi] ?? 0)),
        heavy_vehicles: Math.round(Number(v[hi] ?? 0)),
      });
    }
  }
  const no2: No2Row[] = [];
  for (const s of await query(url, q.no2)) {
    const ti = s.columns.indexOf('time');
    const ni = s.columns.indexOf('no2_ugm3');
    for (const v of s.values) if (v[ni] !== null && v[ni] !== undefined) no2.push({ time: Number(v[ti]), no2_ugm3: Number(v[ni]) });
  }
  if (counts.length === 0) throw new InputError(`InfluxDB: no "traffic" points for site "${site}" in the ${range.days ?? 7} days read — check the site in the intersection file (and --until)`);
  return { counts, no2, queries: [q.traffic, q.no2] };
}
