// Loads a station file (YAML or JSON), applies the AIRLANE_* environment overrides and validates it. Every
// problem is reported as "file:line: key.path: what is wrong — what to do", all at once, never as a stack trace.
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { buildStationSchema, type StationConfig } from './schema.js';
import { partModules } from '../../firmware/drivers/index.js';
import { checkWiring, formatWiringProblem } from './wiring.js';

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the station config:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

export const stationSchema = buildStationSchema(partModules);

/** Which key each AIRLANE_* variable sets, so a bad value is reported against the variable, not the file. */
const ENV_KEYS: Record<string, string> = {
  AIRLANE_INFLUX_URL: 'influxdb.url',
  AIRLANE_MQTT_URL: 'mqtt.url',
  AIRLANE_HTTP_PORT: 'http.port',
  AIRLANE_HTTP_TOKEN: 'http.token',
  AIRLANE_DATA_DIR: 'data_dir',
};

/** Environment overrides (README "Configuration"): applied before validation so they are checked too. */
export function applyEnv(raw: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  const out = { ...raw };
  if (env.AIRLANE_INFLUX_URL) out.influxdb = { ...(out.influxdb as object | undefined), url: env.AIRLANE_INFLUX_URL };
  if (env.AIRLANE_MQTT_URL) out.mqtt = { ...(out.mqtt as object | undefined), url: env.AIRLANE_MQTT_URL };
  if (env.AIRLANE_HTTP_PORT) {
    const port = Number(env.AIRLANE_HTTP_PORT);
    out.http = { ...(out.http as object | undefined), port: Number.isInteger(port) ? port : env.AIRLANE_HTTP_PORT };
  }
  // The token stays out of the station file (which is shared and versioned): systemd's EnvironmentFile sets it.
  if (env.AIRLANE_HTTP_TOKEN) out.http = { ...(out.http as object | undefined), token: env.AIRLANE_HTTP_TOKEN };
  if (env.AIRLANE_DATA_DIR) out.data_dir = env.AIRLANE_DATA_DIR;
  return out;
}

function advice(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} — check the spelling or remove it (README, "Station file" lists every key)`;
    case 'invalid_type':
      return `${issue.message} — set it to a ${issue.expected}`;
    default:
      return issue.message;
  }
}

export function parseStation(text: string, file: string, env: NodeJS.ProcessEnv = process.env, opts: { checkWiring?: boolean } = {}): StationConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => `line ${e.linePos?.[0]?.line ?? '?'}: ${e.message.split('\n')[0]} — fix the YAML/JSON syntax there`),
    );
  }
  const raw = doc.toJS() as unknown;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(file, ['the file must hold one mapping (site, nodes, …), see the example in the README']);
  }
  /** "line N: " for the YAML node at `path` — or, for a key left to its default, the nearest enclosing one. */
  const lineOf = (path: readonly PropertyKey[]) => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as (string | number)[], true) as { range?: [number, number, number] } | undefined;
      if (node?.range) return `line ${lineCounter.linePos(node.range[0]).line}: `;
    }
    return '';
  };
  const result = stationSchema.safeParse(applyEnv(raw as Record<string, unknown>, env));
  if (!result.success) {
    throw new ConfigError(
      file,
      result.error.issues.map((issue) => {
        const path = issue.path.map(String);
        const envVar = Object.keys(ENV_KEYS).find((v) => env[v] && path.join('.').startsWith(ENV_KEYS[v]!));
        if (envVar) return `${path.join('.')} (set by ${envVar}): ${advice(issue)} — fix the environment variable`;
        // An unknown key is best shown on its own line.
        const at = issue.code === 'unrecognized_keys' && issue.keys[0] ? [...issue.path, issue.keys[0]] : issue.path;
        return `${lineOf(at)}${path.length ? path.join('.') : '(top level)'}: ${advice(issue)}`;
      }),
    );
  }
  if (opts.checkWiring !== false) {
    // A station wired wrong (two sensors at one I2C address, 5 V into a Pi pin) is refused before it can start.
    const errors = checkWiring(result.data, partModules).filter((p) => p.severity === 'error');
    if (errors.length) throw new ConfigError(file, errors.map((p) => `${lineOf(p.path)}${formatWiringProblem(p)}`));
  }
  return result.data;
}

/** What the wiring check says but does not refuse (e.g. a 3.3 V part on a 5 V Arduino without level_shifted). */
export function stationWarnings(station: StationConfig): string[] {
  return checkWiring(station, partModules)
    .filter((p) => p.severity === 'warning')
    .map(formatWiringProblem);
}

export function loadStation(file: string, env: NodeJS.ProcessEnv = process.env): StationConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(file, [`cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}) — check the path`]);
  }
  return parseStation(text, file, env);
}
