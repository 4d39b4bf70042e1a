import { describe, expect, it } from 'vitest';
import { averageSamples, trimmedMean } from './average.js';

describe('window averaging', () => {
  it('drops one minimum and one maximum when three or more values remain', () => {
    expect(trimmedMean([10, 11, 12, 13, 400])).toBe(12);
    expect(trimmedMean([0, 11, 12, 13, 14])).toBe(12);
  });

  it('keeps every value of a short window', () => {
    expect(trimmedMean([10, 20, 30, 40])).toBe(25);
    expect(trimmedMean([7])).toBe(7);
    expect(trimmedMean([])).toBeNaN();
  });

  it('averages per quantity', () => {
    expect(averageSamples([{ pm25_ugm3: 10, pm10_ugm3: 20 }, { pm25_ugm3: 12 }, { pm25_ugm3: 14, pm10_ugm3: 30 }])).toEqual({ pm25_ugm3: 12, pm10_ugm3: 25 });
  });
});
