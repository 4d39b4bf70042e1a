// The station page in a real browser (Debian's headless Chromium) at a phone's size: the live figures an
// installer looks for — PM2.5, NO2 and vehicles — are rendered from /api/v1/latest by the page's own script; and,
// from a store holding known values, the ATMO class, corrected values beside raw ones and the quality flags; and,
// from a windows store filled with a known day, the 24 h charts, the hourly ATMO strip and the parts' states.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStation } from '../../gateway/config/load.js';
import { startStation, type Station } from '../../gateway/station.js';
import { startHttp, type HttpHandle } from '../../gateway/http/server.js';
import { LatestStore } from '../../gateway/outputs/latest/latest.js';
import { Stats } from '../../gateway/core/stats.js';
import { QC } from '../../gateway/core/qc.js';
import type { Metric } from '../../gateway/core/metric.js';
import { silentLogger } from '../../gateway/core/log.js';
import { WindowsAggregator } from '../../gateway/aggregators/windows/windows.js';
import { windowsOptions } from '../../gateway/aggregators/windows/options.js';
import { WindowStore } from '../../gateway/aggregators/windows/store.js';
import { createHistory } from '../../gateway/http/history.js';
import { airIndex } from '../../gateway/air/indices/index.js';
import { chromium } from '../fakes/chromium.js';
import { fastSimulatedNode } from '../fakes/simulated-station.js';

/** Width and height from a PNG's IHDR chunk (big-endian, at bytes 16 and 20). */
const pngSize = (file: string) => {
  const png = readFileSync(file);
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
};


describe('the station page on a phone-sized headless Chromium', () => {
  let station: Station;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'airlane-page-'));
    const config = parseStation(
      JSON.stringify({
        site: 'demo-street',
        simulate: true,
        data_dir: join(dir, 'data'),
        http: { port: 0 },
        embedded_broker_port: 0,
        nodes: [fastSimulatedNode('pole-1', 0.3, 200)],
        counters: [{ id: 'c1', type: 'firmata', counter: { interval_s: 1, detectors: [{ detector: 'loop-n', lane: '1', pin: 2 }] } }],
      }),
      'page.test',
      {},
    );
    station = await startStation(config, silentLogger);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const s = station.latest.snapshot()['demo-street'];
      if (s?.nodes['pole-1']?.['no2-b43f']?.no2_ppb && s.nodes['pole-1']?.pms5003?.pm25_ugm3 && s.detectors['loop-n']) break;
      if (Date.now() > deadline) throw new Error('the simulated station produced no PM2.5, NO2 and traffic within 30 s');
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  afterAll(async () => {
    await station?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const browse = (...args: string[]) => chromium(join(dir, 'profile'), ...args);

  it('renders PM2.5, NO2 and vehicles with numbers from the API', async () => {
    const r = await browse('--virtual-time-budget=4000', '--dump-dom', station.httpUrl);
    expect(r.status).toBe(0);
    const dom = r.stdout;
    const card = (q: string) => dom.match(new RegExp(`data-quantity="${q}"[^>]*>.*?<div class="v">([-0-9.]+)<span`, 's'))?.[1];
    // The values move every 200 ms, so check their form: a PMS5003 resolves 1 µg/m³ (a corrected value, once a
    // correction is configured, shows 0.1 µg/m³), the NO2 card shows 0.1 ppb.
    expect(card('pm25_ugm3')).toMatch(/^\d+(\.\d)?$/);
    expect(card('no2_ppb')).toMatch(/^-?\d+\.\d$/);
    expect(card('vehicles')).toMatch(/^\d+$/);
    expect(dom).toContain('demo-street');
    // Most wanted first: PM2.5, then NO2, then vehicles.
    const order = ['pm25_ugm3', 'no2_ppb', 'vehicles'].map((q) => dom.indexOf(`data-quantity="${q}"`));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    // The ATMO badge (a class, or "not computed yet" before the windows have data) heads the site.
    expect(dom.indexOf('class="atmo')).toBeGreaterThan(dom.indexOf('demo-street'));
    expect(dom.indexOf('class="atmo')).toBeLessThan(order[0]!);
    expect(dom).toMatch(/live · /);
  });

  it('fits a 390 px wide screen (screenshot for a person to look at)', async () => {
    const shot = join(dir, 'page.png');
    const r = await browse('--virtual-time-budget=4000', `--screenshot=${shot}`, station.httpUrl);
    expect(r.status).toBe(0);
    expect(existsSync(shot)).toBe(true);
    if (process.env.AIRLANE_KEEP_SCREENSHOT) writeFileSync(process.env.AIRLANE_KEEP_SCREENSHOT, readFileSync(shot));
    expect(pngSize(shot)).toEqual([390, 844]);
  });
});

