// `airlane calc webster` and `airlane calc phf`: the signal-timing library (gateway/traffic/signal) on the command
// line. One JSON object on stdout; a usage error is one plain line on stderr naming the flag, exit 2.
import { flowRatios, phf, webster } from '../traffic/signal/index.js';
import type { CalcIo } from './calc-aqi.js';

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

class Usage extends Error {}

function parseNumber(flag: string, text: string, accepts: string, positive = false): number {
  const t = text.trim();
  if (!NUMBER.test(t)) throw new Usage(`${flag} "${text}" is not a number; give ${accepts}`);
  const n = Number(t);
  if (!Number.isFinite(n)) throw new Usage(`${flag} "${text}" is out of range; give ${accepts}`);
  if (n < 0 || (positive && n === 0)) throw new Usage(`${flag} ${t} is ${n < 0 ? 'negative' : 'zero'}; give ${accepts}`);
  return n;
}

function parseList(flag: string, text: string, accepts: string, positive = false): number[] {
  return text.split(',').map((e, i, all) => parseNumber(all.length > 1 ? `${flag} entry ${i + 1}` : flag, e, accepts, positive));
}

function fail(io: CalcIo, e: unknown): number {
  if (e instanceof Usage || e instanceof RangeError) {
    io.err(e.message);
    return 2;
  }
  throw e;
}

export interface CalcWebsterOptions {
  flows?: string;
  saturation?: string;
  ratios?: string;
  lostTime?: string;
  cycle?: string;
}

/**
 * `--flows q1,… --saturation s1,…` (critical flow and saturation flow per phase, veh/h) or `--ratios y1,…`, with
 * `--lost-time L` and optionally `--cycle C` → `{"Y","cycle_s","greens_s":[…]}`: cycle_s is Webster's unrounded
 * optimum (1.5L + 5)/(1 − Y), or C when given; greens_s the effective greens (y_i/Y)·(C − L), unrounded.
 */
export function runCalcWebster(opts: CalcWebsterOptions, io: CalcIo): number {
  try {
    let ratios: number[];
    if (opts.ratios !== undefined) {
      if (opts.flows !== undefined || opts.saturation !== undefined) {
        throw new Usage('--ratios replaces --flows and --saturation; give either --ratios y1,y2,… or --flows q1,q2,… --saturation s1,s2,…');
      }
      ratios = parseList('--ratios', opts.ratios, 'a critical flow ratio y = q/s ≥ 0 per phase, e.g. --ratios 0.25,0.35');
    } else {
      if (opts.flows === undefined) {
        throw new Usage('give --flows q1,q2,… with --saturation s1,s2,… (veh/h, one per phase), or --ratios y1,y2,…');
      }
      if (opts.saturation === undefined) throw new Usage('--saturation is required with --flows: one saturation flow per phase, veh/h');
      const flows = parseList('--flows', opts.flows, 'a critical flow ≥ 0 per phase in veh/h');
      const sat = parseList('--saturation', opts.saturation, 'a saturation flow > 0 per phase in veh/h', true);
      if (flows.length !== sat.length) {
        throw new Usage(`--flows has ${flows.length} phases but --saturation has ${sat.length}; give one saturation flow per flow`);
      }
      ratios = flowRatios(flows, sat);
    }
    if (opts.lostTime === undefined) throw new Usage('--lost-time is required: lost time per cycle L, s');
    const lostTime = parseNumber('--lost-time', opts.lostTime, 'the lost time per cycle L in seconds, ≥ 0');
    let cycle: number | undefined;
    if (opts.cycle !== undefined) {
      cycle = parseNumber('--cycle', opts.cycle, 'a cycle length in seconds, above --lost-time', true);
      if (cycle <= lostTime) throw new Usage(`--cycle ${cycle} s must be longer than --lost-time ${lostTime} s`);
    }
    const Y = ratios.reduce((a, b) => a + b, 0);
    if (cycle === undefined && Y >= 1) {
      throw new Usage(`Y = ${Y.toFixed(3)} ≥ 1: no cycle serves this demand (Webster's optimum is infinite); redesign, or give --cycle to split a fixed cycle`);
    }
    const r = webster(cycle === undefined ? { ratios, lostTime } : { ratios, lostTime, cycle });
    io.out(JSON.stringify({ Y: r.Y, cycle_s: r.cycle_s, greens_s: r.greens_s }));
    return 0;
  } catch (e) {
    return fail(io, e);
  }
}

/** `--counts c1,c2,c3,c4`: four consecutive 15-min counts → `{"phf"}` = V_hour / (4·max). */
export function runCalcPhf(opts: { counts?: string }, io: CalcIo): number {
  try {
    if (opts.counts === undefined) throw new Usage('--counts is required: four consecutive 15-min counts, e.g. --counts 250,300,350,300');
    const counts = parseList('--counts', opts.counts, 'a 15-min vehicle count ≥ 0');
    if (counts.length !== 4) throw new Usage(`--counts has ${counts.length} values; give exactly four consecutive 15-min counts (one hour)`);
    if (counts.every((c) => c === 0)) throw new Usage('--counts are all 0: the peak-hour factor is undefined for an hour with no vehicles');
    io.out(JSON.stringify({ phf: phf(counts) }));
    return 0;
  } catch (e) {
    return fail(io, e);
  }
}
