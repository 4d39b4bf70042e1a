import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checklist, runCommission } from './commission.js';
import { partModules } from '../../firmware/drivers/index.js';
import { pms5003Part } from '../../firmware/drivers/pms5003/part.js';
import type { PartModule } from '../../firmware/drivers/types.js';
import type { CommissioningRecord } from '../../firmware/installer/commission/commission.js';
import { fastSimulatedNode } from '../../test/fakes/simulated-station.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'airlane-commission-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function stationFile(extra: Record<string, unknown> = {}): string {
  const file = join(dir, 'station.json');
  writeFileSync(file, JSON.stringify({ site: 'demo-street', simulate: true, data_dir: join(dir, 'data'), nodes: [fastSimulatedNode('pole-1', 0.2, 150)], ...extra }));
  return file;
}

const capture = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
};

describe('airlane commission', () => {
  it('passes a healthy simulated node, saves the record and publishes it retained', async () => {
    const { out, err, io } = capture();
    const published: [string, string, string][] = [];
    const code = await runCommission({ station: stationFile({ mqtt: { url: 'mqtt://broker.invalid:1883' } }), by: 'ana', seconds: 30 }, io, {
      publish: async (url, topic, payload) => void published.push([url, topic, payload]),
    });
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const files = readdirSync(join(dir, 'data', 'commissioning'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^pole-1-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z\.json$/);
    const record = JSON.parse(readFileSync(join(dir, 'data', 'commissioning', files[0]!), 'utf8')) as CommissioningRecord;
    expect(record).toMatchObject({ node: 'pole-1', site: 'demo-street', pass: true, by: 'ana' });
    expect(Object.keys(record.parts)).toEqual(['pms5003', 'bme280', 'no2-b43f']);
    expect(record.parts.pms5003!.results.map((r) => r.name)).toEqual(['answers', 'warmed_up', 'in_range', 'not_stuck', 'consistent']);
    expect(record.parts.bme280!.values.temperature_c).toEqual(expect.any(Number));
    expect(record.parts.bme280!.readings).toBeGreaterThanOrEqual(5);
    expect(published.map(([u, t]) => [u, t])).toEqual([['mqtt://broker.invalid:1883', 'airlane/v1/demo-street/pole-1/commissioning']]);
    expect(JSON.parse(published[0]![2])).toEqual(record);
    expect(out[0]).toBe('✓ node pole-1 (demo-street)');
    expect(out).toContain(' ✓ pms5003');
    expect(out).toContain('   ✓ not_stuck');
    expect(out.filter((l) => !/^(saved|published) /.test(l)).every((l) => l.length <= 40)).toBe(true);
    expect(out.at(-1)).toBe('published airlane/v1/demo-street/pole-1/commissioning');
    // The stuck check needs 5 s of readings: a guard, not a timing assertion.
  }, 60_000);

  it('fails a part whose values are frozen, naming the check', async () => {
    // The real driver over the simulated line, with every frame's values pinned: what a hung sensor looks like.
    const frozen: PartModule<any> = {
      ...pms5003Part,
      async open(options, env) {
        const h = await pms5003Part.open(options, env);
        return { ...h, stream: (onSample, onError, onLost) => h.stream!((s) => onSample({ ...s, values: { pm1_ugm3: 4, pm25_ugm3: 9, pm10_ugm3: 11 } }), onError, onLost) };
      },
    };
    const { out, io } = capture();
    const code = await runCommission({ station: stationFile(), node: 'pole-1', seconds: 30 }, io, {
      modules: partModules.map((m) => (m.definition.id === 'pms5003' ? frozen : m)),
    });
    expect(code).toBe(1);
    expect(out[0]).toBe('✗ node pole-1 (demo-street)');
    expect(out).toContain(' ✗ pms5003');
    expect(out).toContain('   ✗ not_stuck');
    expect(out).toContain(' ✓ bme280');
    expect(out.join(' ').replace(/\s+/g, ' ')).toMatch(/✗ not_stuck \d+ identical readings over [\d.]+ s \(pm1_ugm3 4, pm25_ugm3 9, …\): the part looks frozen/);
    expect(out).toContain('no mqtt url in the station: not published');
  }, 60_000);

  it('prints the record as one JSON line with --json', async () => {
    const { out, io } = capture();
    // One second: enough for a record, too short for the stuck check to judge (it says so).
    const code = await runCommission({ station: stationFile(), json: true, seconds: 1 }, io);
    expect(out).toHaveLength(1);
    const record = JSON.parse(out[0]!) as CommissioningRecord;
    expect(record).toMatchObject({ node: 'pole-1', site: 'demo-street', window_s: 1 });
    expect(code).toBe(record.pass ? 0 : 1);
    expect(record.parts.bme280!.results.find((r) => r.name === 'not_stuck')?.detail).toMatch(/too few to judge/);
  });

  it('refuses bad usage with exit 2 and one plain line', async () => {
    const a = capture();
    expect(await runCommission({}, a.io)).toBe(2);
    expect(a.err).toEqual(['commission: --station FILE is missing; give the station file of this pole, e.g. --station /etc/airlane/station.yaml']);
    const b = capture();
    expect(await runCommission({ station: stationFile(), node: 'pole-9' }, b.io)).toBe(2);
    expect(b.err).toEqual([`commission: no node "pole-9" in ${join(dir, 'station.json')}; nodes: pole-1`]);
    const c = capture();
    expect(await runCommission({ station: join(dir, 'missing.yaml') }, c.io)).toBe(2);
    expect(c.err[0]).toContain('missing.yaml');
    expect(c.err.join('\n')).toContain('check the path');
  });
});

it('checklist wraps a failed check’s reason inside 40 columns', () => {
  const record: CommissioningRecord = {
    node: 'pole-1',
    site: 's',
    pass: false,
    time: '2026-01-01T00:00:00.000Z',
    by: 'x',
    window_s: 10,
    parts: {
      pms5003: { values: {}, readings: 1, pass: false, results: [{ name: 'in_range', pass: false, detail: "pm25_ugm3 1200 above the PMS5003's 1000 µg/m³ range" }] },
    },
  };
  expect(checklist(record)).toEqual(['✗ node pole-1 (s)', ' ✗ pms5003', '   ✗ in_range', "     pm25_ugm3 1200 above the PMS5003's", '     1000 µg/m³ range']);
});
