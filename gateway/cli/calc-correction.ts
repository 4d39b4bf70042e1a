// `airlane calc pm-correction` and `airlane calc no2-b43f`: the correction library on the command line. One JSON
// object on stdout; a usage error is one plain line on stderr naming the flag and what it accepts, exit 2.
import { epa2021 } from '../air/corrections/epa2021.js';
import { epaFasm } from '../air/corrections/epa-fasm.js';
import { kohler } from '../air/corrections/kohler.js';
import { no2B43f } from '../air/corrections/no2-b43f.js';
import { SERIES, type AlgorithmId, type Series } from '../../firmware/drivers/no2-b43f/index.js';

export interface CalcIo {
  out(line: string): void;
  err(line: string): void;
}

class Usage extends Error {}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function num(flag: string, text: string | undefined, accepts: string, opts: { min?: number } = {}): number {
  if (text === undefined) throw new Usage(`${flag} is required; give ${accepts}`);
  const t = text.trim();
  if (!NUMBER.test(t) || !Number.isFinite(Number(t))) throw new Usage(`${flag} "${text}" is not a number; give ${accepts}`);
  const n = Number(t);
  if (opts.min !== undefined && n < opts.min) throw new Usage(`${flag} ${text} is below ${opts.min}; give ${accepts}`);
  return n;
}

const optionalNum = (flag: string, text: string | undefined, accepts: string) => (text === undefined ? undefined : num(flag, text, accepts));

/** 4 decimals: far below any sensor's resolution, and no 11.058000000000002 on the screen. */
const round = (x: number) => Math.round(x * 1e4) / 1e4 + 0; // + 0 turns −0 into 0

function run(io: CalcIo, body: () => Record<string, number>): number {
  try {
    io.out(JSON.stringify(body()));
    return 0;
  } catch (e) {
    if (e instanceof Usage || e instanceof RangeError) {
      io.err(e.message);
      return 2;
    }
    throw e;
  }
}

export const PM_METHODS = ['epa-2021', 'epa-fasm', 'kohler'] as const;

export interface CalcPmCorrectionOptions {
  method?: string;
  pm25?: string;
  rh?: string;
  kappa?: string;
}

/** → {"pm25_ugm3": N}. For the EPA methods --pm25 is the Plantower CF=1 PM2.5 (the channel the fits were made on). */
export function runCalcPmCorrection(opts: CalcPmCorrectionOptions, io: CalcIo): number {
  return run(io, () => {
    const method = opts.method;
    if (method === undefined) throw new Usage(`--method is required; one of ${PM_METHODS.join(', ')}`);
    if (!(PM_METHODS as readonly string[]).includes(method)) throw new Usage(`--method "${method}" is unknown; one of ${PM_METHODS.join(', ')}`);
    const pmWhat = method === 'kohler' ? 'PM2.5 in µg/m³' : 'the Plantower CF=1 PM2.5 in µg/m³';
    const pm25 = num('--pm25', opts.pm25, `${pmWhat}, ≥ 0`, { min: 0 });
    // RH outside 0–100 is clamped by the formulas (air-quality.md §5), as a sensor's would be.
    const rh = num('--rh', opts.rh, `the relative humidity in % (${method} needs it)`);
    if (method === 'kohler') {
      const kappa = num('--kappa', opts.kappa, 'the hygroscopicity κ ≥ 0 (e.g. 0.1 urban, 0.53 ammonium sulphate)', { min: 0 });
      return { pm25_ugm3: round(kohler(pm25, rh, kappa).value) };
    }
    if (opts.kappa !== undefined) throw new Usage(`--kappa applies to --method kohler only, not ${method}`);
    return { pm25_ugm3: round((method === 'epa-2021' ? epa2021 : epaFasm)(pm25, rh).value) };
  });
}

