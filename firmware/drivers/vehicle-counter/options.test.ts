import { describe, expect, it } from 'vitest';
import { parseVehicleCounterOptions, vehicleCounterOptions } from './options.js';

describe('vehicleCounterOptions', () => {
  it('fills the defaults', () => {
    expect(parseVehicleCounterOptions({ site: 'rue-test', detectors: [{ detector: 'loop-1', pin: 2 }] })).toEqual({
      site: 'rue-test',
      interval_s: 60,
      heavy_min_pulse_ms: 1000,
      debounce_ms: 30,
      detectors: [{ detector: 'loop-1', lane: 'all', direction: 'all', pin: 2, active: 'low' }],
    });
  });

  it('rejects intervals that do not divide a day, the serial pins and unknown keys, saying where', () => {
    expect(() => parseVehicleCounterOptions({ site: 's', interval_s: 7, detectors: [{ detector: 'd', pin: 2 }] }, 'station.yaml counters[0]')).toThrow(
      'station.yaml counters[0]: interval_s: must divide 86400 so intervals align to the clock (e.g. 30, 60, 300, 900)',
    );
    expect(() => parseVehicleCounterOptions({ site: 's', detectors: [{ detector: 'd', pin: 1 }] })).toThrow(
      'detectors.0.pin: pins 0 and 1 carry the serial link to the host; use pin 2 or higher',
    );
    expect(() => parseVehicleCounterOptions({ site: 's', detectors: [{ detector: 'd', pin: 2, pullup: true }] })).toThrow(/detectors\.0/);
  });

  it('rejects a pin used twice and two detectors that would share a series', () => {
    expect(() =>
      parseVehicleCounterOptions({
        site: 's',
        detectors: [
          { detector: 'd', lane: '1', pin: 2 },
          { detector: 'e', pin: 2 },
          { detector: 'd', lane: '1', pin: 3 },
        ],
      }),
    ).toThrow(
      'detectors.1.pin: pin 2 is already used by detectors[0]; detectors.2.detector: detector "d" lane "1" direction "all" ' +
        'repeats detectors[0]; give each its own lane or direction',
    );
  });

  it('stays omit-able, as the station schema drops `site` (zod 4 refuses omit on refined objects)', () => {
    const perStation = vehicleCounterOptions.omit({ site: true });
    expect(perStation.parse({ detectors: [{ detector: 'd', pin: 4 }] }).interval_s).toBe(60);
  });
});
