// Issue #5, "Done when": a gateway killed with SIGKILL while a remote node publishes QoS 1 readings, and restarted
// on the same data dir, ends with every reading in InfluxDB exactly once. The real CLI runs as its own process
// against a private Mosquitto with persistence (the gateway's persistent session and its queued messages
// survive) and the shared InfluxDB; a remote node (MQTT.js, persistent session, QoS 1) publishes numbered
// readings while the gateway is killed three times at seeded instants and restarted on the same data dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { influxUrl } from '../services/context.js';
import { createTestDatabase, type Row, type TestDatabase } from '../services/influx-db.js';
import { startMosquitto, type MosquittoService } from '../services/mosquitto.js';
import { startGatewayProcess, writeStationFile, type GatewayProcess } from '../fakes/gateway-process.js';
import { rng } from '../chaos/rng.js';
import type { Reading } from '../../gateway/core/reading.js';
import { exactlyOnce } from '../fakes/exactly-once.js';

const SITE = 'kill-restart';
const NODES = ['pole-a', 'pole-b', 'pole-c'] as const;
const N = 3000;
const KILLS = 3;
/** Readings per publishing tick; with TICK_MS this paces the node at ~600 readings/s, ~5 s for N. */
const PER_TICK = 12;
const TICK_MS = 20;
// Fixed, so the expected data is the same on every run; the seed only moves the kill instants.
const BASE = Date.parse('2026-11-01T00:00:00.000Z');
const SEED = Number(process.env.AIRLANE_TEST_SEED ?? 5);

/** Reading number i: its own node, a distinct timestamp and values that follow from i. */
function reading(i: number): Reading {
  return {
    v: 1,
    site: SITE,
    node: NODES[i % NODES.length]!,
    part: 'pms5003',
    time: new Date(BASE + i * 1000).toISOString(),
    clock: 'ntp',
    // Multiples of 1/4: exact in binary, so equality after JSON → line protocol → InfluxDB → JSON is exact.
    values: { pm25_ugm3: (i % 400) / 4, pm10_ugm3: i / 4 },
  };
}

/** Kill points: reading numbers in [150, N − 150], at least 300 apart, from the seed. */
function killPoints(seed: number): number[] {
  const r = rng(seed);
  for (;;) {
    const points = Array.from({ length: KILLS }, () => r.int(150, N - 150)).sort((a, b) => a - b);
    if (points.every((p, j) => j === 0 || p - points[j - 1]! >= 300)) return points;
  }
}

/** Names what InfluxDB holds wrongly against what was sent; empty when every reading is there exactly once. */
function compare(rows: Row[]): string[] {
  return exactlyOnce(Array.from({ length: N }, (_, i) => reading(i)), rows);
}

describe('a gateway killed with SIGKILL while a remote node publishes QoS 1', () => {
  let broker: MosquittoService;
  let db: TestDatabase;
  let dir: string;
  const gateways: GatewayProcess[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'airlane-kill-restart-'));
    // Unlimited queue per offline session: Mosquitto's default of 1000 would drop readings while the gateway
    // restarts, which is the broker's limit, not the gateway's.
    broker = await startMosquitto({ dataDir: join(dir, 'mosquitto'), extraConfig: ['max_queued_messages 0'] });
    db = await createTestDatabase(influxUrl(), 'killrestart');
  });

  afterAll(async () => {
    for (const g of gateways) await g.kill9();
    await broker?.stop();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ends with every reading in InfluxDB exactly once, with its values, after 3 kills and restarts', async () => {
    const points = killPoints(SEED);
    console.log(`kill-restart: seed ${SEED} (AIRLANE_TEST_SEED), SIGKILL after readings ${points.join(', ')} of ${N}`);
    const { file } = writeStationFile({
      dir: join(dir, 'gateway'),
      site: SITE,
      gateway: 'central',
      mqttUrl: broker.url,
      subscribe: true,
      influx: { url: influxUrl(), database: db.name, flush_interval_ms: 200 },
    });
    // The first start subscribes the persistent session: from then on the broker keeps what the gateway misses.
    let gateway = await startGatewayProcess(file, { label: 'gateway #1' });
    gateways.push(gateway);

    const node = await mqtt.connectAsync(broker.url, { clientId: 'kill-restart-node', clean: false, reconnectPeriod: 500 });
    const acks: Promise<unknown>[] = [];
    let restarting: Promise<void> = Promise.resolve();
    const kills: string[] = [];
    for (let i = 0, k = 0; i < N; ) {
      for (const end = Math.min(N, i + PER_TICK); i < end; i++) {
        const r = reading(i);
        acks.push(node.publishAsync(`airlane/v1/${SITE}/${r.node}/reading`, JSON.stringify(r), { qos: 1 }));
        if (i + 1 === points[k]) {
          // The previous restart must be done, so each kill hits a running gateway (often one draining its backlog).
          await restarting;
          await gateway.kill9();
          kills.push(`after reading ${i + 1}: gateway #${gateways.length} (pid ${gateway.pid}) killed`);
          k++;
          restarting = startGatewayProcess(file, { label: `gateway #${gateways.length + 1}` }).then((g) => {
            gateway = g;
            gateways.push(g);
          });
        }
      }
      await new Promise((r) => setTimeout(r, TICK_MS));
    }
    // Every reading is on the broker (PUBACK) before the gateway's share is checked.
    await Promise.all(acks);
    await node.endAsync();
    await restarting;
    console.log(`kill-restart: ${kills.join('; ')}`);
    expect(kills).toHaveLength(KILLS);
    expect(gateways).toHaveLength(KILLS + 1);

    // Wait for the last gateway to bring everything in (bounded: a lost reading must fail, not hang).
    const query = `SELECT pm25_ugm3, pm10_ugm3, site, node, part FROM air WHERE site = '${SITE}'`;
    let rows: Row[] = [];
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      rows = await db.rows(query);
      if (rows.length >= N && (await gateway.stats()).queued.influxdb === 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const problems = compare(rows);
    expect(problems, `InfluxDB holds ${rows.length} of ${N} readings:\n${problems.join('\n')}\nlast gateway's log:\n${gateway.stderrTail()}`).toEqual([]);
    // Per node too, so a failure message names the node.
    for (const n of NODES) {
      const sent = Array.from({ length: N }, (_, i) => reading(i)).filter((r) => r.node === n).map((r) => Date.parse(r.time));
      expect(rows.filter((r) => r.node === n).map((r) => Number(r.time)).sort((a, b) => a - b), `timestamps of ${n}`).toEqual(sent);
    }

    const stats = await gateway.stats();
    expect(stats.rejected, 'rejections counted by the last gateway').toEqual({});
    expect(stats.dropped, 'points dropped by the last gateway').toEqual({});
    // Earlier gateways died with their counters: their logs must not show a refusal either.
    const refusals = gateways.flatMap((g, j) => g.stderr().split('\n').filter((l) => l.includes('rejected input')).map((l) => `gateway #${j + 1}: ${l}`));
    expect(refusals).toEqual([]);
    expect(await gateway.stop(), `exit code of the last gateway on SIGINT; log:\n${gateway.stderrTail()}`).toBe(0);
  }, 90_000);
});
