// Alphasense AAN 803 background-current correction for four-electrode sensors (Alphasense Application Note
// AAN 803, "Correcting for background currents in four electrode toxic gas sensors"; summarised in
// /work/shared/reference/protocols.md §6). Pure functions: no bus, no I/O.
//
//   WEt = WEu − WEe,  AEt = AEu − AEe          (u: measured, e: ISB electronic zero, o: sensor zero; all mV)
//   algorithm 1:  WEc = WEt − nT · AEt
//   algorithm 2:  WEc = WEt − kT · (WEo / AEo) · AEt
//   algorithm 3:  WEc = WEt − (WEo − AEo) − k'T · AEt
//   algorithm 4:  WEc = WEt − WEo − k''T                   (k''T in mV)
//   ppb = WEc / sensitivity (mV/ppb, ISB gain folded in)
//
// Each algorithm is "WEt minus an estimate of the background", so one table of background estimates serves
// both the correction and its inverse (the simulator).

/** Temperatures (°C) at which AAN 803 tabulates its correction factors. */
export const FACTOR_TEMPERATURES_C = [-30, -20, -10, 0, 10, 20, 30, 40, 50] as const;

export const SERIES = ['B4', 'A4'] as const;
export type Series = (typeof SERIES)[number];
export const ALGORITHMS = [1, 2, 3, 4] as const;
export type AlgorithmId = (typeof ALGORITHMS)[number];

/** AAN 803's name for each algorithm's temperature factor. */
export const FACTOR_NAMES: Record<AlgorithmId, string> = { 1: 'nT', 2: 'kT', 3: "k'T", 4: "k''T" };

/** The sensor each series' tables belong to. */
export const SERIES_SENSOR: Record<Series, string> = { B4: 'NO2-B43F', A4: 'NO2-A43F' };

// Where the rows come from (all −30…50 °C in 10 °C steps):
//  [SCD] fablabbcn/smartcitizen-data scdata/_config/config.py `_as_sensor_algs`, "From Tables 2 and 3 of AAN 803-04"
//        (commit 1c705219dcab15a1319a95fc7fe128212b601083): keys 'ASB4_NO2' and 'ASA4_NO2' hold algorithms 1 and 3.
//  [OAC] OpenAirCgn/openair-firmware-mg src/alphasense.c `tempCompFactors` (commit
//        2ab0ac813028db4587636f8f41a35455e04c5f13; alphasense.h: "Most taken from Alphasense Application Note
//        AAN 803-05"): rows ALPHA_SENS_NO_B43F / ALPHA_SENS_NO_A43F (named "NO" there, but A43F/B43F are the NO2 cells).
//  [SCS] south-coast-science/scs_core src/scs_core/gas/a4/a4_temp_comp.py `Sensor.CODE_NO2` (AAN 803-02 draft).
//  [REF] /work/shared/reference/protocols.md §6.
/**
 * NO2 correction factors per series and algorithm, one value per FACTOR_TEMPERATURES_C entry. A missing
 * algorithm means no citable table was found for that series; the options refuse it (options.ts).
 */
export const NO2_FACTORS = {
  B4: {
    1: [1.3, 1.3, 1.3, 1.3, 1.0, 0.6, 0.4, 0.2, -1.5], // nT: [SCD] ASB4_NO2[1], [OAC], [REF]
    2: [2.2, 2.2, 2.2, 2.2, 1.7, 1.0, 0.7, 0.3, -2.5], // kT: [OAC] NO_B43F row 2, [REF] (not in [SCD])
    3: [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.4, -0.1, -4.0], // k'T: [SCD] ASB4_NO2[3], [OAC], [REF]
    4: [7, 7, 7, 7, 4, 0, 0.5, 5, 67], // k''T mV: [OAC] NO_B43F row 4, [REF] (not in [SCD])
  },
  // kT and k''T rows for the NO2-A43F appear only in [OAC], whose table carries visible transcription slips in
  // other rows (OX-B431 ".15, .17", CO-A4 k''T with 8 values); single-sourced, so not adopted.
  A4: {
    1: [0.8, 0.8, 1.0, 1.2, 1.6, 1.8, 1.9, 2.5, 3.6], // nT: [SCD] ASA4_NO2[1], [SCS], [OAC], [REF]
    3: [0.2, 0.2, 0.2, 0.2, 0.7, 1.0, 1.3, 2.1, 3.5], // k'T: [SCD] ASA4_NO2[3], [OAC]
  },
} as const satisfies Record<Series, Partial<Record<AlgorithmId, readonly number[]>>>;

