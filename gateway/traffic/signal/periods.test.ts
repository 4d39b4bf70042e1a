import { describe, expect, it } from 'vitest';
import { hourlyProfile, periodsFromProfile } from './index.js';

// A weekday at an urban arterial (veh/h), hour 0 first. Peak ≥ 800 (0.8 × 1000), low < 300 (0.3 × 1000).
const DAY = [50, 40, 30, 30, 60, 150, 400, 1000, 900, 600, 500, 500, 550, 520, 500, 600, 850, 1000, 900, 500, 350, 250, 150, 80];

describe('time-of-day periods from the count profile', () => {
  it('splits a two-peak weekday into morning, am_peak, midday, pm_peak, evening and night', () => {
    const p = periodsFromProfile(DAY);
    expect(p.map((x) => [x.name, x.start_hour, x.end_hour])).toEqual([
      ['night', 21, 6],
      ['morning', 6, 7],
      ['am_peak', 7, 9],
      ['midday', 9, 16],
      ['pm_peak', 16, 19],
      ['evening', 19, 21],
    ].sort((a, b) => (a[1] as number) - (b[1] as number)));
    const am = p.find((x) => x.name === 'am_peak');
    expect(am).toMatchObject({ level: 'peak', hours: [7, 8], mean_vph: 950, design_hour: 7, design_vph: 1000 });
    const night = p.find((x) => x.name === 'night');
    expect(night?.hours).toEqual([21, 22, 23, 0, 1, 2, 3, 4, 5]);
    expect(p.reduce((a, x) => a + x.hours.length, 0)).toBe(24);
  });

  it('band edges: an hour at exactly peakShare × max is peak, at exactly lowShare × max is not low', () => {
    const day = new Array<number>(24).fill(500);
    day[8] = 1000;
    day[9] = 800;
    day[2] = 300;
    day[3] = 299.9;
    day[4] = 0; // two low hours: a single one would join its neighbours (rule 3)
    const p = periodsFromProfile(day);
    expect(p.find((x) => x.level === 'peak')?.hours).toEqual([8, 9]);
    expect(p.filter((x) => x.level === 'low').map((x) => x.hours)).toEqual([[3, 4]]);
  });

  it('a single non-peak hour between two runs of another class joins them', () => {
    const day = [...DAY];
    day[12] = 900; // a lunchtime peak hour stays its own period …
    day[14] = 200; // … but a one-hour dip inside midday does not make a night
    const p = periodsFromProfile(day);
    expect(p.map((x) => x.name)).toEqual(['morning', 'am_peak', 'midday', 'midday_peak', 'midday_2', 'pm_peak', 'evening', 'night']);
    expect(p.find((x) => x.name === 'midday_2')?.hours).toEqual([13, 14, 15]);
  });

  it('averages a week into one day, or only the days asked for', () => {
    const weekend = DAY.map((v) => v / 2);
    const week = [...DAY, ...DAY, ...DAY, ...DAY, ...DAY, ...weekend, ...weekend];
    expect(hourlyProfile(week, [0, 1, 2, 3, 4])).toEqual(DAY);
    expect(hourlyProfile(week)[7]).toBeCloseTo((5 * 1000 + 2 * 500) / 7, 9);
    expect(periodsFromProfile(week, { days: [5, 6] }).map((x) => x.name)).toEqual(periodsFromProfile(DAY).map((x) => x.name));
  });

  it('a flat or empty day is one period', () => {
    expect(periodsFromProfile(new Array<number>(24).fill(0))).toMatchObject([{ name: 'all_day', level: 'low', start_hour: 0, end_hour: 24 }]);
    expect(periodsFromProfile(new Array<number>(24).fill(7))[0]?.level).toBe('peak');
  });

  it('refuses partial days, negative volumes, unknown days and inverted shares', () => {
    expect(() => periodsFromProfile([1, 2, 3])).toThrow(/multiple of 24 values\); got 3/);
    expect(() => hourlyProfile([...DAY.slice(0, 23), -1])).toThrow(/hourly volume 24 is -1/);
    expect(() => hourlyProfile(DAY, [1])).toThrow(/day 1 is not in the series \(days 0–0\)/);
    expect(() => periodsFromProfile(DAY, { peakShare: 0.3, lowShare: 0.5 })).toThrow(/0 ≤ lowShare < peakShare ≤ 1/);
  });
});
