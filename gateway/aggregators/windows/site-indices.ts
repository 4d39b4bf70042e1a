// Per-site indices from the site's hourly windows (the `air_traffic` 1 h fields), as `aqi` points. Pure: the
// aggregator hands in the hours it has stored, so a recomputation after a backlog equals the uninterrupted run.
import type { Metric } from '../../core/metric.js';
import { QC } from '../../core/qc.js';
import { COMPLETENESS_MIN_PCT } from './compute.js';
import { airIndex, nowcastPm25, POLLUTANT_CODE, type IndexResult, type Pollutant } from '../../air/indices/index.js';

export const HOUR_MS = 3_600_000;


/**
 * ppb → µg/m³ factors for NO2 at 101.325 kPa (../shared/reference/air-quality.md §6: µg/m³ = ppb × M / V_m,
 * M = 46.0055 g/mol). 20 °C is the EU/French reference temperature (décret 98-360; Directive 2008/50/EC Annex VI),
 * used for ATMO and EAQI; 25 °C is the US EPA's (40 CFR 50.3), used for the US AQI.
 */
export const NO2_UGM3_PER_PPB_20C = 1.9125;
export const NO2_UGM3_PER_PPB_25C = 1.8804;

/** ATMO days follow French civil time (the arrêté's "journée"), not UTC. */
const DAY_ZONE = 'Europe/Paris';
/** Daily completeness: 18 of 24 hourly means (75 %; air-quality.md §7, airnowtech forum /171). */
export const DAY_MIN_HOURS = 18;

type Hour = Record<string, number>;

/** An hourly mean counts for an index only when the hour itself is complete (≥ 75 % of its minutes). */
function valid(h: Hour | undefined): h is Hour {
  return h !== undefined && (h.completeness_pct ?? 0) >= COMPLETENESS_MIN_PCT;
}

/**
 * The first usable value, floored at 0: a near-zero electrochemical NO2 mean can be slightly negative, and the
 * index tables start at 0 (air-quality.md §7: floor at 0 rather than drop).
 */
function first(...xs: (number | undefined)[]): number | undefined {
  const x = xs.find((v) => v !== undefined && Number.isFinite(v));
  return x === undefined ? undefined : Math.max(0, x);
}

/** Concentrations in µg/m³ for the European schemes: corrected fields first, ppb converted at 20 °C. */
export function euConcentrations(h: Hour): Partial<Record<Pollutant, number>> {
  const c: Partial<Record<Pollutant, number>> = {};
  const pm25 = first(h.pm25_corrected_ugm3, h.pm25_ugm3);
  const pm10 = first(h.pm10_corrected_ugm3, h.pm10_ugm3);
  const ppb = first(h.no2_corrected_ppb);
  const rawPpb = h.no2_ppb;
  const no2 = first(h.no2_corrected_ugm3, ppb === undefined ? undefined : ppb * NO2_UGM3_PER_PPB_20C, h.no2_ugm3, rawPpb === undefined ? undefined : rawPpb * NO2_UGM3_PER_PPB_20C);
  if (pm25 !== undefined) c.pm25 = pm25;
  if (pm10 !== undefined) c.pm10 = pm10;
  if (no2 !== undefined) c.no2 = no2;
  return c;
}

/** NO2 in ppb for the US AQI: corrected first, µg/m³ converted at 25 °C. */
export function no2Ppb(h: Hour): number | undefined {
  const corr = h.no2_corrected_ugm3;
  const raw = h.no2_ugm3;
  return first(h.no2_corrected_ppb, corr === undefined ? undefined : corr / NO2_UGM3_PER_PPB_25C, h.no2_ppb, raw === undefined ? undefined : raw / NO2_UGM3_PER_PPB_25C);
}

