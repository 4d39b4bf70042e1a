// Options of the InfluxDB 1.x output: one zod schema (types, defaults and validation), plus the split of
// `url` into server, database and credentials. Database names and credentials may come from the URL so a
// single AIRLANE_INFLUX_URL=http://user:pass@host:8086/airlane is enough.
import { z } from 'zod';
import { redactUrl } from '../../core/redact.js';

export { redactUrl };

export const DEFAULT_DATABASE = 'airlane';

// Conservative on purpose: the name ends up inside InfluxQL (`CREATE DATABASE "…"`) and query strings.
const DATABASE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;

function urlProblem(raw: string): string | undefined {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return 'is not a URL; expected http://host:8086/database';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `must start with http:// or https:// (got ${u.protocol}//)`;
  if (!u.hostname) return 'has no host';
  if (u.search || u.hash) return 'must not carry a query string or fragment; use the options instead';
  const path = u.pathname.replace(/^\/|\/$/g, '');
  if (path.includes('/')) return `path must be just the database name (got /${path})`;
  if (path) {
    let db: string;
    try {
      db = decodeURIComponent(path);
    } catch {
      return 'has a badly encoded database name in its path';
    }
    if (!DATABASE_NAME.test(db)) return `database "${db}" must be letters, digits, "_", "." or "-" (at most 64)`;
  }
  return undefined;
}

// InfluxQL duration literals (InfluxQL spec, "Durations": ns, u/µ, ms, s, m, h, d, w, concatenable as in
// 1h30m), or INF for "keep forever". A retention policy must keep at least one hour (InfluxQL "Database
// management" › CREATE RETENTION POLICY, docs.influxdata.com/influxdb/v1/query_language/manage-database/;
// 1.6.7 answers `retention policy duration must be at least 1h0m0s`).
const DURATION_UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  u: 1e-3,
  µ: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const DURATION = /^(\d+(ns|u|µ|ms|s|m|h|d|w))+$/;

/** Milliseconds of an InfluxQL duration literal, Infinity for INF, undefined when it is not one. */
export function durationMs(text: string): number | undefined {
  if (text === 'INF') return Infinity;
  if (!DURATION.test(text)) return undefined;
  let ms = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)(ns|u|µ|ms|s|m|h|d|w)/g)) ms += Number(n) * (DURATION_UNIT_MS[unit ?? ''] ?? 0);
  return ms;
}

export const RetentionPolicySchema = z
  .object({
    /** Name of the policy; writes name it, so points land in it whether or not it is the database's default. */
    name: z.string().regex(DATABASE_NAME, 'must be letters, digits, "_", "." or "-" (at most 64)'),
    /** How long InfluxDB keeps the points: an InfluxQL duration (`52w`, `90d`, `1h30m`) of at least 1h, or `INF`. */
    duration: z.string().superRefine((text, ctx) => {
      const ms = durationMs(text);
      if (ms === undefined) ctx.addIssue({ code: 'custom', message: `"${text}" is not an InfluxQL duration (e.g. 52w, 90d, 12h) or INF` });
      else if (ms < 3_600_000) ctx.addIssue({ code: 'custom', message: `"${text}" is shorter than 1h, the least InfluxDB keeps` });
    }),
    /** Copies kept; 1 on a single server (OSS ignores anything else). */
    replication: z.number().int().min(1).max(100).default(1),
    /** Make it the database's default policy (what queries without an explicit policy read). */
    default: z.boolean().default(true),
  })
  .strict();

export type RetentionPolicy = z.infer<typeof RetentionPolicySchema>;

export const InfluxOutputOptionsSchema = z
  .object({
    /** http(s)://[user:password@]host:port[/database]; database defaults to `airlane`. */
    url: z
      .string()
      .superRefine((raw, ctx) => {
        const problem = urlProblem(raw);
        if (problem) ctx.addIssue({ code: 'custom', message: `${redactUrl(raw)} ${problem}` });
      })
      .default(`http://127.0.0.1:8086/${DEFAULT_DATABASE}`),
    /** Overrides the URL's user name. */
    username: z.string().min(1).optional(),
    /** Overrides the URL's password. Never logged. */
    password: z.string().optional(),
    /** Points per /write request; InfluxData recommends 5 000–10 000 (influxdb-mqtt.md §3). */
    batch_size: z.number().int().min(1).max(100_000).default(5000),
    /** How often the outbox hands this output a batch. */
    flush_interval_ms: z.number().int().min(10).max(3_600_000).default(1000),
    /** Create the database at start (and when a write finds it missing). Needs an admin user when auth is on. */
    create_database: z.boolean().default(true),
    /** Per-request timeout. */
    timeout_ms: z.number().int().min(100).max(600_000).default(10_000),
    /**
     * Write into this retention policy, created with the database when create_database is true. Without it,
     * writes go to the database's default policy (autogen: kept forever).
     */
    retention_policy: RetentionPolicySchema.optional(),
  })
  .strict();

export type InfluxOutputOptions = z.infer<typeof InfluxOutputOptionsSchema>;
export type InfluxOutputOptionsInput = z.input<typeof InfluxOutputOptionsSchema>;

export interface InfluxTarget {
  protocol: 'http' | 'https';
  host: string;
  port: number;
  database: string;
  username?: string;
  password?: string;
  /** For logs and messages: no password, with the database. */
  safeUrl: string;
}

/** Splits validated options into what the client needs. Explicit username/password win over the URL's. */
export function resolveTarget(options: InfluxOutputOptions): InfluxTarget {
  const u = new URL(options.url);
  const protocol = u.protocol === 'https:' ? 'https' : 'http';
  const path = decodeURIComponent(u.pathname.replace(/^\/|\/$/g, ''));
  const database = path || DEFAULT_DATABASE;
  const username = options.username ?? (u.username ? decodeURIComponent(u.username) : undefined);
  const password = options.password ?? (u.password ? decodeURIComponent(u.password) : undefined);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = u.port ? Number(u.port) : protocol === 'https' ? 443 : 80;
  const shown = new URL(`${u.protocol}//${u.host}/${encodeURIComponent(database)}`);
  if (username) shown.username = encodeURIComponent(username);
  const target: InfluxTarget = { protocol, host, port, database, safeUrl: shown.toString() };
  if (username !== undefined) target.username = username;
  if (password !== undefined) target.password = password;
  return target;
}
