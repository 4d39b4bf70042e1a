// The Node-RED package (dashboards/node-red, plain CommonJS, no dependencies) keeps its own copy of the ATMO/EAQI
// tables and of the Reading rules. These tests hold the copies to the originals: gateway/air/indices and
// firmware/contract.ts ReadingSchema.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { airIndex, bands, levels, type BandInfo, type Level, type Pollutant } from '../../gateway/air/indices/index.js';
import { euConcentrations, NO2_UGM3_PER_PPB_20C } from '../../gateway/aggregators/windows/site-indices.js';
import { ReadingSchema } from '../../gateway/core/reading.js';

type Scheme = 'atmo' | 'eaqi';
interface NrBands {
  SCHEMES: Scheme[];
  POLLUTANT_ORDER: Pollutant[];
  levels(scheme: Scheme): Level[];
  bands(scheme: Scheme, pollutant: Pollutant): BandInfo[];
  airIndex(scheme: Scheme, c: Partial<Record<Pollutant, number>>): { level: number; label: string; colour: string; dominant: Pollutant } | undefined;
}
interface NrReading {
  readingProblems(r: unknown): string[];
  topicProblem(topic: string, r: { site: string; node: string }): string | undefined;
}
interface NrWindow {
  NO2_UGM3_PER_PPB_20C: number;
  concentrations(values: Record<string, number>): Partial<Record<Pollutant, number>>;
}
interface NrHysteresis {
  Hysteresis: new (o: { raiseAt: number; clearAt: number; raiseForMs: number; clearForMs: number }) => {
    update(key: string, t: number, value: number): { event: 'raise' | 'clear'; since: number; t: number; durationMs: number } | undefined;
  };
}

const require = createRequire(import.meta.url);
const nr = require('../../dashboards/node-red/lib/bands.js') as NrBands;
const nrReading = require('../../dashboards/node-red/lib/reading.js') as NrReading;
const nrWindow = require('../../dashboards/node-red/lib/window.js') as NrWindow;
const { Hysteresis } = require('../../dashboards/node-red/lib/hysteresis.js') as NrHysteresis;
const ALL: Pollutant[] = ['pm25', 'pm10', 'no2', 'o3', 'so2', 'co'];

describe('node-red bands agree with gateway/air/indices', () => {
  it.each(['atmo', 'eaqi'] as const)('%s: levels and every pollutant’s bands are identical', (scheme) => {
    expect(nr.levels(scheme)).toEqual(levels(scheme));
    for (const p of ALL) expect(nr.bands(scheme, p), `${scheme} ${p}`).toEqual(bands(scheme, p));
    expect(nr.bands(scheme, 'pm25')).toHaveLength(6);
  });

  it.each(['atmo', 'eaqi'] as const)('%s: same level, label and dominant on every band edge and between', (scheme) => {
    const pollutants = nr.POLLUTANT_ORDER;
    for (const p of pollutants) {
      const edges = bands(scheme, p).flatMap((b) => (b.max === null ? [b.min + 1] : [b.min, b.max, b.max + 0.01]));
      for (const c of edges) {
        const want = airIndex(scheme, { [p]: c });
        expect(nr.airIndex(scheme, { [p]: c }), `${scheme} ${p} ${c}`).toMatchObject({ level: want.level, label: want.label, dominant: want.dominant });
      }
    }
    // Ties go to the pollutant first in POLLUTANT_ORDER, as in the gateway.
    const mixed = { pm25: 12, pm10: 30, no2: 60 };
    expect(nr.airIndex('atmo', mixed)).toMatchObject({ level: 2, label: 'Moyen', dominant: 'pm25', colour: '#50CCAA' });
    expect(airIndex('atmo', mixed)).toMatchObject({ level: 2, dominant: 'pm25' });
  });
});

