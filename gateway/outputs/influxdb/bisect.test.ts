// Bisection against a fake server that refuses chosen points the way InfluxDB 1.x does: a 400 stores every
// valid point of the request and names the first problem with a count (services/httpd/handler.go).
import { describe, expect, it } from 'vitest';
import { bisectionBudget, isolateRefused, type Refusal } from './bisect.js';

/** A fake /write: refuses the items in `bad` (reason per item), records every request. */
function fakeServer(bad: Map<number, string>, opts: { undercount?: boolean } = {}) {
  const requests: number[][] = [];
  const stored = new Set<number>();
  const write = (group: readonly number[]): Refusal | undefined => {
    requests.push([...group]);
    const refused = group.filter((i) => bad.has(i));
    for (const i of group) if (!bad.has(i)) stored.add(i);
    if (refused.length === 0) return undefined;
    const first = bad.get(refused[0] ?? -1) ?? '';
    return { reason: first, dropped: opts.undercount ? 1 : refused.length, lines: [] };
  };
  return { requests, stored, write, probe: async (g: readonly number[]) => write(g) };
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const conflict = (field: string): string =>
  `field type conflict: input field "${field}" on measurement "air" is type float, already exists as type integer`;

describe('isolateRefused', () => {
  it('one bad point among 100 at the end: one request per halving step, plus the single point alone', async () => {
    const server = fakeServer(new Map([[99, conflict('pm25_ugm3')]]));
    const batch = range(100);
    const first = server.write(batch);
    expect(first).toBeDefined();
    const r = await isolateRefused(batch, first as Refusal, server.probe);
    expect(r.refused).toEqual([{ item: 99, reason: conflict('pm25_ugm3') }]);
    // Halves 100→50→25→13→7→4→2→1: each left half is stored, so each right half is split unsent; the last,
    // inferred single is sent once for its own reason: 6 left halves + 1 = 7.
    expect(r.requests).toBe(7);
    expect(server.requests.slice(1).map((g) => g.length)).toEqual([50, 25, 13, 6, 3, 2, 1]);
    expect(server.stored.size).toBe(99);
    expect(r.exhausted).toBe(false);
  });

  it('one bad point at the start: both halves at each of the 7 steps', async () => {
    const server = fakeServer(new Map([[0, conflict('qc')]]));
    const r = await isolateRefused(range(100), server.write(range(100)) as Refusal, server.probe);
    expect(r.refused.map((x) => x.item)).toEqual([0]);
    expect(r.requests).toBe(14);
  });

  it('two bad points with different reasons: each reported with its own', async () => {
    const server = fakeServer(
      new Map([
        [17, conflict('pm25_ugm3')],
        [64, conflict('no2_ppb')],
      ]),
    );
    const r = await isolateRefused(range(100), server.write(range(100)) as Refusal, server.probe);
    expect(r.refused).toEqual([
      { item: 17, reason: conflict('pm25_ugm3') },
      { item: 64, reason: conflict('no2_ppb') },
    ]);
    expect(r.requests).toBeLessThanOrEqual(2 * 2 * Math.ceil(Math.log2(100)));
    // Never resends the refused request itself.
    expect(server.requests.slice(1).every((g) => g.length < 100)).toBe(true);
  });

  it('does not trust a count that is too low (a hidden unparsable line): every point is confirmed', async () => {
    const bad = new Map([
      [3, conflict('pm25_ugm3')],
      [40, "unable to parse 'air v= 1': missing field value"],
    ]);
    const server = fakeServer(bad, { undercount: true });
    const r = await isolateRefused(range(50), server.write(range(50)) as Refusal, server.probe);
    expect(r.refused.map((x) => x.item)).toEqual([3, 40]);
    expect(r.refused[1]?.reason).toContain('unable to parse');
  });

  it('a refusal of every point (e.g. beyond the retention policy) needs no further request', async () => {
    const server = fakeServer(new Map(range(8).map((i) => [i, 'points beyond retention policy'])));
    const r = await isolateRefused(range(8), server.write(range(8)) as Refusal, server.probe);
    expect(r.requests).toBe(0);
    expect(r.refused).toHaveLength(8);
  });

  it('assigns listed parse failures to points in line order', async () => {
    const lines = ["unable to parse 'a': x", "unable to parse 'b': y"];
    const r = await isolateRefused(['a', 'b'], { reason: lines.join('; '), dropped: 2, lines }, async () => {
      throw new Error('must not send');
    });
    expect(r.refused).toEqual([
      { item: 'a', reason: lines[0] },
      { item: 'b', reason: lines[1] },
    ]);
  });

  it('stops at the budget and reports what is left refused, unconfirmed (dead letters lose nothing)', async () => {
    const server = fakeServer(new Map(range(64).filter((i) => i % 2 === 0).map((i) => [i, 'bad'])), { undercount: true });
    const r = await isolateRefused(range(64), server.write(range(64)) as Refusal, server.probe, 5);
    expect(r.exhausted).toBe(true);
    expect(r.requests).toBe(5);
    const refused = new Set(r.refused.map((x) => x.item));
    // Every truly bad point is reported; none is silently counted as stored.
    for (let i = 0; i < 64; i += 2) expect(refused.has(i)).toBe(true);
    expect(r.refused.some((x) => x.reason.includes('not isolated'))).toBe(true);
  });

  it('a single refused point needs nothing more', async () => {
    const r = await isolateRefused([7], { reason: 'bad', dropped: 1, lines: [] }, async () => undefined);
    expect(r).toEqual({ refused: [{ item: 7, reason: 'bad' }], requests: 0, exhausted: false });
  });

  it('propagates a network failure during isolation (the whole batch is kept)', async () => {
    let calls = 0;
    const p = isolateRefused(range(10), { reason: 'x', dropped: 1, lines: [] }, async () => {
      if (++calls === 2) throw new Error('ECONNRESET');
      return undefined;
    });
    await expect(p).rejects.toThrow('ECONNRESET');
  });

  it('budget: two requests per halving step per refused point, plus slack', () => {
    expect(bisectionBudget(100, 1)).toBe(2 * 7 * 2);
    expect(bisectionBudget(5000, 3)).toBe(2 * 13 * 4);
  });
});
