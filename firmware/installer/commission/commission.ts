// Commissioning one node: run its parts for a short window on the station's own buses (the real UARTs and I2C
// buses on a pole, the simulators on a simulated station), collect what each part delivers and how its status
// moves, then run the checks and return a record an installer signs off with.
import type { Logger } from 'pino';
import type { Reading } from '../../contract.js';
import type { PartModule, Values } from '../../drivers/types.js';
import { NodeRuntime, type NodeConfig, type NodePartConfig, type PartStatus } from '../../node/runtime.js';
import { describeBus, nodeEnv, type BoardConfig, type NodeEnv } from '../../node/env.js';
import { MIN_READINGS, STUCK_MIN_READINGS, STUCK_MIN_SPAN_S, runChecks, type CheckResult, type PartWindow } from './checks.js';

/** What commissioning needs of the station file (a StationConfig fits). */
export interface CommissionStation {
  site: string;
  simulate: boolean;
  clock: Reading['clock'];
  nodes: readonly {
    id: string;
    board?: BoardConfig | undefined;
    parts: readonly Omit<NodePartConfig, 'where'>[];
  }[];
}

export interface PartRecord {
  /** Firmware version, when the part reports one (none of the drivers expose it through PartSample yet). */
  firmware?: string;
  /** The last accepted reading. */
  values: Values;
  readings: number;
  results: CheckResult[];
  pass: boolean;
}

export interface CommissioningRecord {
  node: string;
  site: string;
  parts: Record<string, PartRecord>;
  pass: boolean;
  /** When the window ended (ISO 8601). */
  time: string;
  by: string;
  window_s: number;
}

export interface CommissionDeps {
  log: Logger;
  modules: readonly PartModule<any>[];
  /** Bus access; defaults to nodeEnv for the node (simulators when the station is simulated). */
  env?: NodeEnv;
}

/** The longest window picked automatically, so a slow every_s cannot keep an installer on the pole for long. */
export const MAX_AUTO_WINDOW_S = 180;

/**
 * The window a node needs: its slowest warm-up plus enough samples for the stuck check, at its slowest interval.
 * Streaming parts without averaging deliver a frame per second or so, so their every_s is an upper bound.
 */
export function defaultWindowS(parts: readonly Omit<NodePartConfig, 'where'>[], modules: readonly PartModule<any>[]): number {
  let warmup = 0;
  let every = 0;
  for (const p of parts) {
    const def = modules.find((m) => m.definition.id === p.part)?.definition;
    const optWarmup = (p.options as { warmup_s?: unknown } | undefined)?.warmup_s;
    warmup = Math.max(warmup, typeof optWarmup === 'number' ? optWarmup : (def?.warmupS ?? 0));
    every = Math.max(every, p.every_s);
  }
  const samples = Math.max((Math.max(MIN_READINGS, STUCK_MIN_READINGS) + 1) * every, STUCK_MIN_SPAN_S + 2 * every);
  return Math.min(MAX_AUTO_WINDOW_S, Math.ceil(warmup + samples));
}

export async function commissionNode(
  opts: { station: CommissionStation; nodeId: string; seconds?: number; by: string; now?: () => number },
  deps: CommissionDeps,
): Promise<CommissioningRecord> {
  const { station, nodeId } = opts;
  const now = opts.now ?? Date.now;
  const node = station.nodes.find((n) => n.id === nodeId);
  if (!node) throw new Error(`no node "${nodeId}" in the station; nodes: ${station.nodes.map((n) => n.id).join(', ') || '(none)'}`);
  const windowS = opts.seconds ?? defaultWindowS(node.parts, deps.modules);
  const modules = new Map(deps.modules.map((m) => [m.definition.id, m]));

  const readings = new Map<string, { time: number; values: Values }[]>(node.parts.map((p) => [p.part, []]));
  const statuses = new Map<string, PartStatus[]>(node.parts.map((p) => [p.part, []]));
  const config: NodeConfig = {
    site: station.site,
    id: node.id,
    clock: station.clock,
    parts: node.parts.map((p) => ({ ...p, where: describeBus(p.bus, node.board?.port) })),
  };
  const env = deps.env ?? nodeEnv({ simulate: station.simulate, log: deps.log, board: node.board });
  const rt = new NodeRuntime(config, {
    log: deps.log,
    modules,
    env,
    now,
    emit: (r) => readings.get(r.part)?.push({ time: Date.parse(r.time), values: r.values }),
    onStatus: (all) => {
      for (const [part, s] of Object.entries(all)) statuses.get(part)?.push(s);
    },
  });
  // Enough for every check: end early once every part has the readings the stuck check wants.
  const enough = () =>
    [...readings.values()].every((r) => r.length >= STUCK_MIN_READINGS && r[r.length - 1]!.time - r[0]!.time >= STUCK_MIN_SPAN_S * 1000);
  try {
    await rt.start();
    const deadline = Date.now() + windowS * 1000;
    while (Date.now() < deadline && !enough()) await new Promise((r) => setTimeout(r, Math.min(100, Math.max(0, deadline - Date.now()))));
  } finally {
    const last = rt.statuses();
    await rt.stop();
    if (!deps.env) await env.close();
    for (const [part, s] of Object.entries(last)) statuses.get(part)?.push(s);
  }

  const windows: PartWindow[] = node.parts.map((p) => {
    const definition = modules.get(p.part)?.definition;
    if (!definition) throw new Error(`node ${node.id}: unknown part "${p.part}"`);
    return { part: p.part, definition, readings: readings.get(p.part)!, statuses: statuses.get(p.part)!, windowS };
  });
  const parts: Record<string, PartRecord> = {};
  for (const w of windows) {
    const results = runChecks(w, windows);
    parts[w.part] = { values: w.readings.at(-1)?.values ?? {}, readings: w.readings.length, results, pass: results.every((r) => r.pass) };
  }
  return {
    node: node.id,
    site: station.site,
    parts,
    pass: Object.values(parts).every((p) => p.pass),
    time: new Date(now()).toISOString(),
    by: opts.by,
    window_s: windowS,
  };
}

