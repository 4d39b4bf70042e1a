// The commissioning checks: pure functions over what one part delivered during the commissioning window (its
// accepted readings and the statuses the runtime reported). Each answers one question an installer on a pole
// asks — does it answer, did it warm up, are the numbers possible, is it alive, does it agree with its
// neighbour — and says why in one plain sentence.
import type { PartStatus } from '../../node/runtime.js';
import type { PartDefinition, Values } from '../../drivers/types.js';

export interface CheckResult {
  name: 'answers' | 'warmed_up' | 'in_range' | 'not_stuck' | 'consistent';
  pass: boolean;
  detail: string;
}

export interface PartWindow {
  part: string;
  definition: PartDefinition;
  /** Accepted readings (warm-up readings are discarded by the runtime and never appear here). */
  readings: { time: number; values: Values }[];
  /** Every status the runtime reported for the part during the window, oldest first. */
  statuses: PartStatus[];
  /** Length of the window, seconds. */
  windowS: number;
}

/** Readings a part must deliver in the window to count as answering. */
export const MIN_READINGS = 3;

/**
 * A part is called stuck only when at least this many readings are identical in every quantity. One quantity
 * holding still proves nothing (a PMS resolves 1 µg/m³, clean air reads 2, 2, 2 …); a frozen frame — every count,
 * mass and temperature the same to the last digit — is what a hung sensor or a replayed buffer looks like.
 */
export const STUCK_MIN_READINGS = 5;
/**
 * … and only when they span at least this long: a part polled faster than it measures (a BME280 read twice
 * within one conversion, a simulator whose conditions move once a second) legitimately repeats itself briefly.
 */
export const STUCK_MIN_SPAN_S = 5;

/**
 * PM2.5 agreement between two PM parts on one node: within 5 µg/m³ or 30 % of their mean, whichever is larger.
 * Project choice, modelled on the between-sensor precision targets for PM2.5 sensors in US EPA, "Performance
 * Testing Protocols, Metrics, and Target Values for Fine Particulate Matter Air Sensors" (EPA/600/R-20/280,
 * February 2021), base testing: SD ≤ 5 µg/m³ or CV ≤ 30 % (table of target values; page not checked here).
 */
export const PM25_TOLERANCE_UGM3 = 5;
export const PM25_TOLERANCE_FRACTION = 0.3;

/**
 * Temperature agreement between two parts on one node: 2 °C. Project choice: the BME280 is ±1 °C over 0–65 °C
 * (BST-BME280-DS002 §1 Table 1) and a PMS5003T's sensor sits in the warm air of its own fan and laser, so two
 * healthy parts can differ by about the sum of those; more than that means one is wired, placed or reading wrong.
 */
export const TEMPERATURE_TOLERANCE_C = 2;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function checkAnswers(w: PartWindow, min = MIN_READINGS): CheckResult {
  const n = w.readings.length;
  if (n >= min) return { name: 'answers', pass: true, detail: `${plural(n, 'reading')} in ${w.windowS} s` };
  const last = w.statuses.at(-1)?.last_error;
  return {
    name: 'answers',
    pass: false,
    detail: `${plural(n, 'reading')} in ${w.windowS} s, want at least ${min}${last ? `; last error: ${last}` : ''}`,
  };
}

export function checkWarmedUp(w: PartWindow): CheckResult {
  const ok = w.statuses.find((s) => s.state === 'ok');
  const last = w.statuses.at(-1);
  const discarded = last?.warmup_discarded ?? 0;
  if (ok) return { name: 'warmed_up', pass: true, detail: `ok (${plural(discarded, 'warm-up reading')} discarded)` };
  if (!last) return { name: 'warmed_up', pass: false, detail: 'never started: no status from the part' };
  if (last.state === 'faulted') return { name: 'warmed_up', pass: false, detail: `faulted: ${last.last_error ?? 'no error given'}` };
  return {
    name: 'warmed_up',
    pass: false,
    detail: `still ${last.state} after ${w.windowS} s (${plural(discarded, 'warm-up reading')} discarded; warm-up is ${w.definition.warmupS} s)`,
  };
}

