// Issue #5, "What to build" 4: remote nodes buffer on their own disk while the broker is away, and replay in
// order. A remote station (its own `airlane gateway` process, simulated parts, no InfluxDB, `subscribe: false`)
// publishes its readings from its outbox to a private Mosquitto; a central gateway process takes them into
// InfluxDB. Mosquitto is stopped for 10 s while the remote station keeps measuring — and the remote station is
// killed with SIGKILL in the middle of it and started again, so its buffer must be on disk, not in memory — then
// Mosquitto is started again on the same port and data dir. Every reading made must arrive, in order, each once
// in InfluxDB; the only grid instants allowed to be empty are those while the remote process was dead.
//
// The parts average over aligned windows (`average_s` = `every_s`): their readings are stamped at exact multiples
// of every_s (firmware/node/runtime.ts scheduleCycle), so "no gap" is checked exactly — every grid instant from
// the first reading to the last is there — instead of against a timing threshold.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { influxUrl } from '../services/context.js';
import { createTestDatabase, type Row, type TestDatabase } from '../services/influx-db.js';
import { startMosquitto, type MosquittoService } from '../services/mosquitto.js';
import { startGatewayProcess, writeStationFile, type GatewayProcess } from '../fakes/gateway-process.js';
import { until } from '../fakes/until.js';
import type { Reading } from '../../gateway/core/reading.js';

const SITE = 'remote-buffer';
const NODE = 'pole-remote';
const EVERY_S = 2;
const STEP_MS = EVERY_S * 1000;
const OUTAGE_MS = 10_000;
const PARTS = ['pms5003', 'sds011'] as const;

const remoteNode = {
  id: NODE,
  parts: [
    {
      part: 'pms5003',
      bus: { type: 'uart', path: '/dev/ttyAMA0' },
      every_s: EVERY_S,
      average_s: EVERY_S,
      duty_cycle: false,
      options: { sim_interval_ms: 200, warmup_s: 0 },
    },
    { part: 'sds011', bus: { type: 'uart', path: '/dev/ttyUSB0' }, every_s: EVERY_S, average_s: EVERY_S, duty_cycle: false, options: { warmup_s: 0 } },
  ],
};

interface Arrival {
  part: string;
  time: number;
  values: Record<string, number>;
}

/** Problems in one part's arrival sequence: times going back (reordered) or repeated (duplicated). */
function orderProblems(arrivals: Arrival[]): string[] {
  const problems: string[] = [];
  for (let i = 1; i < arrivals.length; i++) {
    const prev = arrivals[i - 1]!.time;
    const cur = arrivals[i]!.time;
    if (cur === prev) problems.push(`#${i} ${new Date(cur).toISOString()} arrived twice in a row`);
    else if (cur < prev) {
      const again = arrivals.slice(0, i).some((a) => a.time === cur);
      problems.push(`#${i} ${new Date(cur).toISOString()} arrived after ${new Date(prev).toISOString()}${again ? ' (a repeat of an earlier arrival)' : ' (first arrival, out of order)'}`);
    }
  }
  return problems;
}

/**
 * Grid instants missing between the first and the last reading of one part, except those from one period before
 * the kill to the restarted process's first reading: the reading in the making at the kill was never finished;
 * the one just before may still have been in the killed process's hands (averaged, not yet committed: the
 * documented loss window for a station's own readings, which nobody had acknowledged); and the new process makes
 * its first one once its parts are open again.
 */
function gaps(times: number[], deadFrom: number): string[] {
  const sorted = [...new Set(times)].sort((a, b) => a - b);
  const firstAfter = sorted.find((t) => t > deadFrom) ?? Infinity;
  const missing: string[] = [];
  for (let i = 1; i < sorted.length; i++) {
    for (let t = sorted[i - 1]! + STEP_MS; t < sorted[i]!; t += STEP_MS) {
      if (t > deadFrom - 2 * STEP_MS && t < firstAfter) continue;
      missing.push(new Date(t).toISOString());
    }
  }
  return missing;
}

