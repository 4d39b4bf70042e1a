// The chaos run: private Mosquitto (persistent) and InfluxDB, the real gateway as a child process, simulated
// remote nodes over MQTT and a simulated PMS5003 on a pty — then faults on a seeded schedule (SIGKILLs of the
// gateway, an InfluxDB outage, Mosquitto restarts, serial unplugs) under fuzzed MQTT traffic and fuzzed serial
// bytes, a settle phase, and the comparison of what was produced with what InfluxDB holds (verdict.ts).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { startInflux, type InfluxService } from '../services/influxd.js';
import { startMosquitto, type MosquittoService } from '../services/mosquitto.js';
import { rng, type Rng } from './rng.js';
import { fuzzer } from './fuzz-mqtt.js';
import { SerialLine } from './serial-line.js';
import { RemoteNode } from './remote-nodes.js';
import { GatewayProcess, type CrashRecord } from './gateway-process.js';
import { compare, type Comparison } from './verdict.js';

export interface ChaosOptions {
  durationS: number;
  seed: number;
  nodes: number;
  /** Readings per second per simulated node. */
  rate: number;
  /** Fuzzed MQTT payloads to send (all acknowledged by the broker) over the run. */
  fuzz: number;
  /** Bit-error rate on the serial line. */
  ber?: number;
  /** Faults; defaults scale with the duration (see schedule()). */
  kills?: number;
  influxOutages?: number;
  influxOutageS?: number;
  mosquittoRestarts?: number;
  serialUnplugs?: number;
  /** How long the settle phase may take before the run gives up waiting (s). */
  settleTimeoutS?: number;
  log?: (line: string) => void;
  keepDir?: boolean;
}

export interface Verdict extends Omit<Comparison, 'examples' | 'serial'> {
  rejected: Record<string, number>;
  crashes: number;
  rejected_by_where: Record<string, number>;
  rejected_source: string;
  /** Sum of the last /api/v1/stats rejected_by_reason seen from each incarnation (a lower bound: a SIGKILL cuts the last second). */
  rejected_stats_lower_bound: Record<string, number>;
  unacked: number;
  serial: Comparison['serial'] & { frames_sent: number; frames_intact: number; bit_flips: number; fuzz_streams: number; fuzz_bytes: number; unplugs: number };
  kills: number;
  outages: { influxdb: number; influxdb_down_s: number; mosquitto_restarts: number; serial_unplugs: number };
  fuzzed: number;
  /** Payloads sent per fuzz generator (fuzz-mqtt.ts). */
  fuzz_by_kind: Record<string, number>;
  fuzz_bytes_total: number;
  gateway_starts: number;
  gateway_error_lines: number;
  gateway_errors: Record<string, number>;
  duration_s: number;
  settle_s: number;
  seed: number;
  nodes: number;
  rate: number;
  examples: Comparison['examples'];
  crash_records: CrashRecord[];
  /** Faults the harness could not carry out (then the run proves less than it says). */
  harness_errors: string[];
}

type Fault = { at: number; kind: 'kill' | 'influx' | 'mosquitto' | 'serial'; down: number };

