// /metrics as a real Prometheus sees it: `promtool check metrics` lints the exposition (format and the naming
// conventions), and a real Prometheus scrapes it with the bearer-token config the http README documents —
// while a job without the token is refused (up == 0). Debian package: prometheus (it ships promtool too).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttp, type HttpHandle } from '../../gateway/http/server.js';
import { httpOptions } from '../../gateway/http/options.js';
import { LatestStore } from '../../gateway/outputs/latest/latest.js';
import { Stats } from '../../gateway/core/stats.js';
import type { GatewayHealth } from '../../gateway/core/health.js';
import { freePort, makeServiceDir, requireExecutable, startDaemon, withPortRetry, type Daemon } from '../services/daemon.js';
import { until } from '../fakes/until.js';

const TOKEN = 'f00dfeedcafe0123456789abcdef';

const health = (): GatewayHealth => ({
  site: 'rue-a',
  gateway: 'gw1',
  started_ms: 1_700_000_000_000,
  accepted: 12345,
  rejected: { not_json: 3 },
  outbox_writable: true,
  outputs: [{ output: 'in"flux\\db', durable: true, queued: 4100, oldest_age_s: 612, written: 8000, dead_lettered: 2, dropped: 0, errors: 9, last_success_ms: 1_700_000_100_000, state: 'retrying' }],
  parts: [{ site: 'rue-a', node: 'n1', part: 'pms5003', state: 'faulted', errors: 4, reopened: 2, last_reading_ms: null, stuck: true }],
});

let http: HttpHandle;
let prometheus: Daemon;
let promUrl: string;

beforeAll(async () => {
  http = await startHttp(httpOptions.parse({ port: 0, token: TOKEN }), {
    latest: new LatestStore(),
    stats: new Stats(),
    depth: () => ({}),
    status: () => ({}),
    health,
  });
  const target = new URL(http.url).host;
  const bin = requireExecutable('prometheus');
  prometheus = await withPortRetry(async () => {
    const dir = makeServiceDir('prometheus');
    const port = await freePort();
    writeFileSync(join(dir, 'token'), `${TOKEN}\n`);
    // The scrape config of gateway/http/README.md, plus a job without the token that must be refused.
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global: { scrape_interval: 1s, scrape_timeout: 1s }
scrape_configs:
  - job_name: airlane
    authorization: { type: Bearer, credentials_file: ${join(dir, 'token')} }
    static_configs: [{ targets: ['${target}'] }]
  - job_name: airlane-no-token
    static_configs: [{ targets: ['${target}'] }]
`,
    );
    promUrl = `http://127.0.0.1:${port}`;
    return startDaemon({
      name: 'prometheus',
      command: bin,
      args: [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
      dir,
      ready: async () => (await fetch(`${promUrl}/-/ready`)).ok,
    });
  });
}, 60_000);

afterAll(async () => {
  await prometheus?.stop();
  await http?.close();
});

async function query(q: string): Promise<{ metric: Record<string, string>; value: [number, string] }[] | undefined> {
  const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(q)}`);
  const body = (await res.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  return body.data.result.length ? body.data.result : undefined;
}

describe('/metrics with Prometheus', () => {
  it('passes promtool check metrics (format and naming lint) with nothing to say', async () => {
    const promtool = requireExecutable('promtool');
    const text = await (await fetch(`${http.url}metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    const r = spawnSync(promtool, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect({ status: r.status, out: r.stdout + r.stderr }).toEqual({ status: 0, out: '' });
  });

  it('is scraped with the bearer token, and refused without it', async () => {
    const up = await until('both jobs scraped', async () => {
      const r = await query('up');
      return r && r.length === 2 ? r : undefined;
    });
    expect(Object.fromEntries(up.map((s) => [s.metric.job, s.value[1]]))).toEqual({ airlane: '1', 'airlane-no-token': '0' });

    const accepted = await query('airlane_accepted_total');
    expect(accepted?.map((s) => [s.metric.site, s.metric.gateway, s.value[1]])).toEqual([['rue-a', 'gw1', '12345']]);
    const queued = await query('airlane_output_queued');
    expect(queued?.map((s) => [s.metric.output, s.value[1]])).toEqual([['in"flux\\db', '4100']]);
    const faulted = await query('airlane_part_state{state="faulted"} == 1');
    expect(faulted?.map((s) => [s.metric.node, s.metric.part])).toEqual([['n1', 'pms5003']]);
  });
});
