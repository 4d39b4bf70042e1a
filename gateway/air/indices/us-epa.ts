// US EPA Air Quality Index, 2024 revision.
// Sources:
//   - Breakpoints: 40 CFR Part 58 Appendix G as amended by 89 FR 16202 (6 March 2024, effective 6 May 2024), and the
//     Technical Assistance Document for the Reporting of Daily Air Quality – the AQI, EPA-454/B-24-002 (May 2024),
//     Table 6. The 2024 revision lowers the PM2.5 "Good" top to 9.0 µg/m³ and merges the two Hazardous rows into a
//     single 301–500 row (PM2.5 225.5–325.4 µg/m³).
//   - Equation, truncation and rounding: TAD §IV "Calculating the AQI" and AirNow's "The AQI Equation (2024 – valid
//     beginning May 6th, 2024)" (forum.airnowtech.org/t/453): truncate the average to the table's resolution
//     (O3 0.001 ppm, PM2.5 0.1 µg/m³, PM10 1 µg/m³; CO 0.1 ppm, SO2 and NO2 1 ppb), interpolate linearly
//         I = (I_hi − I_lo) / (BP_hi − BP_lo) · (C − BP_lo) + I_lo,
//     then round the AQI to the nearest integer (halves up).
//   - Labels and colours: TAD Table 1 (category names) and Table 2 (RGB of green, yellow, orange, red, purple,
//     maroon).
// Edges: every row is inclusive at both ends on the truncated concentration (BP_lo ≤ C ≤ BP_hi); after truncation
// there is no gap between rows (9.0 | 9.1, 54 | 55 ppb …).
// Above the table: AirNow reports AQI values above 500 as "Beyond the AQI" and tells people to follow the Hazardous
// advice (forum.airnowtech.org/t/169); since the 2024 revision AirNow publishes such values as numbers above 500
// (home-assistant/core#140622), computed with the top row's line (asymworks/pyairnow#11, after the 2024 TAD). We do
// the same: extrapolate the 301–500 line, level 6, label "Hazardous". Two pollutants are the exception, because the
// TAD gives their top AQI values to another averaging period: 8-hour O3 above 0.200 ppm (AQI ≥ 301 comes from
// 1-hour O3) and 1-hour SO2 above 304 ppb (AQI ≥ 200 comes from 24-hour SO2); those inputs are refused.
import type { BandInfo, Level, Pollutant, SubIndex } from './types.js';

export const EPA_LEVELS: readonly Level[] = [
  { level: 1, label: 'Good', colour: '#00E400' }, // green 0,228,0
  { level: 2, label: 'Moderate', colour: '#FFFF00' }, // yellow 255,255,0
  { level: 3, label: 'Unhealthy for Sensitive Groups', colour: '#FF7E00' }, // orange 255,126,0
  { level: 4, label: 'Unhealthy', colour: '#FF0000' }, // red 255,0,0
  { level: 5, label: 'Very Unhealthy', colour: '#8F3F97' }, // purple 143,63,151
  { level: 6, label: 'Hazardous', colour: '#7E0023' }, // maroon 126,0,35
];

/** [BP_lo, BP_hi, I_lo, I_hi], concentrations counted in steps of the truncation resolution (1/scale). */
type Row = readonly [number, number, number, number];

interface EpaTable {
  /** What the caller passes: unit and averaging period. */
  input: string;
  /** Steps per unit: truncation keeps floor(c · scale) steps. */
  scale: number;
  rows: readonly Row[];
  /** Why a value above the last row is refused; absent when the last row extrapolates. */
  ceiling?: string;
}

