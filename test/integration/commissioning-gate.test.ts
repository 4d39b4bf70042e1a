// With mqtt.require_commissioning, the gateway takes a remote node's readings only once `airlane commission` has
// published a passing record for it: before that they are refused with the reason, after it they land.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { mqttUrl } from '../services/context.js';
import { parseStation } from '../../gateway/config/load.js';
import { startStation, type Station } from '../../gateway/station.js';
import { silentLogger } from '../../gateway/core/log.js';
import { until } from '../fakes/until.js';

describe('commissioning gate for remote nodes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'airlane-gate-'));
  let station: Station | undefined;

  afterAll(async () => {
    await station?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses readings from a node until a passing commissioning record is on the broker', async () => {
    const site = `gate-${Date.now()}`;
    station = await startStation(
      parseStation(JSON.stringify({ site, gateway: 'gw', data_dir: join(dir, 'data'), http: { port: 0 }, mqtt: { url: mqttUrl(), require_commissioning: true } }), 'gate.test', {}),
      silentLogger,
    );
    const client = await mqtt.connectAsync(mqttUrl(), { clientId: `gate-node-${Date.now()}` });
    const reading = (ms: number) => JSON.stringify({ v: 1, site, node: 'pole-7', part: 'pms5003', time: new Date(Date.UTC(2026, 10, 25, 8, 0, 0, ms)).toISOString(), clock: 'ntp', values: { pm25_ugm3: 10 } });
    const topic = `airlane/v1/${site}/pole-7/reading`;

    await client.publishAsync(topic, reading(1), { qos: 1 });
    await until('the refusal', () => (station!.pipeline.stats.rejected.get('mqtt') === 1 ? true : undefined));
    expect(station.pipeline.stats.accepted).toBe(0);

    await client.publishAsync(`airlane/v1/${site}/pole-7/commissioning`, JSON.stringify({ site, node: 'pole-7', pass: true, parts: {}, time: new Date().toISOString(), by: 'ana' }), { qos: 1, retain: true });
    await client.publishAsync(topic, reading(2), { qos: 1 });
    await until('the reading after commissioning', () => (station!.pipeline.stats.accepted === 1 ? true : undefined));

    // A failed re-commissioning closes the gate again.
    await client.publishAsync(`airlane/v1/${site}/pole-7/commissioning`, JSON.stringify({ site, node: 'pole-7', pass: false }), { qos: 1, retain: true });
    await client.publishAsync(topic, reading(3), { qos: 1 });
    await until('the second refusal', () => (station!.pipeline.stats.rejected.get('mqtt') === 2 ? true : undefined));
    expect(station.pipeline.stats.accepted).toBe(1);
    await client.publishAsync(`airlane/v1/${site}/pole-7/commissioning`, '', { qos: 1, retain: true });
    await client.endAsync();
  });
});
