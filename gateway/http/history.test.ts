import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WindowsAggregator } from '../aggregators/windows/windows.js';
import { windowsOptions } from '../aggregators/windows/options.js';
import { WindowStore, type WindowStoreReader } from '../aggregators/windows/store.js';
import { QC } from '../core/qc.js';
import type { Metric } from '../core/metric.js';
import { LatestStore } from '../outputs/latest/latest.js';
import { Stats } from '../core/stats.js';
import { createHistory, historyFrom, parseHistoryQuery } from './history.js';
import { startHttp, type HttpHandle } from './server.js';
import { httpOptions } from './options.js';

const MIN = 60_000;
const Q = 15 * MIN;
const H = 60 * MIN;
// 10:07 UTC: the last closed quarter hour ends at 10:00, so the 24 h run from 10:00 the day before.
const NOW = Date.parse('2026-11-25T10:07:00.000Z');
const END = Date.parse('2026-11-25T10:00:00.000Z');
const FROM = END - 24 * H;

const dirs: string[] = [];
const closers: (() => void)[] = [];
afterEach(() => {
  for (const c of closers.splice(0)) c();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/**
 * A day at site "rue" through the real aggregator: per minute a PMS5003 reading (raw and corrected PM2.5, PM10)
 * and a NO2 reading in ppb, with quarter hour b holding PM2.5 = 4 + b % 10; hours 5 and 6 have no air data at all,
 * one quarter hour a reading flagged out of range (left out of the means); 15-min counts of 100 + b vehicles,
 * except quarter hours 30–31; plus a count of 30 min that fits no quarter hour.
 */
function day(): { file: string; windows: Metric[] } {
  const dir = mkdtempSync(join(tmpdir(), 'airlane-history-'));
  dirs.push(dir);
  const file = join(dir, 'windows.sqlite');
  const agg = new WindowsAggregator(windowsOptions.parse({ windows: ['15m', '1h'], indices: ['atmo'], retention_h: 26 }), { file, now: () => NOW });
  for (let b = 0; b < 96; b++) {
    const start = FROM + b * Q;
    if (b < 20 || b >= 28) {
      for (let m = 0; m < 15; m++) {
        const t = start + m * MIN;
        const pm = 4 + (b % 10);
        agg.add({ measurement: 'air', tags: { site: 'rue', node: 'n1', part: 'pms5003' }, fields: { pm25_ugm3: pm + 2, pm25_corrected_ugm3: pm, pm10_ugm3: pm * 2, qc: 0 }, time: t });
        agg.add({ measurement: 'air', tags: { site: 'rue', node: 'n1', part: 'no2-b43f' }, fields: { no2_ppb: 10 + (b % 4), qc: 0 }, time: t + 30_000 });
      }
    }
    if (b === 50) agg.add({ measurement: 'air', tags: { site: 'rue', node: 'n1', part: 'pms5003' }, fields: { pm25_ugm3: 900, pm25_corrected_ugm3: 900, qc: QC.out_of_range }, time: start + 20_000 });
    if (b !== 30 && b !== 31) agg.add({ measurement: 'traffic', tags: { site: 'rue', detector: 'd1', lane: '1', direction: 'n' }, fields: { vehicles: 100 + b, heavy_vehicles: 5, interval_s: 900 }, time: start });
  }
  agg.add({ measurement: 'traffic', tags: { site: 'rue', detector: 'd2', lane: '1', direction: 's' }, fields: { vehicles: 999, interval_s: 1800 }, time: FROM + 40 * Q + 5 * MIN });
  const out: Metric[] = [];
  agg.push(NOW, { push: (m) => void out.push(m), reject: () => undefined, flush: () => true });
  agg.close();
  return { file, windows: out };
}

function reader(file: string): WindowStore {
  const store = new WindowStore(file);
  closers.push(() => store.close());
  return store;
}

describe('historyFrom', () => {
  it('gives 96 quarter-hour means from the store, equal to the windows the aggregator emitted', () => {
    const { file, windows } = day();
    const h = historyFrom(reader(file), 'rue', NOW);
    expect(h.from).toBe('2026-11-24T10:00:00.000Z');
    expect(h.to).toBe('2026-11-25T10:00:00.000Z');
    expect(h.bucket_s).toBe(900);
    expect(h.times).toHaveLength(96);
    expect(h.times[1]).toBe('2026-11-24T10:15:00.000Z');

    const pm25 = h.series.pm25_ugm3.values;
    expect(pm25.slice(0, 3)).toEqual([4, 5, 6]);
    expect(pm25.slice(19, 29)).toEqual([13, null, null, null, null, null, null, null, null, 12]);
    expect(pm25.filter((v) => v === null)).toHaveLength(8);
    // The out-of-range reading stays out: quarter hour 50 is 4 + 0.
    expect(pm25[50]).toBe(4);
    expect(h.series.pm25_ugm3.sources).toEqual(['pm25_corrected_ugm3']);
    expect(h.series.pm10_ugm3.values[2]).toBe(12);
    // 11 ppb × 1.9125 (20 °C; air-quality.md §6) = 21.0375 µg/m³.
    expect(h.series.no2_ugm3.values[1]).toBe(21.04);
    expect(h.series.no2_ugm3.sources).toEqual(['no2_ppb']);
    expect(h.series.completeness_pct.values[0]).toBe(100);
    expect(h.series.completeness_pct.values[20]).toBe(0);

    expect(h.series.vehicles.values[0]).toBe(100);
    expect(h.series.vehicles.values[95]).toBe(195);
    expect(h.series.vehicles.values.slice(29, 33)).toEqual([129, null, null, 132]);
    // The 30-min count of d2 lies in no single quarter hour.
    expect(h.series.vehicles.values[40]).toBe(140);
    expect(h.series.heavy_vehicles.values[0]).toBe(5);

    // The SQL aggregate agrees with windowFields() through the aggregator.
    const q15 = windows.filter((m) => m.measurement === 'air_traffic' && m.tags.window === '15m');
    let compared = 0;
    for (const m of q15) {
      const i = (m.time - FROM) / Q;
      if (i < 0 || i >= 96) continue;
      if (m.fields.pm25_corrected_ugm3 !== undefined) {
        expect(pm25[i]).toBeCloseTo(m.fields.pm25_corrected_ugm3, 2);
        compared++;
      }
      expect(h.series.completeness_pct.values[i]).toBeCloseTo(m.fields.completeness_pct!, 2);
      expect(h.series.vehicles.values[i]).toBe(m.fields.vehicles ?? null);
    }
    expect(compared).toBe(88);
  });

  it('colours each complete hour by the ATMO class of its means and leaves out incomplete ones', () => {
    const { file } = day();
    const h = historyFrom(reader(file), 'rue', NOW);
    // Hours 5–6 have no air data: 22 of the 24 hours are known.
    expect(h.atmo_hourly).toHaveLength(22);
    expect(h.atmo_hourly.map((a) => a.time)).not.toContain('2026-11-24T15:00:00.000Z');
    // Hour 0: quarter hours 0–3 → PM2.5 mean 5.5 (ATMO "Bon" ≤ 10), PM10 11 (≤ 20), NO2 (10+11+12+13)/4 ppb × 1.9125
    // = 22.2 µg/m³ (≤ 40): level 1, ties go to PM2.5 (POLLUTANT_ORDER).
    expect(h.atmo_hourly[0]).toEqual({ time: '2026-11-24T10:00:00.000Z', level: 1, dominant: 'pm25' });
    // Hour k holds quarter hours 4k..4k+3, PM2.5 = 4 + b % 10: hours 4, 9, 14, 19 (quarter hours 16–19 of each
    // 20) average 11.5 µg/m³ PM2.5 and 23 PM10, ATMO "Moyen" (10 < c ≤ 20; 20 < c ≤ 40); every other hour ≤ 9.5 → "Bon".
    const moyen = h.atmo_hourly.filter((a) => a.level === 2);
    expect(moyen.map((a) => (Date.parse(a.time) - FROM) / H)).toEqual([4, 9, 14, 19]);
    expect(moyen[0]?.dominant).toBe('pm25');
    expect(h.atmo_hourly.filter((a) => a.level === 1)).toHaveLength(18);
  });

  it('answers shorter spans and hourly buckets', () => {
    const { file } = day();
    const h = historyFrom(reader(file), 'rue', NOW, '1h', 6);
    expect(h.times).toHaveLength(6);
    expect(h.from).toBe('2026-11-25T04:00:00.000Z');
    // Hour 18 of the day (04:00): quarter hours 72–75 → (6+7+8+9)/4 PM2.5, 4 counts of 172–175 vehicles.
    expect(h.series.pm25_ugm3.values[0]).toBe(7.5);
    expect(h.series.vehicles.values[0]).toBe(172 + 173 + 174 + 175);
    expect(historyFrom(reader(file), 'elsewhere', NOW).series.pm25_ugm3.values.every((v) => v === null)).toBe(true);
  });
});

describe('createHistory', () => {
  it('reuses an answer for 30 s per site, then recomputes', () => {
    let calls = 0;
    const fake: WindowStoreReader = {
      airBuckets: () => {
        calls++;
        return [];
      },
      traffic: () => [],
      hours: () => new Map(),
    };
    let t = NOW;
    const history = createHistory(fake, { now: () => t });
    const a = history('rue', '15m', 24);
    t += 29_000;
    expect(history('rue', '15m', 24)).toBe(a);
    expect(calls).toBe(1);
    history('parc', '15m', 24);
    expect(calls).toBe(2);
    t += 1_000;
    expect(history('rue', '15m', 24)).not.toBe(a);
    expect(calls).toBe(3);
  });
});

describe('parseHistoryQuery', () => {
  it('takes defaults and refuses what it cannot answer', () => {
    expect(parseHistoryQuery(new URLSearchParams('site=rue'))).toEqual({ site: 'rue', window: '15m', hours: 24 });
    expect(parseHistoryQuery(new URLSearchParams('site=rue&window=1h&hours=6'))).toEqual({ site: 'rue', window: '1h', hours: 6 });
    expect(parseHistoryQuery(new URLSearchParams(''))).toEqual({ error: 'history needs a site: /api/v1/history?site=<site>&window=15m&hours=24' });
    expect(parseHistoryQuery(new URLSearchParams('site=rue&window=1m'))).toEqual({ error: 'window must be one of 15m, 1h, not "1m"' });
    expect(parseHistoryQuery(new URLSearchParams('site=rue&hours=48'))).toEqual({ error: 'hours must be a whole number from 1 to 24, not "48"' });
  });
});

describe('GET /api/v1/history', () => {
  let handle: HttpHandle | undefined;
  afterEach(async () => {
    await handle?.close();
    handle = undefined;
  });
  const serve = async (history?: ReturnType<typeof createHistory>) => {
    handle = await startHttp(httpOptions.parse({ port: 0, token: 'c2VjcmV0LXRva2VuLWZvci10ZXN0cw' }), {
      latest: new LatestStore(),
      stats: new Stats(),
      depth: () => ({}),
      status: () => ({ site: 'rue', nodes: {} }),
      health: () => ({ site: 'rue', gateway: 'gw', started_ms: NOW, accepted: 0, rejected: {}, outbox_writable: true, outputs: [], parts: [] }),
      ...(history ? { history } : {}),
    });
    return handle.url;
  };

  it('is open like the page it feeds, and answers the store figures', async () => {
    const { file } = day();
    const url = await serve(createHistory(reader(file), { now: () => NOW }));
    const res = await fetch(`${url}api/v1/history?site=rue&window=15m&hours=24`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as ReturnType<typeof historyFrom>;
    expect(body.site).toBe('rue');
    expect(body.series.pm25_ugm3.values.slice(0, 3)).toEqual([4, 5, 6]);
    expect(body.atmo_hourly).toHaveLength(22);
    const bad = await fetch(`${url}api/v1/history?site=rue&hours=0`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'hours must be a whole number from 1 to 24, not "0"' });
    // The status beside it stays behind the token.
    expect((await fetch(`${url}api/v1/status`)).status).toBe(401);
  });

  it('is 404 when the gateway runs no windows aggregator', async () => {
    const url = await serve();
    const res = await fetch(`${url}api/v1/history?site=rue`);
    expect(res.status).toBe(404);
  });
});
