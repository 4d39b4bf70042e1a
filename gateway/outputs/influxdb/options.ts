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
