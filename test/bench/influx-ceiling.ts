// The raw InfluxDB 1.x write ceiling: what one process gets with pre-rendered line protocol, 5 000-point
// batches (InfluxData's recommended 5 000–10 000, influxdb-mqtt.md §3), one request in flight, precision ms.
// The gateway's own numbers are judged against this. Every point is its own (series, timestamp), so nothing
// merges (§2) and the final count must equal what was sent. Writes into a fresh database, dropped afterwards.
import { randomBytes } from 'node:crypto';

export interface InfluxCeilingResult {
  points: number;
  seconds: number;
  pointsPerSec: number;
}

const SITES = 10;
const NODES = 10;

async function query(base: string, q: string, db?: string): Promise<unknown> {
  const params = new URLSearchParams({ q });
  if (db) params.set('db', db);
  const res = await fetch(`${base}/query`, { method: 'POST', body: params });
  const text = await res.text();
  if (!res.ok) throw new Error(`InfluxDB at ${base} answered ${res.status} to ${q}: ${text}`);
  return JSON.parse(text);
}

/** Line protocol bodies of `batch` points each; point i is series i % 100 at its own millisecond. */
function renderBodies(points: number, batch: number, t0: number): string[] {
  const bodies: string[] = [];
  for (let start = 0; start < points; start += batch) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(points, start + batch); i++) {
      const series = i % (SITES * NODES);
      const site = Math.floor(series / NODES);
      const node = series % NODES;
      const pm25 = ((i * 7) % 500) / 10;
      const pm10 = pm25 * 1.4;
      const no2 = ((i * 13) % 900) / 10;
      lines.push(`air,site=bench-${site},node=n${node},part=pms5003 pm25_ugm3=${pm25},pm10_ugm3=${pm10.toFixed(2)},no2_ppb=${no2} ${t0 + i}`);
    }
    bodies.push(lines.join('\n'));
  }
  return bodies;
}

/**
 * `url`: the InfluxDB server (a database in the path is ignored; the bench uses its own). Throws when the
 * server stores fewer points than were sent.
 */
export async function benchInfluxCeiling(
  url: string,
  opts: { points?: number; batch?: number } = {},
): Promise<InfluxCeilingResult> {
  const points = opts.points ?? 200_000;
  const batch = opts.batch ?? 5000;
  if (!Number.isInteger(points) || points < 1 || !Number.isInteger(batch) || batch < 1) {
    throw new TypeError(`benchInfluxCeiling: points and batch must be positive integers (got ${points}, ${batch})`);
  }
  const u = new URL(url);
  const base = u.origin;
  const auth = u.username ? `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}` : undefined;
  const db = `bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  // Recent enough for any retention policy, old enough never to collide with "now".
  const t0 = Date.now() - 7 * 24 * 3600 * 1000;
  const bodies = renderBodies(points, batch, t0);

  await query(base, `CREATE DATABASE "${db}"`);
  try {
    const writeUrl = `${base}/write?db=${db}&precision=ms`;
    const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
    if (auth) headers.authorization = auth;
    const started = process.hrtime.bigint();
    for (const body of bodies) {
      const res = await fetch(writeUrl, { method: 'POST', body, headers });
      if (res.status !== 204) throw new Error(`InfluxDB at ${base} answered ${res.status} to a bench write: ${await res.text()}`);
      await res.arrayBuffer();
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;

    const result = (await query(base, 'SELECT count(pm25_ugm3) FROM air', db)) as {
      results?: Array<{ series?: Array<{ values?: Array<[unknown, number]> }> }>;
    };
    const stored = result.results?.[0]?.series?.[0]?.values?.[0]?.[1] ?? 0;
    if (stored !== points) throw new Error(`InfluxDB at ${base} stored ${stored} of ${points} bench points`);
    return { points, seconds, pointsPerSec: points / seconds };
  } finally {
    await query(base, `DROP DATABASE "${db}"`).catch(() => undefined);
  }
}