/** The factor row for a series and algorithm, or undefined when there is no table for it. */
export function factorRow(series: Series, algorithm: AlgorithmId): readonly number[] | undefined {
  const rows: Partial<Record<AlgorithmId, readonly number[]>> = NO2_FACTORS[series];
  return rows[algorithm];
}

/** The algorithms a series has tables for, ascending. */
export function algorithmsFor(series: Series): AlgorithmId[] {
  return ALGORITHMS.filter((a) => factorRow(series, a) !== undefined);
}

/**
 * A factor at `temperatureC`: linear between the 10 °C table steps, held at the end values outside −30…50 °C
 * (AAN 803 tabulates no factor beyond its range, and extrapolating the steep 40→50 °C step would run away).
 */
export function interpolateFactor(row: readonly number[], temperatureC: number): number {
  if (!Number.isFinite(temperatureC)) throw new RangeError(`temperature must be a finite number of °C, got ${temperatureC}`);
  const first = FACTOR_TEMPERATURES_C[0];
  const last = FACTOR_TEMPERATURES_C[FACTOR_TEMPERATURES_C.length - 1] ?? first;
  const t = Math.min(last, Math.max(first, temperatureC));
  const i = Math.min(FACTOR_TEMPERATURES_C.length - 2, Math.floor((t - first) / 10));
  const t0 = FACTOR_TEMPERATURES_C[i] ?? first;
  const y0 = row[i] ?? NaN;
  const y1 = row[i + 1] ?? NaN;
  return y0 + ((y1 - y0) * (t - t0)) / 10;
}

export function nT(series: Series, temperatureC: number): number {
  return interpolateFactor(NO2_FACTORS[series][1], temperatureC);
}

/** The factor of `algorithm` for `series` at `temperatureC`; throws when the series has no such table. */
export function correctionFactor(series: Series, algorithm: AlgorithmId, temperatureC: number): number {
  const row = factorRow(series, algorithm);
  if (!row) throw new RangeError(noTableMessage(series, algorithm));
  return interpolateFactor(row, temperatureC);
}

