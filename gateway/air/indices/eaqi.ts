// European Air Quality Index (EEA), two versions:
//   - 'eaqi'      the 2024 revision: ETC HE Report 2024/17 "EEA's revision of the European Air Quality Index bands",
//                 as published on https://airindex.eea.europa.eu/AQI/index.html — hourly concentrations of all five
//                 pollutants (the viewer's "Averaging time for pollutants" note, quoted in open-meteo-website #1158).
//   - 'eaqi-2020' the 2020–2024 index: PM2.5 and PM10 as 24-hour running means, NO2, O3, SO2 hourly.
// Concentrations in µg/m³. CO is not part of either version.
// The overall index is the poorest sub-index (EEA index description; reference/air-quality.md §2).
//
// Edges: the EEA publishes ranges such as "0–5, 5–15" without saying which end is inclusive. We apply the same
// rule as the ATMO arrêté (lower exclusive, upper inclusive: a value on a bound stays in the better band), which is
// also what the public implementations we checked do (value ≤ upper → that band).
import { bandedInfo, bandedSubIndex } from './banded.js';
import type { BandInfo, Level, Pollutant, SubIndex } from './types.js';

// Labels as the EEA writes them; colours of the EEA viewer legend (2020 palette, unchanged by the 2024 revision).
export const EAQI_LEVELS: readonly Level[] = [
  { level: 1, label: 'Good', colour: '#50F0E6' },
  { level: 2, label: 'Fair', colour: '#50CCAA' },
  { level: 3, label: 'Moderate', colour: '#F0E641' },
  { level: 4, label: 'Poor', colour: '#FF5050' },
  { level: 5, label: 'Very poor', colour: '#960032' },
  { level: 6, label: 'Extremely poor', colour: '#7D2181' },
];

// Upper bounds (µg/m³) of levels 1–5. 2024: ETC HE Report 2024/17 table of bands, hourly values; the top band is
// open ("> 140" for PM2.5 …).
export const EAQI_2024_UPPERS: Readonly<Partial<Record<Pollutant, readonly number[]>>> = {
  pm25: [5, 15, 50, 90, 140],
  pm10: [15, 45, 120, 195, 270],
  no2: [10, 25, 60, 100, 150],
  o3: [60, 100, 120, 160, 180],
  so2: [20, 40, 125, 190, 275],
};

// 2020–2024 bands (EEA European Air Quality Index viewer, 2020 edition). The EEA printed a top band with an upper
// value (PM2.5 75–800 …); those caps are the end of the colour scale, not a limit of validity, so anything above the
// level-5 bound is level 6.
export const EAQI_2020_UPPERS: Readonly<Partial<Record<Pollutant, readonly number[]>>> = {
  pm25: [10, 20, 25, 50, 75], // 24 h running mean
  pm10: [20, 40, 50, 100, 150], // 24 h running mean
  no2: [40, 90, 120, 230, 340],
  o3: [50, 100, 130, 240, 380],
  so2: [100, 200, 350, 500, 750],
};

export type EaqiVersion = '2024' | '2020';

function table(version: EaqiVersion) {
  return version === '2024' ? EAQI_2024_UPPERS : EAQI_2020_UPPERS;
}

export function eaqiSubIndex(version: EaqiVersion, pollutant: Pollutant, c: number): SubIndex {
  const t = table(version);
  const uppers = t[pollutant];
  if (!uppers) throw new RangeError(`the European index does not index ${pollutant}; it indexes ${Object.keys(t).join(', ')}`);
  return bandedSubIndex(EAQI_LEVELS, uppers, c);
}

export function eaqiBands(version: EaqiVersion, pollutant: Pollutant): BandInfo[] {
  const uppers = table(version)[pollutant];
  return uppers ? bandedInfo(EAQI_LEVELS, uppers) : [];
}
