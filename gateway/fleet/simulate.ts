// The fleet simulator: N nodes over many sites publishing QoS 1 readings (gateway/fleet/plan.ts) to a broker on
// this machine, paced in real time, for load and failure tests of central ingest. Loopback only: it can produce
// thousands of messages a second, which must never land on a city's production broker by a typo.
import mqtt from 'mqtt';
import { countTopic, fleetCount, fleetPlan, fleetReading, readingTime, readingTopic, type FleetPlan } from './plan.js';

export interface SimulateFleetOptions {
  url: string;
  nodes: number;
  /** Readings per second per node (Hz). */
  rate: number;
  durationS: number;
  /** Nodes per site; default 20. */
  nodesPerSite?: number;
  /** Expected number of sites: checked against nodes / nodesPerSite when given. */
  sites?: number;
  seed?: number;
  qos?: 1;
  /** Epoch ms of the first tick; default now, to the second. */
  startMs?: number;
  /** Seconds between two counts of each site's detector (one count per site per interval); default 10. */
  countIntervalS?: number;
  /** Unacknowledged messages beyond which publishing waits for the broker; default 5000. */
  maxInFlight?: number;
  /** How long to wait for the last acknowledgements after the last publish; default 30 s. */
  drainTimeoutMs?: number;
  signal?: AbortSignal;
}

export interface FleetSummary {
  nodes: number;
  sites: number;
  sent: number;
  /** Traffic counts sent (one per site and interval, after the readings of that interval), and acknowledged. */
  counts: number;
  counts_acked: number;
  acked: number;
  /** From the first publish to the last acknowledgement. */
  duration_s: number;
  /** Acknowledged readings per second over duration_s: what the broker took, not what was asked. */
  rate_per_s: number;
  /** Reading times (ISO 8601) of the earliest and latest reading sent; null when none was. */
  first: string | null;
  last: string | null;
}

export class FleetUsageError extends Error {
  override name = 'FleetUsageError';
}

const LOOPBACK_V4 = /^127(\.\d{1,3}){3}$/;

/** Throws FleetUsageError unless `url` is mqtt:// or ws:// to this machine. */
export function checkLoopbackUrl(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new FleetUsageError(`--url ${JSON.stringify(url)} is not a URL; give e.g. mqtt://127.0.0.1:1883`);
  }
  if (u.protocol !== 'mqtt:' && u.protocol !== 'ws:') throw new FleetUsageError(`--url ${url}: give an mqtt:// or ws:// URL to a broker on this machine`);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (!(host === 'localhost' || host === '::1' || LOOPBACK_V4.test(host))) {
    throw new FleetUsageError(`--url ${url}: the simulator publishes to a broker on this machine only (127.0.0.1, ::1 or localhost), never to ${host}`);
  }
  return u;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function simulateFleet(o: SimulateFleetOptions): Promise<FleetSummary> {
  checkLoopbackUrl(o.url);
  if (!(o.durationS > 0)) throw new FleetUsageError(`duration must be > 0 seconds, not ${o.durationS}`);
  let plan: FleetPlan;
  try {
    plan = fleetPlan({ nodes: o.nodes, rate: o.rate, startMs: o.startMs ?? Math.floor(Date.now() / 1000) * 1000, nodesPerSite: o.nodesPerSite, seed: o.seed });
  } catch (e) {
    throw new FleetUsageError((e as Error).message);
  }
  if (o.sites !== undefined && o.sites !== plan.sites) {
    throw new FleetUsageError(`${o.nodes} nodes at ${plan.nodesPerSite} per site make ${plan.sites} sites, not ${o.sites}`);
  }
  const ticks = Math.max(1, Math.round(o.durationS * o.rate));
  const countMs = (o.countIntervalS ?? 10) * 1000;
  if (!(countMs >= 1000)) throw new FleetUsageError(`the count interval must be ≥ 1 s, not ${o.countIntervalS}`);
  let counts = 0;
  let nextCountEnd = plan.startMs + countMs;
  const maxInFlight = o.maxInFlight ?? 5000;

  const client = mqtt.connect(o.url, { clientId: `airlane-simulate-${process.pid}-${Date.now().toString(36)}`, clean: true, reconnectPeriod: 1000, connectTimeout: 10_000 });
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => {
      client.end(true);
      reject(new Error(`no MQTT broker answered at ${o.url} within 10 s: start one, or give --url`));
    }, 10_000);
    client.once('connect', () => {
      clearTimeout(t);
      resolve();
    });
  });

  // Nodes in the order of their place within one period, so one pass per tick publishes in time order.
  const order = Array.from({ length: plan.nodes }, (_, i) => ({ i, at: readingTime(plan, i, 0) }));
  order.sort((a, b) => a.at - b.at);

  let sent = 0;
  let acked = 0;
  let failed = 0;
  let firstMs = Infinity;
  let lastMs = -Infinity;
  let wake: (() => void) | undefined;
  const onAck = (err?: Error): void => {
    if (err) failed++;
    else acked++;
    wake?.();
  };
  let countsAcked = 0;
  const onCountAck = (err?: Error): void => {
    if (err) failed++;
    else countsAcked++;
    wake?.();
  };
  const settled = (): number => acked + countsAcked + failed;

  const wallStart = Date.now();
  try {
    for (let k = 0; k < ticks && !o.signal?.aborted; k++) {
      for (const { i } of order) {
        if (o.signal?.aborted) break;
        const r = fleetReading(plan, i, k);
        const t = Date.parse(r.time);
        const due = wallStart + (t - plan.startMs);
        const wait = due - Date.now();
        // Batches of ≥ 5 ms: a timer per message would cost more than the publishing.
        if (wait > 5) await sleep(wait);
        while (sent + counts - settled() >= maxInFlight) await new Promise<void>((r2) => (wake = r2));
        wake = undefined;
        // Each site's detector reports the interval that just ended, as a counter would.
        for (; t >= nextCountEnd; nextCountEnd += countMs) {
          for (let site = 0; site < plan.sites; site++) {
            const c = fleetCount(plan, site, nextCountEnd - countMs, countMs / 1000);
            client.publish(countTopic(c), JSON.stringify(c), { qos: 1 }, onCountAck);
            counts++;
          }
        }
        client.publish(readingTopic(r), JSON.stringify(r), { qos: 1 }, onAck);
        sent++;
        if (t < firstMs) firstMs = t;
        if (t > lastMs) lastMs = t;
      }
    }
    const deadline = Date.now() + (o.drainTimeoutMs ?? 30_000);
    while (settled() < sent + counts && Date.now() < deadline) await sleep(20);
  } finally {
    await client.endAsync(settled() < sent + counts);
  }
  const durationS = Math.max(0.001, (Date.now() - wallStart) / 1000);
  return {
    nodes: plan.nodes,
    sites: plan.sites,
    sent,
    counts,
    acked,
    counts_acked: countsAcked,
    duration_s: Math.round(durationS * 1000) / 1000,
    rate_per_s: Math.round((acked / durationS) * 10) / 10,
    first: sent ? new Date(firstMs).toISOString() : null,
    last: sent ? new Date(lastMs).toISOString() : null,
  };
}
