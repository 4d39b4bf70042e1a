// Issue #9 benchmark: central ingest scaling out over an MQTT 5 shared subscription, same run, same machine.
//   1. Throughput with ONE and with TWO central `airlane gateway` processes (shared_group): a backlog of N QoS 1
//      readings is queued in Mosquitto for the group's sessions while the started instances are frozen
//      (SIGSTOP), then they are resumed together and the clock runs until InfluxDB holds all N.
//   2. End-to-end latency at a steady rate below capacity (two instances): each reading's time field is the
//      moment it is due to be published; InfluxDB is polled every 100 ms for per-10 ms-bucket counts, and a
//      reading's latency is when its bucket's count first grew minus its time (resolution below).
//   3. The bottleneck: CPU of mosquitto, influxd and each gateway from /proc/<pid>/stat (utime + stime) over the
//      throughput windows, next to the whole machine's busy share from /proc/stat.
// Starts its own influxd and Mosquitto (test/services). Stand-alone: `node bin/tsx.mjs test/bench/fleet.ts`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { startInflux } from '../services/influxd.js';
import { startMosquitto } from '../services/mosquitto.js';
import { createTestDatabase, type TestDatabase } from '../services/influx-db.js';
import { startGatewayProcess, writeStationFile, type GatewayProcess } from '../fakes/gateway-process.js';
import { simulateFleet } from '../../gateway/fleet/simulate.js';
import { fleetPlan, fleetReading, readingTime, readingTopic } from '../../gateway/fleet/plan.js';
import { dropSession } from './outbox.js';

export interface ThroughputRun {
  instances: number;
  readings: number;
  /** From the moment every instance was ready (all resumed together) until InfluxDB held all readings. */
  seconds: number;
  readingsPerSec: number;
  /** How long queuing the backlog in the broker took (before the clock). */
  publishSeconds: number;
  /** Readings each instance accepted (GET /api/v1/stats). */
  accepted: number[];
  /** % of one core over the timed window, per process (gateway-a, gateway-b, mosquitto, influxd, bench). */
  cpuPctOfOneCore: Record<string, number>;
  /** Busy share of the whole machine (all cores) over the same window, %. */
  machineBusyPct: number;
}

export interface LatencyRun {
  instances: number;
  ratePerSec: number;
  seconds: number;
  readings: number;
  stored: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** ± on each latency: half the poll interval plus half a bucket. */
  resolutionMs: number;
  /** The InfluxDB output's flush_interval_ms during the run (the product default). */
  flushIntervalMs: number;
  /** p99 of (actual publish − reading time): how far the publisher lagged its own schedule. */
  publisherLagP99Ms: number;
}

export interface FleetBenchResult {
  readings: number;
  one: ThroughputRun;
  two: ThroughputRun;
  /** two.readingsPerSec / one.readingsPerSec. */
  ratio: number;
  latency: LatencyRun;
  cores: number;
  /** Process name (or "machine CPU") that limited the two-instance run, with the reason. */
  bottleneck: string;
}

export interface FleetBenchOptions {
  /** Backlog per throughput run; rounded up to a multiple of 1 000. Default 60 000. */
  readings?: number;
  /** Latency run: readings/s and seconds; default 2 000 for 10 s. */
  latencyRate?: number;
  latencySeconds?: number;
  log?: (line: string) => void;
}

const GROUP_NODES = 1000;
const TICKS_PER_S = 100;
const POLL_MS = 100;
const BUCKET_MS = 10;
/** The InfluxDB output default (gateway/outputs/influxdb/options.ts): what a city's central instance runs with. */
const DEFAULT_FLUSH_MS = 1000;
/** Throughput runs flush every 200 ms as the fleet test does, so the last partial batch does not pad the clock. */
const THROUGHPUT_FLUSH_MS = 200;
/** A process above this share of one core is taken as saturated (a single-threaded event loop cannot go higher). */
const SATURATED_PCT = 85;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const CLK_TCK = 100; // USER_HZ: /proc/<pid>/stat counts in 1/100 s on Linux (proc(5)); `getconf CLK_TCK` says 100 here.

/** utime + stime of a process in seconds (proc(5): fields 14 and 15, counted after the ")" of the comm field). */
function procCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state), so field n is fields[n - 3].
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return 0;
  }
}