describe('the station page shows the ATMO class, corrected values and quality flags', () => {
  let http: HttpHandle;
  let dir: string;
  let frDate = '';
  const latest = new LatestStore();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'airlane-page-aqi-'));
    // Fresh readings (the page greys out anything older than 2 min); the index a little older, as an hourly one is.
    const now = Date.now() - 5_000;
    const air = (site: string, part: string, fields: Record<string, number>): Metric => ({ measurement: 'air', tags: { site, node: 'pole-1', part }, fields, time: now });
    const aqi = (site: string, scheme: string, fields: Record<string, number>): Metric => ({ measurement: 'aqi', tags: { site, scheme }, fields, time: now - 600_000 });
    frDate = new Date(now - 600_000).toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' });
    await latest.write([
      // A kerbside site: ATMO 3 "Dégradé" set by PM2.5 (the windows aggregator's dominant code 1), marked
      // indicative, from 9 complete hours so far (low completeness).
      aqi('rue-de-la-gare', 'atmo', { level: 3, value: 3, dominant: 1, indicative: 1, pm25_level: 3, no2_level: 2, hours: 9, qc: QC.low_completeness }),
      aqi('rue-de-la-gare', 'eaqi', { level: 4, value: 4, dominant: 1, qc: 0 }),
      aqi('rue-de-la-gare', 'us-epa', { level: 2, value: 57, dominant: 1, qc: 0 }),
      air('rue-de-la-gare', 'pms5003', { pm25_ugm3: 14.2, pm25_corrected_ugm3: 9.8, pm10_ugm3: 18, humidity_pct: 71, qc: QC.warming_up }),
      air('rue-de-la-gare', 'no2-b43f', { no2_ppb: 21.3, no2_corrected_ugm3: 38.6, qc: QC.stuck | QC.clock_unsynced }),
      { measurement: 'traffic', tags: { site: 'rue-de-la-gare', detector: 'loop-n', lane: '1', direction: 'n' }, fields: { vehicles: 12, interval_s: 60 }, time: now },
      // A background site at ATMO 5, no correction configured, no flags.
      aqi('parc', 'atmo', { level: 5, value: 5, dominant: 3, indicative: 0, hours: 24, qc: 0 }),
      air('parc', 'pms5003', { pm25_ugm3: 31, qc: 0 }),
    ]);
    http = await startHttp(
      { host: '127.0.0.1', port: 0 },
      {
        latest,
        stats: new Stats(),
        depth: () => ({}),
        status: () => ({ nodes: {} }),
        health: () => ({ site: 'rue-de-la-gare', gateway: 'gw', started_ms: now, accepted: 0, rejected: {}, outbox_writable: true, outputs: [], parts: [] }),
      },
    );
  });

  afterAll(async () => {
    await http?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const browse = (...args: string[]) => chromium(join(dir, 'profile'), ...args);
  const section = (dom: string, site: string) => dom.match(new RegExp(`<section class="site" data-site="${site}">(.*?)</section>`, 's'))?.[1] ?? '';
  const cardOf = (html: string, q: string) => html.match(new RegExp(`<div class="card" data-quantity="${q}"[^>]*>(.*?)<div class="t">`, 's'))?.[1] ?? '';
  const text = (html: string, cls: string) => [...html.matchAll(new RegExp(`<(?:div|li|p) class="${cls}"[^>]*>([^<]*)<`, 'g'))].map((m) => m[1]);

  it('draws the ATMO badge first, in its official colour, with its French label and the kerbside mark', async () => {
    const r = await browse('--virtual-time-budget=4000', '--dump-dom', http.url);
    expect(r.status).toBe(0);
    const gare = section(r.stdout, 'rue-de-la-gare');
    const badge = gare.match(/<div class="atmo"[^>]*>/)?.[0] ?? '';
    expect(badge).toContain('data-level="3"');
    // #F0E641 (jaune, level 3 of the arrêté du 10 juillet 2020) with near-black text.
    expect(badge).toContain('background-color: rgb(240, 230, 65)');
    expect(badge).toContain('color: rgb(17, 17, 17)');
    expect(text(gare, 'atmo-n')).toEqual(['3']);
    expect(text(gare, 'atmo-l')).toEqual(['Dégradé']);
    expect(text(gare, 'atmo-i')).toEqual(['indicatif (site de trafic)']);
    expect(text(gare, 'atmo-s')).toEqual([`polluant majoritaire PM2.5 · journée du ${frDate} · 9 h mesurées`]);
    // The badge ends where the line of other indices starts.
    expect(text(gare.slice(0, gare.indexOf('<p class="others"')), 'chip')).toEqual(['low completeness']);
    expect(text(gare, 'others')).toEqual(['EAQI 4/6 · US AQI 57']);
    expect(gare.indexOf('class="atmo"')).toBeLessThan(gare.indexOf('class="card"'));

    const parc = section(r.stdout, 'parc');
    const parcBadge = parc.match(/<div class="atmo"[^>]*>/)?.[0] ?? '';
    // #960032 (pourpre, level 5) takes white text.
    expect(parcBadge).toContain('background-color: rgb(150, 0, 50)');
    expect(parcBadge).toContain('color: rgb(255, 255, 255)');
    expect(text(parc, 'atmo-l')).toEqual(['Très mauvais']);
    expect(text(parc, 'atmo-i')).toEqual([]);
    expect(text(parc, 'atmo-s')).toEqual([`polluant majoritaire NO₂ · journée du ${frDate} · 24 h mesurées`]);
    expect(parc).not.toContain('class="chip"');
  });

  it('shows corrected PM2.5 and NO2 with the raw value beside them and the flags of that reading', async () => {
    const r = await browse('--virtual-time-budget=4000', '--dump-dom', http.url);
    expect(r.status).toBe(0);
    const gare = section(r.stdout, 'rue-de-la-gare');
    const pm25 = cardOf(gare, 'pm25_ugm3');
    expect(text(pm25, 'q')).toEqual(['PM2.5 · corrected · pole-1/pms5003']);
    expect(pm25).toContain('<div class="v">9.8<span class="u">µg/m³</span></div>');
    expect(text(pm25, 'raw')).toEqual(['brut 14.2']);
    expect(text(pm25, 'chip')).toEqual(['warming up']);

    // Corrected in µg/m³ from a raw value in ppb: the raw one keeps its unit.
    const no2 = cardOf(gare, 'no2_ppb');
    expect(text(no2, 'q')).toEqual(['NO₂ · corrected · pole-1/no2-b43f']);
    expect(no2).toContain('<div class="v">38.6<span class="u">µg/m³</span></div>');
    expect(text(no2, 'raw')).toEqual(['brut 21.3 ppb']);
    expect(text(no2, 'chip')).toEqual(['stuck', 'clock unsynced']);

    // No correction for PM10 here: the raw value alone, still with its reading's flag.
    const pm10 = cardOf(gare, 'pm10_ugm3');
    expect(pm10).toContain('<div class="v">18<span class="u">µg/m³</span></div>');
    expect(text(pm10, 'raw')).toEqual([]);
    expect(text(pm10, 'chip')).toEqual(['warming up']);
    expect(cardOf(gare, 'vehicles')).toContain('<div class="v">12<span class="u"></span></div>');

    // A clean reading (qc = 0) has no chips at all.
    const parcPm25 = cardOf(section(r.stdout, 'parc'), 'pm25_ugm3');
    expect(parcPm25).toContain('<div class="v">31<span class="u">µg/m³</span></div>');
    expect(parcPm25).not.toContain('class="flags"');
  });

  it.each([
    [390, 844],
    [1280, 800],
  ])('renders at %i×%i (screenshot kept in test-output/)', async (w, h) => {
    const out = resolve('test-output');
    mkdirSync(out, { recursive: true });
    const shot = join(out, `page-atmo-${w}x${h}.png`);
    rmSync(shot, { force: true });
    // The later --window-size wins over the helper's phone size.
    const r = await browse('--virtual-time-budget=4000', `--window-size=${w},${h}`, `--screenshot=${shot}`, http.url);
    expect(r.status).toBe(0);
    expect(pngSize(shot)).toEqual([w, h]);
  });
});