describe('node-red concentrations agree with the gateway’s site indices', () => {
  it.each([
    [{ pm25_ugm3: 12, pm10_ugm3: 20, no2_ppb: 20 }],
    [{ pm25_ugm3: 12, pm25_corrected_ugm3: 9, no2_ugm3: 41, no2_corrected_ppb: 18 }],
    [{ pm10_corrected_ugm3: 33, no2_corrected_ugm3: 50, no2_ppb: 10 }],
  ])('%o', (values) => {
    expect(nrWindow.NO2_UGM3_PER_PPB_20C).toBe(NO2_UGM3_PER_PPB_20C);
    expect(nrWindow.concentrations(values)).toEqual(euConcentrations(values));
  });
});

describe('node-red Reading checks agree with ReadingSchema', () => {
  const good = { v: 1, site: 'quai-ouest', node: 'gw1', part: 'pms5003', time: '2026-03-02T08:00:00.000Z', clock: 'ntp', values: { pm25_ugm3: 12.5 } };
  const cases: [string, unknown][] = [
    ['valid', good],
    ['valid with flags', { ...good, flags: ['warming_up'] }],
    ['no milliseconds', { ...good, time: '2026-03-02T08:00:00Z' }],
    ['offset', { ...good, time: '2026-03-02T08:00:00.000+01:00' }],
    ['30 February', { ...good, time: '2026-02-30T08:00:00.000Z' }],
    ['v 2', { ...good, v: 2 }],
    ['topic wildcard in site', { ...good, site: 'a+b' }],
    ['slash in node', { ...good, node: 'a/b' }],
    ['empty part', { ...good, part: '' }],
    ['site of 65 chars', { ...good, site: 'x'.repeat(65) }],
    ['reserved site', { ...good, site: 'constructor' }],
    ['bad clock', { ...good, clock: 'gps' }],
    ['no values', { ...good, values: {} }],
    ['string value', { ...good, values: { pm25_ugm3: '12' } }],
    ['CamelCase quantity', { ...good, values: { Pm25: 1 } }],
    ['unknown key', { ...good, extra: 1 }],
    ['bad flag', { ...good, flags: ['Bad flag'] }],
    ['array', [good]],
    ['null', null],
  ];
  it.each(cases)('%s', (_name, payload) => {
    const zodOk = ReadingSchema.safeParse(payload).success;
    expect(nrReading.readingProblems(payload).length === 0).toBe(zodOk);
  });

  it('names the topic/payload mismatch', () => {
    expect(nrReading.topicProblem('airlane/v1/quai-ouest/gw1/reading', good)).toBeUndefined();
    expect(nrReading.topicProblem('airlane/v1/quai-ouest/gw2/reading', good)).toBe(
      'topic "airlane/v1/quai-ouest/gw2/reading" names site "quai-ouest", node "gw2" but the reading says site "quai-ouest", node "gw1"',
    );
  });
});

describe('node-red alert hysteresis', () => {
  const MIN = 60_000;
  it('needs an unbroken run for the minimum duration; the dead band breaks a pending change', () => {
    const h = new Hysteresis({ raiseAt: 4, clearAt: 3, raiseForMs: 3 * MIN, clearForMs: 2 * MIN });
    const feed = (levelsByMinute: number[]) => levelsByMinute.map((lv, m) => h.update('s', m * MIN, lv)?.event ?? '-');
    // minute:  0  1  2  3  4  5  6  7  8  9 10 11 12
    expect(feed([4, 4, 2, 4, 5, 4, 4, 4, 3, 4, 3, 3, 3])).toEqual(['-', '-', '-', '-', '-', '-', 'raise', '-', '-', '-', '-', '-', 'clear']);
  });

  it('ignores a message older than the last one', () => {
    const h = new Hysteresis({ raiseAt: 4, clearAt: 3, raiseForMs: 0, clearForMs: 0 });
    expect(h.update('s', 10 * MIN, 4)?.event).toBe('raise');
    expect(h.update('s', 5 * MIN, 1)).toBeUndefined();
    expect(h.update('s', 11 * MIN, 1)?.event).toBe('clear');
  });
});
