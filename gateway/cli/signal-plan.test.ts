import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runSignalPlan } from './signal-plan.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const INTERSECTION = here('../../hardware/intersections/arterial-4arm.yaml');
const COUNTS = here('../../hardware/intersections/arterial-4arm-counts.csv');
const dir = mkdtempSync(join(tmpdir(), 'airlane-signal-plan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

describe('runSignalPlan', () => {
  it.each([
    [{}, '--intersection FILE is missing'],
    [{ intersection: INTERSECTION }, 'give the counts: --counts CSV or --from-influx URL'],
    [{ intersection: INTERSECTION, counts: COUNTS, fromInflux: 'http://127.0.0.1:8086/airlane' }, 'give --counts or --from-influx, not both'],
  ])('exits 2 on a usage error (%j)', async (opts, message) => {
    const t = io();
    expect(await runSignalPlan(opts, t.io)).toBe(2);
    expect(t.err[0]).toBe(`signal-plan: ${message}${message.startsWith('--intersection') ? '; e.g. --intersection hardware/intersections/arterial-4arm.yaml' : ''}`);
    expect(t.err[1]).toMatch(/^usage: airlane signal-plan/);
    expect(t.out).toEqual([]);
  });

  it('exits 1 with the file, line and key of a bad intersection file', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, readFileSync(INTERSECTION, 'utf8').replace('lanes: 2', 'lanes: two'));
    const t = io();
    expect(await runSignalPlan({ intersection: bad, counts: COUNTS }, t.io)).toBe(1);
    expect(t.err.join('\n')).toMatch(new RegExp(`^signal-plan: ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: 1 problem in the intersection file:\n  line \\d+: movements\\.0\\.lanes: .*number`));
  });

  it('exits 1 naming the line of a bad count', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'time,detector,lane,vehicles,heavy_vehicles\n2026-03-02T07:00:00Z,n-stop,1,-3,0\n');
    const t = io();
    expect(await runSignalPlan({ intersection: INTERSECTION, counts: bad }, t.io)).toBe(1);
    expect(t.err).toEqual([`signal-plan: ${bad}: line 2: vehicles "-3" is not a whole number ≥ 0 — give the vehicles counted in the 15 min`]);
  });

  it('prints a summary for a person and writes plan.json, timing sheets and report.html', async () => {
    const out = join(dir, 'out');
    const t = io();
    expect(await runSignalPlan({ intersection: INTERSECTION, counts: COUNTS, out }, t.io)).toBe(0);
    expect(t.err).toEqual([]);
    expect(t.out[0]).toBe('avenue-x-rue-des-ecoles (site avenue-nord): 6 periods from 7 days of counts, clock Europe/Paris');
    expect(t.out.some((l) => /^ {2}pm_peak {6}16:00–18:00 {2}cycle 90 → \d+ s {2}delay [\d.]+ → [\d.]+ s\/veh/.test(l))).toBe(true);
    expect(t.out.filter((l) => l.startsWith('    air quality: NO2'))).toHaveLength(2);
    expect(t.out.at(-1)).toBe(`wrote 10 files to ${out} (plan.json, timing sheets, report.html)`);
    for (const f of ['plan.json', 'report.html', 'timing-am_peak.csv', 'timing-am_peak-air-quality.csv', 'timing-night.csv']) expect(existsSync(join(out, f))).toBe(true);
    const plan = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8')) as { periods: Array<{ name: string; proposed: { cycle_s: number } }>; inputs: { no2: string } };
    expect(plan.periods.map((p) => p.name)).toEqual(['morning', 'am_peak', 'midday', 'pm_peak', 'evening', 'night']);
    expect(plan.inputs.no2).toMatch(/arterial-4arm-no2\.csv \(672 values\)$/);
  });

  it('prints the whole result as one JSON object with --json, and writes nothing without --out', async () => {
    const t = io();
    expect(await runSignalPlan({ intersection: INTERSECTION, counts: COUNTS, json: true }, t.io)).toBe(0);
    expect(t.out).toHaveLength(1);
    const r = JSON.parse(t.out[0]!) as { intersection: { id: string }; files: string[]; periods: unknown[] };
    expect(r.intersection.id).toBe('avenue-x-rue-des-ecoles');
    expect(r.files).toEqual([]);
    expect(r.periods).toHaveLength(6);
  });

  it('takes --no2 instead of the file named in the intersection file', async () => {
    const no2 = join(dir, 'no2.csv');
    writeFileSync(no2, 'time,no2_ugm3\n2026-03-03T07:00:00Z,20\n');
    const t = io();
    expect(await runSignalPlan({ intersection: INTERSECTION, counts: COUNTS, no2, json: true }, t.io)).toBe(0);
    const r = JSON.parse(t.out[0]!) as { periods: Array<{ polluted: boolean; air_quality: unknown }> };
    expect(r.periods.every((p) => !p.polluted && p.air_quality === null)).toBe(true);
  });

  it('exits 1 when InfluxDB does not answer', async () => {
    const t = io();
    expect(await runSignalPlan({ intersection: INTERSECTION, fromInflux: 'http://127.0.0.1:1/airlane' }, t.io)).toBe(1);
    expect(t.err[0]).toMatch(/^signal-plan: InfluxDB at http:\/\/127\.0\.0\.1:1: .* — check the URL and that influxd runs$/);
  });
});
