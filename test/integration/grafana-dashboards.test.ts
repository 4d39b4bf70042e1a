// Every query of every committed Grafana dashboard, run against a real InfluxDB 1.x (Debian influxd 1.6) holding
// a simulated week for three sites: a query that InfluxDB refuses or that returns nothing fails the test, named
// by dashboard, panel and query. Template variables are substituted the way Grafana's InfluxDB data source does
// for a single selected value; $timeFilter covers the week, $__interval is 1h.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { airIndex } from '../../gateway/air/indices/index.js';
import { NO2_UGM3_PER_PPB_20C } from '../../gateway/aggregators/windows/site-indices.js';
import { QC } from '../../gateway/core/qc.js';
import { DASHBOARDS, interpolate, panelTargets } from '../../dashboards/grafana/src/index.js';
import { influxUrl } from '../services/context.js';
import { createTestDatabase, type Series, type TestDatabase } from '../services/influx-db.js';

const MIN = 60_000;
const QUARTER = 15 * MIN;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

// rue-a is a busy street with a pollution episode on Tuesdays and Wednesdays (UTC; weekdays, so that the rush
// hours push NO2 over the EU hourly limit and every exceedance count has something to count), rue-b a quieter
// street, parc-c a background site.
const SITES = [
  { site: 'rue-a', traffic: 1.5, episode: true },
  { site: 'rue-b', traffic: 1, episode: false },
  { site: 'parc-c', traffic: 0.4, episode: false },
] as const;
const DETECTORS = ['d1', 'd2'];
const LANES = ['1', '2'];

/** 0…1 traffic intensity: morning and evening peaks on weekdays, a flatter, lower day at weekends (UTC). */
function trafficShape(t: number): number {
  const d = new Date(t);
  const h = d.getUTCHours() + d.getUTCMinutes() / 60;
  const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6;
  const peak = (c: number, w: number) => Math.exp(-((h - c) ** 2) / (2 * w * w));
  return weekend ? 0.05 + 0.45 * peak(14, 4) : 0.05 + 0.95 * Math.max(peak(8, 1.2), peak(18, 1.5), 0.5 * peak(13, 3));
}

/** Deterministic noise in [-1, 1], so a failing run can be reproduced value for value. */
const noise = (t: number, k: number) => Math.sin(t / 7_777_777 + k * 12.9898) * Math.cos(t / 3_333_333 + k * 78.233);

interface Air {
  pm1: number;
  pm25: number;
  pm10: number;
  no2: number;
  temperature: number;
  humidity: number;
  pressure: number;
  vehicles: number;
}

const isEpisode = (s: (typeof SITES)[number], t: number) => s.episode && [2, 3].includes(new Date(t).getUTCDay());

function conditions(s: (typeof SITES)[number], t: number): Air {
  const f = trafficShape(t);
  const episode = isEpisode(s, t);
  const pm25 = 6 + 8 * f * s.traffic + 2 * noise(t, 1) + (episode ? 30 : 0);
  return {
    pm1: pm25 * 0.7,
    pm25,
    pm10: pm25 * 1.6 + 4 + 2 * noise(t, 2),
    no2: 8 + 30 * f * s.traffic + 3 * noise(t, 3) + (episode ? 60 * f : 0),
    temperature: 12 + 6 * Math.sin(((t % DAY) / DAY) * 2 * Math.PI - 2),
    humidity: 70 - 15 * Math.sin(((t % DAY) / DAY) * 2 * Math.PI - 2),
    pressure: 1013 + 4 * noise(t, 4),
    vehicles: Math.round(120 * f * s.traffic + 5),
  };
}

const r2 = (x: number) => Math.round(x * 100) / 100;
const fields = (o: Record<string, number>) => Object.entries(o).map(([k, v]) => (k === 'qc' ? `${k}=${v}i` : `${k}=${r2(v)}`)).join(',');
const line = (measurement: string, tags: Record<string, string>, f: Record<string, number>, time: number) =>
  `${measurement},${Object.entries(tags).map(([k, v]) => `${k}=${v}`).join(',')} ${fields(f)} ${time}`;

