// `airlane simulate --nodes N --rate R [--duration S] [--url mqtt://127.0.0.1:1883] [--seed K] [--json]`: a fleet of
// simulated nodes publishing QoS 1 readings to a broker on this machine (gateway/fleet/). One plain summary line
// for a person, or one JSON object with --json. Usage errors: one line on stderr, exit 2; readings the broker did
// not acknowledge: exit 1.
import { simulateFleet, FleetUsageError, type FleetSummary, type SimulateFleetOptions } from '../fleet/simulate.js';

export interface SimulateIo {
  out(line: string): void;
  err(line: string): void;
}

export interface SimulateCliOptions {
  nodes?: string;
  rate?: string;
  duration?: string;
  url?: string;
  seed?: string;
  json?: boolean;
}

export const DEFAULT_SIMULATE_URL = 'mqtt://127.0.0.1:1883';
const DEFAULT_DURATION_S = 10;

class Usage extends Error {}

function positive(flag: string, text: string | undefined, what: string, integer: boolean): number {
  if (text === undefined) throw new Usage(`${flag} is required: ${what}`);
  const t = text.trim();
  const n = /^(\d+\.?\d*|\.\d+)$/.test(t) ? Number(t) : NaN;
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new Usage(`${flag} "${text}" is not ${what}`);
  return n;
}

export function formatSummary(s: FleetSummary): string {
  const missing = s.sent - s.acked + (s.counts - s.counts_acked);
  return (
    `sent ${s.sent} readings from ${s.nodes} nodes and ${s.counts} traffic counts at ${s.sites} sites in ${s.duration_s} s ` +
    `(${s.rate_per_s} acknowledged/s)${missing ? `; ${missing} NOT acknowledged by the broker` : ''}` +
    (s.first ? `, reading times ${s.first} … ${s.last}` : '')
  );
}

/** The deps seam lets the unit test check argument handling without a broker. */
export async function runSimulate(
  opts: SimulateCliOptions,
  io: SimulateIo,
  deps: { simulate?: (o: SimulateFleetOptions) => Promise<FleetSummary> } = {},
): Promise<number> {
  let fleet: SimulateFleetOptions;
  try {
    const nodes = positive('--nodes', opts.nodes, 'a whole number of nodes ≥ 1, e.g. --nodes 1000', true);
    const rate = positive('--rate', opts.rate, 'readings per second per node > 0, e.g. --rate 1', false);
    const durationS = opts.duration === undefined ? DEFAULT_DURATION_S : positive('--duration', opts.duration, 'a number of seconds > 0, e.g. --duration 20', false);
    const seed = opts.seed === undefined ? undefined : positive('--seed', opts.seed, 'a whole number ≥ 1', true);
    fleet = { url: opts.url ?? DEFAULT_SIMULATE_URL, nodes, rate, durationS, qos: 1, ...(seed === undefined ? {} : { seed }) };
  } catch (e) {
    io.err(`airlane simulate: ${(e as Error).message}`);
    return 2;
  }
  let summary: FleetSummary;
  try {
    summary = await (deps.simulate ?? simulateFleet)(fleet);
  } catch (e) {
    io.err(`airlane simulate: ${(e as Error).message}`);
    return e instanceof FleetUsageError ? 2 : 1;
  }
  io.out(opts.json ? JSON.stringify(summary) : formatSummary(summary));
  return summary.acked === summary.sent && summary.counts_acked === summary.counts ? 0 : 1;
}
