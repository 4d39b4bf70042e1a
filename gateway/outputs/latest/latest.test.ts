import { describe, expect, it } from 'vitest';
import { LatestStore } from './latest.js';
import { QC } from '../../core/qc.js';
import type { Metric } from '../../core/metric.js';

const T = Date.parse('2026-11-25T08:00:00.000Z');
const air = (time: number, pm25: number, node = 'n1'): Metric => ({ measurement: 'air', tags: { site: 'rue', node, part: 'pms5003' }, fields: { pm25_ugm3: pm25 }, time });

describe('latest store', () => {
  it('keeps the newest value of each quantity per site, node, part, detector and window', async () => {
    const s = new LatestStore();
    await s.write([
      air(T, 10),
      air(T + 1000, 12),
      { measurement: 'traffic', tags: { site: 'rue', detector: 'd1', lane: '2', direction: 'n' }, fields: { vehicles: 7, interval_s: 60 }, time: T },
      { measurement: 'air_traffic', tags: { site: 'rue', window: '1m' }, fields: { vehicles: 7 }, time: T },
    ]);
    expect(s.snapshot()).toEqual({
      rue: {
        nodes: { n1: { pms5003: { pm25_ugm3: { value: 12, time: '2026-11-25T08:00:01.000Z' } } } },
        detectors: { d1: { '2': { vehicles: { value: 7, time: '2026-11-25T08:00:00.000Z' }, interval_s: { value: 60, time: '2026-11-25T08:00:00.000Z' } } } },
        windows: { '1m': { vehicles: { value: 7, time: '2026-11-25T08:00:00.000Z' } } },
        aqi: {},
      },
    });
  });

  it('never lets replayed older data hide a newer value', async () => {
    const s = new LatestStore();
    await s.write([air(T + 5000, 30), air(T, 99)]);
    expect(s.snapshot().rue?.nodes.n1?.pms5003?.pm25_ugm3).toEqual({ value: 30, time: '2026-11-25T08:00:05.000Z' });
  });

  it('treats hostile names as plain keys', async () => {
    const s = new LatestStore();
    await s.write([air(T, 1, '__proto__')]);
    expect(({} as Record<string, unknown>).pms5003).toBeUndefined();
    expect(Object.keys(s.snapshot().rue!.nodes)).toEqual(['__proto__']);
  });

  it('keeps the newest index per site and scheme, decoding the dominant pollutant and the kerbside mark', async () => {
    const s = new LatestStore();
    const aqi = (scheme: string, time: number, fields: Record<string, number>): Metric => ({ measurement: 'aqi', tags: { site: 'rue', scheme }, fields, time });
    await s.write([
      // Dominant codes of the windows aggregator (POLLUTANT_CODE): 1 = pm25, 3 = no2.
      aqi('atmo', T, { level: 3, value: 3, dominant: 1, indicative: 1, pm25_level: 3, no2_level: 2, hours: 9, qc: QC.low_completeness }),
      aqi('us-epa', T, { level: 2, value: 57, dominant: 3, pm25_level: 1, pm25_aqi: 40, no2_level: 2, no2_aqi: 57, qc: 0 }),
      aqi('eaqi', T, { level: 4, value: 4 }),
      // A replayed, older ATMO never replaces the newer one.
      aqi('atmo', T - 86_400_000, { level: 1, value: 1, dominant: 3 }),
    ]);
    expect(s.snapshot().rue?.aqi).toEqual({
      atmo: { level: 3, value: 3, dominant: 'pm25', indicative: true, sub: { pm25: 3, no2: 2 }, flags: ['low_completeness'], hours: 9, time: '2026-11-25T08:00:00.000Z' },
      'us-epa': { level: 2, value: 57, dominant: 'no2', indicative: false, sub: { pm25: 1, no2: 2 }, flags: [], hours: null, time: '2026-11-25T08:00:00.000Z' },
      eaqi: { level: 4, value: 4, dominant: null, indicative: false, sub: {}, flags: [], hours: null, time: '2026-11-25T08:00:00.000Z' },
    });
    // The same day re-emitted as its hours arrive replaces the earlier value; an unknown code is no pollutant.
    await s.write([aqi('atmo', T, { level: 2, value: 2, dominant: 0, indicative: 1, hours: 20, qc: 0 })]);
    expect(s.snapshot().rue?.aqi.atmo).toEqual({ level: 2, value: 2, dominant: null, indicative: true, sub: {}, flags: [], hours: 20, time: '2026-11-25T08:00:00.000Z' });
  });

  it('ignores an aqi point without a scheme or a level', async () => {
    const s = new LatestStore();
    await s.write([
      { measurement: 'aqi', tags: { site: 'rue' }, fields: { level: 2 }, time: T },
      { measurement: 'aqi', tags: { site: 'rue', scheme: 'atmo' }, fields: { value: 2 }, time: T },
    ]);
    expect(s.snapshot().rue?.aqi).toEqual({});
  });

  it('spells the qc mask of the newest reading out as flag names, beside the corrected and raw values', async () => {
    const s = new LatestStore();
    const point = (time: number, qc: number, pm25: number, corrected: number): Metric => ({
      measurement: 'air',
      tags: { site: 'rue', node: 'n1', part: 'pms5003' },
      fields: { pm25_ugm3: pm25, pm25_corrected_ugm3: corrected, qc },
      time,
    });
    // warming_up (bit 3) | stuck (bit 1) = 8 + 2; then a clean reading; then a late one that must not win.
    await s.write([point(T, 10, 14, 9.8)]);
    expect(s.snapshot().rue?.nodes.n1?.pms5003).toEqual({
      pm25_ugm3: { value: 14, time: '2026-11-25T08:00:00.000Z' },
      pm25_corrected_ugm3: { value: 9.8, time: '2026-11-25T08:00:00.000Z' },
      qc: { value: 10, time: '2026-11-25T08:00:00.000Z', flags: ['stuck', 'warming_up'] },
    });
    await s.write([point(T + 1000, 0, 12, 8.1), point(T - 1000, 1, 500, 300)]);
    expect(s.snapshot().rue?.nodes.n1?.pms5003?.qc).toEqual({ value: 0, time: '2026-11-25T08:00:01.000Z', flags: [] });
    expect(s.snapshot().rue?.nodes.n1?.pms5003?.pm25_corrected_ugm3).toEqual({ value: 8.1, time: '2026-11-25T08:00:01.000Z' });
  });
});