function airFields(a: Air): Record<string, number> {
  return {
    pm1_ugm3: a.pm1,
    pm25_ugm3: a.pm25,
    pm10_ugm3: a.pm10,
    pm25_corrected_ugm3: a.pm25 * 0.52 + 5.75 - 0.086 * a.humidity,
    pm10_corrected_ugm3: a.pm10 * 0.9,
    no2_ppb: a.no2,
    no2_corrected_ppb: a.no2 * 1.05 - 2,
    no2_corrected_ugm3: (a.no2 * 1.05 - 2) * NO2_UGM3_PER_PPB_20C,
    temperature_c: a.temperature,
    humidity_pct: a.humidity,
    pressure_hpa: a.pressure,
  };
}

/** The week as line protocol (ms precision): air, traffic, air_traffic (1m for the last 3 h, 15m, 1h), aqi, gateway. */
const weekStart = (now: number) => Math.floor((now - 7 * DAY) / HOUR) * HOUR;

function simulatedWeek(now: number): string[] {
  const start = weekStart(now);
  const lines: string[] = [];
  for (const s of SITES) {
    const node = `${s.site}-n1`;
    const gateway = `${s.site}-gw`;
    let written = 0;
    let dropped = 0;
    let accepted = 0;
    let rejected = 0;
    for (let t = start, i = 0; t < now; t += QUARTER, i++) {
      const a = conditions(s, t);
      const af = airFields(a);
      // A warm-up reading at every day's first quarter, a spike now and then, an out-of-range value rarely.
      const qc = (t % DAY === 0 ? QC.warming_up : 0) | (i % 37 === 5 ? QC.spike : 0) | (i % 97 === 11 ? QC.out_of_range : 0);
      lines.push(line('air', { site: s.site, node, part: 'pms5003' }, { pm1_ugm3: a.pm1, pm25_ugm3: a.pm25, pm10_ugm3: a.pm10, pm25_cf1_ugm3: a.pm25 * 1.1, pm25_corrected_ugm3: af.pm25_corrected_ugm3 as number, pm10_corrected_ugm3: af.pm10_corrected_ugm3 as number, qc }, t));
      lines.push(line('air', { site: s.site, node, part: 'no2-b43f' }, { no2_ppb: a.no2, no2_corrected_ppb: af.no2_corrected_ppb as number, no2_corrected_ugm3: af.no2_corrected_ugm3 as number, qc: i % 53 === 7 ? QC.stuck : 0 }, t));
      lines.push(line('air', { site: s.site, node, part: 'bme280' }, { temperature_c: a.temperature, humidity_pct: a.humidity, pressure_hpa: a.pressure, qc: 0 }, t));
      for (const detector of DETECTORS) {
        for (const lane of LANES) {
          const vehicles = Math.max(0, Math.round((a.vehicles / 4) * (1 + 0.2 * noise(t, detector.length + Number(lane)))));
          lines.push(line('traffic', { site: s.site, detector, lane, direction: lane === '1' ? 'in' : 'out' }, { vehicles, heavy_vehicles: Math.round(vehicles * 0.08), occupancy_pct: Math.min(100, vehicles * 0.6), speed_kmh: 45 - 10 * trafficShape(t), interval_s: 900 }, t));
        }
      }
      // Traffic coverage below 100 % for one quarter in 20: those windows stay out of the scatter and profiles.
      const coverage = i % 20 === 3 ? 50 : 100;
      lines.push(line('air_traffic', { site: s.site, window: '15m' }, { ...af, vehicles: a.vehicles, heavy_vehicles: Math.round(a.vehicles * 0.08), air_samples: 15, completeness_pct: 100, traffic_coverage_pct: coverage, qc: 0 }, t));
      if (t % HOUR === 0) {
        const hourVehicles = a.vehicles * 4;
        // parc-c loses a few hours a day (a flaky link), so completeness differs between sites.
        const completeness = s.site === 'parc-c' && new Date(t).getUTCHours() < 7 ? 40 : 100;
        lines.push(line('air_traffic', { site: s.site, window: '1h' }, { ...af, vehicles: hourVehicles, heavy_vehicles: Math.round(hourVehicles * 0.08), air_samples: 60, completeness_pct: completeness, traffic_coverage_pct: i % 40 === 12 ? 75 : 100, qc: completeness < 75 ? QC.low_completeness : 0 }, t));
        const ugm3 = { pm25: a.pm25, pm10: a.pm10, no2: a.no2 * NO2_UGM3_PER_PPB_20C };
        for (const scheme of ['atmo', 'eaqi', 'us-epa'] as const) {
          const idx = airIndex(scheme, scheme === 'us-epa' ? { pm25: a.pm25, pm10: a.pm10, no2: a.no2 } : ugm3);
          const extra: Record<string, number> = scheme === 'atmo' ? { hours: 24, indicative: 0 } : {};
          lines.push(line('aqi', { site: s.site, scheme }, { level: idx.level, value: idx.value, dominant: { pm25: 1, pm10: 2, no2: 3, o3: 4, so2: 5, co: 6 }[idx.dominant], ...extra, qc: 0 }, t));
        }
      }
      // Self-report: totals since start, an outage on rue-b's day 4 builds a backlog and drops rows.
      const outage = s.site === 'rue-b' && Math.floor((t - start) / DAY) === 4 && new Date(t).getUTCHours() < 6;
      accepted += 60;
      rejected += i % 11 === 0 ? 1 : 0;
      if (outage) dropped += 2;
      else written += 60;
      const queued = outage ? 300 + 50 * new Date(t).getUTCHours() : 0;
      for (const output of ['influxdb', 'mqtt']) {
        lines.push(line('gateway', { site: s.site, gateway, output }, { queued: output === 'influxdb' ? queued : 0, oldest_age_s: outage && output === 'influxdb' ? 900 * (new Date(t).getUTCHours() + 1) : 0, written, dropped: output === 'influxdb' ? dropped : 0, dead_lettered: 0, errors: outage ? 4 : 0, last_success_age_s: outage && output === 'influxdb' ? 3600 : 20 }, t));
      }
      lines.push(line('gateway', { site: s.site, gateway }, { accepted, rejected, parts_ok: outage ? 2 : 3, parts_faulted: outage ? 1 : 0, parts_stuck: i % 53 === 7 ? 1 : 0, uptime_s: (t - start) / 1000 }, t));
    }
    // The last three hours of 1-minute windows.
    for (let t = Math.floor((now - 3 * HOUR) / MIN) * MIN; t < now; t += MIN) {
      const a = conditions(s, t);
      lines.push(line('air_traffic', { site: s.site, window: '1m' }, { ...airFields(a), vehicles: Math.round(a.vehicles / 15), air_samples: 1, completeness_pct: 100, traffic_coverage_pct: 100, qc: 0 }, t));
    }
  }
  return lines;
}

