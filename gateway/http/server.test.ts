import { afterEach, describe, expect, it } from 'vitest';
import { startHttp, type HttpHandle } from './server.js';
import { httpOptions } from './options.js';
import { LatestStore } from '../outputs/latest/latest.js';
import { Stats } from '../core/stats.js';
import type { GatewayHealth, OutputHealth } from '../core/health.js';

const NOW = 1_700_000_700_000;
const TOKEN = 'c2VjcmV0LXRva2VuLWZvci10ZXN0cw';

function influx(over: Partial<OutputHealth> = {}): OutputHealth {
  return { output: 'influxdb', durable: true, queued: 0, oldest_age_s: 0, written: 8000, dead_lettered: 2, dropped: 0, errors: 9, last_success_ms: NOW - 5_000, state: 'ok', ...over };
}

function snapshot(over: Partial<GatewayHealth> = {}): GatewayHealth {
  return {
    site: 'rue-a',
    gateway: 'gw1',
    started_ms: 1_700_000_000_000,
    accepted: 12345,
    rejected: { not_json: 3, schema: 7 },
    outbox_writable: true,
    outputs: [influx(), { output: 'latest', durable: false, queued: 0, oldest_age_s: 0, written: 1, dead_lettered: 0, dropped: 0, errors: 0, last_success_ms: null, state: 'ok' }],
    parts: [{ site: 'rue-a', node: 'n1', part: 'pms5003', state: 'faulted', errors: 4, reopened: 2, last_reading_ms: 1_700_000_200_000, stuck: true }],
    ...over,
  };
}

let handle: HttpHandle | undefined;
afterEach(async () => {
  await handle?.close();
  handle = undefined;
});

async function serve(health: () => GatewayHealth, options: Record<string, unknown> = {}): Promise<string> {
  handle = await startHttp(httpOptions.parse({ port: 0, ...options }), {
    latest: new LatestStore(),
    stats: new Stats(),
    depth: () => ({ influxdb: 0 }),
    status: () => ({ site: 'rue-a', nodes: {} }),
    health,
    now: () => NOW,
  });
  return handle.url;
}

const lines = (text: string) => text.split('\n').filter((l) => l && !l.startsWith('#'));

