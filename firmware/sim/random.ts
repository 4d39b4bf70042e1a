// One seeded generator for simulators, fuzzers, benchmarks and the chaos suite, so a run can be replayed from its
// seed. mulberry32 (Tommy Ettinger, public domain): 32 bits of state, uniform enough to spread mutations and
// fault instants; not for anything secret.
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
