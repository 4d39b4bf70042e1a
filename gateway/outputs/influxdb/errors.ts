// What a failed InfluxDB request means for the store-and-forward loop (influxdb-mqtt.md §3):
//   retry   network error, timeout, 5xx, 503 throttled, 429   → keep the batch, try again later
//   config  401/403/404, TLS or other unexpected 3xx/4xx      → keep the batch, a person must fix the setup
//   partial 400 (partial write or whole request refused)      → the valid points ARE stored; never resend as is;
//           write() finds exactly which points were refused (bisect.ts) and lists them in info.rejected
// 413 never leaves write(): the batch is split in halves there; a single point still too large is 'partial'.
// A 400 without InfluxDB's X-Influxdb-Version header came from something in between (a proxy): 'config', so
// no point is declared invalid for what is a setup problem.
import influx from 'influx';
// Not re-exported by the package index; node-influx 5.12 is pinned, so the path is stable.
import pool from 'influx/lib/src/pool.js';
import type { Refusal } from './bisect.js';

export type OutputErrorKind = 'retry' | 'config' | 'partial';

export interface OutputErrorInfo {
  /** Plugin name, e.g. `influxdb`. */
  output: string;
  /** Where: the server URL without password, with the database. */
  where: string;
  /** HTTP status when the server answered. */
  status?: number;
  /** 'partial': points the server refused (never resend them). */
  dropped?: number;
  /** 'partial': points stored. */
  written?: number;
  /**
   * 'partial': exactly the points not stored, as indices into the batch given to write(), each with the
   * server's (or the sanitizer's) reason. Never resend them as they are: move them to a dead-letter table.
   */
  rejected?: Array<{ index: number; reason: string }>;
  /** The server's or the network's own words. */
  reason?: string;
  /** 'retry': how long the server asked us to wait (Retry-After). */
  retryAfterMs?: number;
}

export class OutputError extends Error {
  override readonly name = 'OutputError';
  readonly kind: OutputErrorKind;
  readonly info: OutputErrorInfo;

  constructor(kind: OutputErrorKind, message: string, info: OutputErrorInfo, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
    this.info = info;
  }
}

export function isOutputError(e: unknown): e is OutputError {
  return e instanceof OutputError;
}

export interface RequestContext {
  output: string;
  where: string;
  database: string;
  username?: string;
  /** What we were doing, in words: "write", "CREATE DATABASE", "SHOW DATABASES". */
  operation: string;
  /** Points in the request (for 'partial' accounting). */
  points: number;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
]);

/** HTTP status of a node-influx RequestError (3xx/4xx); 5xx become ServiceNotAvailableError without one. */
export function statusOf(e: unknown): number | undefined {
  return e instanceof pool.RequestError ? e.res.statusCode : undefined;
}

/** A 5xx answer (node-influx drops its status and body), as opposed to a timeout or a network error. */
export function isServerError(e: unknown): boolean {
  return e instanceof pool.ServiceNotAvailableError && !/timed out|no host available/i.test(e.message);
}

/** The server's `{"error": "…"}` text out of a node-influx RequestError message. */
function serverReason(e: Error): string {
  const body = e.message.replace(/^A \d+ [^:]*error occurred: /, '').trim();
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error.trim();
  } catch {
    // not JSON: a proxy's HTML page or plain text
  }
  return body.slice(0, 300);
}

