// The output against a fake InfluxDB HTTP endpoint: exact line protocol on the wire, and how every status of
// influxdb-mqtt.md §3 is classified. The real influxd is exercised in test/integration/influxdb-output.test.ts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/log.js';
import type { Metric } from '../../core/metric.js';
import { OutputError } from './errors.js';
import { InfluxDbOutput } from './influxdb.js';
import { InfluxOutputOptionsSchema, type InfluxOutputOptionsInput } from './options.js';

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  body: string;
  auth: string | undefined;
}

type Handler = (req: Seen, res: ServerResponse) => void;

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

async function fakeInflux(handler: Handler): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://x');
      const s: Seen = { method: req.method ?? '', path: u.pathname, query: u.searchParams, body, auth: req.headers.authorization };
      seen.push(s);
      handler(s, res);
    });
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', () => r()));
  const port = (server?.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, seen };
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

const ok: Handler = (req, res) => {
  if (req.path === '/query') return json(res, 200, { results: [{ statement_id: 0 }] });
  res.writeHead(204).end();
};

function output(options: InfluxOutputOptionsInput): InfluxDbOutput {
  return new InfluxDbOutput(InfluxOutputOptionsSchema.parse(options), { log: silentLogger });
}

const T0 = Date.UTC(2024, 4, 1, 8, 0, 0);
const air = (i: number, tags: Record<string, string> = {}): Metric => ({
  measurement: 'air',
  tags: { site: 'Rue de la Paix, 12', node: 'n1', part: 'pms5003', ...tags },
  fields: { pm25_ugm3: 10 + i, qc: 3 },
  time: T0 + i,
});

async function rejection(p: Promise<unknown>): Promise<OutputError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof OutputError)) throw new Error(`expected an OutputError, got ${String(e)}`);
  return e;
}

describe('InfluxDbOutput on the wire', () => {
  it('posts escaped line protocol with ms precision, an integer qc and basic auth', async () => {
    const fake = await fakeInflux(ok);
    const out = output({ url: `http://writer:pw@${fake.url.slice(7)}/street` });
    await out.write([air(0, { node: 'a\nfake v=1' }), air(1, { node: '' })]);
    const write = fake.seen.find((s) => s.path === '/write');
    expect(write?.query.get('db')).toBe('street');
    expect(write?.query.get('precision')).toBe('ms');
    expect(write?.auth).toBe(`Basic ${Buffer.from('writer:pw').toString('base64')}`);
    expect(write?.body).toBe(
      [
        `air,node=a\\ fake\\ v\\=1,part=pms5003,site=Rue\\ de\\ la\\ Paix\\,\\ 12 pm25_ugm3=10,qc=3i ${T0}`,
        `air,part=pms5003,site=Rue\\ de\\ la\\ Paix\\,\\ 12 pm25_ugm3=11,qc=3i ${T0 + 1}`,
      ].join('\n'),
    );
    expect(out.stats()).toMatchObject({ written: 2, droppedTags: 1, changedTags: 1, requests: 1 });
  });

  it('splits a large batch into batch_size requests', async () => {
    const fake = await fakeInflux(ok);
    const out = output({ url: `${fake.url}/db`, batch_size: 2 });
    await out.write([0, 1, 2, 3, 4].map((i) => air(i)));
    const writes = fake.seen.filter((s) => s.path === '/write').map((s) => s.body.split('\n').length);
    expect(writes).toEqual([2, 2, 1]);
  });

  it('start() creates the database when allowed', async () => {
    const fake = await fakeInflux(ok);
    await output({ url: `${fake.url}/street` }).start();
    expect(fake.seen.map((s) => `${s.method} ${s.path} ${s.query.get('q') ?? ''}`)).toEqual([
      'GET /ping ',
      'POST /query create database "street"',
    ]);
  });
});

