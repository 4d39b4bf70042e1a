// Writes the example's week of simulated 15-min counts (arterial-4arm-counts.csv) and the site's NO2
// (arterial-4arm-no2.csv). Deterministic (seeded PRNG): run it again and the files do not change.
//   node bin/tsx.mjs hardware/intersections/generate-counts.ts
// Shape: weekdays have an AM peak (08:00 local, inbound from the north) and a longer PM peak (17:30, outbound
// to the south); weekends one late-morning-to-evening hump at about 60 % of a weekday. NO2 = urban background
// + a kerbside increment that follows the north approach's flow with a 30-min lag (traffic.md §3–4: traffic
// predicts NO2 with a lag; most street NO2 is background).
import { writeFileSync } from 'node:fs';
import { mulberry32 } from '../../firmware/sim/random.js';

const START_UTC = Date.parse("2026-03-01T23:00:00Z"); // Monday 00:00 in Europe/Paris (UTC+1 all that week)
const TZ_OFFSET_H = 1;
const DAYS = 7;

const rand = mulberry32(20260302);
const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
const bump = (h: number, centre: number, sd: number) => Math.exp(-0.5 * ((h - centre) / sd) ** 2);

/** Relative weekday demand shapes (peak ≈ 1) for inbound (AM-heavy) and outbound (PM-heavy) arms. */
function shape(h: number, weekend: boolean, kind: 'am' | 'pm' | 'side'): number {
  const night = 0.04 + 0.04 * bump(h, 23, 1.5);
  if (weekend) return night + 0.55 * bump(h, 14, 3.5) + 0.1 * bump(h, 11, 1.5);
  const base = night + 0.4 * bump(h, 12.5, 3.2);
  if (kind === 'am') return base + 0.75 * bump(h, 8, 0.8) + 0.35 * bump(h, 17.5, 1.2);
  if (kind === 'pm') return base + 0.3 * bump(h, 8, 0.8) + 0.7 * bump(h, 17.5, 1.1);
  return base + 0.45 * bump(h, 8.25, 0.9) + 0.5 * bump(h, 17.25, 1.2);
}

// Peak-hour volumes (veh/h) at shape ≈ 1, per detector lane, and heavy-vehicle share by day/night.
const lanes: Array<{ detector: string; lane: string; peak_vph: number; kind: 'am' | 'pm' | 'side' }> = [
  { detector: 'n-stop', lane: '1', peak_vph: 690, kind: 'am' },
  { detector: 'n-stop', lane: '2', peak_vph: 610, kind: 'am' },
  { detector: 'n-stop', lane: '3', peak_vph: 170, kind: 'am' },
  { detector: 's-stop', lane: '1', peak_vph: 660, kind: 'pm' },
  { detector: 's-stop', lane: '2', peak_vph: 600, kind: 'pm' },
  { detector: 's-stop', lane: '3', peak_vph: 160, kind: 'pm' },
  { detector: 'e-stop', lane: 'all', peak_vph: 330, kind: 'side' },
  { detector: 'w-stop', lane: 'all', peak_vph: 290, kind: 'side' },
];

const counts: string[] = ['time,detector,lane,vehicles,heavy_vehicles'];
const no2: string[] = ['time,no2_ugm3'];
const north: number[] = [];
for (let i = 0; i < DAYS * 96; i++) {
  const t = START_UTC + i * 900_000;
  const local = new Date(t + TZ_OFFSET_H * 3_600_000);
  const h = local.getUTCHours() + local.getUTCMinutes() / 60 + 7.5 / 60; // mid-interval
  const weekend = local.getUTCDay() === 0 || local.getUTCDay() === 6;
  const hvShare = h >= 6 && h < 19 ? 0.06 : 0.1;
  let northTotal = 0;
  for (const l of lanes) {
    const mean = (l.peak_vph / 4) * shape(h, weekend, l.kind);
    const v = Math.max(0, Math.round(mean + Math.sqrt(mean) * gauss()));
    const hv = Math.min(v, Math.max(0, Math.round(v * hvShare + Math.sqrt(v * hvShare) * gauss())));
    if (l.detector === 'n-stop') northTotal += v;
    counts.push(`${new Date(t).toISOString().replace('.000Z', 'Z')},${l.detector},${l.lane},${v},${hv}`);
  }
  north.push(northTotal);
  const lagged = north[Math.max(0, i - 2)] ?? 0; // 30 min
  const background = 22 + 6 * Math.sin((2 * Math.PI * (h - 9)) / 24);
  const value = background + 0.17 * lagged + 3 * gauss();
  no2.push(`${new Date(t).toISOString().replace('.000Z', 'Z')},${Math.max(1, value).toFixed(1)}`);
}

const here = new URL('./', import.meta.url);
writeFileSync(new URL('arterial-4arm-counts.csv', here), counts.join('\n') + '\n');
writeFileSync(new URL('arterial-4arm-no2.csv', here), no2.join('\n') + '\n');
console.log(`wrote ${counts.length - 1} counts and ${no2.length - 1} NO2 values`);
