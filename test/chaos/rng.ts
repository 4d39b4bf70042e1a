// A small seeded PRNG (mulberry32): the whole chaos run — fault instants, bit errors, fuzz payloads — follows
// from one seed, so a failing run can be replayed with the same --seed.
import { mulberry32 } from '../../firmware/sim/random.js';

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  bytes(n: number): Buffer;
  /** A generator of its own, derived from this one (one per subsystem so they do not shift each other). */
  fork(): Rng;
}

export function rng(seed: number): Rng {
  const next = mulberry32(seed);
  const self: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)] as (typeof items)[number],
    bytes: (n) => {
      const b = Buffer.alloc(n);
      for (let i = 0; i < n; i++) b[i] = Math.floor(next() * 256);
      return b;
    },
    fork: () => rng(Math.floor(next() * 2 ** 32)),
  };
  return self;
}
