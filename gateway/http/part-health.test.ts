import { describe, expect, it } from 'vitest';
import { partHealth } from './part-health.js';

describe('partHealth', () => {
  it('maps the runtime status of every node and part', () => {
    const out = partHealth('rue-a', {
      n1: {
        pms5003: { state: 'ok', since: '2026-01-01T00:00:00.000Z', last_reading: '2026-01-01T00:01:00.500Z', errors: 2, warmup_discarded: 3, reopened: 1, stuck: true },
        bme280: { state: 'faulted', since: '2026-01-01T00:00:00.000Z', errors: 7, warmup_discarded: 0, reopened: 0, last_error: 'EIO' },
      },
      n2: {},
    });
    expect(out).toEqual([
      { site: 'rue-a', node: 'n1', part: 'pms5003', state: 'ok', errors: 2, reopened: 1, last_reading_ms: Date.UTC(2026, 0, 1, 0, 1, 0, 500), stuck: true },
      { site: 'rue-a', node: 'n1', part: 'bme280', state: 'faulted', errors: 7, reopened: 0, last_reading_ms: null, stuck: false },
    ]);
  });
});
