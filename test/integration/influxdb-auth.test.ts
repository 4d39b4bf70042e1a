// The InfluxDB output against an influxd with authentication on ([http] auth-enabled = true): wrong
// credentials (401) and a user without WRITE on the database (403) are 'config' errors that keep the data.
// The server is private to this file (the shared one runs without auth).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Metric } from '../../gateway/core/metric.js';
import { InfluxDbOutput } from '../../gateway/outputs/influxdb/index.js';
import { startInflux, type InfluxService } from '../services/influxd.js';
import { rejection, testOutput as output } from '../../gateway/outputs/influxdb/testing.js';

const ADMIN = { user: 'admin', password: 'admin-secret' };
const WRITER = { user: 'writer', password: 'writer-secret' };
const DB = 'authdb';

let daemon: InfluxService | undefined;
let base = '';

/** One InfluxQL statement over /query as `who`; throws on any error. */
async function query(q: string, who?: { user: string; password: string }): Promise<void> {
  const headers: Record<string, string> = who ? { authorization: `Basic ${Buffer.from(`${who.user}:${who.password}`).toString('base64')}` } : {};
  const res = await fetch(`${base}/query`, { method: 'POST', body: new URLSearchParams({ q }), headers });
  const text = await res.text();
  if (!res.ok || text.includes('"error"')) throw new Error(`${q}: ${res.status} ${text}`);
}

beforeAll(async () => {
  daemon = await startInflux({ auth: true });
  base = daemon.url;
  // With auth on and no user yet, influxd accepts exactly this one statement without credentials.
  await query(`CREATE USER "${ADMIN.user}" WITH PASSWORD '${ADMIN.password}' WITH ALL PRIVILEGES`);
  await query(`CREATE DATABASE "${DB}"`, ADMIN);
  await query(`CREATE USER "${WRITER.user}" WITH PASSWORD '${WRITER.password}'`, ADMIN);
});

afterAll(async () => {
  await daemon?.stop();
});

const T0 = Date.UTC(2024, 4, 1, 8, 0, 0);
const point: Metric = { measurement: 'air', tags: { site: 'paix', node: 'n1', part: 'pms5003' }, fields: { pm25_ugm3: 1 }, time: T0 };
const hostPort = (): string => base.slice('http://'.length);

describe('InfluxDbOutput → influxd with auth-enabled', () => {
  it('a wrong password → config (401) at start and on write, password never shown', async () => {
    const out = output({ url: `http://${WRITER.user}:wrong-pass@${hostPort()}/${DB}` });
    const atStart = await rejection(out.start());
    expect(atStart.kind).toBe('config');
    expect(atStart.info.status).toBe(401);
    const atWrite = await rejection(out.write([point]));
    expect(atWrite.kind).toBe('config');
    expect(atWrite.info.status).toBe(401);
    expect(atWrite.message).toContain('username and password');
    expect(atWrite.message).not.toContain('wrong-pass');
    expect(out.stats()).toMatchObject({ written: 0, rejected: 0, errors: 1 });
  });

  it('a user without WRITE on the database → config (403) telling which GRANT is missing; after the GRANT it writes', async () => {
    const out = output({ url: `http://${WRITER.user}:${WRITER.password}@${hostPort()}/${DB}`, create_database: false });
    const e = await rejection(out.write([point]));
    expect(e.kind).toBe('config');
    expect(e.info.status).toBe(403);
    expect(e.message).toContain(`GRANT WRITE ON "${DB}" TO "${WRITER.user}"`);
    await query(`GRANT WRITE ON "${DB}" TO "${WRITER.user}"`, ADMIN);
    await out.write([point]);
    expect(out.stats()).toMatchObject({ written: 1, errors: 1 });
  });

  it('create_database as a non-admin user → config at start, naming the fix', async () => {
    const out = output({ url: `http://${WRITER.user}:${WRITER.password}@${hostPort()}/other` });
    const e = await rejection(out.start());
    expect(e.kind).toBe('config');
    expect(e.message).toContain('create_database');
  });
});