async function write(db: TestDatabase, lines: string[]): Promise<void> {
  for (let i = 0; i < lines.length; i += 5000) {
    const res = await fetch(`${influxUrl()}/write?db=${db.name}&precision=ms`, { method: 'POST', body: lines.slice(i, i + 5000).join('\n') });
    if (res.status !== 204) throw new Error(`write refused: ${res.status} ${await res.text()}`);
  }
}

// One real value per variable, as Grafana substitutes a single selection; regex-safe, so `=~ /^$site$/` matches it.
// $timeFilter is the simulated week as absolute bounds (Grafana writes `time >= <from>ms and time <= <to>ms`), so
// the expected counts below do not depend on when the test runs.
const VALUES: Record<string, string> = { site: 'rue-a', node: 'rue-a-n1', detector: 'd1', __interval: '1h' };

interface Query {
  where: string;
  query: string;
}

/** Every target and every variable query of a dashboard, with where it comes from. */
function queriesOf(file: string, d: dashboard.Dashboard): Query[] {
  const out: Query[] = [];
  for (const v of (d.templating?.list ?? []) as dashboard.VariableModel[]) out.push({ where: `${file} variable ${v.name}`, query: String(v.query) });
  for (const p of (d.panels ?? []) as dashboard.Panel[]) {
    for (const t of panelTargets(p)) out.push({ where: `${file} panel ${p.id} "${p.title}" target ${t.refId}`, query: t.query });
  }
  return out;
}

const committed = DASHBOARDS.map((d) => ({
  file: d.file,
  json: JSON.parse(readFileSync(join(import.meta.dirname, '../../dashboards/grafana/dashboards', d.file), 'utf8')) as dashboard.Dashboard,
}));

/** True when a series has at least one row with a value other than its time. */
const hasData = (series: Series[]) => series.some((s) => s.values.some((row) => row.some((v, i) => s.columns[i] !== 'time' && v !== null)));

