// The InfluxDB output against the real influxd started by test/services/global-setup.ts (Debian 1.6.7).
import { afterEach, describe, expect, it } from 'vitest';
import type { Metric } from '../../gateway/core/metric.js';
import { InfluxDbOutput } from '../../gateway/outputs/influxdb/index.js';
import { influxUrl } from '../services/context.js';
import { freePort } from '../services/daemon.js';
import { createTestDatabase, influxQuery, testDatabase, uniqueDatabaseName, type TestDatabase } from '../services/influx-db.js';
import { rejection, testOutput as output } from '../../gateway/outputs/influxdb/testing.js';

const made: TestDatabase[] = [];
afterEach(async () => {
  await Promise.all(made.splice(0).map((db) => db.drop()));
});

async function freshDb(): Promise<TestDatabase> {
  const db = await createTestDatabase(influxUrl(), 'out');
  made.push(db);
  return db;
}

const T0 = Date.UTC(2024, 4, 1, 8, 0, 0, 123);

const air = (time: number, tags: Partial<Record<'site' | 'node' | 'part', string>>, fields: Record<string, number>): Metric => ({
  measurement: 'air',
  tags: { site: 'paix', node: 'n1', part: 'pms5003', ...tags },
  fields,
  time,
});

describe('InfluxDbOutput → influxd', () => {
  it('stores measurement, tags, fields and millisecond timestamps', async () => {
    const db = await freshDb();
    const out = output({ url: db.url });
    await out.start();
    await out.write([
      air(T0, {}, { pm25_ugm3: 12.5, pm10_ugm3: 20.25, qc: 3 }),
      air(T0 + 1, {}, { pm25_ugm3: 13 }),
      {
        measurement: 'traffic',
        tags: { site: 'paix', detector: 'loop1', lane: '1', direction: 'north' },
        fields: { vehicles: 42, interval_s: 60 },
        time: T0,
      },
    ]);
    expect(await db.rows('SELECT * FROM air')).toEqual([
      { time: T0, site: 'paix', node: 'n1', part: 'pms5003', pm25_ugm3: 12.5, pm10_ugm3: 20.25, qc: 3 },
      { time: T0 + 1, site: 'paix', node: 'n1', part: 'pms5003', pm25_ugm3: 13, pm10_ugm3: null, qc: null },
    ]);
    expect(await db.rows('SELECT * FROM traffic')).toEqual([
      { time: T0, site: 'paix', detector: 'loop1', lane: '1', direction: 'north', vehicles: 42, interval_s: 60 },
    ]);
    // qc is an integer bit mask (DESIGN.md §3); the quantities are floats.
    expect(await db.rows('SHOW FIELD KEYS FROM air')).toEqual([
      { fieldKey: 'pm10_ugm3', fieldType: 'float' },
      { fieldKey: 'pm25_ugm3', fieldType: 'float' },
      { fieldKey: 'qc', fieldType: 'integer' },
    ]);
    expect(out.stats()).toMatchObject({ written: 3, rejected: 0, errors: 0 });
  });

  it('writes awkward tag values without a 400 and without injecting a measurement', async () => {
    const db = await freshDb();
    const out = output({ url: db.url });
    const sites = ['Rue de la Paix, 12', 'Straße ü', 'north\nfake v=1', 'C:\\path\\', 'a\\ b', 'x\\y', 'k=v "q"'];
    await out.write([
      ...sites.map((site, i) => air(T0 + i, { site }, { pm25_ugm3: i })),
      air(T0 + 100, { site: 'empty-node', node: '' }, { pm25_ugm3: 100 }),
    ]);
    expect(await db.rows('SHOW MEASUREMENTS')).toEqual([{ name: 'air' }]);
    const rows = await db.rows('SELECT pm25_ugm3, site, node FROM air');
    expect(rows.map((r) => r.site)).toEqual([
      'Rue de la Paix, 12',
      'Straße ü',
      'north fake v=1',
      'C:\\path',
      'a b',
      'x\\y',
      'k=v "q"',
      'empty-node',
    ]);
    expect(rows.map((r) => r.pm25_ugm3)).toEqual([0, 1, 2, 3, 4, 5, 6, 100]);
    // The empty node tag was dropped, not written as "".
    expect(rows[7]?.node).toBeNull();
    expect(out.stats()).toMatchObject({ written: 8, droppedTags: 1, rejected: 0 });
  });

  it('replaying the same points leaves one point each (idempotent replay)', async () => {
    const db = await freshDb();
    const out = output({ url: db.url });
    const batch = [air(T0, {}, { pm25_ugm3: 10, pm10_ugm3: 20 }), air(T0 + 1000, {}, { pm25_ugm3: 11, pm10_ugm3: 21 })];
    await out.write(batch);
    await out.write(batch);
    expect(await db.rows('SELECT count(pm25_ugm3) FROM air')).toEqual([{ time: 0, count: 2 }]);
    expect((await db.rows('SELECT * FROM air')).map((r) => r.pm25_ugm3)).toEqual([10, 11]);
  });

  it('a field type conflict → partial, with the good points stored', async () => {
    const db = await freshDb();
    // pm25_ugm3 already exists as an integer in this shard (written by someone else).
    const res = await fetch(`${influxUrl()}/write?db=${db.name}&precision=ms`, {
      method: 'POST',
      body: `air,site=other,node=x,part=y pm25_ugm3=5i ${T0 - 1}`,
    });
    expect(res.status).toBe(204);
    const out = output({ url: db.url });
    const e = await rejection(
      out.write([
        air(T0, {}, { no2_ppb: 17 }),
        air(T0 + 1, {}, { pm25_ugm3: 12.5 }),
        air(T0 + 2, {}, { no2_ppb: 18 }),
        { measurement: 'aqi', tags: { site: 'paix', scheme: 'eaqi' }, fields: { level: 2 }, time: T0 },
      ]),
    );
    expect(e.kind).toBe('partial');
    expect(e.info).toMatchObject({ dropped: 1, written: 3, status: 400 });
    expect(e.info.reason).toContain('field type conflict');
    expect(await db.rows('SELECT no2_ppb FROM air WHERE site = \'paix\'')).toEqual([
      { time: T0, no2_ppb: 17 },
      { time: T0 + 2, no2_ppb: 18 },
    ]);
    expect(await db.rows('SELECT level FROM aqi')).toEqual([{ time: T0, level: 2 }]);
    expect(await db.rows('SELECT pm25_ugm3 FROM air WHERE site = \'paix\'')).toEqual([]);
    expect(out.stats()).toMatchObject({ written: 3, rejected: 1 });
  });

  it('a dead URL (closed port) → retry', async () => {
    const port = await freePort();
    const out = output({ url: `http://127.0.0.1:${port}/airlane`, timeout_ms: 2000 });
    expect((await rejection(out.start())).kind).toBe('retry');
    const e = await rejection(out.write([air(T0, {}, { pm25_ugm3: 1 })]));
    expect(e.kind).toBe('retry');
    expect(e.message).toContain(`127.0.0.1:${port}`);
  });

  it('a missing database with create_database false → config (start and write)', async () => {
    const name = uniqueDatabaseName('missing');
    const db = testDatabase(influxUrl(), name);
    const out = output({ url: db.url, create_database: false });
    const atStart = await rejection(out.start());
    expect(atStart.kind).toBe('config');
    expect(atStart.message).toContain(`database "${name}" does not exist`);
    const atWrite = await rejection(out.write([air(T0, {}, { pm25_ugm3: 1 })]));
    expect(atWrite.kind).toBe('config');
    expect(atWrite.info.status).toBe(404);
    const names = (await influxQuery(influxUrl(), 'SHOW DATABASES'))[0]?.values.flat() ?? [];
    expect(names).not.toContain(name);
  });

  it('creates a missing database when allowed (at start and when it disappears)', async () => {
    const db = testDatabase(influxUrl(), uniqueDatabaseName('created'));
    made.push(db);
    const out = output({ url: db.url });
    await out.start();
    await db.drop();
    await out.write([air(T0, {}, { pm25_ugm3: 7 })]);
    expect(await db.rows('SELECT pm25_ugm3 FROM air')).toEqual([{ time: T0, pm25_ugm3: 7 }]);
  });
});