describe('the station page charts the last 24 h from the windows store', () => {
  const SITE = 'rue-de-la-gare';
  const Q = 15 * 60_000;
  const H = 3_600_000;
  // Fixed for the whole test: the history answers for this instant even if a quarter hour turns meanwhile.
  const NOW = Date.now();
  const END = Math.floor(NOW / Q) * Q;
  const FROM = END - 24 * H;
  const GAP = [40, 41, 42, 43]; // an hour without air data (a power cut on the pole)
  const NO_COUNT = [60, 61]; // two quarter hours without counts (the counter rebooted)
  // A street's day: morning and evening rush hours (UTC hours of the bucket), one figure per quarter hour.
  const vehiclesAt = (b: number) => {
    const u = ((FROM + b * Q) % (24 * H)) / H;
    return Math.round(40 + 220 * Math.exp(-((u - 8) ** 2) / 2) + 180 * Math.exp(-((u - 17.5) ** 2) / 3));
  };
  // NO2 in steps of 8 ppb: × 1.9125 (20 °C) gives µg/m³ with one decimal (15.3 per step), no rounding at stake.
  const no2PpbAt = (b: number) => 8 * (1 + Math.floor(vehiclesAt(b) / 60));
  const pm25At = (b: number) => Math.round(10 * (0.8 * (5 + vehiclesAt(b) / 25))) / 10; // the corrected value
  const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));
  const round2 = (x: number) => Math.round(x * 100) / 100;

  let http: HttpHandle;
  let dir: string;
  let store: WindowStore;
  let aqiPoints: Metric[] = [];
  const latest = new LatestStore();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'airlane-page-24h-'));
    const file = join(dir, 'windows.sqlite');
    const windows = new WindowsAggregator(windowsOptions.parse({ windows: ['15m', '1h'], indices: ['atmo'] }), { file, now: () => NOW });
    for (let b = 0; b < 96; b++) {
      const start = FROM + b * Q;
      if (!GAP.includes(b)) {
        for (let m = 0; m < 15; m++) {
          const t = start + m * 60_000;
          const raw = Math.round(10 * (5 + vehiclesAt(b) / 25)) / 10;
          windows.add({ measurement: 'air', tags: { site: SITE, node: 'pole-1', part: 'pms5003' }, fields: { pm25_ugm3: raw, pm25_corrected_ugm3: pm25At(b), pm10_ugm3: raw * 1.5, qc: 0 }, time: t });
          windows.add({ measurement: 'air', tags: { site: SITE, node: 'pole-1', part: 'no2-b43f' }, fields: { no2_ppb: no2PpbAt(b), qc: 0 }, time: t + 20_000 });
        }
      }
      if (!NO_COUNT.includes(b)) {
        windows.add({ measurement: 'traffic', tags: { site: SITE, detector: 'loop-n', lane: '1', direction: 'n' }, fields: { vehicles: vehiclesAt(b), interval_s: 900 }, time: start });
      }
    }
    const out: Metric[] = [];
    windows.push(NOW, { push: (m) => void out.push(m), reject: () => undefined, flush: () => true });
    windows.close();
    aqiPoints = out.filter((m) => m.measurement === 'aqi');
    // The cards: the newest readings and count, and the day's ATMO point the aggregator computed.
    const fresh = Date.now() - 5_000;
    await latest.write([
      ...aqiPoints,
      { measurement: 'air', tags: { site: SITE, node: 'pole-1', part: 'pms5003' }, fields: { pm25_ugm3: 11.2, pm25_corrected_ugm3: 9, pm10_ugm3: 16.8, qc: 0 }, time: fresh },
      { measurement: 'air', tags: { site: SITE, node: 'pole-1', part: 'no2-b43f' }, fields: { no2_ppb: 24, qc: 0 }, time: fresh },
      { measurement: 'traffic', tags: { site: SITE, detector: 'loop-n', lane: '1', direction: 'n' }, fields: { vehicles: 3, interval_s: 60 }, time: fresh },
    ]);
    store = new WindowStore(file);
    const part = (state: string, extra: Record<string, unknown> = {}) => ({ state, since: new Date(NOW - H).toISOString(), errors: 0, warmup_discarded: 0, reopened: 0, ...extra });
    http = await startHttp(
      { host: '127.0.0.1', port: 0 },
      {
        latest,
        stats: new Stats(),
        depth: () => ({}),
        status: () => ({
          site: SITE,
          nodes: {
            'pole-1': {
              pms5003: part('ok', { last_reading: new Date(fresh).toISOString() }),
              'no2-b43f': part('warming'),
              sht31: part('faulted', { errors: 3, last_error: 'no answer at 0x44 on i2c-1: check the wiring' }),
            },
          },
        }),
        health: () => ({ site: SITE, gateway: 'gw', started_ms: NOW, accepted: 0, rejected: {}, outbox_writable: true, outputs: [], parts: [] }),
        history: createHistory(store, { now: () => NOW }),
      },
    );
  });

  afterAll(async () => {
    await http?.close();
    store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const browse = (...args: string[]) => chromium(join(dir, 'profile'), ...args);
  const chart = (dom: string, kind: string) => dom.match(new RegExp(`<svg [^>]*data-chart="${kind}"[^>]*>.*?</svg>`, 's'))?.[0] ?? '';
  const attr = (tag: string, name: string) => tag.match(new RegExp(` ${name}="([^"]*)"`))?.[1];
  const num = (tag: string, name: string) => Number(attr(tag, name));
  const titleOf = (svg: string) => svg.match(/<title>([^<]*)<\/title>/)?.[1] ?? '';
  const hhmm = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const series = (at: (b: number) => number, skip: number[]) => Array.from({ length: 96 }, (_, b) => (skip.includes(b) ? null : at(b)));

  let dom = '';
  beforeAll(async () => {
    const r = await browse('--virtual-time-budget=5000', '--window-size=1280,800', '--dump-dom', http.url);
    expect(r.status).toBe(0);
    dom = r.stdout;
  });

  it('draws PM2.5 and NO2 as 15-min means with the WHO 2021 24-h guideline at its height', () => {
    for (const [kind, name, at, who] of [
      ['pm25', 'PM2.5 (corrected)', pm25At, 15],
      ['no2', 'NO₂', (b: number) => round2(no2PpbAt(b) * 1.9125), 25],
    ] as const) {
      const svg = chart(dom, kind);
      expect(svg, kind).not.toBe('');
      // 96 quarter hours less the hour without data, drawn as two runs of points on either side of the gap.
      const points = [...svg.matchAll(/<polyline [^>]*points="([^"]*)"/g)].map((m) => m[1]!.split(' ').length);
      expect(points).toEqual([40, 52]);
      expect(attr(svg, 'data-points')).toBe('92');
      // The guideline sits at top + (1 − who/ymax) × plot height.
      const head = svg.slice(0, svg.indexOf('>'));
      const [top, bottom, ymax] = [num(head, 'data-top'), num(head, 'data-bottom'), num(head, 'data-ymax')];
      const line = svg.match(/<line class="who"[^>]*>/)?.[0] ?? '';
      expect(num(line, 'data-value')).toBe(who);
      expect(num(line, 'y1')).toBeCloseTo(top + (1 - who / ymax) * (bottom - top), 1);
      expect(num(line, 'y2')).toBe(num(line, 'y1'));
      // The axis reaches above both the data and the guideline.
      const values = series(at, GAP).filter((v): v is number => v !== null);
      expect(ymax).toBeGreaterThanOrEqual(Math.max(who, ...values));
      // The text alternative: last value with its quarter hour, the range, the guideline.
      const last = at(95);
      const expected =
        `${name}, 15-min means, last 24 h: last ${fmt(last)} µg/m³ (${hhmm(END - Q)}–${hhmm(END)}), range ${fmt(Math.min(...values))}–${fmt(Math.max(...values))} µg/m³, ` +
        `${values.filter((v) => v > who).length} of 92 above the WHO 24-h guideline of ${who} µg/m³`;
      expect(titleOf(svg)).toBe(expected);
      expect(attr(head, 'aria-label')).toBe(expected);
      // The ATMO bands of the pollutant behind it, from level 1 up to the axis top.
      expect(svg.match(/<rect [^>]*data-level="1"/)?.[0]).toContain('fill="#50F0E6"');
    }
  });

  it('draws vehicles per 15 min as bars under NO2 on the same time axis', () => {
    const svg = chart(dom, 'vehicles');
    const bars = [...svg.matchAll(/<rect class="bar"[^>]*>/g)].map((m) => m[0]);
    expect(bars).toHaveLength(94);
    expect(bars.map((b) => num(b, 'data-value'))).toEqual(series(vehiclesAt, NO_COUNT).filter((v) => v !== null));
    // Same x scale as the NO2 chart: bar i is centred on point i of the line.
    const no2 = chart(dom, 'no2');
    const firstPoint = Number(no2.match(/<polyline [^>]*points="([-0-9.]+),/)?.[1]);
    expect(num(bars[0]!, 'x') + num(bars[0]!, 'width') / 2).toBeCloseTo(firstPoint, 0);
    const counts = series(vehiclesAt, NO_COUNT).filter((v): v is number => v !== null);
    expect(titleOf(svg)).toBe(
      `Vehicles per 15 min, last 24 h: last ${vehiclesAt(95)} (${hhmm(END - Q)}–${hhmm(END)}), range ${Math.min(...counts)}–${Math.max(...counts)}, total ${counts.reduce((a, b) => a + b, 0)}`,
    );
  });

  it('colours each hour by its ATMO class and lists the parts with their states', () => {
    const strip = chart(dom, 'atmo');
    const cells = [...strip.matchAll(/<rect class="hour"[^>]*>/g)].map((m) => m[0]);
    // The whole clock hours of the 24 h: 24 when the range starts on the hour, else 23.
    const hours: number[] = [];
    for (let t = Math.ceil(FROM / H) * H; t + H <= END; t += H) hours.push(t);
    expect(cells).toHaveLength(hours.length);
    const levels = cells.map((c) => attr(c, 'data-level'));
    // An hour holds 4 quarter hours: its PM2.5, PM10 and NO2 means in µg/m³ give its class (arrêté du 10 juillet
    // 2020, Annexe I bands: PM2.5 ≤ 10 / 20 / 25…, NO2 ≤ 40 / 90 / 120…); an hour with under 45 of its 60
    // minutes (the 75 % rule) is grey.
    const expected = hours.map((t) => {
      const bs = [0, 1, 2, 3].map((i) => (t - FROM) / Q + i).filter((b) => !GAP.includes(b));
      if (bs.length < 3) return '';
      const mean = (f: (b: number) => number) => bs.reduce((a, b) => a + f(b), 0) / bs.length;
      return String(airIndex('atmo', { pm25: mean(pm25At), pm10: mean((b) => Math.round(10 * (5 + vehiclesAt(b) / 25)) / 10) * 1.5, no2: mean(no2PpbAt) * 1.9125 }).level);
    });
    expect(levels).toEqual(expected);
    expect(new Set(levels).size).toBeGreaterThan(2);
    expect(cells[levels.indexOf('1')]).toContain('fill="#50F0E6"');
    expect(cells[levels.indexOf('2')]).toContain('fill="#50CCAA"');
    expect(cells[levels.indexOf('')]).toContain('fill="#e3e7ea"');
    const known = expected.filter((l) => l !== '').map(Number);
    const lastLevel = known[known.length - 1]!;
    const label = ['', 'Bon', 'Moyen', 'Dégradé', 'Mauvais', 'Très mauvais', 'Extrêmement mauvais'][lastLevel];
    expect(titleOf(strip)).toBe(
      `ATMO class of each hour (indicative, from hourly means; the index itself is daily): last ${label} (${lastLevel}) at ${hhmm(hours[expected.lastIndexOf(String(lastLevel))]!)}, ` +
        `range ${Math.min(...known)}–${Math.max(...known)}, ${known.length} hours known`,
    );
    // The day's ATMO badge above comes from the same aggregator run.
    expect(aqiPoints.length).toBeGreaterThan(0);
    expect(dom).toMatch(/<div class="atmo" [^>]*data-level="\d"/);

    const parts = dom.match(/<div class="parts"[^>]*>.*?<\/ul>/s)?.[0] ?? '';
    const states = [...parts.matchAll(/<li data-node="pole-1" data-part="([^"]+)"><b>[^<]*<\/b><span class="state [^"]*" data-state="([^"]+)"/g)].map((m) => [m[1], m[2]]);
    expect(states).toEqual([
      ['pms5003', 'ok'],
      ['no2-b43f', 'warming'],
      ['sht31', 'faulted'],
    ]);
    expect(parts).toContain('<span class="err">no answer at 0x44 on i2c-1: check the wiring</span>');
    // The blocks sit in the site's section, below its cards.
    const section = dom.match(new RegExp(`<section class="site" data-site="${SITE}">(.*?)</section>`, 's'))?.[1] ?? '';
    expect(section.indexOf('class="history"')).toBeGreaterThan(section.lastIndexOf('class="card"'));
    expect(section).toContain('class="parts"');
  });

  it('with a token set, still draws the charts, and lists the parts only when the URL fragment carries the token', async () => {
    const token = 'cGFnZS10ZXN0LXRva2VuLTI0aA';
    const locked = await startHttp(
      { host: '127.0.0.1', port: 0, token },
      {
        latest,
        stats: new Stats(),
        depth: () => ({}),
        status: () => ({ site: SITE, nodes: { 'pole-1': { pms5003: { state: 'ok', since: new Date(NOW).toISOString(), errors: 0, warmup_discarded: 0, reopened: 0 } } } }),
        health: () => ({ site: SITE, gateway: 'gw', started_ms: NOW, accepted: 0, rejected: {}, outbox_writable: true, outputs: [], parts: [] }),
        history: createHistory(store, { now: () => NOW }),
      },
    );
    try {
      const bare = await browse('--virtual-time-budget=5000', '--dump-dom', locked.url);
      expect(bare.status).toBe(0);
      expect(chart(bare.stdout, 'pm25')).toContain('data-points="92"');
      expect(bare.stdout).not.toContain('class="parts"');
      const withToken = await browse('--virtual-time-budget=5000', '--dump-dom', `${locked.url}#token=${token}`);
      expect(withToken.status).toBe(0);
      expect(withToken.stdout).toMatch(/<li data-node="pole-1" data-part="pms5003"><b>pole-1\/pms5003<\/b><span class="state ok" data-state="ok">ok<\/span>/);
    } finally {
      await locked.close();
    }
  });

  it.each([
    [390, 844],
    [1280, 800],
  ])('renders the charts at %i×%i (screenshot kept in test-output/)', async (w, h) => {
    const out = resolve('test-output');
    mkdirSync(out, { recursive: true });
    const shot = join(out, `page-24h-${w}x${h}.png`);
    rmSync(shot, { force: true });
    // A phone gets the charts view (no cards: the charts would start below its fold); a desktop the whole page.
    const r = await browse('--virtual-time-budget=5000', `--window-size=${w},${h}`, `--screenshot=${shot}`, w < 600 ? `${http.url}#view=charts` : http.url);
    expect(r.status).toBe(0);
    expect(pngSize(shot)).toEqual([w, h]);
  });
});
