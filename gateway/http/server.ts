// The local HTTP API and page: GET /api/v1/latest (JSON), GET /api/v1/stats (gateway counters), GET / (the
// same for a person, readable on a phone). node:http only: three routes do not need a framework.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LatestStore } from '../outputs/latest/latest.js';
import type { Stats } from '../core/stats.js';
import { PAGE } from './page.js';
import { INSTALLER_PAGE } from './installer-page.js';

export interface HttpDeps {
  latest: LatestStore;
  stats: Stats;
  depth: () => Record<string, number>;
  /** Per-node, per-part status (state, last reading, last error, gaps). */
  status: () => unknown;
  /** The newest commissioning record of each node. */
  commissioning?: () => Record<string, unknown>;
}

export interface HttpHandle {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export async function startHttp(host: string, port: number, deps: HttpDeps): Promise<HttpHandle> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const json = (body: unknown, status = 200) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return json({ error: `method ${req.method} not allowed; this API is read-only` }, 405);
    if (path === '/api/v1/latest') return json({ generated: new Date().toISOString(), sites: deps.latest.snapshot() });
    if (path === '/api/v1/stats') return json({ ...deps.stats.toJSON(), queued: deps.depth() });
    if (path === '/api/v1/status') return json(deps.status());
    if (path === '/api/v1/commissioning') return json({ nodes: deps.commissioning?.() ?? {} });
    if (path === '/installer') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      return res.end(INSTALLER_PAGE);
    }
    if (path === '/' || path === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      return res.end(PAGE);
    }
    json({ error: `no such path ${path}; try / or /api/v1/latest` }, 404);
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
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
