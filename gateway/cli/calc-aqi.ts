// `airlane calc aqi` and `airlane calc nowcast`: the index library on the command line. One JSON object on stdout;
// a usage error is one plain line on stderr naming the flag and what it accepts, exit 2.
import { airIndex, isScheme, nowcastPm25, POLLUTANT_ORDER, SCHEMES, SCHEME_INPUTS, SCHEME_POLLUTANTS } from '../air/indices/index.js';
import type { Pollutant } from '../air/indices/index.js';

export interface CalcIo {
  out(line: string): void;
  err(line: string): void;
}

export type CalcAqiOptions = { scheme?: string } & Partial<Record<Pollutant, string>>;

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

class Usage extends Error {}

function parseNumber(flag: string, text: string, accepts: string): number {
  const t = text.trim();
  if (!NUMBER.test(t)) throw new Usage(`${flag} "${text}" is not a number; give ${accepts}`);
  const n = Number(t);
  if (!Number.isFinite(n)) throw new Usage(`${flag} "${text}" is out of range; give ${accepts}`);
  if (n < 0) throw new Usage(`${flag} ${text} is negative; give ${accepts}`);
  return n;
}

function usage(io: CalcIo, e: unknown): number {
  if (e instanceof Usage || e instanceof RangeError) {
    io.err(e.message);
    return 2;
  }
  throw e;
}

export function runCalcAqi(opts: CalcAqiOptions, io: CalcIo): number {
  try {
    const scheme = opts.scheme;
    if (scheme === undefined) throw new Usage(`--scheme is required; one of ${SCHEMES.join(', ')}`);
    if (!isScheme(scheme)) throw new Usage(`--scheme "${scheme}" is unknown; one of ${SCHEMES.join(', ')}`);
    const indexed = SCHEME_POLLUTANTS[scheme];
    const inputs = SCHEME_INPUTS[scheme];
    const c: Partial<Record<Pollutant, number>> = {};
    for (const p of POLLUTANT_ORDER) {
      const text = opts[p];
      if (text === undefined) continue;
      if (!indexed.includes(p)) {
        throw new Usage(`--${p}: ${scheme} does not index ${p}; it takes ${indexed.map((q) => `--${q}`).join(', ')}`);
      }
      c[p] = parseNumber(`--${p}`, text, `a concentration ≥ 0 in ${inputs[p] ?? '?'}`);
    }
    if (Object.keys(c).length === 0) {
      throw new Usage(`give at least one concentration; ${scheme} takes ${indexed.map((q) => `--${q} (${inputs[q] ?? '?'})`).join(', ')}`);
    }
    let r;
    try {
      r = airIndex(scheme, c);
    } catch (e) {
      // The only value-dependent refusals are us-epa's O3 and SO2 ceilings; name the flag.
      if (e instanceof RangeError) {
        const p = e.message.includes('O3') ? 'o3' : e.message.includes('SO2') ? 'so2' : undefined;
        throw new Usage(p ? `--${p}: ${e.message}` : e.message);
      }
      throw e;
    }
    io.out(JSON.stringify({ scheme: r.scheme, level: r.level, label: r.label, value: r.value, dominant: r.dominant, sub: r.sub }));
    return 0;
  } catch (e) {
    return usage(io, e);
  }
}

/** `--pm25 h1,h2,…`: hourly means, most recent first; an empty entry is a missing hour. */
export function runCalcNowcast(opts: { pm25?: string }, io: CalcIo): number {
  try {
    if (opts.pm25 === undefined) throw new Usage('--pm25 is required: hourly PM2.5 means in µg/m³, most recent first, e.g. --pm25 21,,35,49.2');
    const entries = opts.pm25.split(',');
    if (entries.length > 12) {
      throw new Usage(`--pm25 has ${entries.length} hours; NowCast uses the 12 most recent, give at most 12 (most recent first)`);
    }
    const hours = entries.map((e, i) =>
      e.trim() === '' ? null : parseNumber(`--pm25 entry ${i + 1}`, e, 'an hourly mean ≥ 0 in µg/m³, or nothing for a missing hour'),
    );
    const r = nowcastPm25(hours);
    io.out(JSON.stringify({ nowcast: r.nowcast, aqi: r.aqi, label: r.label }));
    return 0;
  } catch (e) {
    return usage(io, e);
  }
}
