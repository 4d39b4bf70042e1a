import { describe, expect, it } from 'vitest';
import { LatestStore } from './latest.js';
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
});
