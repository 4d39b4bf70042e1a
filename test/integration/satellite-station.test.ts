// An Arduino satellite end to end: a virtual Arduino Nano running ConfigurableFirmata, carrying a PMS5003 on a
// software serial port, a BME280 on its I2C bus and a loop detector on pin 2, driven from the gateway over a socat
// pty with johnny-five — readings and counts land in a real InfluxDB with the satellite node's tags.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { influxUrl } from '../services/context.js';
import { createTestDatabase, type TestDatabase } from '../services/influx-db.js';
import { parseStation } from '../../gateway/config/load.js';
import { startStation, type Station } from '../../gateway/station.js';
import { silentLogger } from '../../gateway/core/log.js';
import { until } from '../fakes/until.js';

describe('an Arduino satellite node into InfluxDB', () => {
  let db: TestDatabase;
  let station: Station;
  const dir = mkdtempSync(join(tmpdir(), 'airlane-satellite-'));

  beforeAll(async () => {
    db = await createTestDatabase(influxUrl(), 'satellite');
    const config = parseStation(
      `
site: satellite-street
simulate: true
data_dir: ${join(dir, 'data')}
http: { port: 0 }
embedded_broker_port: 0
nodes:
  - id: pole-2-nano
    board: { type: firmata, port: /dev/ttyUSB0 }
    parts:
      - part: pms5003
        bus: { type: firmata-serial, port_id: 8, rx_pin: 10, tx_pin: 11 }
        options: { sim_interval_ms: 300, warmup_s: 0 }
      - part: bme280
        bus: { type: firmata-i2c }
        every_s: 0.5
counters:
  - id: crossing-2
    type: firmata
    node: pole-2-nano
    counter:
      interval_s: 1
      detectors:
        - { detector: loop-s, lane: "1", direction: south, pin: 2 }
`,
      'satellite.test',
      { AIRLANE_INFLUX_URL: db.url },
    );
    config.influxdb!.flush_interval_ms = 200;
    station = await startStation(config, silentLogger);
  });

  afterAll(async () => {
    await station?.stop();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes PM from the PMS5003 on Firmata serial with the satellite node tag', async () => {
    const rows = await until('PM from the satellite', async () => {
      const r = await db.rows(`SELECT pm25_ugm3, pm10_ugm3 FROM air WHERE node = 'pole-2-nano' AND part = 'pms5003'`);
      return r.length >= 3 ? r : undefined;
    });
    for (const row of rows) {
      expect(Number.isInteger(row.pm25_ugm3)).toBe(true);
      expect(row.pm10_ugm3 as number).toBeGreaterThanOrEqual(row.pm25_ugm3 as number);
    }
  });

  it('writes the BME280 read through Firmata I2C', async () => {
    const [row] = await until('BME280 through Firmata', async () => {
      const r = await db.rows(`SELECT temperature_c, humidity_pct, pressure_hpa FROM air WHERE node = 'pole-2-nano' AND part = 'bme280' LIMIT 1`);
      return r.length ? r : undefined;
    });
    expect(row!.temperature_c as number).toBeGreaterThan(-40);
    expect(row!.temperature_c as number).toBeLessThan(60);
    expect(row!.pressure_hpa as number).toBeGreaterThan(900);
  });

  it('counts vehicles on the same Arduino\'s pin 2, stamped with interval starts', async () => {
    const rows = await until('traffic from the satellite', async () => {
      const r = await db.rows(`SELECT vehicles, interval_s FROM traffic WHERE detector = 'loop-s'`);
      return r.length >= 2 ? r : undefined;
    });
    for (const row of rows) {
      expect(row.interval_s).toBe(1);
      expect((row.time as number) % 1000).toBe(0);
      expect(Number.isInteger(row.vehicles)).toBe(true);
    }
  });

  it('reports every satellite part ok in the node status', async () => {
    const status = await until('part status', async () => {
      const s = station.statusSnapshot().nodes['pole-2-nano'] as Record<string, { state: string }> | undefined;
      return s?.pms5003?.state === 'ok' && s.bme280?.state === 'ok' ? s : undefined;
    });
    expect(Object.keys(status).sort()).toEqual(['bme280', 'pms5003']);
  });
});
