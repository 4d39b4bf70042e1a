// Two PM parts at one site that disagree. The rule is the A/B channel test of MazamaScience AirSensor,
// R/PurpleAirQC_hourly_AB_03.R (commit 183e1511): invalid where |A − B| > 5 µg/m³ AND |A − B| / mean(A, B) > 0.7
// (both strict: exactly 5 µg/m³ or exactly 70 % passes). AirSensor divides by (A + B + 0.01) / 2 to avoid a zero
// denominator; here the absolute test comes first, so mean(A, B) > 2.5 and the 0.01 is not needed — it would
// only move the 70 % edge. AirSensor applies it to hourly means of one sensor's two channels; here it compares
// different parts (another `part` or `node`) of one site within the same clock minute, because a flag on a raw
// reading must be decided when the reading passes, not an hour later.
//
// Which reading is flagged: the later one of the pair, i.e. the reading processed second. It is compared with
// the mean of every other part's readings in its minute that the processor has already seen; the earlier reading
// has already been passed on and is not recalled. Live, "processed second" is "measured later". For a backlog
// replayed in time order it is the same; when two parts' backlogs arrive one after the other, the second part's
// readings are flagged (compared with the first part's whole-minute mean) and the first part's are not.
import type { QcOptions } from './options.js';

type DisagreementOptions = QcOptions['disagreement'];

const MINUTE_MS = 60_000;
/** Minute buckets kept per site (bounded memory). */
const MAX_MINUTES_PER_SITE = 120;
/** PM sources kept per site and minute. */
const MAX_SOURCES = 32;

interface Acc {
  sum: number;
  n: number;
  times: Set<number>;
}

interface Site {
  /** Minute start → source (node/part) → readings in that minute; least recently used minute first. */
  minutes: Map<number, Map<string, Acc>>;
  seen: number;
}

/** |a − b| > abs AND |a − b| / mean(a, b) > rel (PurpleAirQC_hourly_AB_03). */
export function disagree(a: number, b: number, o: DisagreementOptions): boolean {
  const diff = Math.abs(a - b);
  if (!(diff > o.abs_ugm3)) return false;
  return diff / ((a + b) / 2) > o.rel;
}

export class DisagreementCheck {
  private readonly sites = new Map<string, Site>();

  constructor(
    private readonly options: DisagreementOptions,
    private readonly maxSites: number,
  ) {}

  get size(): number {
    return this.sites.size;
  }

  /** Minute buckets held over all sites. */
  get minutes(): number {
    let n = 0;
    for (const s of this.sites.values()) n += s.minutes.size;
    return n;
  }

  /** Judges a PM2.5 value of `source` at `site` against the other sources of its minute, then remembers it. */
  check(site: string, source: string, time: number, pm25: number, now: number): boolean {
    let s = this.sites.get(site);
    if (s) this.sites.delete(site);
    else s = { minutes: new Map(), seen: now };
    s.seen = now;
    this.sites.set(site, s);
    while (this.sites.size > this.maxSites) this.sites.delete(this.sites.keys().next().value!);

    const minute = Math.floor(time / MINUTE_MS) * MINUTE_MS;
    // Least recently used minute first: the live minute, touched by every live reading, outlasts a backlog
    // replay racing through old minutes beside it.
    let bucket = s.minutes.get(minute);
    if (bucket) s.minutes.delete(minute);
    else bucket = new Map();
    s.minutes.set(minute, bucket);
    while (s.minutes.size > MAX_MINUTES_PER_SITE) s.minutes.delete(s.minutes.keys().next().value!);
    let found = false;
    for (const [other, acc] of bucket) {
      if (other !== source && acc.n > 0 && disagree(pm25, acc.sum / acc.n, this.options)) found = true;
    }
    let mine = bucket.get(source);
    if (!mine && bucket.size < MAX_SOURCES) {
      mine = { sum: 0, n: 0, times: new Set() };
      bucket.set(source, mine);
    }
    // A reading seen twice (a replay of what already passed) is judged again but counted once.
    if (mine && !mine.times.has(time)) {
      mine.times.add(time);
      mine.sum += pm25;
      mine.n += 1;
    }
    return found;
  }

  /** Forgets sites not seen since `before` (gateway clock). */
  evictIdle(before: number): void {
    for (const [key, s] of this.sites) {
      if (s.seen >= before) break;
      this.sites.delete(key);
    }
  }
}