function retryAfterMs(e: unknown): number | undefined {
  if (!(e instanceof pool.RequestError)) return undefined;
  const header = e.res.headers['retry-after'];
  if (typeof header !== 'string') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** Points the server says it refused: `dropped=N` of a partial write, or one per unparsable line. */
export function droppedCount(reason: string, points: number): number {
  const stated = Number(/dropped=(\d+)/.exec(reason)?.[1] ?? 0);
  const unparsable = reason.match(/unable to parse/g)?.length ?? 0;
  const isPartial = /partial write/.test(reason);
  // Without "partial write" the handler stored nothing (services/httpd/handler.go, serveWrite).
  if (!isPartial) return points;
  return Math.min(points, Math.max(stated, unparsable));
}

/** Splits a 400 reason into the Refusal that bisection works with (see bisect.ts). */
export function parseRefusal(reason: string, points: number): Refusal {
  const lines = reason
    .replace(/^partial write:\s*/, '')
    .replace(/\s*dropped=\d+\s*$/, '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const parseFailures = lines.filter((l) => l.startsWith('unable to parse'));
  return {
    reason: lines.join('; ') || reason,
    dropped: droppedCount(reason, points),
    lines: parseFailures.length === lines.length ? parseFailures : [],
  };
}

/** True when a response carries InfluxDB's own version header (every answer of influxd's HTTP handler does). */
function fromInflux(e: unknown): boolean {
  return e instanceof pool.RequestError && e.res.headers['x-influxdb-version'] !== undefined;
}

export function classifyInfluxError(e: unknown, ctx: RequestContext): OutputError {
  if (e instanceof OutputError) return e;
  const base = { output: ctx.output, where: ctx.where };
  const at = `InfluxDB at ${ctx.where}`;
  const kept = 'the data is kept and sent again later';
  const err = e instanceof Error ? e : new Error(String(e));
  const status = statusOf(e);

  if (status === undefined) {
    const code = (err as NodeJS.ErrnoException).code;
    if (e instanceof pool.ServiceNotAvailableError) {
      const timedOut = /timed out/i.test(err.message);
      const what = timedOut ? 'did not answer in time (timeout_ms)' : `answered a server error (${err.message})`;
      return new OutputError('retry', `${at} ${what} during ${ctx.operation}; ${kept}.`, { ...base, reason: err.message }, { cause: e });
    }
    if (code && /CERT|SSL|TLS|SELF_SIGNED|ALTNAME/.test(code)) {
      return new OutputError(
        'config',
        `${at}: TLS failed during ${ctx.operation} (${code}: ${err.message}). Check the certificate or use the right scheme (http/https) in the url; ${kept}.`,
        { ...base, reason: `${code}: ${err.message}` },
        { cause: e },
      );
    }
    if (e instanceof influx.ResultError) {
      return new OutputError(
        'config',
        `${at} refused ${ctx.operation}: ${err.message}. Check the database name and the user's rights; ${kept}.`,
        { ...base, reason: err.message },
        { cause: e },
      );
    }
    const why = code && NETWORK_CODES.has(code) ? `${code}: ${err.message}` : err.message;
    return new OutputError(
      'retry',
      `${at} could not be reached for ${ctx.operation} (${why}). Is influxd running, and are host and port in the url right? ${kept}.`,
      { ...base, reason: why },
      { cause: e },
    );
  }

  const reason = serverReason(err);
  const info = { ...base, status, reason };
  if (status === 400 && !fromInflux(e)) {
    return new OutputError(
      'config',
      `${at} answered 400 to ${ctx.operation} without InfluxDB's X-Influxdb-Version header (${reason}): something in between (a proxy?) refused the request. Check the url; ${kept}.`,
      info,
      { cause: e },
    );
  }
  if (status === 400) {
    const dropped = droppedCount(reason, ctx.points);
    const written = ctx.points - dropped;
    return new OutputError(
      'partial',
      `${at} stored ${written} of ${ctx.points} points and refused ${dropped} (400: ${reason}). The refused points are invalid as they are and are not sent again.`,
      { ...info, dropped, written },
      { cause: e },
    );
  }
  if (status === 429) {
    const wait = retryAfterMs(e);
    const info429: OutputErrorInfo = { ...info };
    if (wait !== undefined) info429.retryAfterMs = wait;
    return new OutputError('retry', `${at} asked us to slow down (429 ${reason}); ${kept}.`, info429, { cause: e });
  }
  if (status === 401) {
    return new OutputError(
      'config',
      `${at} refused the credentials for ${ctx.operation} (401 ${reason}). Set the right username and password (in the url or the username/password options); ${kept}.`,
      info,
      { cause: e },
    );
  }
  if (status === 403) {
    const who = ctx.username ? `user "${ctx.username}"` : 'an anonymous user';
    const fix =
      ctx.operation === 'CREATE DATABASE'
        ? `create database "${ctx.database}" as an admin, or set create_database: false once it exists`
        : `grant access: GRANT WRITE ON "${ctx.database}" TO "${ctx.username ?? '<user>'}"`;
    return new OutputError('config', `${at}: ${who} may not ${ctx.operation} (403 ${reason}); ${fix}. ${kept}.`, info, { cause: e });
  }
  if (status === 404) {
    return new OutputError(
      'config',
      `${at}: database "${ctx.database}" does not exist (404 ${reason}). Create it (CREATE DATABASE "${ctx.database}") or set create_database: true; ${kept}.`,
      info,
      { cause: e },
    );
  }
  return new OutputError(
    'config',
    `${at} answered ${status} to ${ctx.operation} (${reason}). Check that the url points at an InfluxDB 1.x server; ${kept}.`,
    info,
    { cause: e },
  );
}