/** "1", "1 or 3", "1, 3 or 4". */
function orList(items: readonly (string | number)[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function noTableMessage(series: Series, algorithm: AlgorithmId): string {
  const others = orList(algorithmsFor(series));
  const elsewhere = SERIES.filter((s) => s !== series && factorRow(s, algorithm) !== undefined);
  return (
    `AAN 803 algorithm ${algorithm} needs a ${FACTOR_NAMES[algorithm]} table, and there is none for series ${series} ` +
    `(${SERIES_SENSOR[series]})${elsewhere.length ? ` — only for ${orList(elsewhere)}` : ''}; set algorithm: ${others}`
  );
}

export interface SensorConstants {
  we_zero_electronic_mv: number;
  ae_zero_electronic_mv: number;
  sensitivity_mv_per_ppb: number;
}

/** The calibration sheet: electronic zeros, sensor zeros (WEo, AEo) and sensitivity. */
export interface SheetConstants extends SensorConstants {
  we_zero_sensor_mv: number;
  ae_zero_sensor_mv: number;
}

/** Everything a correction needs: the sheet plus which table and algorithm (the parsed options fit). */
export interface CorrectionSettings extends SheetConstants {
  series: Series;
  algorithm: AlgorithmId;
}

/**
 * Why these settings cannot be used, keyed by the option to change, or undefined when they can. Shared by the
 * options schema (a config error) and `aan803` (a RangeError for direct callers).
 */
export function settingsProblem(
  s: Pick<CorrectionSettings, 'series' | 'algorithm' | 'ae_zero_sensor_mv'>,
): { key: 'algorithm' | 'ae_zero_sensor_mv'; message: string } | undefined {
  if (!factorRow(s.series, s.algorithm)) return { key: 'algorithm', message: noTableMessage(s.series, s.algorithm) };
  if (s.algorithm === 2 && s.ae_zero_sensor_mv === 0) {
    return {
      key: 'ae_zero_sensor_mv',
      message:
        'AAN 803 algorithm 2 scales AE by WEo/AEo and ae_zero_sensor_mv (AEo) is 0; copy AEo from the calibration ' +
        `sheet, or use algorithm ${orList(algorithmsFor(s.series).filter((a) => a !== 2))}`,
    };
  }
  return undefined;
}

/** Background (mV on the WE channel) each algorithm subtracts from WEt, given AEt and its factor. */
const BACKGROUND_MV: Record<AlgorithmId, (c: SheetConstants, aeTotalMv: number, factor: number) => number> = {
  1: (_c, aeT, n) => n * aeT,
  2: (c, aeT, k) => k * (c.we_zero_sensor_mv / c.ae_zero_sensor_mv) * aeT,
  3: (c, aeT, k) => c.we_zero_sensor_mv - c.ae_zero_sensor_mv + k * aeT,
  4: (c, _aeT, k) => c.we_zero_sensor_mv + k,
};

export interface Aan803Result {
  algorithm: AlgorithmId;
  /** The interpolated factor: nT, kT, k'T or k''T (mV). */
  factor: number;
  /** Corrected working-electrode signal, mV. */
  weCorrectedMv: number;
  ppb: number;
}

function background(s: CorrectionSettings, aeMv: number, temperatureC: number): { factor: number; mv: number } {
  const problem = settingsProblem(s);
  if (problem) throw new RangeError(`${problem.key}: ${problem.message}`);
  const factor = correctionFactor(s.series, s.algorithm, temperatureC);
  return { factor, mv: BACKGROUND_MV[s.algorithm](s, aeMv - s.ae_zero_electronic_mv, factor) };
}

/** AAN 803 correction (the configured series and algorithm) of one pair of raw ISB voltages (mV). */
export function aan803(s: CorrectionSettings, weMv: number, aeMv: number, temperatureC: number): Aan803Result {
  const { factor, mv } = background(s, aeMv, temperatureC);
  const weCorrectedMv = weMv - s.we_zero_electronic_mv - mv;
  return { algorithm: s.algorithm, factor, weCorrectedMv, ppb: weCorrectedMv / s.sensitivity_mv_per_ppb };
}

/**
 * The inverse used by the simulator: the WE voltage that `aan803` turns into `ppb`, given the AE voltage.
 * (The algorithms cannot say how a real cell splits its background between WE and AE; any AE works.)
 */
export function aan803WeMv(s: CorrectionSettings, ppb: number, aeMv: number, temperatureC: number): number {
  return s.we_zero_electronic_mv + ppb * s.sensitivity_mv_per_ppb + background(s, aeMv, temperatureC).mv;
}

export interface Algorithm1Result {
  /** Corrected working-electrode signal, mV. */
  weCorrectedMv: number;
  nT: number;
  ppb: number;
}

/** AAN 803 algorithm 1 alone: it needs no sensor zeros, so it takes the three constants it uses. */
export function algorithm1(
  c: SensorConstants,
  series: Series,
  weMv: number,
  aeMv: number,
  temperatureC: number,
): Algorithm1Result {
  const n = nT(series, temperatureC);
  const weCorrectedMv = weMv - c.we_zero_electronic_mv - n * (aeMv - c.ae_zero_electronic_mv);
  return { weCorrectedMv, nT: n, ppb: weCorrectedMv / c.sensitivity_mv_per_ppb };
}

/** The inverse of algorithm 1 (kept for callers without sensor zeros; `aan803WeMv` covers all four). */
export function weMvForPpb(c: SensorConstants, series: Series, ppb: number, aeMv: number, temperatureC: number): number {
  return c.we_zero_electronic_mv + ppb * c.sensitivity_mv_per_ppb + nT(series, temperatureC) * (aeMv - c.ae_zero_electronic_mv);
}

/**
 * NO2 ppb → µg/m³ at 20 °C and 101.325 kPa, the EU reference conditions for gases (Directive 2008/50/EC,
 * Annex VI): M(NO2) 46.0055 g/mol over V_m 24.055 L/mol = 1.9125 (/work/shared/reference/air-quality.md §6).
 */
export const NO2_UGM3_PER_PPB_20C = 1.9125;
export const no2PpbToUgm3 = (ppb: number): number => ppb * NO2_UGM3_PER_PPB_20C;
