// The station page in a real browser (Debian's headless Chromium) at a phone's size: the live figures an
// installer looks for — PM2.5, NO2 and vehicles — are rendered from /api/v1/latest by the page's own script.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStation } from '../../gateway/config/load.js';
import { startStation, type Station } from '../../gateway/station.js';
import { silentLogger } from '../../gateway/core/log.js';
import { chromium } from '../fakes/chromium.js';
import { fastSimulatedNode } from '../fakes/simulated-station.js';


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
    // The values move every 200 ms, so check their form: a PMS5003 resolves 1 µg/m³, the NO2 card shows 0.1 ppb.
    expect(card('pm25_ugm3')).toMatch(/^\d+$/);
    expect(card('no2_ppb')).toMatch(/^-?\d+\.\d$/);
    expect(card('vehicles')).toMatch(/^\d+$/);
    expect(dom).toContain('demo-street');
    // Most wanted first: PM2.5, then NO2, then vehicles.
    const order = ['pm25_ugm3', 'no2_ppb', 'vehicles'].map((q) => dom.indexOf(`data-quantity="${q}"`));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(dom).toMatch(/live · /);
  });

  it('fits a 390 px wide screen (screenshot for a person to look at)', async () => {
    const shot = join(dir, 'page.png');
    const r = await browse('--virtual-time-budget=4000', `--screenshot=${shot}`, station.httpUrl);
    expect(r.status).toBe(0);
    expect(existsSync(shot)).toBe(true);
    if (process.env.AIRLANE_KEEP_SCREENSHOT) writeFileSync(process.env.AIRLANE_KEEP_SCREENSHOT, readFileSync(shot));
    const png = readFileSync(shot);
    // PNG IHDR: width and height, big-endian, at bytes 16 and 20.
    expect(png.readUInt32BE(16)).toBe(390);
    expect(png.readUInt32BE(20)).toBe(844);
  });
});