// TAD EPA-454/B-24-002 Table 6, rows in order of AQI 0–50, 51–100, 101–150, 151–200, 201–300, 301–500.
export const EPA_TABLES: Readonly<Partial<Record<Pollutant, EpaTable>>> = {
  pm25: {
    input: 'µg/m³, 24-hour mean',
    scale: 10, // 0.1 µg/m³
    rows: [[0, 90, 0, 50], [91, 354, 51, 100], [355, 554, 101, 150], [555, 1254, 151, 200], [1255, 2254, 201, 300], [2255, 3254, 301, 500]],
  },
  pm10: {
    input: 'µg/m³, 24-hour mean',
    scale: 1,
    rows: [[0, 54, 0, 50], [55, 154, 51, 100], [155, 254, 101, 150], [255, 354, 151, 200], [355, 424, 201, 300], [425, 604, 301, 500]],
  },
  o3: {
    input: 'ppm, 8-hour mean',
    scale: 1000, // 0.001 ppm
    rows: [[0, 54, 0, 50], [55, 70, 51, 100], [71, 85, 101, 150], [86, 105, 151, 200], [106, 200, 201, 300]],
    ceiling: '8-hour O3 above 0.200 ppm has no AQI: the TAD (Table 6 note) takes AQI 301 and above from 1-hour O3',
  },
  co: {
    input: 'ppm, 8-hour mean',
    scale: 10, // 0.1 ppm
    rows: [[0, 44, 0, 50], [45, 94, 51, 100], [95, 124, 101, 150], [125, 154, 151, 200], [155, 304, 201, 300], [305, 504, 301, 500]],
  },
  so2: {
    input: 'ppb, 1-hour mean',
    scale: 1,
    rows: [[0, 35, 0, 50], [36, 75, 51, 100], [76, 185, 101, 150], [186, 304, 151, 200]],
    ceiling: '1-hour SO2 above 304 ppb has no AQI: the TAD (Table 6 note) takes AQI 200 and above from 24-hour SO2',
  },
  no2: {
    input: 'ppb, 1-hour mean',
    scale: 1,
    rows: [[0, 53, 0, 50], [54, 100, 51, 100], [101, 360, 101, 150], [361, 649, 151, 200], [650, 1249, 201, 300], [1250, 2049, 301, 500]],
  },
};

function tableOf(pollutant: Pollutant): EpaTable {
  const t = EPA_TABLES[pollutant];
  if (!t) throw new RangeError(`the US AQI does not index ${pollutant}`);
  return t;
}

// The tiny allowance keeps binary floating point from truncating 35.4 · 10 = 353.99999… down a whole step.
function steps(t: EpaTable, c: number): number {
  return Math.floor(c * t.scale + 1e-7);
}

/** The concentration the AQI equation uses: `c` truncated to the table's resolution (TAD §IV). */
export function truncateForAqi(pollutant: Pollutant, c: number): number {
  const t = tableOf(pollutant);
  return steps(t, c) / t.scale;
}

/** Sub-index of one pollutant; `c` in the unit and averaging period of EPA_TABLES[pollutant].input. */
export function epaSubIndex(pollutant: Pollutant, c: number): SubIndex {
  const t = tableOf(pollutant);
  const u = steps(t, c);
  let i = t.rows.findIndex((r) => u <= r[1]);
  if (i < 0) {
    if (t.ceiling) throw new RangeError(t.ceiling);
    i = t.rows.length - 1; // extrapolate the top row (see the header)
  }
  const [lo, hi, ilo, ihi] = t.rows[i] as Row;
  // Integer arithmetic so that exact halves (e.g. 125.5) round up instead of landing on 125.4999….
  const num = (ihi - ilo) * (u - lo);
  const den = hi - lo;
  const value = ilo + Math.floor((2 * num + den) / (2 * den));
  const lv = EPA_LEVELS[i] as Level;
  return { level: lv.level, label: lv.label, value };
}

export function epaBands(pollutant: Pollutant): BandInfo[] {
  const t = EPA_TABLES[pollutant];
  if (!t) return [];
  // Rows as the TAD prints them; a value above the last row extrapolates (see the header), which a legend shows as
  // the open end of the Hazardous band.
  return t.rows.map(([lo, hi, ilo, ihi], i) => ({ ...(EPA_LEVELS[i] as Level), min: lo / t.scale, max: hi / t.scale, aqiMin: ilo, aqiMax: ihi }));
}
