// What a simulated fleet publishes, as pure data: which node sits at which site, and the reading node i takes at
// tick k. Deterministic from (nodes, rate, start, seed), so a test can rebuild every (node, time) key and value
// the simulator sent and compare them with what InfluxDB holds.
import { urbanConditions } from '../../firmware/sim/urban-day.js';
import type { Reading, TrafficCount } from '../../firmware/contract.js';
import { mulberry32 } from '../../firmware/sim/random.js';

export interface FleetPlanOptions {
  nodes: number;
  /** Readings per second per node (Hz). */
  rate: number;
  /** Epoch ms of tick 0. */
  startMs: number;
  /** Nodes per site; default 20 (a street of poles). */
  nodesPerSite?: number;
  seed?: number;
}

export interface FleetPlan {
  nodes: number;
  rate: number;
  startMs: number;
  nodesPerSite: number;
  seed: number;
  /** Milliseconds between two readings of one node. */
  periodMs: number;
  sites: number;
}

/** Highest rate per node: timestamps are whole milliseconds, and one node's must differ. */
export const MAX_RATE_HZ = 100;

export function fleetPlan(o: FleetPlanOptions): FleetPlan {
  if (!Number.isInteger(o.nodes) || o.nodes < 1) throw new RangeError(`nodes must be a whole number ≥ 1, not ${o.nodes}`);
  if (!(o.rate > 0 && o.rate <= MAX_RATE_HZ)) throw new RangeError(`rate must be > 0 and ≤ ${MAX_RATE_HZ} readings/s per node, not ${o.rate}`);
  const nodesPerSite = o.nodesPerSite ?? 20;
  if (!Number.isInteger(nodesPerSite) || nodesPerSite < 1) throw new RangeError(`nodesPerSite must be a whole number ≥ 1, not ${nodesPerSite}`);
  return {
    nodes: o.nodes,
    rate: o.rate,
    startMs: Math.floor(o.startMs),
    nodesPerSite,
    seed: o.seed ?? 1,
    periodMs: 1000 / o.rate,
    sites: Math.ceil(o.nodes / nodesPerSite),
  };
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

export function siteId(plan: FleetPlan, node: number): string {
  return `fleet-${pad(Math.floor(node / plan.nodesPerSite), 3)}`;
}

/** Unique across sites, so (node, time) is a key on its own. */
export function nodeId(node: number): string {
  return `node-${pad(node, 5)}`;
}

interface NodeOffsets {
  /** Multiplier on the street's PM: a pole by a bus stop reads more than one in a side street. */
  pmScale: number;
  /** Within one period, so the fleet's messages are spread instead of all on the second. */
  phaseMs: number;
}

function offsets(plan: FleetPlan, node: number): NodeOffsets {
  const r = mulberry32(plan.seed * 1_000_003 + node);
  return { pmScale: 0.7 + 0.6 * r(), phaseMs: Math.floor(r() * plan.periodMs) };
}

/** Epoch ms of node i's reading at tick k; strictly increasing in k for one node. */
export function readingTime(plan: FleetPlan, node: number, tick: number): number {
  return plan.startMs + Math.floor(tick * plan.periodMs) + offsets(plan, node).phaseMs;
}

/** One decimal: the resolution a PMS5003 reports (1 µg/m³) is coarser; 0.1 keeps values distinct per node. */
const round1 = (x: number): number => Math.round(x * 10) / 10;

/** Node i's reading at tick k: a PMS5003 on the street of urbanConditions() with the node's own offset. */
export function fleetReading(plan: FleetPlan, node: number, tick: number): Reading {
  const time = readingTime(plan, node, tick);
  const c = urbanConditions(new Date(time));
  const { pmScale } = offsets(plan, node);
  return {
    v: 1,
    site: siteId(plan, node),
    node: nodeId(node),
    part: 'pms5003',
    time: new Date(time).toISOString(),
    clock: 'ntp',
    values: {
      pm1_ugm3: round1(c.pm1_ugm3 * pmScale),
      pm25_ugm3: round1(c.pm25_ugm3 * pmScale),
      pm10_ugm3: round1(c.pm10_ugm3 * pmScale),
    },
  };
}

/** DESIGN.md §3. */
export function readingTopic(r: Reading): string {
  return `airlane/v1/${r.site}/${r.node}/reading`;
}

/**
 * The count of site s's detector for the interval that starts at `startMs` (`intervalS` long): the vehicles of
 * urbanConditions() over the interval, scaled per site (a main road carries more than a side street).
 */
export function fleetCount(plan: FleetPlan, site: number, startMs: number, intervalS: number): TrafficCount {
  const c = urbanConditions(new Date(startMs));
  const scale = 0.5 + mulberry32(plan.seed * 7_919 + site)();
  const vehicles = Math.round(c.vehiclesPerMin * (intervalS / 60) * scale);
  return {
    v: 1,
    site: `fleet-${pad(site, 3)}`,
    detector: 'loop-1',
    lane: '1',
    direction: 'all',
    time: new Date(startMs).toISOString(),
    interval_s: intervalS,
    values: { vehicles, heavy_vehicles: Math.round(vehicles * 0.08) },
  };
}

/** DESIGN.md §3. */
export function countTopic(c: TrafficCount): string {
  return `airlane/v1/${c.site}/traffic/${c.detector}`;
}