describe('Grafana dashboards against a simulated week in InfluxDB 1.x', () => {
  let db: TestDatabase;
  // UTC dates with episode data at rue-a: two, or three when the week's partial first and last days fall on one.
  let episodeDays = 0;
  // UTC midnights in the week: the pms5003 flags its first reading of each day as warming up.
  let midnights = 0;

  beforeAll(async () => {
    const now = Date.now();
    const start = weekStart(now);
    VALUES.timeFilter = `time >= ${start}ms and time <= ${now}ms`;
    db = await createTestDatabase(influxUrl(), 'grafana');
    await write(db, simulatedWeek(now));
    const dates = new Set<string>();
    for (let t = start; t < now; t += QUARTER) {
      if (isEpisode(SITES[0], t)) dates.add(new Date(t).toISOString().slice(0, 10));
      if (t % DAY === 0) midnights++;
    }
    episodeDays = dates.size;
  });
  afterAll(async () => {
    await db?.drop();
  });

  it.each(committed)('every query of $file runs and returns data', async ({ file, json }) => {
    const queries = queriesOf(file, json);
    expect(queries.length).toBeGreaterThan(4);
    const failures: string[] = [];
    for (const q of queries) {
      const text = interpolate(q.query, VALUES);
      try {
        const series = await db.query(text);
        if (!hasData(series)) failures.push(`${q.where}: empty result for ${text}`);
      } catch (e) {
        failures.push(`${q.where}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('runs the InfluxQL examples of dashboards/README.md (site demo-street read as rue-a)', async () => {
    const readme = readFileSync(join(import.meta.dirname, '../../dashboards/README.md'), 'utf8');
    const examples = [...readme.matchAll(/```sql\n([\s\S]*?)```/g)].flatMap((m) => (m[1] ?? '').split('\n').filter((l) => l.startsWith('SELECT')));
    expect(examples.length).toBeGreaterThanOrEqual(4);
    const failures: string[] = [];
    for (const q of examples) {
      const text = q.replaceAll("'demo-street'", "'rue-a'");
      try {
        if (!hasData(await db.query(text))) failures.push(`README: empty result for ${text}`);
      } catch (e) {
        failures.push(`README: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  const target = (file: string, title: RegExp, refId = 'A'): string => {
    const d = committed.find((c) => c.file === file)?.json as dashboard.Dashboard;
    const p = ((d.panels ?? []) as dashboard.Panel[]).find((x) => title.test(x.title ?? ''));
    const t = (p ? panelTargets(p) : []).find((x) => x.refId === refId);
    if (!t) throw new Error(`no target ${refId} on a panel matching ${title} in ${file}`);
    return interpolate(t.query, VALUES);
  };

  it('finds the episode: PM10 days above the EU daily limit at rue-a only, and the week\'s ATMO level in 1…6', async () => {
    const rows = await db.rows(target('city-air.json', /^Exceedances/, 'A').replace('/^rue-a$/', '/.*/'));
    expect(episodeDays).toBeGreaterThanOrEqual(2);
    expect(rows.map((r) => [r.site, r['PM10 days > 50 (EU)']])).toEqual([['rue-a', episodeDays]]);
    const [atmo] = await db.rows(target('city-air.json', /^ATMO/));
    expect(atmo?.last).toBeGreaterThanOrEqual(1);
    expect(atmo?.last).toBeLessThanOrEqual(6);
  });

  it('computes a strong positive NO2–traffic correlation over the full-coverage hours', async () => {
    const [row] = await db.rows(target('traffic-air.json', /Pearson/));
    expect(row?.r).toBeGreaterThan(0.7);
    expect(row?.r).toBeLessThanOrEqual(1);
    // 7 × 24 (+1) hours, less one in ten with traffic coverage below 100 %.
    expect(row?.n).toBeGreaterThan(140);
    expect(row?.n).toBeLessThan(160);
  });

  it('counts QC findings by bit and completeness per site', async () => {
    const qc = await db.rows(target('site-detail.json', /^QC findings/));
    const total = (k: string) => qc.reduce((a, r) => a + Number(r[k] ?? 0), 0);
    expect(midnights).toBeGreaterThanOrEqual(7);
    expect(total('warming_up')).toBe(midnights);
    expect(total('stuck')).toBeGreaterThan(0);
    expect(total('clamped')).toBe(0);
    const completeness = await db.rows(target('city-air.json', /^Data completeness/).replace('/^rue-a$/', '/.*/'));
    const bySite = Object.fromEntries(completeness.map((r) => [r.site, r.mean]));
    expect(bySite['rue-a']).toBe(100);
    expect(Number(bySite['parc-c'])).toBeLessThan(90);
  });
});
