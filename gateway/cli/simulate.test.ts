import { describe, expect, it } from 'vitest';
import { runSimulate } from './simulate.js';
import type { FleetSummary, SimulateFleetOptions } from '../fleet/simulate.js';
import { simulateFleet } from '../fleet/simulate.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => void out.push(l), err: (l: string) => void err.push(l) }, out, err };
}

const summary: FleetSummary = { nodes: 40, sites: 2, sent: 400, counts: 2, counts_acked: 2, acked: 400, duration_s: 10.02, rate_per_s: 39.9, first: '2026-11-26T02:00:00.012Z', last: '2026-11-26T02:00:09.987Z' };

describe('airlane simulate', () => {
  it('passes the parsed flags to the simulator and prints one JSON object with --json', async () => {
    const c = capture();
    let seen: SimulateFleetOptions | undefined;
    const code = await runSimulate({ nodes: '40', rate: '1', duration: '10', seed: '7', json: true }, c.io, {
      simulate: async (o) => {
        seen = o;
        return summary;
      },
    });
    expect(code).toBe(0);
    expect(seen).toEqual({ url: 'mqtt://127.0.0.1:1883', nodes: 40, rate: 1, durationS: 10, seed: 7, qos: 1 });
    expect(c.out).toEqual([JSON.stringify(summary)]);
    expect(c.err).toEqual([]);
  });

  it('prints a plain line for a person and exits 1 when the broker did not acknowledge everything', async () => {
    const c = capture();
    const code = await runSimulate({ nodes: '40', rate: '1' }, c.io, { simulate: async () => ({ ...summary, acked: 390 }) });
    expect(code).toBe(1);
    expect(c.out).toEqual([
      'sent 400 readings from 40 nodes and 2 traffic counts at 2 sites in 10.02 s (39.9 acknowledged/s); 10 NOT acknowledged by the broker, reading times 2026-11-26T02:00:00.012Z … 2026-11-26T02:00:09.987Z',
    ]);
  });

  it.each([
    [{ rate: '1' }, 'airlane simulate: --nodes is required: a whole number of nodes ≥ 1, e.g. --nodes 1000'],
    [{ nodes: '2.5', rate: '1' }, 'airlane simulate: --nodes "2.5" is not a whole number of nodes ≥ 1, e.g. --nodes 1000'],
    [{ nodes: '10' }, 'airlane simulate: --rate is required: readings per second per node > 0, e.g. --rate 1'],
    [{ nodes: '10', rate: '0' }, 'airlane simulate: --rate "0" is not readings per second per node > 0, e.g. --rate 1'],
    [{ nodes: '10', rate: '1', duration: '-3' }, 'airlane simulate: --duration "-3" is not a number of seconds > 0, e.g. --duration 20'],
  ])('refuses %j with exit 2', async (opts, message) => {
    const c = capture();
    expect(await runSimulate(opts, c.io, { simulate: () => Promise.reject(new Error('not reached')) })).toBe(2);
    expect(c.err).toEqual([message]);
    expect(c.out).toEqual([]);
  });

  it('refuses a broker that is not on this machine, before connecting (exit 2)', async () => {
    const c = capture();
    const code = await runSimulate({ nodes: '10', rate: '1', url: 'mqtt://broker.city.example:1883' }, c.io, { simulate: simulateFleet });
    expect(code).toBe(2);
    expect(c.err).toEqual([
      'airlane simulate: --url mqtt://broker.city.example:1883: the simulator publishes to a broker on this machine only (127.0.0.1, ::1 or localhost), never to broker.city.example',
    ]);
  });

  it('refuses a rate above what millisecond timestamps can carry (exit 2)', async () => {
    const c = capture();
    expect(await runSimulate({ nodes: '10', rate: '500' }, c.io, { simulate: simulateFleet })).toBe(2);
    expect(c.err).toEqual(['airlane simulate: rate must be > 0 and ≤ 100 readings/s per node, not 500']);
  });
});