export interface CalcNo2B43fOptions {
  we?: string;
  ae?: string;
  weZero?: string;
  aeZero?: string;
  weSensorZero?: string;
  aeSensorZero?: string;
  sensitivity?: string;
  temp?: string;
  algorithm?: string;
  series?: string;
}

/**
 * → {"no2_ppb","we_corrected_mv"} by AAN 803 (the driver's algorithms and tables). --we-zero / --ae-zero are the
 * ISB electronic zeros WEe / AEe from the calibration sheet (AAN 803: WEt = WEu − WEe); algorithms 2–4 also need
 * the sensor zeros --we-sensor-zero (WEo) and, for 2 and 3, --ae-sensor-zero (AEo).
 */
export function runCalcNo2B43f(opts: CalcNo2B43fOptions, io: CalcIo): number {
  return run(io, () => {
    const algoText = (opts.algorithm ?? '1').trim();
    if (!/^[1-4]$/.test(algoText)) throw new Usage(`--algorithm "${opts.algorithm}" is not an AAN 803 algorithm; give 1, 2, 3 or 4`);
    const algorithm = Number(algoText) as AlgorithmId;
    const seriesText = (opts.series ?? 'B4').trim().toUpperCase();
    if (!(SERIES as readonly string[]).includes(seriesText)) throw new Usage(`--series "${opts.series}" is unknown; give B4 (NO2-B43F) or A4 (NO2-A43F)`);
    const series = seriesText as Series;

    const weMv = num('--we', opts.we, 'the WE (OP1) output in mV');
    const aeMv = num('--ae', opts.ae, 'the AE (OP2) output in mV');
    const weZeroMv = num('--we-zero', opts.weZero, 'the WE electronic zero (WEe) in mV from the calibration sheet');
    const aeZeroMv = num('--ae-zero', opts.aeZero, 'the AE electronic zero (AEe) in mV from the calibration sheet');
    const sensitivityMvPerPpb = num('--sensitivity', opts.sensitivity, 'the WE sensitivity in mV/ppb (nA/ppb × ISB gain mV/nA)');
    if (sensitivityMvPerPpb === 0) throw new Usage('--sensitivity must not be 0; give the WE sensitivity in mV/ppb from the calibration sheet');
    const temperatureC = num('--temp', opts.temp, 'the sensor temperature in °C');
    const weSensorZeroMv = optionalNum('--we-sensor-zero', opts.weSensorZero, 'the WE sensor zero (WEo) in mV');
    const aeSensorZeroMv = optionalNum('--ae-sensor-zero', opts.aeSensorZero, 'the AE sensor zero (AEo) in mV');
    if (algorithm !== 1 && weSensorZeroMv === undefined) {
      throw new Usage(`--we-sensor-zero is required by AAN 803 algorithm ${algorithm}; give WEo in mV from the calibration sheet, or use --algorithm 1`);
    }
    if ((algorithm === 2 || algorithm === 3) && aeSensorZeroMv === undefined) {
      throw new Usage(`--ae-sensor-zero is required by AAN 803 algorithm ${algorithm}; give AEo in mV from the calibration sheet, or use --algorithm 1`);
    }
    let r;
    try {
      r = no2B43f({
        weMv, aeMv, weZeroMv, aeZeroMv, sensitivityMvPerPpb, temperatureC, algorithm, series,
        ...(weSensorZeroMv !== undefined ? { weSensorZeroMv } : {}),
        ...(aeSensorZeroMv !== undefined ? { aeSensorZeroMv } : {}),
      });
    } catch (e) {
      // The driver refuses a series without a table for the algorithm, or algorithm 2 with AEo = 0: name the flag.
      if (e instanceof RangeError) throw new Usage(`${/AEo|ae_zero_sensor/.test(e.message) ? '--ae-sensor-zero' : '--algorithm'}: ${e.message.replace(/set algorithm: /, 'use --algorithm ')}`);
      throw e;
    }
    return { no2_ppb: round(r.no2Ppb), we_corrected_mv: round(r.weCorrectedMv) };
  });
}
