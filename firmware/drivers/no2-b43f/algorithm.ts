// Alphasense AAN 803 background-current correction for four-electrode sensors (Alphasense Application Note
// AAN 803, "Correcting for background currents in four electrode toxic gas sensors"; summarised in
// /work/shared/reference/protocols.md §6). Pure functions: no bus, no I/O.
//
//   WEt = WEu − WEe,  AEt = AEu − AEe                      (u: measured, e: ISB electronic zero)
//   algorithm 1:  WEc = WEt − nT · AEt,  ppb = WEc / sensitivity (mV/ppb, ISB gain folded in)
//
// The factor tables are keyed by series, then algorithm, so A4-series rows or algorithms 2–4 slot in as data
// plus one function each.

/** Temperatures (°C) at which AAN 803 tabulates its correction factors. */
export const FACTOR_TEMPERATURES_C = [-30, -20, -10, 0, 10, 20, 30, 40, 50] as const;

export type Series = 'B4';
export type AlgorithmId = 1;

/**
 * NO2 correction factors per series and algorithm, one value per FACTOR_TEMPERATURES_C entry.
 * B4 / algorithm 1 (nT for NO2-B43F): AAN 803-04 Tables 2–3 as transcribed in fablabbcn/smartcitizen-data
 * scdata/_config/config.py (`_as_sensor_algs['ASB4_NO2'][1]`, "From Tables 2 and 3 of AAN 803-04"); the same
 * row appears in a pipeline citing AAN 803-05 (protocols.md §6). Match the AAN revision to the sensor series:
 * the A4-series NO2-A43F row is different (0.8 … 3.6).
 */
export const NO2_FACTORS: Record<Series, Record<AlgorithmId, readonly number[]>> = {
  B4: {
    1: [1.3, 1.3, 1.3, 1.3, 1.0, 0.6, 0.4, 0.2, -1.5],
  },
};

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

export interface SensorConstants {
  we_zero_electronic_mv: number;
  ae_zero_electronic_mv: number;
  sensitivity_mv_per_ppb: number;
}

export interface Algorithm1Result {
  /** Corrected working-electrode signal, mV. */
  weCorrectedMv: number;
  nT: number;
  ppb: number;
}

/** AAN 803 algorithm 1 for one pair of raw ISB voltages (mV) at the sensor temperature. */
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

/**
 * The inverse used by the simulator: the WE voltage that algorithm 1 turns into `ppb`, given the AE voltage.
 * (Algorithm 1 cannot say how a real cell splits its background between WE and AE; any AE works.)
 */
export function weMvForPpb(c: SensorConstants, series: Series, ppb: number, aeMv: number, temperatureC: number): number {
  return c.we_zero_electronic_mv + ppb * c.sensitivity_mv_per_ppb + nT(series, temperatureC) * (aeMv - c.ae_zero_electronic_mv);
}

/**
 * NO2 ppb → µg/m³ at 20 °C and 101.325 kPa, the EU reference conditions for gases (Directive 2008/50/EC,
 * Annex VI): M(NO2) 46.0055 g/mol over V_m 24.055 L/mol = 1.9125 (/work/shared/reference/air-quality.md §6).
 */
export const NO2_UGM3_PER_PPB_20C = 1.9125;
export const no2PpbToUgm3 = (ppb: number): number => ppb * NO2_UGM3_PER_PPB_20C;
