// The official air-quality indices: one call turns concentrations into a scheme's level, label and (US) AQI number.
// One module per scheme holds its table and its citation: atmo.ts, eaqi.ts, us-epa.ts; nowcast.ts for EPA NowCast.
// Rules common to all schemes: the overall level is the worst sub-index; `dominant` is the pollutant giving it,
// ties broken by POLLUTANT_ORDER (pm25, pm10, no2, o3, so2, co). For us-epa, "worst" compares AQI numbers.
import { atmoBands, atmoSubIndex, ATMO_LEVELS, ATMO_UPPERS } from './atmo.js';
import { eaqiBands, eaqiSubIndex, EAQI_2020_UPPERS, EAQI_2024_UPPERS, EAQI_LEVELS } from './eaqi.js';
import { epaBands, epaSubIndex, EPA_LEVELS, EPA_TABLES } from './us-epa.js';
import { POLLUTANT_ORDER } from './types.js';
import type { BandInfo, IndexResult, Level, Pollutant, Scheme, SubIndex } from './types.js';

export type { BandInfo, IndexResult, Level, Pollutant, Scheme, SubIndex } from './types.js';
export { POLLUTANT_ORDER } from './types.js';
export { nowcastPm25 } from './nowcast.js';
export type { NowcastResult } from './nowcast.js';

export const SCHEMES: readonly Scheme[] = ['atmo', 'eaqi', 'eaqi-2020', 'us-epa'];

/**
 * `dominant` as a number in `aqi` points (InfluxDB fields here are numbers): stable codes, the contract between the
 * windows aggregator that writes them and the readers (latest store, dashboards). 0 is never written.
 */
export const POLLUTANT_CODE: Readonly<Record<Pollutant, number>> = { pm25: 1, pm10: 2, no2: 3, o3: 4, so2: 5, co: 6 };

export function isScheme(s: string): s is Scheme {
  return (SCHEMES as readonly string[]).includes(s);
}

const pollutantsOf = (t: Partial<Record<Pollutant, unknown>>) => POLLUTANT_ORDER.filter((p) => t[p] !== undefined);

/** Pollutants each scheme indexes, in POLLUTANT_ORDER. */
export const SCHEME_POLLUTANTS: Readonly<Record<Scheme, readonly Pollutant[]>> = {
  atmo: pollutantsOf(ATMO_UPPERS),
  eaqi: pollutantsOf(EAQI_2024_UPPERS),
  'eaqi-2020': pollutantsOf(EAQI_2020_UPPERS),
  'us-epa': pollutantsOf(EPA_TABLES),
};

/** What each scheme expects as input: unit and averaging period (see each module's header for the source). */
export const SCHEME_INPUTS: Readonly<Record<Scheme, Partial<Record<Pollutant, string>>>> = {
  atmo: {
    pm25: 'µg/m³, daily mean',
    pm10: 'µg/m³, daily mean',
    no2: 'µg/m³, daily max of hourly means',
    o3: 'µg/m³, daily max of hourly means',
    so2: 'µg/m³, daily max of hourly means',
  },
  eaqi: { pm25: 'µg/m³, hourly mean', pm10: 'µg/m³, hourly mean', no2: 'µg/m³, hourly mean', o3: 'µg/m³, hourly mean', so2: 'µg/m³, hourly mean' },
  'eaqi-2020': {
    pm25: 'µg/m³, 24-hour running mean',
    pm10: 'µg/m³, 24-hour running mean',
    no2: 'µg/m³, hourly mean',
    o3: 'µg/m³, hourly mean',
    so2: 'µg/m³, hourly mean',
  },
  'us-epa': Object.fromEntries(POLLUTANT_ORDER.flatMap((p) => (EPA_TABLES[p] ? [[p, EPA_TABLES[p].input]] : []))),
};

const LEVELS: Readonly<Record<Scheme, readonly Level[]>> = {
  atmo: ATMO_LEVELS,
  eaqi: EAQI_LEVELS,
  'eaqi-2020': EAQI_LEVELS,
  'us-epa': EPA_LEVELS,
};

/** The scheme's levels, best first, with label and colour: the legend of a dashboard. */
export function levels(scheme: Scheme): readonly Level[] {
  return LEVELS[scheme];
}

/** '#RRGGBB' of a level (1 = best); throws RangeError for a level the scheme does not have. */
export function colour(scheme: Scheme, level: number): string {
  const lv = LEVELS[scheme].find((l) => l.level === level);
  if (!lv) throw new RangeError(`${scheme} has levels 1–${LEVELS[scheme].length}, not ${level}`);
  return lv.colour;
}

/** Bands of one pollutant in one scheme, best first, edges in the scheme's input unit; [] when not indexed. */
export function bands(scheme: Scheme, pollutant: Pollutant): BandInfo[] {
  switch (scheme) {
    case 'atmo':
      return atmoBands(pollutant);
    case 'eaqi':
      return eaqiBands('2024', pollutant);
    case 'eaqi-2020':
      return eaqiBands('2020', pollutant);
    case 'us-epa':
      return epaBands(pollutant);
  }
}

function subIndex(scheme: Scheme, pollutant: Pollutant, c: number): SubIndex {
  switch (scheme) {
    case 'atmo':
      return atmoSubIndex(pollutant, c);
    case 'eaqi':
      return eaqiSubIndex('2024', pollutant, c);
    case 'eaqi-2020':
      return eaqiSubIndex('2020', pollutant, c);
    case 'us-epa':
      return epaSubIndex(pollutant, c);
  }
}

/**
 * Index of a set of concentrations (units and averaging periods: SCHEME_INPUTS). Undefined entries are skipped.
 * RangeError when the scheme is unknown, a value is negative or not finite, a pollutant is not indexed by the
 * scheme, a value lies where the scheme defines no index (us-epa O3 > 0.200 ppm, SO2 > 304 ppb), or nothing is left.
 */
export function airIndex(scheme: Scheme, c: Partial<Record<Pollutant, number>>): IndexResult {
  if (!isScheme(scheme)) throw new RangeError(`unknown scheme "${String(scheme)}"; schemes: ${SCHEMES.join(', ')}`);
  const indexed = SCHEME_POLLUTANTS[scheme];
  const sub: Partial<Record<Pollutant, SubIndex>> = {};
  let worst: { pollutant: Pollutant; s: SubIndex } | undefined;
  for (const key of Object.keys(c)) {
    if (!(POLLUTANT_ORDER as readonly string[]).includes(key)) {
      throw new RangeError(`unknown pollutant "${key}"; pollutants: ${POLLUTANT_ORDER.join(', ')}`);
    }
  }
  for (const pollutant of POLLUTANT_ORDER) {
    const v = c[pollutant];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new RangeError(`${pollutant} is ${v}; concentrations are finite numbers ≥ 0`);
    }
    if (!indexed.includes(pollutant)) {
      throw new RangeError(`${scheme} does not index ${pollutant}; it indexes ${indexed.join(', ')}`);
    }
    const s = subIndex(scheme, pollutant, v);
    sub[pollutant] = s;
    // Strictly greater: on a tie the pollutant earlier in POLLUTANT_ORDER keeps the title.
    if (!worst || s.value > worst.s.value) worst = { pollutant, s };
  }
  if (!worst) throw new RangeError(`no concentration given; ${scheme} indexes ${indexed.join(', ')}`);
  return { scheme, level: worst.s.level, label: worst.s.label, value: worst.s.value, dominant: worst.pollutant, sub };
}
