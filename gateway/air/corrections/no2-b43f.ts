// Alphasense NO2-B43F background correction (Alphasense Application Note AAN 803, algorithms 1–4) for callers
// that hold the calibration numbers one by one (`airlane calc no2-b43f`). The algorithms and their temperature
// tables live in the driver (firmware/drivers/no2-b43f/algorithm.ts, with each row's source); this only names the
// inputs, never repeats the tables.
import { aan803, settingsProblem, type AlgorithmId, type Series } from '../../../firmware/drivers/no2-b43f/index.js';

export interface No2B43fInput {
  /** Raw ISB outputs, mV. */
  weMv: number;
  aeMv: number;
  /** WEe, AEe: the ISB's electronic zeros (calibration sheet), mV — AAN 803's WEt = WEu − WEe, AEt = AEu − AEe. */
  weZeroMv: number;
  aeZeroMv: number;
  /** WEo, AEo: the sensor zeros in zero air (calibration sheet), mV; algorithms 2–4 need them. */
  weSensorZeroMv?: number;
  aeSensorZeroMv?: number;
  /** mV/ppb, the ISB gain folded in (sheet: nA/ppb × mV/nA). */
  sensitivityMvPerPpb: number;
  temperatureC: number;
  algorithm?: AlgorithmId;
  series?: Series;
}

export interface No2B43fOutput {
  no2Ppb: number;
  weCorrectedMv: number;
  /** nT, kT, k'T or k''T at the temperature (linear between the 10 °C table steps). */
  factor: number;
}

/** The sensor zeros each algorithm reads (AAN 803: 1 uses none, 4 only WEo). */
export const SENSOR_ZEROS_NEEDED: Record<AlgorithmId, readonly ('we' | 'ae')[]> = { 1: [], 2: ['we', 'ae'], 3: ['we', 'ae'], 4: ['we'] };

/** Not clamped: a negative ppb is the honest output of the algorithm near zero; clamping is the processor's call. */
export function no2B43f(i: No2B43fInput): No2B43fOutput {
  const algorithm = i.algorithm ?? 1;
  const series = i.series ?? 'B4';
  if (i.sensitivityMvPerPpb === 0) throw new RangeError('sensitivity must not be 0');
  for (const z of SENSOR_ZEROS_NEEDED[algorithm]) {
    const v = z === 'we' ? i.weSensorZeroMv : i.aeSensorZeroMv;
    if (v === undefined) throw new RangeError(`AAN 803 algorithm ${algorithm} needs the ${z.toUpperCase()} sensor zero (${z.toUpperCase()}o)`);
  }
  const settings = {
    series,
    algorithm,
    we_zero_electronic_mv: i.weZeroMv,
    ae_zero_electronic_mv: i.aeZeroMv,
    we_zero_sensor_mv: i.weSensorZeroMv ?? 0,
    ae_zero_sensor_mv: i.aeSensorZeroMv ?? 0,
    sensitivity_mv_per_ppb: i.sensitivityMvPerPpb,
  };
  const problem = settingsProblem(settings);
  if (problem) throw new RangeError(problem.message);
  const r = aan803(settings, i.weMv, i.aeMv, i.temperatureC);
  return { no2Ppb: r.ppb, weCorrectedMv: r.weCorrectedMv, factor: r.factor };
}
