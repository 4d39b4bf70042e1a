// Loads a station file (YAML or JSON), applies the AIRLANE_* environment overrides and validates it. Every
// problem is reported as "file:line: key.path: what is wrong — what to do", all at once, never as a stack trace.
import { issueAdvice, issueLine, parseYamlMapping, readTextFile } from './yaml-file.js';
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

const KEYS_DOC = 'README, "Station file"';

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

export function parseStation(text: string, file: string, env: NodeJS.ProcessEnv = process.env, opts: { checkWiring?: boolean } = {}): StationConfig {
  const parsed = parseYamlMapping(text, 'the file must hold one mapping (site, nodes, …), see the example in the README');
  if ('problems' in parsed) throw new ConfigError(file, parsed.problems);
  const { raw, lineOf } = parsed;
  const result = stationSchema.safeParse(applyEnv(raw, env));
  if (!result.success) {
    throw new ConfigError(
      file,
      result.error.issues.map((issue) => {
        const path = issue.path.map(String);
        const envVar = Object.keys(ENV_KEYS).find((v) => env[v] && path.join('.').startsWith(ENV_KEYS[v]!));
        if (envVar) return `${path.join('.')} (set by ${envVar}): ${issueAdvice(issue, KEYS_DOC)} — fix the environment variable`;
        return issueLine(issue, lineOf, KEYS_DOC);
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
  const read = readTextFile(file);
  if ('problems' in read) throw new ConfigError(file, read.problems);
  return parseStation(read.text, file, env);
}
