// The real `airlane gateway` as a separate process, for crash and outage tests: a station file written into a
// temp dir, the CLI spawned as a user runs it (`node bin/airlane.mjs gateway -c <file> --json`), its start-up
// summary awaited, and then either a crash (SIGKILL, nothing flushed) or a clean stop (SIGINT, exit code
// checked). stderr (pino JSON lines) is kept for failure messages.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

const root = new URL('../../', import.meta.url).pathname;

export interface StationFileOptions {
  /** Holds station.yaml and the station's data dir (`<dir>/data`, where outbox.sqlite lives). */
  dir: string;
  site: string;
  /** Gateway id; two stations on one broker need different ids (their MQTT client ids derive from it). */
  gateway: string;
  mqttUrl: string;
  /** Take remote nodes' readings from the broker (the central gateway) or not (a remote station). */
  subscribe?: boolean;
  /** InfluxDB server base URL (http://127.0.0.1:port) and database; no InfluxDB output without them. */
  influx?: { url: string; database: string; flush_interval_ms?: number };
  /** `nodes:` entries of the station file (parts, buses, options), as the schema takes them. */
  nodes?: unknown[];
  simulate?: boolean;
  /** Any further top-level keys, merged last. */
  extra?: Record<string, unknown>;
}

export interface StationFile {
  file: string;
  dataDir: string;
}

/** Writes `<dir>/station.yaml`: HTTP on a free port, the given broker, InfluxDB and nodes. */
export function writeStationFile(o: StationFileOptions): StationFile {
  mkdirSync(o.dir, { recursive: true });
  const dataDir = join(o.dir, 'data');
  const station: Record<string, unknown> = {
    site: o.site,
    gateway: o.gateway,
    simulate: o.simulate ?? true,
    data_dir: dataDir,
    http: { host: '127.0.0.1', port: 0 },
    mqtt: { url: o.mqttUrl, subscribe: o.subscribe ?? true },
    nodes: o.nodes ?? [],
    ...(o.influx ? { influxdb: { url: `${o.influx.url}/${o.influx.database}`, flush_interval_ms: o.influx.flush_interval_ms ?? 200 } } : {}),
    ...o.extra,
  };
  const file = join(o.dir, 'station.yaml');
  writeFileSync(file, `# written by test/fakes/gateway-process.ts\n${stringify(station)}`);
  return { file, dataDir };
}

/** The `--json` start-up line of gateway/cli/run.ts. */
export interface StartupSummary {
  station: string;
  site: string;
  page: string;
  api: string;
  mqtt: string;
  influxdb: string | null;
  simulated: boolean;
  data_dir: string;
}

/** GET /api/v1/stats (gateway/core/stats.ts toJSON() plus the outbox depth per durable output). */
export interface GatewayStats {
  accepted: number;
  rejected: Record<string, number>;
  rejected_by_reason: Record<string, number>;
  written: Record<string, number>;
  dropped: Record<string, number>;
  errors: Record<string, number>;
  last_error: Record<string, string>;
  queued: Record<string, number>;
}

export interface GatewayProcess {
  pid: number;
  summary: StartupSummary;
  /** Base URL of its HTTP API, ending in "/". */
  httpUrl: string;
  stats(): Promise<GatewayStats>;
  stdout(): string;
  stderr(): string;
  /** The last `lines` lines of stderr, for assertion messages. */
  stderrTail(lines?: number): string;
  /** SIGKILL: a power cut. Resolves once the process is gone. */
  kill9(): Promise<void>;
  /** SIGINT, as Ctrl-C: resolves with the exit code (0 for a clean stop); SIGKILL after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<number | null>;
  running(): boolean;
}

const tail = (text: string, lines: number): string => text.trimEnd().split('\n').slice(-lines).join('\n');

/** Spawns `airlane gateway -c file --json` and resolves once it printed its start-up summary. */
export async function startGatewayProcess(file: string, opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv; label?: string } = {}): Promise<GatewayProcess> {
  // The AIRLANE_* overrides of the test runner's environment must not redirect the station file's settings.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AIRLANE_')));
  const child = spawn(process.execPath, [join(root, 'bin/airlane.mjs'), 'gateway', '-c', file, '--json'], {
    cwd: root,
    env: { ...env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const label = opts.label ?? file;
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  // Safety net: a test that fails half-way must not leave gateways running.
  const onExit = (): void => void (child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'));
  process.once('exit', onExit);
  void exited.then(() => process.off('exit', onExit));

  const summary = await new Promise<StartupSummary>((resolve, reject) => {
    const timeoutMs = opts.timeoutMs ?? 30_000;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`gateway ${label} printed no start-up summary within ${timeoutMs} ms. stderr:\n${tail(stderr, 30)}`));
    }, timeoutMs);
    const onData = (): void => {
      const nl = stdout.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      try {
        resolve(JSON.parse(stdout.slice(0, nl)) as StartupSummary);
      } catch {
        child.kill('SIGKILL');
        reject(new Error(`gateway ${label} printed no JSON summary but ${JSON.stringify(stdout.slice(0, nl))}`));
      }
    };
    child.stdout.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`gateway ${label} exited during start-up (code ${code}, signal ${signal}). stderr:\n${tail(stderr, 30)}`));
    });
  });
  if (child.pid === undefined) throw new Error(`gateway ${label} has no PID`);
  const running = (): boolean => child.exitCode === null && child.signalCode === null;

  return {
    pid: child.pid,
    summary,
    httpUrl: summary.page,
    stats: async () => {
      const res = await fetch(`${summary.page}api/v1/stats`);
      if (!res.ok) throw new Error(`GET ${summary.page}api/v1/stats answered ${res.status}`);
      return (await res.json()) as GatewayStats;
    },
    stdout: () => stdout,
    stderr: () => stderr,
    stderrTail: (lines = 30) => tail(stderr, lines),
    running,
    kill9: async () => {
      if (running()) child.kill('SIGKILL');
      await exited;
    },
    stop: async (timeoutMs = 20_000) => {
      if (!running()) return (await exited).code;
      child.kill('SIGINT');
      const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const { code } = await exited;
      clearTimeout(killer);
      return code;
    },
  };
}
