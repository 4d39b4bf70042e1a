// The output against a fake InfluxDB HTTP endpoint: exact line protocol on the wire, and how every status of
// influxdb-mqtt.md §3 is classified. The real influxd is exercised in test/integration/influxdb-output.test.ts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Metric } from '../../core/metric.js';
import { InfluxDbOutput } from './influxdb.js';
import { rejection, testOutput as output } from './testing.js';

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

// influxd's HTTP handler sets X-Influxdb-Version on every answer (measured on 1.6.7).
const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { 'content-type': 'application/json', 'x-influxdb-version': '1.6.7', ...headers });
  res.end(JSON.stringify(body));
};

const ok: Handler = (req, res) => {
  if (req.path === '/query') return json(res, 200, { results: [{ statement_id: 0 }] });
  res.writeHead(204, { 'x-influxdb-version': '1.6.7' }).end();
};

const T0 = Date.UTC(2024, 4, 1, 8, 0, 0);
const air = (i: number, tags: Record<string, string> = {}): Metric => ({
  measurement: 'air',
  tags: { site: 'Rue de la Paix, 12', node: 'n1', part: 'pms5003', ...tags },
  fields: { pm25_ugm3: 10 + i, qc: 3 },
  time: T0 + i,
});

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
  it('400 partial write → partial naming exactly the refused point, found by resending halves', async () => {
    const conflict = 'field type conflict: input field "pm25_ugm3" on measurement "air" is type float, already exists as type integer';
    // Refuses the point whose pm25_ugm3 is 11 (the one of index 1), like influxd: the rest of the request is stored.
    const fake = await fakeInflux((req, res) => {
      const bad = req.body.split('\n').filter((l) => l.includes('pm25_ugm3=11,')).length;
      if (bad === 0) return void res.writeHead(204, { 'x-influxdb-version': '1.6.7' }).end();
      json(res, 400, { error: `partial write: ${conflict} dropped=${bad}` });
    });
    const out = output({ url: `${fake.url}/db` });
    const e = await rejection(out.write([air(0), air(1), air(2)]));
    expect(e.kind).toBe('partial');
    expect(e.info).toMatchObject({ dropped: 1, written: 2, status: 400, rejected: [{ index: 1, reason: conflict }] });
    expect(e.info.reason).toContain('field type conflict');
    // [0,1,2] refused → [0,1] refused → [0] stored, [1] refused → [2] stored.
    expect(fake.seen.map((s) => s.body.split('\n').length)).toEqual([3, 2, 1, 1, 1]);
    expect(out.stats()).toMatchObject({ written: 2, rejected: 1, requests: 5, bisectRequests: 4 });
  });

  it('indices in rejected refer to the batch given to write(), across batch_size requests', async () => {
    const fake = await fakeInflux((req, res) => {
      if (!req.body.includes('pm25_ugm3=13,')) return void res.writeHead(204, { 'x-influxdb-version': '1.6.7' }).end();
      json(res, 400, { error: 'partial write: field type conflict: input field "pm25_ugm3" dropped=1' });
    });
    const out = output({ url: `${fake.url}/db`, batch_size: 2 });
    const e = await rejection(out.write([{ ...air(0), fields: {} }, air(1), air(2), air(3), air(4)]));
    expect(e.info.rejected?.map((r) => r.index)).toEqual([0, 3]);
    expect(e.info).toMatchObject({ dropped: 2, written: 3 });
  });

  it('400 for the whole request (nothing parsed) → every point rejected with its own line, no resend', async () => {
    const fake = await fakeInflux((_req, res) =>
      json(res, 400, { error: "unable to parse 'x': invalid field format\nunable to parse 'y': missing field value" }),
    );
    const out = output({ url: `${fake.url}/db` });
    const e = await rejection(out.write([air(0), air(1)]));
    expect(e.kind).toBe('partial');
    expect(e.info).toMatchObject({ dropped: 2, written: 0 });
    expect(e.info.rejected).toEqual([
      { index: 0, reason: "unable to parse 'x': invalid field format" },
      { index: 1, reason: "unable to parse 'y': missing field value" },
    ]);
    expect(fake.seen).toHaveLength(1);
  });

  it('a 400 that did not come from InfluxDB (no X-Influxdb-Version: a proxy) → config, data kept', async () => {
    const fake = await fakeInflux((_req, res) => res.writeHead(400, { 'content-type': 'text/html' }).end('<h1>Bad Request</h1>'));
    const out = output({ url: `${fake.url}/db` });
    const e = await rejection(out.write([air(0), air(1)]));
    expect(e.kind).toBe('config');
    expect(e.message).toContain('X-Influxdb-Version');
    expect(fake.seen).toHaveLength(1);
    expect(out.stats()).toMatchObject({ rejected: 0, errors: 1 });
  });

  it('metrics the sanitizer drops entirely are rejected with its reason; the others are written', async () => {
    const fake = await fakeInflux(ok);
    const out = output({ url: `${fake.url}/db` });
    const e = await rejection(
      out.write([air(0), { ...air(1), fields: { pm25_ugm3: Number.NaN } }, { ...air(2), fields: { pm25_ugm3: 4, qc: 1.5 } }]),
    );
    expect(e.kind).toBe('partial');
    expect(e.info).toMatchObject({ dropped: 1, written: 2 });
    expect(e.info.rejected).toEqual([{ index: 1, reason: expect.stringContaining('no writable field left') as string }]);
    expect(fake.seen[0]?.body.split('\n')).toHaveLength(2);
    expect(out.stats()).toMatchObject({ written: 2, droppedPoints: 1, droppedFields: 2 });
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
    expect(e.info.rejected).toEqual([{ index: 1, reason: expect.stringContaining('413') as string }]);
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
      res.writeHead(204, { 'x-influxdb-version': '1.6.7' }).end();
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

  it('a batch with nothing valid left sends nothing and rejects every metric', async () => {
    const fake = await fakeInflux(ok);
    const out = output({ url: `${fake.url}/db` });
    const e = await rejection(out.write([{ ...air(0), fields: { pm25_ugm3: Number.NaN } }]));
    expect(e.info).toMatchObject({ dropped: 1, written: 0, rejected: [{ index: 0 }] });
    expect(fake.seen).toEqual([]);
    expect(out.stats()).toMatchObject({ droppedPoints: 1, droppedFields: 1, requests: 0 });
  });
});

