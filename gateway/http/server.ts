// The local HTTP API and page (routes documented in README.md beside this file). node:http only: a handful of
// read-only routes do not need a framework. With a token configured, everything but the health check, the
// read-only page and the data that page polls (latest values, the 24 h history) asks for `Authorization: Bearer <token>`.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LatestStore } from '../outputs/latest/latest.js';
import type { Stats } from '../core/stats.js';
import type { GatewayHealth } from '../core/health.js';
import type { HttpOptions } from './options.js';
import { PAGE } from './page.js';
import { parseHistoryQuery, type HistoryQuery } from './history.js';
import { INSTALLER_PAGE } from './installer-page.js';
import { healthVerdict } from './healthz.js';
import { METRICS_CONTENT_TYPE, renderMetrics } from './metrics.js';

export interface HttpDeps {
  latest: LatestStore;
  stats: Stats;
  depth: () => Record<string, number>;
  /** Per-node, per-part status (state, last reading, last error, gaps). */
  status: () => unknown;
  /** The newest commissioning record of each node. */
  commissioning?: () => Record<string, unknown>;
  /** One snapshot of the gateway's health: /healthz and /metrics render it. */
  health: () => GatewayHealth;
  /** The last hours of window means of one site (history.ts createHistory()); without it the route is 404. */
  history?: HistoryQuery;
  now?: () => number;
}

export interface HttpHandle {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/**
 * Open without a token: a monitor's liveness probe, the station page a passer-by may look at with the data it
 * shows (latest values and the last 24 h of window means: no more than the page itself displays), and the installer
 * page's HTML (it holds no data; a browser cannot send a header when navigating, so the page takes the token
 * from its URL fragment, /installer#token=…, and sends it with its own API calls).
 */
const OPEN_PATHS = new Set(['/healthz', '/', '/index.html', '/api/v1/latest', '/api/v1/history', '/installer']);

type Listen = Pick<HttpOptions, 'host' | 'port'> & Partial<Pick<HttpOptions, 'token' | 'stall_after_s'>>;

export async function startHttp(options: Listen, deps: HttpDeps): Promise<HttpHandle> {
  const { host, port } = options;
  const stallAfterS = options.stall_after_s ?? 600;
  const now = deps.now ?? Date.now;
  // Compared as SHA-256 digests: equal lengths for timingSafeEqual, and the token's length does not leak either.
  const tokenDigest = options.token === undefined ? undefined : sha256(options.token);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = req.url ?? '/';
    const path = url.split('?')[0] ?? '/';
    const search = url.slice(path.length + 1);
    const readOnly = req.method === 'GET' || req.method === 'HEAD';
    const json = (body: unknown, status = 200, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
      res.end(JSON.stringify(body));
    };
    const html = (body: string) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(body);
    };

    if (tokenDigest && !(readOnly && OPEN_PATHS.has(path))) {
      const denied = checkBearer(req.headers.authorization, tokenDigest);
      // RFC 6750 §3: no error code when no credentials came; invalid_token when wrong ones did.
      if (denied === 'missing') return json({ error: `${path} needs a token: send the header "Authorization: Bearer <token>" (http.token in the gateway config)` }, 401, { 'www-authenticate': 'Bearer realm="airlane"' });
      if (denied === 'invalid') return json({ error: 'the bearer token is not valid for this gateway' }, 401, { 'www-authenticate': 'Bearer realm="airlane", error="invalid_token"' });
    }
    if (!readOnly) return json({ error: `method ${req.method} not allowed; this API is read-only` }, 405, { allow: 'GET, HEAD' });

    switch (path) {
      case '/healthz': {
        const h = deps.health();
        const verdict = healthVerdict(h, now(), stallAfterS);
        return json({ ...verdict, uptime_s: Math.max(0, Math.floor((now() - h.started_ms) / 1000)) }, verdict.status === 'ok' ? 200 : 503);
      }
      case '/metrics': {
        const text = await renderMetrics(deps.health());
        res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE, 'cache-control': 'no-store' });
        return void res.end(text);
      }
      case '/api/v1/latest':
        return json({ generated: new Date(now()).toISOString(), sites: deps.latest.snapshot() });
      case '/api/v1/history': {
        if (!deps.history) return json({ error: 'no history on this gateway (the windows aggregator is not running)' }, 404);
        const q = parseHistoryQuery(new URLSearchParams(search));
        if ('error' in q) return json({ error: q.error }, 400);
        try {
          return json(deps.history(q.site, q.window, q.hours));
        } catch (e) {
          return json({ error: `history unavailable: ${e instanceof Error ? e.message : String(e)}` }, 503);
        }
      }
      case '/api/v1/stats':
        return json({ ...deps.stats.toJSON(), queued: deps.depth() });
      case '/api/v1/status':
        return json(deps.status());
      case '/api/v1/health':
        return json(deps.health());
      case '/api/v1/commissioning':
        return json({ nodes: deps.commissioning?.() ?? {} });
      case '/installer':
        return html(INSTALLER_PAGE);
      case '/':
      case '/index.html':
        return html(PAGE);
      default:
        return json({ error: `no such path ${path}; try / or /api/v1/latest` }, 404);
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      // A snapshot that throws (a closed outbox during shutdown) is an answer too: a monitor sees 503, not a hang.
      if (res.headersSent) return void res.destroy();
      res.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ status: 'degraded', problems: [`health snapshot failed: ${e instanceof Error ? e.message : String(e)}`] }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'EADDRINUSE'
          ? new Error(`port ${port} on ${host} is already in use: stop the other program or set AIRLANE_HTTP_PORT`)
          : e,
      ),
    );
    server.listen(port, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  return {
    server,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${addr.port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections (a Prometheus scraper, a browser) would hold close() for their idle timeout.
        server.closeIdleConnections();
      }),
  };
}

function sha256(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/** The scheme name is case-insensitive (RFC 9110 §11.1); the token is compared in constant time. */
function checkBearer(header: string | undefined, expected: Buffer): 'ok' | 'missing' | 'invalid' {
  if (!header) return 'missing';
  const m = /^Bearer +(\S+) *$/i.exec(header);
  if (!m?.[1]) return 'invalid';
  return timingSafeEqual(sha256(m[1]), expected) ? 'ok' : 'invalid';
}
