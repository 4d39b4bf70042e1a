import { describe, expect, it } from 'vitest';
import { influxQueries, parseCountsCsv, parseNo2Csv } from './counts.js';

describe('counts CSV', () => {
  it('reads rows in any column order, empty heavy_vehicles as 0, empty lane as "all"', () => {
    const rows = parseCountsCsv('lane,time,vehicles,detector,heavy_vehicles,note\n1,2026-03-02T07:15:00Z,231,n-stop,14,x\n,2026-03-02T07:15:00Z,40,e-stop,,\n');
    expect(rows).toEqual([
      { time: Date.parse('2026-03-02T07:15:00Z'), detector: 'n-stop', lane: '1', vehicles: 231, heavy_vehicles: 14 },
      { time: Date.parse('2026-03-02T07:15:00Z'), detector: 'e-stop', lane: 'all', vehicles: 40, heavy_vehicles: 0 },
    ]);
  });

  it.each([
    ['time,detector,lane,vehicles\n', /line 1: the header has no "heavy_vehicles" column/],
    ['time,detector,lane,vehicles,heavy_vehicles\n2026-03-02 07:15,d,1,3,0\n', /line 2: time "2026-03-02 07:15" is not ISO 8601 UTC/],
    ['time,detector,lane,vehicles,heavy_vehicles\n2026-03-02T07:10:00Z,d,1,3,0\n', /line 2: 2026-03-02T07:10:00Z is not on a 15-min boundary/],
    ['time,detector,lane,vehicles,heavy_vehicles\n2026-03-02T07:15:00Z,d,1,3.5,0\n', /line 2: vehicles "3.5" is not a whole number/],
    ['time,detector,lane,vehicles,heavy_vehicles\n2026-03-02T07:15:00Z,d,1,3,4\n', /line 2: heavy_vehicles 4 > vehicles 3/],
    ['time,detector,lane,vehicles,heavy_vehicles\n2026-03-02T07:15:00Z,d,1,3,0\n2026-03-02T07:15:00Z,d,1,5,0\n', /line 3: a second count for d lane 1/],
    ['time,detector,lane,vehicles,heavy_vehicles\n', /no counts/],
  ])('refuses %j', (text, message) => {
    expect(() => parseCountsCsv(text, 'c.csv')).toThrow(message);
  });

  it('reads NO2 and names a bad value with its line', () => {
    expect(parseNo2Csv('time,no2_ugm3\n2026-03-02T07:00:00Z,48.5\n')).toEqual([{ time: Date.parse('2026-03-02T07:00:00Z'), no2_ugm3: 48.5 }]);
    expect(() => parseNo2Csv('time,no2_ugm3\n2026-03-02T07:00:00Z,high\n', 'n.csv')).toThrow('n.csv: line 2: no2_ugm3 "high" is not a number');
  });

  it('builds the InfluxQL with the site as an escaped string literal', () => {
    const q = influxQueries("o'brien", { days: 7 });
    expect(q.traffic).toBe(
      `SELECT sum("vehicles") AS vehicles, sum("heavy_vehicles") AS heavy_vehicles FROM "traffic" WHERE "site" = 'o\\'brien' AND time > now() - 7d GROUP BY time(15m), "detector", "lane" fill(none)`,
    );
    expect(q.no2).toContain(`FROM "air_traffic" WHERE "site" = 'o\\'brien' AND "window" = '15m'`);
  });

  it('reads a fixed range when given its end (a replay, or a week in the past)', () => {
    const q = influxQueries('s', { days: 7, until: Date.parse('2026-03-09T00:00:00Z') });
    expect(q.traffic).toContain(`AND time >= '2026-03-02T00:00:00.000Z' AND time < '2026-03-09T00:00:00.000Z' GROUP BY`);
  });
});