const zoneFmt = new Intl.DateTimeFormat('en-GB', { timeZone: DAY_ZONE, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** Local wall-clock time at `t`, read as if it were UTC, minus `t`: the zone's offset (ms). */
function offsetAt(t: number): number {
  const p = Object.fromEntries(zoneFmt.formatToParts(new Date(t)).map((x) => [x.type, Number(x.value)]));
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - Math.floor(t / 1000) * 1000;
}

/** The UTC instant of the Europe/Paris midnight that starts the local day holding `t`. */
export function dayStart(t: number): number {
  const local = t + offsetAt(t);
  const d = new Date(local);
  const midnightAsUtc = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  // The offset at midnight may differ from the one at `t` on a DST day: take it at (about) midnight.
  return midnightAsUtc - offsetAt(midnightAsUtc - offsetAt(t));
}

/** The local day [start, end) holding `t` (23, 24 or 25 h long). */
export function dayRange(t: number): [number, number] {
  const start = dayStart(t);
  return [start, dayStart(start + 26 * HOUR_MS)];
}

function toMetric(site: string, scheme: 'atmo' | 'eaqi' | 'us-epa', time: number, r: IndexResult, extra: Record<string, number>): Metric {
  const fields: Record<string, number> = { level: r.level, value: r.value, dominant: POLLUTANT_CODE[r.dominant] };
  for (const [p, s] of Object.entries(r.sub) as [Pollutant, { level: number; value: number }][]) {
    fields[`${p}_level`] = s.level;
    if (scheme === 'us-epa') fields[`${p}_aqi`] = s.value;
  }
  return { measurement: 'aqi', tags: { site, scheme }, fields: { ...fields, ...extra }, time };
}

function tryIndex(scheme: 'atmo' | 'eaqi' | 'us-epa', c: Partial<Record<Pollutant, number>>): IndexResult | undefined {
  if (!Object.keys(c).length) return undefined;
  try {
    return airIndex(scheme, c);
  } catch (e) {
    if (e instanceof RangeError) return undefined;
    throw e;
  }
}

/**
 * EAQI, 2024 revision (EEA, ETC HE Report 2024/17; air-quality.md §2): hourly concentrations of every
 * pollutant, so one point per complete hour, stamped with the hour's start.
 */
export function eaqiHour(site: string, start: number, h: Hour | undefined): Metric | undefined {
  if (!valid(h)) return undefined;
  const r = tryIndex('eaqi', euConcentrations(h));
  return r && toMetric(site, 'eaqi', start, r, { qc: 0 });
}

/**
 * US EPA AQI (air-quality.md §3): PM2.5 as the NowCast of the last 12 hourly means (EPA NowCast fact sheet;
 * valid with 2 of the 3 latest hours), NO2 from the hour's own 1 h mean in ppb; the AQI is the highest sub-index.
 * Stamped with the start of the hour the NowCast ends with. `hours` must hold [start − 11 h, start].
 */
export function usEpaHour(site: string, start: number, hours: ReadonlyMap<number, Hour>): Metric | undefined {
  const pm: (number | null)[] = [];
  for (let i = 0; i < 12; i++) {
    const h = hours.get(start - i * HOUR_MS);
    const v = valid(h) ? first(h.pm25_corrected_ugm3, h.pm25_ugm3) : undefined;
    pm.push(v ?? null);
  }
  const nc = nowcastPm25(pm).nowcast;
  const own = hours.get(start);
  const no2 = valid(own) ? no2Ppb(own) : undefined;
  const c: Partial<Record<Pollutant, number>> = {};
  if (nc !== null) c.pm25 = nc;
  if (no2 !== undefined) c.no2 = no2;
  const r = tryIndex('us-epa', c);
  return r && toMetric(site, 'us-epa', start, r, nc === null ? { qc: 0 } : { nowcast_pm25_ugm3: nc, qc: 0 });
}

/**
 * ATMO (arrêté du 10 juillet 2020, Annexe I; air-quality.md §1): PM10 and PM2.5 as daily means, NO2 as the
 * daily maximum of hourly means, over the Europe/Paris day. Computed over the complete hours of the day so far
 * (the mean of hourly means); re-emitted at the day's start as hours arrive, so the last value is the full day.
 * Fewer than 18 complete hours: still emitted, with `qc` = low_completeness and `hours` saying how many. With no
 * complete hour yet (a station just started), the incomplete ones stand in, as a provisional level (`hours` = 0,
 * `qc` = low_completeness): a person at the station sees a level at once, marked as not yet a day's index.
 * A kerbside site gets `indicative = 1`: the arrêté's index describes background air.
 */
export function atmoDay(site: string, day: number, hoursOfDay: ReadonlyMap<number, Hour>, kerbside: boolean): Metric | undefined {
  const pm25: number[] = [];
  const pm10: number[] = [];
  const no2: number[] = [];
  const ordered = [...hoursOfDay.entries()].sort(([a], [b]) => a - b).map(([, h]) => h);
  const complete = ordered.filter(valid);
  const n = complete.length;
  for (const h of n ? complete : ordered.filter((x) => (x.air_samples ?? 0) > 0)) {
    const c = euConcentrations(h);
    if (c.pm25 !== undefined) pm25.push(c.pm25);
    if (c.pm10 !== undefined) pm10.push(c.pm10);
    if (c.no2 !== undefined) no2.push(c.no2);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const c: Partial<Record<Pollutant, number>> = {};
  if (pm25.length) c.pm25 = mean(pm25);
  if (pm10.length) c.pm10 = mean(pm10);
  if (no2.length) c.no2 = Math.max(...no2);
  const r = tryIndex('atmo', c);
  return r && toMetric(site, 'atmo', day, r, { indicative: kerbside ? 1 : 0, hours: n, qc: n < DAY_MIN_HOURS ? QC.low_completeness : 0 });
}
