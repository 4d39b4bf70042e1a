// EPA NowCast for PM2.5: the hourly AQI AirNow reports before a full day of data exists.
// Sources: EPA "PM NowCast" fact sheet (nepis.epa.gov P100X0J6, steps 1–8); TAD EPA-454/B-24-002 §IV "How the
// NowCast is calculated"; AirNow "The NowCast for PM2.5 and PM10" (forum.airnowtech.org/t/172):
//   - take the last 12 hourly means c1 (most recent) … c12;
//   - w* = 1 − (c_max − c_min)/c_max = c_min/c_max over the valid hours; w = max(w*, 0.5);
//   - NowCast = Σ w^(i−1)·c_i / Σ w^(i−1) over the valid hours, i counting hours ago from the latest, so a missing
//     hour keeps its place in the exponents;
//   - valid only when at least 2 of the 3 most recent hours exist;
//   - computed on the raw hourly values, then truncated to 0.1 µg/m³ and converted with the AQI equation.
import { epaSubIndex, truncateForAqi } from './us-epa.js';

export interface NowcastResult {
  nowcast: number | null;
  aqi: number | null;
  label: string | null;
}

const HOURS = 12;

/** `hourlyMostRecentFirst[0]` is the latest complete hour; null marks a missing hour; entries past 12 are ignored. */
export function nowcastPm25(hourlyMostRecentFirst: readonly (number | null)[]): NowcastResult {
  const hours = hourlyMostRecentFirst.slice(0, HOURS);
  hours.forEach((c, i) => {
    if (c !== null && !(Number.isFinite(c) && c >= 0)) {
      throw new RangeError(`hour ${i + 1} (most recent first) is ${c}; hourly PM2.5 means are finite and ≥ 0 µg/m³, null when missing`);
    }
  });
  const none: NowcastResult = { nowcast: null, aqi: null, label: null };
  const recentValid = hours.slice(0, 3).filter((c) => c !== null).length;
  if (recentValid < 2) return none;

  const valid = hours.filter((c): c is number => c !== null);
  const max = Math.max(...valid);
  const min = Math.min(...valid);
  // All-zero hours: the range is 0 and nothing changes, so the weights are equal (w = 1), like a steady 12-hour mean.
  const w = max === 0 ? 1 : Math.max(min / max, 0.5);
  let num = 0;
  let den = 0;
  hours.forEach((c, i) => {
    if (c === null) return;
    const k = w ** i;
    num += k * c;
    den += k;
  });
  const nowcast = truncateForAqi('pm25', num / den);
  const sub = epaSubIndex('pm25', nowcast);
  return { nowcast, aqi: sub.value, label: sub.label };
}