describe('GET /metrics', () => {
  it('renders every figure of the snapshot in the 0.0.4 text format', async () => {
    const url = await serve(() => snapshot({ outputs: [influx({ queued: 4100, oldest_age_s: 612.5, state: 'retrying', last_success_ms: 1_700_000_100_500 })] }));
    const res = await fetch(`${url}metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    expect(text).toContain('# TYPE airlane_accepted_total counter\n');
    expect(text).toContain('# TYPE airlane_output_queued gauge\n');
    const g = 'site="rue-a",gateway="gw1"';
    const o = `${g},output="influxdb"`;
    const p = `${g},node="n1",part="pms5003"`;
    expect(lines(text)).toEqual([
      `airlane_start_time_seconds{${g}} 1700000000`,
      `airlane_accepted_total{${g}} 12345`,
      `airlane_rejected_total{${g},reason="not_json"} 3`,
      `airlane_rejected_total{${g},reason="schema"} 7`,
      `airlane_outbox_writable{${g}} 1`,
      `airlane_output_queued{${o}} 4100`,
      `airlane_output_oldest_age_seconds{${o}} 612.5`,
      `airlane_output_written_total{${o}} 8000`,
      `airlane_output_dropped_total{${o}} 0`,
      `airlane_output_dead_lettered_total{${o}} 2`,
      `airlane_output_errors_total{${o}} 9`,
      `airlane_output_last_success_timestamp_seconds{${o}} 1700000100.5`,
      `airlane_output_state{${o},state="ok"} 0`,
      `airlane_output_state{${o},state="retrying"} 1`,
      `airlane_output_state{${o},state="config"} 0`,
      `airlane_part_state{${p},state="starting"} 0`,
      `airlane_part_state{${p},state="warming"} 0`,
      `airlane_part_state{${p},state="ok"} 0`,
      `airlane_part_state{${p},state="sleeping"} 0`,
      `airlane_part_state{${p},state="faulted"} 1`,
      `airlane_part_errors_total{${p}} 4`,
      `airlane_part_reopened_total{${p}} 2`,
      `airlane_part_stuck{${p}} 1`,
      `airlane_part_last_reading_timestamp_seconds{${p}} 1700000200`,
    ]);
  });

  it('leaves out a last-success time that does not exist yet', async () => {
    const url = await serve(() => snapshot({ outputs: [influx({ last_success_ms: null })], parts: [] }));
    const text = await (await fetch(`${url}metrics`)).text();
    expect(text).toContain('# TYPE airlane_output_last_success_timestamp_seconds gauge\n');
    expect(text).not.toMatch(/^airlane_output_last_success_timestamp_seconds\{/m);
    expect(lines(text).filter((l) => l.startsWith('airlane_part_'))).toEqual([]);
  });

  it('escapes backslash, double quote and newline in label values (exposition format 0.0.4)', async () => {
    const url = await serve(() =>
      snapshot({
        outputs: [influx({ output: 'in"flux\\db\nx' })],
        parts: [{ site: 'rue-a', node: 'n\\1"', part: 'p\nq', state: 'ok', errors: 0, reopened: 0, last_reading_ms: null, stuck: false }],
      }),
    );
    const text = await (await fetch(`${url}metrics`)).text();
    expect(lines(text)).toContain('airlane_output_queued{site="rue-a",gateway="gw1",output="in\\"flux\\\\db\\nx"} 0');
    expect(lines(text)).toContain('airlane_part_stuck{site="rue-a",gateway="gw1",node="n\\\\1\\"",part="p\\nq"} 0');
    // Every sample stays on one line: a raw newline would split it into a malformed second sample.
    for (const l of lines(text)) expect(l).toMatch(/^airlane_[a-z_]+(\{.*\})? [0-9.e+-]+$/);
  });
});

describe('token', () => {
  const authed = (t: string) => ({ headers: { authorization: `Bearer ${t}` } });

  it('refuses /metrics and the API without a token, with WWW-Authenticate and a plain JSON error', async () => {
    const url = await serve(() => snapshot(), { token: TOKEN });
    for (const path of ['metrics', 'api/v1/stats', 'api/v1/status', 'api/v1/health', 'api/v1/commissioning', 'no-such-path']) {
      const res = await fetch(`${url}${path}`);
      expect(res.status, path).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="airlane"');
      const body = (await res.json()) as { error: string };
      expect(body.error).toContain('Authorization: Bearer <token>');
    }
  });

  it('refuses a wrong token (invalid_token) and never echoes the right one', async () => {
    const url = await serve(() => snapshot(), { token: TOKEN });
    for (const bad of [`${TOKEN}x`, TOKEN.slice(1), 'short']) {
      const res = await fetch(`${url}metrics`, authed(bad));
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="airlane", error="invalid_token"');
      expect(await res.text()).not.toContain(TOKEN);
    }
    const basic = await fetch(`${url}metrics`, { headers: { authorization: `Basic ${TOKEN}` } });
    expect(basic.status).toBe(401);
  });

  it('lets the right token through, scheme name in any case', async () => {
    const url = await serve(() => snapshot(), { token: TOKEN });
    const res = await fetch(`${url}metrics`, authed(TOKEN));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('airlane_accepted_total{site="rue-a",gateway="gw1"} 12345');
    const lower = await fetch(`${url}api/v1/stats`, { headers: { authorization: `bearer ${TOKEN}` } });
    expect(lower.status).toBe(200);
    expect(((await lower.json()) as { queued: unknown }).queued).toEqual({ influxdb: 0 });
  });

  it('keeps /healthz, the page and the data it polls open', async () => {
    const url = await serve(() => snapshot(), { token: TOKEN });
    expect((await fetch(`${url}healthz`)).status).toBe(200);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Airlane station</title>');
    const latest = await fetch(`${url}api/v1/latest`);
    expect(latest.status).toBe(200);
    expect(((await latest.json()) as { sites: unknown }).sites).toEqual({});
    // The installer page's HTML is open (a browser cannot send a header when navigating); its data is not.
    const installer = await fetch(`${url}installer`);
    expect(installer.status).toBe(200);
    expect(await installer.text()).toContain("location.hash.slice(1)).get('token')");
  });

  it('asks for the token before saying a write method is not allowed, even on an open path', async () => {
    const url = await serve(() => snapshot(), { token: TOKEN });
    expect((await fetch(`${url}api/v1/latest`, { method: 'POST' })).status).toBe(401);
    const res = await fetch(`${url}api/v1/latest`, { method: 'POST', ...authed(TOKEN) });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });

  it('serves everything without a token when none is configured (loopback)', async () => {
    const url = await serve(() => snapshot());
    expect((await fetch(`${url}metrics`)).status).toBe(200);
    expect((await fetch(`${url}api/v1/health`)).status).toBe(200);
  });
});

describe('GET /healthz', () => {
  type Body = { status: string; problems: string[]; uptime_s: number };
  const get = async (h: GatewayHealth, options: Record<string, unknown> = {}) => {
    const url = await serve(() => h, options);
    const res = await fetch(`${url}healthz`);
    return { status: res.status, body: (await res.json()) as Body };
  };

  it('is 200 ok when outputs write, even with a faulted part and a short outage', async () => {
    const r = await get(snapshot({ outputs: [influx({ state: 'retrying', queued: 50, last_success_ms: NOW - 599_000 })] }));
    expect(r).toEqual({ status: 200, body: { status: 'ok', problems: [], uptime_s: 700 } });
  });

  it('is 503 when the outbox is not writable', async () => {
    const r = await get(snapshot({ outbox_writable: false }));
    expect(r.status).toBe(503);
    expect(r.body.status).toBe('degraded');
    expect(r.body.problems).toHaveLength(1);
    expect(r.body.problems[0]).toMatch(/^outbox not writable: /);
  });

  it('is 503 when a durable output is refused for configuration, with the reason minus URL passwords', async () => {
    const r = await get(snapshot({ outputs: [influx({ state: 'config', last_error: 'HTTP 401 from http://admin:hunter2@influx:8086/write' })] }));
    expect(r.status).toBe(503);
    expect(r.body.problems).toEqual([
      'influxdb: the server refuses the writes and a person must act (credentials, permissions or database): HTTP 401 from http://admin:***@influx:8086/write; data is kept',
    ]);
  });

  it('is 503 when a durable output has data queued and no success for longer than the threshold', async () => {
    const r = await get(snapshot({ outputs: [influx({ state: 'retrying', queued: 4100, last_success_ms: NOW - 612_000 })] }));
    expect(r.status).toBe(503);
    expect(r.body.problems).toEqual(['influxdb: no successful write for 612 s with 4100 queued']);
  });

  it('counts from the process start for an output that never wrote, and honours stall_after_s', async () => {
    const h = snapshot({ outputs: [influx({ queued: 1, last_success_ms: null })] });
    const r = await get(h, { stall_after_s: 60 });
    expect(r.body.problems).toEqual(['influxdb: no successful write for 700 s with 1 queued']);
  });

  it('ignores a stale but empty queue and a non-durable output', async () => {
    const r = await get(
      snapshot({
        outputs: [influx({ queued: 0, last_success_ms: NOW - 3_600_000 }), { ...influx({ output: 'latest', durable: false, state: 'config', queued: 9, last_success_ms: null }) }],
      }),
    );
    expect(r.status).toBe(200);
  });

  it('is 503 with the reason when the snapshot itself fails', async () => {
    const url = await serve(() => {
      throw new Error('outbox closed');
    });
    const res = await fetch(`${url}healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'degraded', problems: ['health snapshot failed: outbox closed'] });
  });
});
