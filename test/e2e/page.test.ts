// The station page in a real browser (Debian's headless Chromium) at a phone's size: the live figures an
// installer looks for — PM2.5, NO2 and vehicles — are rendered from /api/v1/latest by the page's own script; and,
// from a store holding known values, the ATMO class, corrected values beside raw ones and the quality flags.
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
