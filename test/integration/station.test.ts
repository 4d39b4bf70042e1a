// A whole simulated station against the real services: PMS5003 frames through a socat pty, BME280 and
// NO2-B43F over the (simulated) I2C bus, vehicle pulses from a simulated Arduino over Firmata on a pty, all
// through the gateway into a real InfluxDB 1.x and a real Mosquitto — plus a remote node's reading published on
// the broker. Checks measurements, tags, timestamps and the local API.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { influxUrl, mqttUrl } from '../services/context.js';
import { createTestDatabase, type TestDatabase } from '../services/influx-db.js';
import { parseStation } from '../../gateway/config/load.js';
import { startStation, type Station } from '../../gateway/station.js';
import { silentLogger } from '../../gateway/core/log.js';
import { fastSimulatedNode } from '../fakes/simulated-station.js';
import { until } from '../fakes/until.js';

const SITE = 'Rue de la Paix, 12';

describe('a simulated station end to end', () => {
  let db: TestDatabase;
  let station: Station;
  let dataDir: string;
  const started = Date.now();

  beforeAll(async () => {
    db = await createTestDatabase(influxUrl(), 'station');
    dataDir = mkdtempSync(join(tmpdir(), 'airlane-station-'));
    const config = parseStation(
      JSON.stringify({
        site: SITE,
        gateway: 'gw-test',
        simulate: true,
        data_dir: dataDir,
        http: { port: 0 },
        nodes: [fastSimulatedNode('pole-1', 0.5, 300)],
        counters: [{ id: 'crossing-1', type: 'firmata', counter: { interval_s: 1, detectors: [{ detector: 'loop-n', lane: '1', direction: 'north', pin: 2 }] } }],
        windows: { grace_s: 1 },
        self_report: { interval_s: 1 },
      }),
      'station.test',
      { AIRLANE_INFLUX_URL: db.url, AIRLANE_MQTT_URL: mqttUrl() },
    );
    config.influxdb!.flush_interval_ms = 200;
    station = await startStation(config, silentLogger);
  });

  afterAll(async () => {
    await station?.stop();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes PM2.5 from the PMS5003 with the site, node and part tags and millisecond timestamps', async () => {
    const rows = await until('pms5003 points', async () => {
      const r = await db.rows(`SELECT pm25_ugm3, pm10_ugm3, site, node FROM air WHERE part = 'pms5003'`);
      return r.length >= 3 ? r : undefined;
    });
    for (const row of rows) {
      expect(row.site).toBe(SITE);
      expect(row.node).toBe('pole-1');
      expect(typeof row.pm25_ugm3).toBe('number');
      expect(row.pm10_ugm3 as number).toBeGreaterThanOrEqual(row.pm25_ugm3 as number);
      expect(row.time as number).toBeGreaterThanOrEqual(started);
      expect(row.time as number).toBeLessThanOrEqual(Date.now());
    }
    // Timestamps are the frames' own, a few hundred ms apart, not one arrival batch.
    const times = rows.map((r) => r.time as number);
    expect(new Set(times).size).toBe(times.length);
  });

  it('reports its own health: the gateway measurement in InfluxDB, /metrics and /healthz', async () => {
    const rows = await until('gateway points for the influxdb output', async () => {
      const r = await db.rows(`SELECT written, queued, errors FROM gateway WHERE output = 'influxdb'`);
      return r.some((x) => (x.written as number) > 0) ? r : undefined;
    });
    expect(rows.every((r) => typeof r.queued === 'number' && r.errors === 0)).toBe(true);
    const [whole] = await db.rows(`SELECT accepted, parts_ok, parts_faulted FROM gateway WHERE output = '' ORDER BY time DESC LIMIT 1`);
    expect(whole!.accepted as number).toBeGreaterThan(0);
    expect(whole!.parts_faulted).toBe(0);

    const metrics = await (await fetch(`${station.httpUrl}metrics`)).text();
    const written = metrics.split('\n').find((l) => l.startsWith('airlane_output_written_total{') && l.includes('output="influxdb"'));
    expect(written ?? '').toMatch(/\} [1-9]\d*$/);
    expect(metrics).toContain(`airlane_part_state{site="${SITE}",gateway="gw-test",node="pole-1",part="pms5003",state="faulted"} 0`);
    expect(metrics).toContain('airlane_outbox_writable{site="Rue de la Paix, 12",gateway="gw-test"} 1');
    const healthz = await fetch(`${station.httpUrl}healthz`);
    expect(healthz.status).toBe(200);
    expect(((await healthz.json()) as { status: string }).status).toBe('ok');
  });

  it('writes NO2 corrected with the BME280 temperature, in ppb and µg/m³ at 20 °C', async () => {
    const [row] = await until('no2 points', async () => {
      const r = await db.rows(`SELECT no2_ppb, no2_ugm3, we_mv, ae_mv FROM air WHERE part = 'no2-b43f' AND node = 'pole-1' LIMIT 1`);
      return r.length ? r : undefined;
    });
    expect(row!.no2_ppb as number).toBeGreaterThan(0);
    expect(row!.no2_ugm3 as number).toBeCloseTo((row!.no2_ppb as number) * 1.9125, 6);
    const [t] = await db.rows(`SELECT temperature_c FROM air WHERE part = 'bme280' LIMIT 1`);
    expect(t?.temperature_c).toEqual(expect.any(Number));
  });

  it('writes traffic counts stamped with the interval start, per detector and lane', async () => {
    const rows = await until('traffic points', async () => {
      const r = await db.rows(`SELECT vehicles, interval_s, site, detector, lane, direction FROM traffic`);
      return r.length >= 2 ? r : undefined;
    });
    for (const row of rows) {
      expect(row).toMatchObject({ site: SITE, detector: 'loop-n', lane: '1', direction: 'north', interval_s: 1 });
      expect((row.time as number) % 1000).toBe(0);
      expect(Number.isInteger(row.vehicles)).toBe(true);
    }
  });

  it('joins air and traffic per window into air_traffic, late data included', async () => {
    // Readings and a count for a minute five minutes ago (a replayed backlog): the window is computed on the next
    // tick, from exactly these values (the live parts measure now, outside that minute).
    const minute = Math.floor((Date.now() - 5 * 60_000) / 60_000) * 60_000;
    for (const [s, pm25] of [[10, 10], [20, 20], [30, 30]] as const) {
      station.local.reading({ v: 1, site: SITE, node: 'pole-late', part: 'pms5003', time: new Date(minute + s * 1000).toISOString(), clock: 'ntp', values: { pm25_ugm3: pm25, pm10_ugm3: pm25 + 5 } });
    }
    station.local.traffic({ v: 1, site: SITE, detector: 'loop-late', lane: '1', direction: 'north', time: new Date(minute).toISOString(), interval_s: 60, values: { vehicles: 12, heavy_vehicles: 2 } });
    const [row] = await until('the late minute in air_traffic', async () => {
      const r = await db.rows(`SELECT * FROM air_traffic WHERE "window" = '1m' AND time = ${minute}ms`);
      return r.length ? r : undefined;
    });
    expect(row).toMatchObject({ site: SITE, window: '1m', pm25_ugm3: 20, pm10_ugm3: 25, vehicles: 12, heavy_vehicles: 2, air_samples: 3, completeness_pct: 100 });
  });

  it('takes in a remote node\'s reading from the broker, at its own timestamp', async () => {
    const reading = { v: 1, site: SITE, node: 'pole-9', part: 'pms5003', time: '2026-11-25T08:00:00.123Z', clock: 'ntp', values: { pm25_ugm3: 42.5 } };
    const client = await mqtt.connectAsync(mqttUrl(), { clientId: 'remote-node-test' });
    await client.publishAsync(`airlane/v1/${SITE}/pole-9/reading`, JSON.stringify(reading), { qos: 1 });
    await client.publishAsync(`airlane/v1/${SITE}/pole-9/reading`, '{"v":1,"site":"broken"', { qos: 1 });
    await client.endAsync();
    const [row] = await until('the remote reading', async () => {
      const r = await db.rows(`SELECT pm25_ugm3, node, part FROM air WHERE node = 'pole-9'`);
      return r.length ? r : undefined;
    });
    expect(row).toEqual({ time: Date.parse(reading.time), pm25_ugm3: 42.5, node: 'pole-9', part: 'pms5003' });
    await until('the broken payload to be counted', async () => (station.pipeline.stats.rejected.size ? true : undefined));
    expect(Object.fromEntries(station.pipeline.stats.rejected)).toEqual({ mqtt: 1 });
  });

  it('publishes its own readings on the broker in the Reading contract', async () => {
    const client = await mqtt.connectAsync(mqttUrl(), { clientId: 'listener-test' });
    const got = new Promise<{ topic: string; body: Record<string, unknown> }>((resolve) =>
      client.on('message', (topic, payload) => resolve({ topic, body: JSON.parse(payload.toString()) as Record<string, unknown> })),
    );
    await client.subscribeAsync(`airlane/v1/${SITE}/pole-1/reading`, { qos: 1 });
    const { topic, body } = await got;
    await client.endAsync();
    expect(topic).toBe(`airlane/v1/${SITE}/pole-1/reading`);
    expect(body).toMatchObject({ v: 1, site: SITE, node: 'pole-1', clock: 'ntp' });
    expect(body.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('serves the latest values on /api/v1/latest and the page on /', async () => {
    const latest = (await (await fetch(`${station.httpUrl}api/v1/latest`)).json()) as { sites: Record<string, any> };
    const site = latest.sites[SITE];
    expect(site.nodes['pole-1'].pms5003.pm25_ugm3.value).toEqual(expect.any(Number));
    expect(site.nodes['pole-1']['no2-b43f'].no2_ppb.value).toEqual(expect.any(Number));
    expect(site.detectors['loop-n']['1'].vehicles.value).toEqual(expect.any(Number));
    const page = await fetch(station.httpUrl);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('api/v1/latest');
  });
});
