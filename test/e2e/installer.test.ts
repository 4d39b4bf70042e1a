// The installer page in Debian's headless Chromium at a phone's size: every part of the simulated pole shows its
// state and a live value, and the last commissioning record is shown beside the part it judged.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStation } from '../../gateway/config/load.js';
import { startStation, type Station } from '../../gateway/station.js';
import { silentLogger } from '../../gateway/core/log.js';
import { commissioningByNode } from '../../gateway/http/installer-page.js';
import type { CommissioningRecord } from '../../firmware/installer/commission/commission.js';
import { chromium } from '../fakes/chromium.js';
import { fastSimulatedNode } from '../fakes/simulated-station.js';


const PARTS = ['pms5003', 'bme280', 'no2-b43f'];

describe('the installer page on a phone-sized headless Chromium', () => {
  let station: Station;
  let dir: string;
  let dataDir: string;
  let url: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'airlane-installer-'));
    dataDir = join(dir, 'data');
    const config = parseStation(
      JSON.stringify({ site: 'demo-street', simulate: true, data_dir: dataDir, http: { port: 0 }, embedded_broker_port: 0, nodes: [fastSimulatedNode('pole-1', 0.3, 200)] }),
      'installer.test',
      {},
    );
    // A record as `airlane commission` leaves it: the PMS5003 failed its range check.
    mkdirSync(join(dataDir, 'commissioning'), { recursive: true });
    const ok = (name: string) => ({ name, pass: true, detail: 'fine' });
    const record: CommissioningRecord = {
      node: 'pole-1',
      site: 'demo-street',
      pass: false,
      time: '2026-03-02T09:15:00.000Z',
      by: 'ana',
      window_s: 20,
      parts: {
        pms5003: { values: { pm25_ugm3: 1200 }, readings: 6, pass: false, results: [ok('answers') as never, { name: 'in_range', pass: false, detail: "pm25_ugm3 1200 above the PMS5003's 1000 µg/m³ range" }] },
        bme280: { values: { temperature_c: 21 }, readings: 6, pass: true, results: [ok('answers') as never] },
      },
    };
    writeFileSync(join(dataDir, 'commissioning', 'pole-1-2026-03-02T09-15-00-000Z.json'), JSON.stringify(record));
    writeFileSync(join(dataDir, 'commissioning', 'pole-1-2026-03-01T09-00-00-000Z.json'), JSON.stringify({ ...record, time: '2026-03-01T09:00:00.000Z', by: 'old' }));

    station = await startStation(config, silentLogger);
    url = `${station.httpUrl}installer`;

    const deadline = Date.now() + 30_000;
    for (;;) {
      const s = station.latest.snapshot()['demo-street']?.nodes['pole-1'];
      const st = station.statusSnapshot().nodes['pole-1'] as Record<string, { state: string }> | undefined;
      if (s && PARTS.every((p) => s[p] && st?.[p]?.state === 'ok')) break;
      if (Date.now() > deadline) throw new Error('the simulated pole did not have every part ok with a reading within 30 s');
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  afterAll(async () => {
    await station?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const browse = (...args: string[]) => chromium(join(dir, 'profile'), ...args);

  it('keeps the newest commissioning record of each node, and serves them', async () => {
    writeFileSync(join(dataDir, 'commissioning', 'pole-2-2026-01-01T00-00-00-000Z.json'), JSON.stringify({ node: 'pole-2', site: 'demo-street', pass: true, time: '2026-01-01T00:00:00.000Z', by: 'bo', parts: {} }));
    const byNode = commissioningByNode(dataDir);
    expect(Object.fromEntries(Object.entries(byNode).map(([n, r]) => [n, r.by]))).toEqual({ 'pole-1': 'ana', 'pole-2': 'bo' });
    expect(commissioningByNode(join(dir, 'nowhere'))).toEqual({});
    const served = (await (await fetch(`${station.httpUrl}api/v1/commissioning`)).json()) as { nodes: Record<string, { by: string }> };
    expect(served.nodes['pole-1']?.by).toBe('ana');
  });

  it("shows every part's state, a live value and the last commissioning result", async () => {
    const r = await browse('--virtual-time-budget=4000', '--dump-dom', url);
    expect(r.status).toBe(0);
    const dom = r.stdout;
    for (const part of PARTS) {
      const box = dom.match(new RegExp(`<div class="part" data-part="${part}"[^>]*>(.*?)</div><div class="part"|<div class="part" data-part="${part}"[^>]*>(.*)`, 's'));
      expect(box, part).not.toBeNull();
      const html = box![1] ?? box![2]!;
      expect(html).toMatch(/data-state="ok"/);
      expect(html).toMatch(/<span data-quantity="[a-z0-9_]+"><span class="q">[a-z0-9_]+<\/span><b>-?\d+(\.\d+)?<\/b><\/span>/);
    }
    expect(dom).toMatch(/data-part="pms5003".*?data-quantity="pm25_ugm3"/s);
    expect(dom).toMatch(/data-part="bme280".*?data-quantity="temperature_c"/s);
    expect(dom).toContain('✗ commissioning failed 2026-03-02 09:15 by ana');
    expect(dom).toContain("✗ in_range: pm25_ugm3 1200 above the PMS5003's 1000 µg/m³ range");
    expect(dom).toContain('✓ commissioned 2026-03-02 09:15 by ana');
    expect(dom).toMatch(/live · /);
  });

  it('fits a 390 px wide screen (screenshot kept in test-output/installer.png)', async () => {
    const out = resolve('test-output');
    mkdirSync(out, { recursive: true });
    const shot = join(out, 'installer.png');
    rmSync(shot, { force: true });
    const r = await browse('--virtual-time-budget=4000', `--screenshot=${shot}`, url);
    expect(r.status).toBe(0);
    expect(existsSync(shot)).toBe(true);
    const png = readFileSync(shot);
    expect(png.readUInt32BE(16)).toBe(390);
    expect(png.readUInt32BE(20)).toBe(844);
  });
});