/** Busy and total jiffies of all cores (proc(5), the "cpu" line: idle and iowait count as not busy). */
function machineJiffies(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const v = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = v.reduce((a, b) => a + b, 0);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  return { busy: total - idle, total };
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;

interface Services {
  influxUrl: string;
  mqttUrl: string;
  pids: { mosquitto: number; influxd: number };
}

interface Central {
  proc: GatewayProcess;
  clientId: string;
  /** CPU seconds (utime + stime) at the start of the timed window. */
  cpuAtReady: number;
}

/**
 * Starts the instances in parallel. With `pause`, each is frozen (SIGSTOP) the moment it printed its start-up
 * summary, so a backlog published afterwards waits in the broker and the caller can resume them together
 * (resume()): no start-up in the timed window, and no instance draining the queue while another still loads.
 */
async function startCentrals(s: Services, work: string, db: TestDatabase, group: string, names: string[], flushMs: number, pause = false): Promise<Central[]> {
  return Promise.all(
    names.map(async (name) => {
      const gateway = `${group}-${name}`;
      const { file } = writeStationFile({
        dir: join(work, gateway),
        site: 'city',
        gateway,
        mqttUrl: s.mqttUrl,
        influx: { url: s.influxUrl, database: db.name, flush_interval_ms: flushMs },
        extra: { mqtt: { url: s.mqttUrl, subscribe: true, shared_group: group } },
      });
      const proc = await startGatewayProcess(file, { label: gateway });
      if (pause) process.kill(proc.pid, 'SIGSTOP');
      // gateway/station.ts names the input's client id after site and gateway.
      return { proc, clientId: `airlane-in-city-${gateway}`, cpuAtReady: procCpuSeconds(proc.pid) };
    }),
  );
}

function resume(cs: Central[]): void {
  for (const c of cs) if (c.proc.running()) process.kill(c.proc.pid, 'SIGCONT');
}

async function stopCentrals(cs: Central[]): Promise<void> {
  // A paused process would not see the SIGINT.
  resume(cs);
  const codes = await Promise.all(cs.map((c) => c.proc.stop()));
  codes.forEach((code, i) => {
    if (code !== 0) throw new Error(`central ${cs[i]!.clientId} exited with ${code}:\n${cs[i]!.proc.stderrTail()}`);
  });
}

async function storedCount(db: TestDatabase): Promise<number> {
  const [s] = await db.query('SELECT count(pm25_ugm3) FROM air');
  return Number(s?.values[0]?.[1] ?? 0);
}

async function throughput(s: Services, work: string, instances: number, readings: number): Promise<ThroughputRun> {
  const group = `bench${instances}`;
  const names = ['a', 'b', 'c', 'd'].slice(0, instances);
  const db = await createTestDatabase(s.influxUrl, `bench_fleet${instances}`);
  let centrals: Central[] = [];
  try {
    // 1. The instances start (their persistent sessions join the shared group) and are frozen with SIGSTOP
    //    once ready: connected, subscribed, idle, not reading their sockets.
    centrals = await startCentrals(s, work, db, group, names, THROUGHPUT_FLUSH_MS, true);
    // 2. The fleet publishes the backlog: Mosquitto splits it round-robin over the group's sessions and, past
    //    the 1 000 in flight per client, queues each share in the broker. Queued before the clock starts: the
    //    load generator is slower than two instances on this machine, so it must not run against the clock.
    const ticks = Math.ceil(readings / GROUP_NODES);
    const pub = await simulateFleet({ url: s.mqttUrl, nodes: GROUP_NODES, rate: TICKS_PER_S, durationS: ticks / TICKS_PER_S, seed: instances, startMs: Date.UTC(2026, 0, 1), qos: 1 });
    if (pub.acked !== ticks * GROUP_NODES) throw new Error(`fleet bench: the broker acknowledged ${pub.acked} of ${ticks * GROUP_NODES} readings`);
    const total = pub.acked;
    // 3. The clock: from all instances resumed together until InfluxDB holds the backlog. No start-up (Node,
    //    tsx, SQLite) in the window, and no instance gets a head start on the others.
    const atReady = await storedCount(db);
    for (const c of centrals) c.cpuAtReady = procCpuSeconds(c.proc.pid);
    const cpuBefore = { mosquitto: procCpuSeconds(s.pids.mosquitto), influxd: procCpuSeconds(s.pids.influxd), bench: process.cpuUsage() };
    const machineBefore = machineJiffies();
    const ready = performance.now();
    resume(centrals);
    let stored = atReady;
    const deadline = Date.now() + 120_000;
    try {
      while (stored < total) {
        if (Date.now() > deadline) throw new Error(`fleet bench: only ${stored} of ${total} readings reached InfluxDB in 120 s`);
        await sleep(POLL_MS);
        stored = await storedCount(db);
      }
      const end = performance.now();
      const machineAfter = machineJiffies();
      const seconds = (end - ready) / 1000;
      const benchCpu = process.cpuUsage(cpuBefore.bench);
      const pct = (cpuS: number) => Math.round((cpuS / seconds) * 1000) / 10;
      const cpuPctOfOneCore: Record<string, number> = {};
      centrals.forEach((c, i) => (cpuPctOfOneCore[`gateway-${names[i]}`] = pct(procCpuSeconds(c.proc.pid) - c.cpuAtReady)));
      cpuPctOfOneCore.mosquitto = pct(procCpuSeconds(s.pids.mosquitto) - cpuBefore.mosquitto);
      cpuPctOfOneCore.influxd = pct(procCpuSeconds(s.pids.influxd) - cpuBefore.influxd);
      cpuPctOfOneCore.bench = pct((benchCpu.user + benchCpu.system) / 1e6);
      const machineBusyPct = Math.round(((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) * 1000) / 10;
      const accepted = await Promise.all(centrals.map(async (c) => (await c.proc.stats()).accepted));
      if (stored !== total) throw new Error(`fleet bench: InfluxDB holds ${stored} readings, ${total} were published`);
      return {
        instances,
        readings: total,
        seconds,
        readingsPerSec: (total - atReady) / seconds,
        publishSeconds: pub.duration_s,
        accepted,
        cpuPctOfOneCore,
        machineBusyPct,
      };
    } finally {
      await stopCentrals(centrals);
    }
  } finally {
    centrals.forEach((c) => c.proc.running() && process.kill(c.proc.pid, 'SIGKILL'));
    // A session left in the group would keep taking its turn of every later run's messages.
    for (const c of centrals) await dropSession(s.mqttUrl, c.clientId).catch(() => undefined);
    await db.drop().catch(() => undefined);
  }
}

async function latency(s: Services, work: string, ratePerSec: number, seconds: number): Promise<LatencyRun> {
  const group = 'benchlat';
  const db = await createTestDatabase(s.influxUrl, 'bench_fleet_lat');
  const centrals = await startCentrals(s, work, db, group, ['a', 'b'], DEFAULT_FLUSH_MS);
  const publisher = await mqtt.connectAsync(s.mqttUrl, { clientId: `bench-fleet-lat-${process.pid}`, clean: true });
  try {
    // ratePerSec nodes at 1 Hz, phases spread over the second: a steady ratePerSec readings/s.
    const plan = fleetPlan({ nodes: ratePerSec, rate: 1, startMs: Date.now() + 500, seed: 7 });
    const order = Array.from({ length: plan.nodes }, (_, i) => ({ i, at: readingTime(plan, i, 0) - plan.startMs })).sort((a, b) => a.at - b.at);
    const expected = plan.nodes * seconds;
    const lags: number[] = [];
    let publishing = true;
    const publish = (async () => {
      for (let k = 0; k < seconds; k++) {
        for (const { i } of order) {
          const r = fleetReading(plan, i, k);
          const due = Date.parse(r.time);
          const wait = due - Date.now();
          // Batches of ≥ 2 ms: a timer per reading would cost more than the publishing.
          if (wait > 2) await sleep(wait);
          lags.push(Math.max(0, Date.now() - due));
          publisher.publish(readingTopic(r), JSON.stringify(r), { qos: 1 });
        }
      }
      publishing = false;
    })();

    // Per 10 ms bucket of reading time: how many InfluxDB showed at the last poll. New ones since the previous
    // poll became visible between the two queries; their latency is taken at the midpoint, from the bucket's
    // middle. Error: ± (poll interval / 2 + bucket / 2).
    const seen = new Map<number, number>();
    const latencies: number[] = [];
    let stored = 0;
    let prevAt = Date.now();
    const deadline = plan.startMs + seconds * 1000 + 30_000;
    while (stored < expected && Date.now() < deadline) {
      await sleep(Math.max(0, POLL_MS - (Date.now() - prevAt)));
      const at = Date.now();
      const series = await db.query(`SELECT count(pm25_ugm3) FROM air WHERE time >= ${plan.startMs}ms AND time < ${at + 1000}ms GROUP BY time(${BUCKET_MS}ms) fill(none)`);
      const visible = (prevAt + at) / 2;
      stored = 0;
      for (const [t, c] of series[0]?.values ?? []) {
        const bucket = Number(t);
        const count = Number(c);
        stored += count;
        const fresh = count - (seen.get(bucket) ?? 0);
        for (let n = 0; n < fresh; n++) latencies.push(visible - (bucket + BUCKET_MS / 2));
        seen.set(bucket, count);
      }
      prevAt = at;
      if (!publishing && stored >= expected) break;
    }
    await publish;
    latencies.sort((a, b) => a - b);
    lags.sort((a, b) => a - b);
    return {
      instances: centrals.length,
      ratePerSec,
      seconds,
      readings: expected,
      stored,
      p50Ms: Math.round(percentile(latencies, 50)),
      p99Ms: Math.round(percentile(latencies, 99)),
      maxMs: Math.round(latencies[latencies.length - 1] ?? NaN),
      resolutionMs: POLL_MS / 2 + BUCKET_MS / 2,
      flushIntervalMs: DEFAULT_FLUSH_MS,
      publisherLagP99Ms: percentile(lags, 99),
    };
  } finally {
    await publisher.endAsync();
    await stopCentrals(centrals);
    for (const c of centrals) await dropSession(s.mqttUrl, c.clientId).catch(() => undefined);
    await db.drop().catch(() => undefined);
  }
}

function nameBottleneck(run: ThroughputRun, cores: number): string {
  const cpu = run.cpuPctOfOneCore;
  const services = `mosquitto ${(cpu.mosquitto ?? 0).toFixed(0)} %, influxd ${(cpu.influxd ?? 0).toFixed(0)} % of one core`;
  const [top, pct] = Object.entries(cpu).filter(([k]) => k !== 'bench').sort((a, b) => b[1] - a[1])[0] ?? ['none', 0];
  if (pct >= SATURATED_PCT) return `${top} (${pct.toFixed(0)} % of one core: its single event loop/thread is saturated; ${services})`;
  if (run.machineBusyPct >= 90) {
    return `machine CPU: ${run.machineBusyPct.toFixed(0)} % of ${cores} cores busy, the gateways take most of it (busiest ${top} ${pct.toFixed(0)} %); neither the broker nor the database is saturated (${services})`;
  }
  return `none saturated (busiest ${top} at ${pct.toFixed(0)} % of one core, machine ${run.machineBusyPct.toFixed(0)} % busy; ${services})`;
}

const cpuLine = (r: ThroughputRun) =>
  Object.entries(r.cpuPctOfOneCore)
    .map(([k, v]) => `${k} ${v.toFixed(0)} %`)
    .join(', ');

export async function fleetBench(opts: FleetBenchOptions = {}): Promise<FleetBenchResult> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const readings = opts.readings ?? 60_000;
  const cores = cpus().length;
  const work = mkdtempSync(join(tmpdir(), 'airlane-bench-fleet-'));
  const influx = await startInflux();
  // Raised queue and in-flight limits as in run.ts: Mosquitto's defaults (1 000 queued, 20 in flight) would
  // drop the backlog and stall each gateway's fsync-paced acknowledgements (influxdb-mqtt.md §6).
  const mosquitto = await startMosquitto({ extraConfig: ['max_queued_messages 0', 'max_inflight_messages 1000'] });
  const s: Services = { influxUrl: influx.url, mqttUrl: mosquitto.url, pids: { mosquitto: mosquitto.pid, influxd: influx.pid } };
  try {
    const one = await throughput(s, work, 1, readings);
    log(`Fleet ingest, 1 central  ${fmt(one.readingsPerSec)} readings/s (${fmt(one.readings)} QoS 1 readings queued in Mosquitto, then all instances resumed together, until all are in InfluxDB)`);
    log(`  CPU (% of one core)     ${cpuLine(one)}; machine ${one.machineBusyPct.toFixed(0)} % of ${cores} cores`);
    const two = await throughput(s, work, 2, readings);
    log(`Fleet ingest, 2 central  ${fmt(two.readingsPerSec)} readings/s (shared subscription; accepted ${two.accepted.map(fmt).join(' + ')})`);
    log(`  CPU (% of one core)     ${cpuLine(two)}; machine ${two.machineBusyPct.toFixed(0)} % of ${cores} cores`);
    const ratio = two.readingsPerSec / one.readingsPerSec;
    log(`Fleet 2 / 1 instances    ${ratio.toFixed(2)}× (aim ≥ 1.7× where the broker and database are not the bottleneck)`);
    const bottleneck = nameBottleneck(two, cores);
    log(`Fleet bottleneck         ${bottleneck}`);
    const lat = await latency(s, work, opts.latencyRate ?? 2000, opts.latencySeconds ?? 10);
    log(
      `Fleet latency            p50 ${fmt(lat.p50Ms)} ms, p99 ${fmt(lat.p99Ms)} ms, max ${fmt(lat.maxMs)} ms (publish → visible in InfluxDB, ${fmt(lat.ratePerSec)} readings/s for ${lat.seconds} s to 2 instances, flush_interval_ms ${lat.flushIntervalMs}; ±${lat.resolutionMs} ms; ${fmt(lat.stored)}/${fmt(lat.readings)} stored)`,
    );
    return { readings: one.readings, one, two, ratio, latency: lat, cores, bottleneck };
  } finally {
    await mosquitto.stop();
    await influx.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  const r = await fleetBench({ readings: process.env.AIRLANE_BENCH_FLEET_READINGS ? Number(process.env.AIRLANE_BENCH_FLEET_READINGS) : undefined });
  console.log(JSON.stringify(r));
}