describe('a remote station while the broker is away', () => {
  let dir: string;
  let broker: MosquittoService;
  let db: TestDatabase;
  let central: GatewayProcess | undefined;
  let remote: GatewayProcess | undefined;
  let observer: MqttClient | undefined;
  const arrivals = new Map<string, Arrival[]>(PARTS.map((p) => [p, []]));
  const strays: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'airlane-remote-buffer-'));
    broker = await startMosquitto({ dataDir: join(dir, 'mosquitto'), extraConfig: ['max_queued_messages 0'] });
    db = await createTestDatabase(influxUrl(), 'remotebuffer');
  });

  afterAll(async () => {
    await observer?.endAsync(true);
    await remote?.kill9();
    await central?.kill9();
    await broker?.stop();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers the outage readings after the broker returns: all of them, in order, each once in InfluxDB', async () => {
    central = await startGatewayProcess(
      writeStationFile({ dir: join(dir, 'central'), site: SITE, gateway: 'central', mqttUrl: broker.url, subscribe: true, influx: { url: influxUrl(), database: db.name } }).file,
      { label: 'central gateway' },
    );
    // The observer's own persistent session: what arrives while it reconnects after the outage is queued for it.
    observer = mqtt.connect(broker.url, { clientId: 'remote-buffer-observer', clean: false, reconnectPeriod: 250 });
    // Attached before the CONNACK: messages queued for the session arrive right behind it.
    observer.on('message', (topic, payload) => {
      const r = JSON.parse(payload.toString()) as Reading;
      const list = arrivals.get(r.part);
      if (!list || r.node !== NODE) return void strays.push(`${topic}: ${payload.toString().slice(0, 200)}`);
      list.push({ part: r.part, time: Date.parse(r.time), values: r.values });
    });
    await new Promise<void>((resolve) => observer!.once('connect', () => resolve()));
    await observer.subscribeAsync(`airlane/v1/${SITE}/${NODE}/reading`, { qos: 1 });

    const remoteFile = writeStationFile({ dir: join(dir, 'remote'), site: SITE, gateway: 'remote', mqttUrl: broker.url, subscribe: false, nodes: [remoteNode] }).file;
    remote = await startGatewayProcess(remoteFile, { label: 'remote station' });
    await until('2 readings per part before the outage', () => (PARTS.every((p) => arrivals.get(p)!.length >= 2) ? true : undefined));

    const outageStart = Date.now();
    await broker.stop();
    // Half-way through the outage the remote station dies (power cut) with readings only in its outbox.
    await new Promise((r) => setTimeout(r, OUTAGE_MS / 2));
    const deadFrom = Date.now();
    await remote.kill9();
    remote = await startGatewayProcess(remoteFile, { label: 'remote station, restarted' });
    const deadTo = Date.now();
    await new Promise((r) => setTimeout(r, Math.max(0, outageStart + OUTAGE_MS - Date.now())));
    broker = await startMosquitto({ dataDir: join(dir, 'mosquitto'), port: broker.port, extraConfig: ['max_queued_messages 0'] });
    const outageEnd = Date.now();
    console.log(
      `remote-buffer: broker away from ${new Date(outageStart).toISOString()} to ${new Date(outageEnd).toISOString()}; ` +
        `remote station dead from ${new Date(deadFrom).toISOString()} to ${new Date(deadTo).toISOString()}`,
    );

    // Live data again after the backlog: a reading stamped after the broker came back.
    await until(
      'readings stamped after the outage from every part',
      () => (PARTS.every((p) => arrivals.get(p)!.some((a) => a.time > outageEnd + STEP_MS)) ? true : undefined),
      40_000,
    );
    // A clean stop sends what is left in the remote outbox; no reading is made after it.
    expect(await remote.stop(), `remote station exit code; log:\n${remote.stderrTail()}`).toBe(0);
    const remoteLog = remote.stderrTail();

    // The observer's view, settled: nothing more arrives once the remote station is gone.
    let settled = -1;
    await until('the observer to stop receiving', async () => {
      const n = [...arrivals.values()].reduce((s, a) => s + a.length, 0);
      if (n === settled) return true;
      settled = n;
      await new Promise((r) => setTimeout(r, 500));
      return undefined;
    });
    expect(strays, 'messages on the node topic that are not its readings').toEqual([]);

    const expected = new Map<string, Arrival>();
    for (const [part, list] of arrivals) {
      const times = list.map((a) => a.time);
      console.log(`remote-buffer: ${part}: ${list.length} arrivals, ${new Set(times).size} distinct readings`);
      // The outage lies inside the series, so a hole there cannot hide at either end.
      expect(Math.min(...times), `${part}: first reading before the outage`).toBeLessThan(outageStart);
      expect(Math.max(...times), `${part}: last reading after the outage`).toBeGreaterThan(outageEnd);
      expect(times.every((t) => t % STEP_MS === 0), `${part}: readings stamped at multiples of ${STEP_MS} ms`).toBe(true);
      expect(gaps(times, deadFrom), `${part}: grid instants with no reading (lost; remote log:\n${remoteLog})`).toEqual([]);
      // Made while the broker was away and before the kill: these can only have come from the remote's disk.
      expect(times.filter((t) => t > outageStart && t + STEP_MS < deadFrom).length, `${part}: readings buffered across the SIGKILL`).toBeGreaterThan(0);
      expect(orderProblems(list), `${part}: arrival order on the broker`).toEqual([]);
      for (const a of list) expected.set(`${part}@${a.time}`, a);
    }

    // InfluxDB, through the central gateway: each reading once, with the values the remote station published.
    const query = `SELECT * FROM air WHERE site = '${SITE}' AND node = '${NODE}'`;
    let rows: Row[] = [];
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      rows = await db.rows(query);
      if (rows.length >= expected.size) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const stored = new Map<string, number>();
    const wrong: string[] = [];
    for (const row of rows) {
      const key = `${String(row.part)}@${Number(row.time)}`;
      stored.set(key, (stored.get(key) ?? 0) + 1);
      const want = expected.get(key);
      if (want && Object.entries(want.values).some(([q, v]) => row[q] !== v)) wrong.push(`${key}: stored ${JSON.stringify(row)}, published ${JSON.stringify(want.values)}`);
    }
    const missing = [...expected.keys()].filter((k) => !stored.has(k));
    const extra = [...stored.keys()].filter((k) => !expected.has(k));
    const twice = [...stored].filter(([, n]) => n > 1).map(([k]) => k);
    expect({ missing, extra, twice, wrong }, `InfluxDB holds ${rows.length} of ${expected.size} readings; central log:\n${central.stderrTail()}`).toEqual({
      missing: [],
      extra: [],
      twice: [],
      wrong: [],
    });
    const stats = await central.stats();
    expect(stats.rejected, 'rejections counted by the central gateway').toEqual({});
    expect(await central.stop(), `central gateway exit code; log:\n${central.stderrTail()}`).toBe(0);
  }, 90_000);
});
