// Robust window averaging for a sensor's samples (air-quality.md §7: drop one minimum and one maximum per window
// when at least three values remain — airrohr, AirGradient `Measurements::update`), per quantity.
import type { Values } from '../drivers/types.js';

/** Mean of `xs` without its single smallest and largest value when ≥ 3 would remain (≥ 5 values), else plain mean. */
export function trimmedMean(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const x of xs) {
    sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  if (xs.length >= 5) return (sum - min - max) / (xs.length - 2);
  return sum / xs.length;
}

/** Averages a window of samples quantity by quantity; a quantity missing from some samples uses those it has. */
export function averageSamples(samples: readonly Values[]): Values {
  const byQuantity = new Map<string, number[]>();
  for (const s of samples) {
    for (const [q, v] of Object.entries(s)) {
      const list = byQuantity.get(q);
      if (list) list.push(v);
      else byQuantity.set(q, [v]);
    }
  }
  const out: Values = {};
  for (const [q, xs] of byQuantity) out[q] = trimmedMean(xs);
  return out;
}