export function checkInRange(w: PartWindow): CheckResult {
  const model = w.definition.model;
  for (const r of w.readings) {
    for (const spec of w.definition.quantities) {
      const v = r.values[spec.name];
      if (v === undefined) continue;
      const unit = spec.unit ? ` ${spec.unit}` : '';
      if (!Number.isFinite(v)) return { name: 'in_range', pass: false, detail: `${spec.name} ${v} is not a number` };
      if (v > spec.max) return { name: 'in_range', pass: false, detail: `${spec.name} ${v} above the ${model}'s ${spec.max}${unit} range` };
      if (v < spec.min) return { name: 'in_range', pass: false, detail: `${spec.name} ${v} below the ${model}'s ${spec.min}${unit} range` };
    }
  }
  return { name: 'in_range', pass: true, detail: `${plural(w.readings.length, 'reading')} inside the ${model}'s ranges` };
}

export function checkNotStuck(w: PartWindow, min = STUCK_MIN_READINGS): CheckResult {
  const n = w.readings.length;
  const spanS = n ? Math.round((w.readings[n - 1]!.time - w.readings[0]!.time) / 100) / 10 : 0;
  if (n < min || spanS < STUCK_MIN_SPAN_S)
    return { name: 'not_stuck', pass: true, detail: `${plural(n, 'reading')} over ${spanS} s: too few to judge (${min} over ${STUCK_MIN_SPAN_S} s needed)` };
  const key = (v: Values) => JSON.stringify(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)));
  const first = key(w.readings[0]!.values);
  if (w.readings.every((r) => key(r.values) === first)) {
    const sample = Object.entries(w.readings[0]!.values)
      .slice(0, 2)
      .map(([q, v]) => `${q} ${v}`)
      .join(', ');
    return { name: 'not_stuck', pass: false, detail: `${n} identical readings over ${spanS} s (${sample}, …): the part looks frozen` };
  }
  return { name: 'not_stuck', pass: true, detail: `values move over ${plural(n, 'reading')} in ${spanS} s` };
}

const mean = (w: PartWindow, q: string): number | undefined => {
  const vs = w.readings.map((r) => r.values[q]).filter((v): v is number => v !== undefined && Number.isFinite(v));
  return vs.length ? vs.reduce((a, b) => a + b, 0) / vs.length : undefined;
};

const round1 = (v: number) => Math.round(v * 10) / 10;

/** Compares the part with every neighbour on the node that measures the same PM2.5 or temperature. */
export function checkConsistent(w: PartWindow, neighbours: readonly PartWindow[]): CheckResult {
  const agreed: string[] = [];
  for (const n of neighbours) {
    if (n.part === w.part) continue;
    const a = mean(w, 'pm25_ugm3');
    const b = mean(n, 'pm25_ugm3');
    if (a !== undefined && b !== undefined) {
      const diff = Math.abs(a - b);
      const tol = Math.max(PM25_TOLERANCE_UGM3, PM25_TOLERANCE_FRACTION * ((a + b) / 2));
      if (diff > tol)
        return {
          name: 'consistent',
          pass: false,
          detail: `pm25_ugm3 ${round1(a)} vs ${n.part}'s ${round1(b)}: ${round1(diff)} µg/m³ apart, more than ${round1(tol)}`,
        };
      agreed.push(`pm25_ugm3 with ${n.part}`);
    }
    const ta = mean(w, 'temperature_c');
    const tb = mean(n, 'temperature_c');
    if (ta !== undefined && tb !== undefined) {
      const diff = Math.abs(ta - tb);
      if (diff > TEMPERATURE_TOLERANCE_C)
        return {
          name: 'consistent',
          pass: false,
          detail: `temperature_c ${round1(ta)} vs ${n.part}'s ${round1(tb)}: ${round1(diff)} °C apart, more than ${TEMPERATURE_TOLERANCE_C}`,
        };
      agreed.push(`temperature_c with ${n.part}`);
    }
  }
  return { name: 'consistent', pass: true, detail: agreed.length ? `agrees: ${agreed.join(', ')}` : 'no neighbour to compare with' };
}

/** Every check for one part, in the order an installer reads them. */
export function runChecks(w: PartWindow, neighbours: readonly PartWindow[]): CheckResult[] {
  return [checkAnswers(w), checkWarmedUp(w), checkInRange(w), checkNotStuck(w), checkConsistent(w, neighbours)];
}
