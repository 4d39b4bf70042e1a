import { describe, expect, it } from 'vitest';
import { nowcastPm25 } from './index.js';

describe('EPA NowCast for PM2.5', () => {
  it('AirNow worked example (forum.airnowtech.org/t/172): 28.4 µg/m³ with one hour missing', () => {
    // The page lists the 12 hours oldest first: 34.9, 43, 50, 64.9, 69.2, 66.2, 53.7, 48.6, 49.2, 35, (missing), 21
    // and gives 28.4 µg/m³ (AQI 85 with the 2012 breakpoints; the same example is the unit test of two public
    // NowCast ports, e.g. roll_nowcast "Answer should be 28.4 ug/m3 or 85 AQI"). With the 2024 rows:
    // 49/26.3 × (28.4 − 9.1) + 51 = 86.96 → 87.
    const oldestFirst = [34.9, 43, 50, 64.9, 69.2, 66.2, 53.7, 48.6, 49.2, 35, null, 21];
    expect(nowcastPm25([...oldestFirst].reverse())).toEqual({ nowcast: 28.4, aqi: 87, label: 'Moderate' });
  });

  it('EPA training slides "Computing the NowCast": 12 hours 50 … 13 → w = 0.5 → 17.4 µg/m³', () => {
    // Slides list oldest first 50 80 75 90 82 53 64 74 21 10 16 13; range 80/90 gives w* = 0.11, floored to 0.5.
    // Copy of the deck: cdn.slideserve.com/brina/computing-the-nowcast
    const oldestFirst = [50, 80, 75, 90, 82, 53, 64, 74, 21, 10, 16, 13];
    expect(nowcastPm25([...oldestFirst].reverse())).toEqual({ nowcast: 17.4, aqi: 66, label: 'Moderate' });
  });

  it('steady air: w = 1 and the NowCast is the plain mean', () => {
    expect(nowcastPm25([10, 10, 10, 10]).nowcast).toBe(10);
    // w = 8/10 = 0.8 > 0.5: (10 + 8·0.8) / 1.8 = 9.111 → truncated 9.1 → AQI 51
    expect(nowcastPm25([10, 8])).toEqual({ nowcast: 9.1, aqi: 51, label: 'Moderate' });
  });

  it('truncates (never rounds) the NowCast to 0.1 µg/m³', () => {
    // Steady 35.48 (w = 1) → 35.4 → AQI 100, where rounding would give 35.5 → AQI 101.
    expect(nowcastPm25([35.48, 35.48])).toEqual({ nowcast: 35.4, aqi: 100, label: 'Moderate' });
  });

  it('all-zero hours give 0', () => {
    expect(nowcastPm25([0, 0, 0])).toEqual({ nowcast: 0, aqi: 0, label: 'Good' });
  });

  it('needs 2 of the 3 most recent hours', () => {
    expect(nowcastPm25([null, 12, 12])).toMatchObject({ nowcast: 12 });
    expect(nowcastPm25([12, null, 12])).toMatchObject({ nowcast: 12 });
    expect(nowcastPm25([12, null, null, 12, 12, 12])).toEqual({ nowcast: null, aqi: null, label: null });
    expect(nowcastPm25([null, null, 12, 12, 12])).toEqual({ nowcast: null, aqi: null, label: null });
    expect(nowcastPm25([12])).toEqual({ nowcast: null, aqi: null, label: null });
    expect(nowcastPm25([])).toEqual({ nowcast: null, aqi: null, label: null });
  });

  it('uses the 12 most recent hours only', () => {
    const twelve = [20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20];
    expect(nowcastPm25([...twelve, 500, 500])).toEqual(nowcastPm25(twelve));
  });

  it('refuses negative and non-finite hours', () => {
    expect(() => nowcastPm25([5, -1, 5])).toThrow(/hour 2/);
    expect(() => nowcastPm25([5, Number.NaN, 5])).toThrow(RangeError);
    expect(() => nowcastPm25([Number.POSITIVE_INFINITY, 5])).toThrow(RangeError);
  });
});