/** Fault instants over the load phase: spread out, never two of a kind at once, all inside [5 %, 85 %]. */
export function schedule(r: Rng, o: ChaosOptions): Fault[] {
  const d = o.durationS;
  const kills = o.kills ?? Math.max(2, Math.round(d / 45));
  const influxOutages = o.influxOutages ?? Math.max(1, Math.round(d / 600));
  const influxDown = o.influxOutageS ?? (d <= 120 ? 12 : Math.min(180, Math.round(d / 4)));
  const mosquitto = o.mosquittoRestarts ?? Math.max(1, Math.round(d / 150));
  const serial = o.serialUnplugs ?? Math.max(1, Math.round(d / 120));
  const faults: Fault[] = [];
  const spread = (n: number, kind: Fault['kind'], down: () => number) => {
    // One slot per fault, a random instant inside it: several faults of a kind never pile up.
    const from = 0.05 * d;
    const slot = (0.8 * d) / n;
    for (let i = 0; i < n; i++) faults.push({ at: from + slot * i + r.next() * slot * 0.5, kind, down: down() });
  };
  spread(kills, 'kill', () => 0.2 + r.next() * 2);
  spread(influxOutages, 'influx', () => influxDown);
  spread(mosquitto, 'mosquitto', () => 1 + r.next() * 3);
  spread(serial, 'serial', () => 2 + r.next() * 4);
  return faults.sort((a, b) => a.at - b.at);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runChaos(o: ChaosOptions): Promise<Verdict> {
  const log = o.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const root = rng(o.seed);
  const faultRng = root.fork();
  const fuzzRng = root.fork();
  const serialRng = root.fork();
  const dir = mkdtempSync(join(tmpdir(), 'airlane-chaos-'));
  const dirs = { mosquitto: join(dir, 'mosquitto'), influx: join(dir, 'influxdb'), gateway: join(dir, 'gateway'), pty: join(dir, 'pty') };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  const site = 'chaos';
  const database = 'chaos';
  const mosquittoConfig = ['max_queued_messages 0', 'max_inflight_messages 100'];
  const t0 = Date.now();
  const elapsed = () => ((Date.now() - t0) / 1000).toFixed(1);
  const say = (l: string) => log(`[chaos ${elapsed()}s] ${l}`);

  let mosq: MosquittoService | undefined;
  let influx: InfluxService | undefined;
  let gateway: GatewayProcess | undefined;
  let fuzzClient: mqtt.MqttClient | undefined;
  const nodes: RemoteNode[] = [];
  const serial = new SerialLine(dirs.pty, serialRng, { intervalMs: 100, ber: o.ber ?? 1e-3, fuzzProbability: 0.3 });
  let influxDownMs = 0;
  let influxOutages = 0;
  let mosquittoRestarts = 0;
  const harnessErrors: string[] = [];
  try {
    [mosq, influx] = await Promise.all([
      startMosquitto({ dataDir: dirs.mosquitto, extraConfig: mosquittoConfig }),
      startInflux({ dataDir: dirs.influx }),
    ]);
    const mqttUrl = mosq.url;
    const influxUrl = influx.url;
    say(`mosquitto ${mqttUrl}, influxd ${influxUrl}, work dir ${dir}`);
    await serial.plugIn();

    const stationFile = join(dir, 'station.json');
    writeFileSync(
      stationFile,
      JSON.stringify(
        {
          site,
          data_dir: dirs.gateway,
          http: { port: 0 },
          mqtt: { url: mqttUrl },
          influxdb: { url: `${influxUrl}/${database}`, timeout_ms: 3000, flush_interval_ms: 250 },
          nodes: [{ id: 'pole', parts: [{ part: 'pms5003', bus: { type: 'uart', path: serial.hostPath }, duty_cycle: false, options: { warmup_s: 0 } }] }],
        },
        null,
        2,
      ),
    );
    gateway = new GatewayProcess(stationFile, say);
    await gateway.start();
    say(`gateway up at ${gateway.httpUrl}`);

    // Remote nodes: connected (session created) before the first reading.
    for (let i = 0; i < o.nodes; i++) nodes.push(new RemoteNode(mqttUrl, site, `sim-${i}`, i));
    await Promise.all(nodes.map((n) => (n.client.connected ? undefined : new Promise((r) => n.client.once('connect', r)))));
    for (const n of nodes) n.start(o.rate);

    // Fuzzer: its own client, QoS 1 so the broker queues the payloads for a gateway that is down.
    const fz = fuzzer(fuzzRng, site, nodes.map((n) => n.id));
    const fuzzKinds: Record<string, number> = {};
    let fuzzed = 0;
    let fuzzSent = 0;
    let fuzzBytes = 0;
    fuzzClient = mqtt.connect(mqttUrl, { clientId: 'chaos-fuzzer', clean: false, reconnectPeriod: 500 });
    fuzzClient.on('error', () => undefined);
    const fuzzTick = () => {
      const due = Math.min(o.fuzz, Math.ceil((o.fuzz * (Date.now() - loadStart)) / (o.durationS * 1000)));
      // Keep the in-flight window bounded while the broker is away; MQTT.js resends what it holds.
      while (fuzzSent < due && fuzzSent - fuzzed < 2000) {
        const m = fz.next();
        fuzzSent++;
        fuzzBytes += m.payload.length;
        fuzzKinds[m.kind] = (fuzzKinds[m.kind] ?? 0) + 1;
        fuzzClient!.publish(m.topic, m.payload, { qos: 1 }, (err) => {
          if (!err) fuzzed++;
        });
      }
    };
    const loadStart = Date.now();
    const fuzzTimer = setInterval(fuzzTick, 50);

    // Faults, each kind on its own chain so a fault never overlaps another of its kind.
    const faults = schedule(faultRng, o);
    say(`faults: ${faults.map((f) => `${f.kind}@${f.at.toFixed(1)}s/${f.down.toFixed(1)}s`).join(' ')}`);
    const chains = new Map<string, Promise<void>>();
    const run = async (f: Fault) => {
      await sleep(Math.max(0, loadStart + f.at * 1000 - Date.now()));
      if (f.kind === 'kill') {
        // Its counters as late as possible before they die with it (the log count does not need this).
        await gateway!.stats();
        say('SIGKILL gateway');
        await gateway!.kill();
        await sleep(f.down * 1000);
        await gateway!.start();
        say('gateway restarted');
      } else if (f.kind === 'influx') {
        say(`stopping influxd for ${f.down.toFixed(0)} s`);
        const down = Date.now();
        await influx!.stop();
        influxOutages++;
        await sleep(f.down * 1000);
        influx = await startInflux({ port: influx!.port, dataDir: dirs.influx });
        influxDownMs += Date.now() - down;
        say('influxd back');
      } else if (f.kind === 'mosquitto') {
        say('restarting mosquitto');
        await mosq!.stop();
        mosquittoRestarts++;
        await sleep(f.down * 1000);
        mosq = await startMosquitto({ port: mosq!.port, dataDir: dirs.mosquitto, extraConfig: mosquittoConfig });
        say('mosquitto back');
      } else {
        say('serial unplugged');
        await serial.unplug();
        await sleep(f.down * 1000);
        await serial.plugIn();
        say('serial plugged back in');
      }
    };
    // A fault that could not be carried out (a daemon that would not come back) is said and counted, and the
    // settle phase brings everything up again; it does not end the run without a verdict.
    const runSafely = (f: Fault) =>
      run(f).catch((e: unknown) => {
        harnessErrors.push(`${f.kind}@${f.at.toFixed(1)}s: ${(e as Error).message.split('\n')[0]}`);
        say(`fault ${f.kind} failed: ${(e as Error).message.split('\n')[0]}`);
      });
    for (const f of faults) chains.set(f.kind, (chains.get(f.kind) ?? Promise.resolve()).then(() => runSafely(f)));

    const progress = setInterval(() => {
      const produced = nodes.reduce((s, n) => s + n.acked, 0);
      const pending = nodes.reduce((s, n) => s + n.pending, 0);
      say(`produced ${produced} (in flight ${pending}), fuzzed ${fuzzed}, serial frames ${serial.stats.frames_sent}, gateway ${gateway!.running ? 'up' : 'down'}, crashes ${gateway!.crashes.length}`);
      void gateway!.stats();
    }, 5000);

    await sleep(o.durationS * 1000);
    for (const n of nodes) n.stopProducing();
    say('load phase over; waiting for the faults in progress');
    await Promise.all(chains.values());
    clearInterval(fuzzTimer);

    // Settle: everything back up, every fuzz payload and reading acknowledged, the gateway's queue drained.
    const settleStart = Date.now();
    const settleDeadline = settleStart + (o.settleTimeoutS ?? 180) * 1000;
    if (!(await fetch(`${influx.url}/ping`).then((r) => r.status === 204).catch(() => false))) influx = await startInflux({ port: influx.port, dataDir: dirs.influx });
    await serial.close();
    if (!gateway.running) await gateway.start();
    while (fuzzSent < o.fuzz && Date.now() < settleDeadline) {
      fuzzTick();
      await sleep(50);
    }
    const waitFor = async (what: string, done: () => boolean | Promise<boolean>) => {
      while (!(await done())) {
        if (Date.now() > settleDeadline) {
          say(`settle: gave up waiting for ${what}`);
          return;
        }
        await sleep(250);
      }
    };
    await waitFor('the broker to acknowledge every reading', () => nodes.every((n) => n.pending === 0));
    await waitFor('the broker to acknowledge every fuzz payload', () => fuzzed >= fuzzSent);
    let lastAccepted = -1;
    let stableSince = Date.now();
    await waitFor('the gateway queue to drain to InfluxDB', async () => {
      const s = await gateway!.stats();
      if (!s) return false;
      if (s.accepted !== lastAccepted) {
        lastAccepted = s.accepted;
        stableSince = Date.now();
      }
      return (s.queued.influxdb ?? 0) === 0 && Date.now() - stableSince >= 3000;
    });
    clearInterval(progress);
    const settleS = (Date.now() - settleStart) / 1000;
    say(`settled in ${settleS.toFixed(1)} s; comparing`);

    const c = await compare({
      influxUrl: influx.url,
      database,
      site,
      localNode: 'pole',
      localPart: 'pms5003',
      remotePart: 'sim',
      readings: nodes.flatMap((n) => n.readings),
      frames: serial.frames,
      undetectable: serial.undetectableCandidates(),
    });
    await gateway.stop();

    const sumStats: Record<string, number> = {};
    for (const s of gateway.lastStats) for (const [k, v] of Object.entries(s?.rejected_by_reason ?? {})) sumStats[k] = (sumStats[k] ?? 0) + v;
    const { examples, serial: serialCmp, ...counts } = c;
    return {
      ...counts,
      rejected: { ...gateway.rejectedByReason },
      crashes: gateway.crashes.length,
      rejected_by_where: { ...gateway.rejectedByWhere },
      rejected_source: 'gateway log: every "rejected input" line (by its code), all incarnations',
      rejected_stats_lower_bound: sumStats,
      unacked: nodes.reduce((s, n) => s + n.pending + n.errors, 0),
      serial: { ...serialCmp, ...serial.stats },
      kills: gateway.kills,
      outages: { influxdb: influxOutages, influxdb_down_s: Math.round(influxDownMs / 1000), mosquitto_restarts: mosquittoRestarts, serial_unplugs: serial.stats.unplugs },
      fuzzed,
      fuzz_by_kind: fuzzKinds,
      fuzz_bytes_total: fuzzBytes,
      gateway_starts: gateway.starts,
      gateway_error_lines: gateway.errorLines,
      gateway_errors: { ...gateway.errorsByMsg },
      duration_s: o.durationS,
      settle_s: Math.round(settleS),
      seed: o.seed,
      nodes: o.nodes,
      rate: o.rate,
      examples,
      crash_records: gateway.crashes,
      harness_errors: harnessErrors,
    };
  } finally {
    await fuzzClient?.endAsync(true).catch(() => undefined);
    await Promise.all(nodes.map((n) => n.close().catch(() => undefined)));
    await serial.close().catch(() => undefined);
    if (gateway?.running) await gateway.kill();
    await Promise.allSettled([mosq?.stop(), influx?.stop()]);
    if (!o.keepDir) rmSync(dir, { recursive: true, force: true });
  }
}

/** Non-zero counts that fail the run. */
export function failures(v: Pick<Verdict, 'lost' | 'duplicated' | 'corrupted_accepted' | 'crashes'>): Array<'lost' | 'duplicated' | 'corrupted_accepted' | 'crashes'> {
  return (['lost', 'duplicated', 'corrupted_accepted', 'crashes'] as const).filter((k) => v[k] !== 0);
}