// Item 2 of issue #5: a 400 names exactly the refused points (found by resending halves), retention policies.
describe('InfluxDbOutput → influxd: refused points and retention policies', () => {
  const conflict = (field: string): string =>
    `field type conflict: input field "${field}" on measurement "air" is type float, already exists as type integer`;

  /** Makes `field` an integer in this database's current shard, so a float write of it is refused. */
  async function preCreateInteger(db: TestDatabase, field: string): Promise<void> {
    const res = await fetch(`${influxUrl()}/write?db=${db.name}&precision=ms`, {
      method: 'POST',
      body: `air,site=other,node=x,part=y ${field}=5i ${T0 - 1}`,
    });
    expect(res.status).toBe(204);
  }

  /** 100 readings of no2_ppb at 1 s steps; the points at `bad` also carry the conflicting float field. */
  const hundred = (bad: Record<number, string>): Metric[] =>
    Array.from({ length: 100 }, (_, i) => {
      const extra = bad[i];
      return air(T0 + i * 1000, {}, extra ? { no2_ppb: i, [extra]: 1.5 } : { no2_ppb: i });
    });

  it('one field type conflict in a batch of 100 → rejected holds just its index; the 99 others are stored', async () => {
    const db = await freshDb();
    await preCreateInteger(db, 'pm25_ugm3');
    const out = output({ url: db.url });
    const e = await rejection(out.write(hundred({ 37: 'pm25_ugm3' })));
    expect(e.kind).toBe('partial');
    expect(e.info).toMatchObject({ dropped: 1, written: 99, rejected: [{ index: 37, reason: conflict('pm25_ugm3') }] });
    const stored = await db.rows("SELECT no2_ppb FROM air WHERE site = 'paix'");
    expect(stored.map((r) => r.no2_ppb)).toEqual(Array.from({ length: 100 }, (_, i) => i).filter((i) => i !== 37));
    // Bisection (bisect.ts): the first request; [0..49] refused; [0..24] stored so [25..49] is split unsent;
    // [25..37] refused; [25..31] stored so [32..37] split unsent; [32..34], [35,36] stored; [37] alone, refused;
    // back up: [38..49] and [50..99] stored. 1 + 9 requests.
    expect(out.stats()).toMatchObject({ requests: 10, bisectRequests: 9, written: 99, rejected: 1 });
  });

  it('two bad points with different conflicts → both indices, each with its own reason', async () => {
    const db = await freshDb();
    await preCreateInteger(db, 'pm25_ugm3');
    await preCreateInteger(db, 'pm10_ugm3');
    const out = output({ url: db.url });
    const e = await rejection(out.write(hundred({ 5: 'pm25_ugm3', 80: 'pm10_ugm3' })));
    expect(e.info.rejected).toEqual([
      { index: 5, reason: conflict('pm25_ugm3') },
      { index: 80, reason: conflict('pm10_ugm3') },
    ]);
    expect(e.info).toMatchObject({ dropped: 2, written: 98 });
    const stored = await db.rows("SELECT no2_ppb FROM air WHERE site = 'paix'");
    expect(stored).toHaveLength(98);
    expect(stored.map((r) => r.no2_ppb)).not.toContain(5);
    expect(stored.map((r) => r.no2_ppb)).not.toContain(80);
    // At most two requests per halving step (7 for 100 points) per bad point.
    expect(out.stats().bisectRequests).toBeLessThanOrEqual(2 * 7 * 2);
  });

  it('creates the retention policy with the database, idempotently, and writes land in it', async () => {
    const db = testDatabase(influxUrl(), uniqueDatabaseName('rp'));
    made.push(db);
    const options = { url: db.url, retention_policy: { name: 'one_year', duration: '52w' } };
    await output(options).start();
    const out = output(options);
    await out.start(); // a second start (a restart) changes nothing
    expect(await db.rows('SHOW RETENTION POLICIES')).toEqual([
      { name: 'autogen', duration: '0s', shardGroupDuration: '168h0m0s', replicaN: 1, default: false },
      { name: 'one_year', duration: '8736h0m0s', shardGroupDuration: '168h0m0s', replicaN: 1, default: true },
    ]);
    // Points inside the policy's 52 weeks: a recent time, whole seconds.
    const now = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    await out.write([air(now, {}, { pm25_ugm3: 1 }), air(now + 1000, {}, { pm25_ugm3: 2 })]);
    expect(await db.rows('SELECT pm25_ugm3 FROM "one_year"."air"')).toEqual([
      { time: now, pm25_ugm3: 1 },
      { time: now + 1000, pm25_ugm3: 2 },
    ]);
    expect(await db.rows('SELECT pm25_ugm3 FROM "autogen"."air"')).toEqual([]);
    // A backlog older than the policy can never be stored in it: rejected (dead letters), not retried.
    const e = await rejection(out.write([air(T0, {}, { pm25_ugm3: 3 }), air(now + 2000, {}, { pm25_ugm3: 4 })]));
    expect(e.info.rejected).toEqual([{ index: 0, reason: 'points beyond retention policy' }]);
    expect((await db.rows('SELECT pm25_ugm3 FROM "one_year"."air"')).map((r) => r.pm25_ugm3)).toEqual([1, 2, 4]);
  });

  it('a retention policy dropped while running is created again on the next write (a 500 on the wire)', async () => {
    const db = testDatabase(influxUrl(), uniqueDatabaseName('rp'));
    made.push(db);
    const out = output({ url: db.url, retention_policy: { name: 'week', duration: '7d', default: false } });
    await out.start();
    await db.query('DROP RETENTION POLICY "week" ON "' + db.name + '"');
    const now = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    await out.write([air(now, {}, { pm25_ugm3: 9 })]);
    expect(await db.rows('SELECT pm25_ugm3 FROM "week"."air"')).toEqual([{ time: now, pm25_ugm3: 9 }]);
  });

  it('a missing retention policy with create_database false → config at start, retry (500) on write', async () => {
    const db = await freshDb();
    const out = output({ url: db.url, create_database: false, retention_policy: { name: 'nope', duration: '1d' } });
    const atStart = await rejection(out.start());
    expect(atStart.kind).toBe('config');
    expect(atStart.message).toContain(`CREATE RETENTION POLICY "nope" ON "${db.name}" DURATION 1d REPLICATION 1 DEFAULT`);
    const atWrite = await rejection(out.write([air(Date.now(), {}, { pm25_ugm3: 1 })]));
    expect(atWrite.kind).toBe('retry');
    expect(out.stats()).toMatchObject({ written: 0, rejected: 0, errors: 1 });
  });
});