describe('InfluxDbOutput error classification', () => {
  it('400 partial write → partial with the dropped count; the rest counts as written', async () => {
    const fake = await fakeInflux((_req, res) =>
      json(res, 400, {
        error: 'partial write: field type conflict: input field "pm25_ugm3" on measurement "air" is type float, already exists as type integer dropped=1',
      }),
    );
    const out = output({ url: `${fake.url}/db` });
    const e = await rejection(out.write([air(0), air(1), air(2)]));
    expect(e.kind).toBe('partial');
    expect(e.info).toMatchObject({ dropped: 1, written: 2, status: 400 });
    expect(e.info.reason).toContain('field type conflict');
    expect(out.stats()).toMatchObject({ written: 2, rejected: 1 });
  });

  it('400 for the whole request (nothing parsed) → partial with every point dropped', async () => {
    const fake = await fakeInflux((_req, res) => json(res, 400, { error: "unable to parse 'x': invalid field format" }));
    const e = await rejection(output({ url: `${fake.url}/db` }).write([air(0), air(1)]));
    expect(e.kind).toBe('partial');
    expect(e.info).toMatchObject({ dropped: 2, written: 0 });
  });

  it('413 → halves until each request fits; nothing is lost', async () => {
    const fake = await fakeInflux((req, res) => {
      if (req.body.split('\n').length > 2) return json(res, 413, { error: 'Request Entity Too Large' });
      res.writeHead(204).end();
    });
    const out = output({ url: `${fake.url}/db` });
    await out.write([0, 1, 2, 3, 4, 5, 6].map((i) => air(i)));
    const stored = fake.seen.filter((s) => s.body.split('\n').length <= 2).flatMap((s) => s.body.split('\n'));
    expect(stored.map((l) => Number(l.split(' ').pop()) - T0)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(out.stats()).toMatchObject({ written: 7, rejected: 0 });
    expect(out.stats().splits).toBeGreaterThan(0);
  });

  it('413 for a single point → partial, that point dropped, the others written', async () => {
    const fake = await fakeInflux((req, res) => {
      if (req.body.includes('huge')) return json(res, 413, { error: 'Request Entity Too Large' });
      res.writeHead(204).end();
    });
    const out = output({ url: `${fake.url}/db` });
    const e = await rejection(out.write([air(0), air(1, { node: 'huge' }), air(2)]));
    expect(e.kind).toBe('partial');
    expect(e.info).toMatchObject({ dropped: 1, written: 2 });
    expect(out.stats()).toMatchObject({ written: 2, rejected: 1 });
  });

  it.each([
    [500, 'retry'],
    [503, 'retry'],
    [401, 'config'],
    [403, 'config'],
    [405, 'config'],
  ] as const)('%i → %s, data kept', async (status, kind) => {
    const fake = await fakeInflux((_req, res) => json(res, status, { error: 'nope' }));
    const out = output({ url: `http://u:topsecret@${fake.url.slice(7)}/db` });
    const e = await rejection(out.write([air(0)]));
    expect(e.kind).toBe(kind);
    expect(e.message).not.toContain('topsecret');
    expect(e.message).toContain(`InfluxDB at http://u@${fake.url.slice(7)}/db`);
    expect(out.stats()).toMatchObject({ written: 0, errors: 1 });
  });

  it('429 → retry with the server’s Retry-After', async () => {
    const fake = await fakeInflux((_req, res) => json(res, 429, { error: 'slow down' }, { 'retry-after': '7' }));
    const e = await rejection(output({ url: `${fake.url}/db` }).write([air(0)]));
    expect(e.kind).toBe('retry');
    expect(e.info.retryAfterMs).toBe(7000);
  });

  it('404 database not found with create_database false → config, telling how to fix it', async () => {
    const fake = await fakeInflux((_req, res) => json(res, 404, { error: 'database not found: "db"' }));
    const e = await rejection(output({ url: `${fake.url}/db`, create_database: false }).write([air(0)]));
    expect(e.kind).toBe('config');
    expect(e.message).toContain('CREATE DATABASE "db"');
  });

  it('404 with create_database true → creates the database once and resends', async () => {
    let created = false;
    const fake = await fakeInflux((req, res) => {
      if (req.path === '/query') {
        created = true;
        return json(res, 200, { results: [{ statement_id: 0 }] });
      }
      if (!created) return json(res, 404, { error: 'database not found: "db"' });
      res.writeHead(204).end();
    });
    const out = output({ url: `${fake.url}/db` });
    await out.write([air(0)]);
    expect(fake.seen.map((s) => s.path)).toEqual(['/write', '/query', '/write']);
    expect(out.stats().written).toBe(1);
  });

  it('a closed port → retry (start and write)', async () => {
    const fake = await fakeInflux(ok);
    const url = `${fake.url}/db`;
    await new Promise<void>((r) => server?.close(() => r()));
    server = undefined;
    const out = output({ url, timeout_ms: 2000 });
    expect((await rejection(out.start())).kind).toBe('retry');
    const e = await rejection(out.write([air(0)]));
    expect(e.kind).toBe('retry');
    expect(e.message).toContain('ECONNREFUSED');
  });

  it('a batch with nothing valid left sends nothing and resolves', async () => {
    const fake = await fakeInflux(ok);
    const out = output({ url: `${fake.url}/db` });
    await out.write([{ ...air(0), fields: { pm25_ugm3: Number.NaN } }]);
    expect(fake.seen).toEqual([]);
    expect(out.stats()).toMatchObject({ droppedPoints: 1, droppedFields: 1, requests: 0 });
  });
});