describe('InfluxDbOutput retention policy', () => {
  const rp = { name: 'one_year', duration: '52w' };

  it('start() creates the database, then the policy; writes name it', async () => {
    const fake = await fakeInflux(ok);
    const out = output({ url: `${fake.url}/street`, retention_policy: rp });
    await out.start();
    await out.write([air(0)]);
    expect(fake.seen.map((s) => s.query.get('q') ?? `${s.path} rp=${s.query.get('rp') ?? ''}`)).toEqual([
      '/ping rp=',
      'create database "street"',
      'create retention policy "one_year" on "street" duration 52w replication 1 default',
      '/write rp=one_year',
    ]);
  });

  it('a policy of that name with other settings is kept as it is (altering could delete data)', async () => {
    const fake = await fakeInflux((req, res) => {
      const q = req.query.get('q') ?? '';
      if (q.startsWith('create retention')) return json(res, 200, { results: [{ statement_id: 0, error: 'retention policy already exists' }] });
      if (q.startsWith('show retention')) {
        const columns = ['name', 'duration', 'shardGroupDuration', 'replicaN', 'default'];
        return json(res, 200, { results: [{ statement_id: 0, series: [{ columns, values: [['one_year', '2184h0m0s', '168h0m0s', 1, true]] }] }] });
      }
      ok(req, res);
    });
    await output({ url: `${fake.url}/street`, retention_policy: rp }).start();
    expect(fake.seen.map((s) => (s.query.get('q') ?? s.path).split(' ').slice(0, 3).join(' '))).toEqual([
      '/ping',
      'create database "street"',
      'create retention policy',
      'show retention policies',
    ]);
  });

  it('with create_database false, a missing policy is a config error naming the statement to run', async () => {
    const fake = await fakeInflux((req, res) => {
      const q = req.query.get('q') ?? '';
      if (q.startsWith('show databases')) return json(res, 200, { results: [{ statement_id: 0, series: [{ name: 'databases', columns: ['name'], values: [['street']] }] }] });
      if (q.startsWith('show retention')) return json(res, 200, { results: [{ statement_id: 0, series: [{ columns: ['name'], values: [['autogen']] }] }] });
      ok(req, res);
    });
    const e = await rejection(output({ url: `${fake.url}/street`, create_database: false, retention_policy: rp }).start());
    expect(e.kind).toBe('config');
    expect(e.message).toContain('CREATE RETENTION POLICY "one_year" ON "street" DURATION 52w REPLICATION 1 DEFAULT');
  });

  it('a 5xx on write (a missing policy is a 500) → policy ensured once and resent', async () => {
    let ensured = 0;
    const fake = await fakeInflux((req, res) => {
      if (req.path === '/query') {
        if ((req.query.get('q') ?? '').startsWith('create retention')) ensured++;
        return json(res, 200, { results: [{ statement_id: 0 }] });
      }
      if (ensured === 0) return json(res, 500, { error: 'retention policy not found: one_year' });
      res.writeHead(204, { 'x-influxdb-version': '1.6.7' }).end();
    });
    const out = output({ url: `${fake.url}/street`, retention_policy: rp });
    await out.write([air(0)]);
    expect(ensured).toBe(1);
    expect(out.stats().written).toBe(1);
  });
});
