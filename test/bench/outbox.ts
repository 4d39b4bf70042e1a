// What the durable outbox costs, and what a backlog weighs:
//   ingest  the gateway pipeline (MQTT input, QoS 1 readings queued in Mosquitto by a separate publisher process,
//           validation, the outbox, the InfluxDB output) run three times in one run on the same machine: outbox on
//           disk with synchronous full, with normal, and in memory (durable: false, the "outbox disabled"
//           baseline). Two clocks per run, both from the gateway's start: until every reading is committed to
//           the outbox (what the MQTT input acknowledges upstream), and until InfluxDB holds every reading.
//   backlog the pipeline with its output down, fed N readings, in a child process: resident memory after the
//           backlog is written and after a drain step reads from it, then a restarted process doing the same.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { Pipeline } from '../../gateway/core/pipeline.js';
import { silentLogger } from '../../gateway/core/log.js';
import { MqttInput } from '../../gateway/inputs/mqtt/mqtt.js';
import { mqttInputOptions } from '../../gateway/inputs/mqtt/options.js';
import { InfluxDbOutput, InfluxOutputOptionsSchema } from '../../gateway/outputs/influxdb/index.js';
import type { OutboxOptions } from '../../gateway/outbox/options.js';
import { createTestDatabase } from '../services/influx-db.js';

const root = new URL('../../', import.meta.url).pathname;

export interface IngestResult {
  variant: string;
  readings: number;
  /** Gateway start → every reading committed to the outbox. */
  committedPerSec: number;
  /** Gateway start → every reading counted in InfluxDB. */
  storedPerSec: number;
}

let runs = 0;

/** Connecting with clean session on discards the broker's persistent session for that client id. */
export async function dropSession(mqttUrl: string, clientId: string): Promise<void> {
  const client = await mqtt.connectAsync(mqttUrl, { clientId, clean: true, reconnectPeriod: 0 });
  await client.endAsync();
}

function runChild(args: string[], nodeArgs: string[] = []): Promise<string> {
  const child = spawn(process.execPath, [...nodeArgs, join(root, 'bin/tsx.mjs'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${args[0]} exited ${code}`)))));
}

async function ingestOnce(influxUrl: string, mqttUrl: string, readings: number, variant: string, outbox: Partial<OutboxOptions>): Promise<IngestResult> {
  const db = await createTestDatabase(influxUrl, 'bench_outbox');
  const dataDir = mkdtempSync(join(tmpdir(), 'airlane-bench-outbox-'));
  // Its own persistent session per run, removed at the end: a session left behind would queue every later
  // run's readings and hand them to whoever reuses its client id.
  const clientId = `bench-outbox-${variant}-${process.pid}-${++runs}`;
  const make = () =>
    new Pipeline({
      log: silentLogger,
      outboxFile: join(dataDir, 'outbox.sqlite'),
      outbox,
      inputs: [new MqttInput(mqttInputOptions.parse({ url: mqttUrl, client_id: clientId }), { log: silentLogger })],
      outputs: [{ output: new InfluxDbOutput(InfluxOutputOptionsSchema.parse({ url: db.url }), { log: silentLogger }), durable: true, batchSize: 5000, flushIntervalMs: 100 }],
    });
  try {
    // The gateway connects once so the broker holds its persistent session; readings are queued while it is away.
    const first = make();
    await first.start();
    await first.stop();
    await runChild([join(root, 'test/bench/publisher.ts'), mqttUrl, String(readings), String(Date.UTC(2026, 0, 1))]);
    const started = performance.now();
    const p = make();
    let committedAt = 0;
    // Polled in the gateway's process: cheap next to what it measures.
    const poll = setInterval(() => {
      if (!committedAt && p.stats.accepted >= readings) committedAt = performance.now();
    }, 2);
    await p.start();
    try {
      const deadline = Date.now() + 300_000;
      for (let stored = 0; stored < readings; ) {
        if (Date.now() > deadline) throw new Error(`outbox bench (${variant}): only ${stored} of ${readings} readings reached InfluxDB in 300 s`);
        await new Promise((r) => setTimeout(r, 50));
        stored = Number((await db.rows('SELECT count(pm25_ugm3) FROM air'))[0]?.count ?? 0);
      }
      const seconds = (performance.now() - started) / 1000;
      if (p.stats.accepted !== readings) throw new Error(`outbox bench (${variant}): ${p.stats.accepted} accepted, ${readings} published`);
      return { variant, readings, committedPerSec: readings / ((committedAt - started) / 1000), storedPerSec: readings / seconds };
    } finally {
      clearInterval(poll);
      await p.stop();
    }
  } finally {
    await dropSession(mqttUrl, clientId).catch(() => undefined);
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function benchOutboxIngest(influxUrl: string, mqttUrl: string, readings: number): Promise<IngestResult[]> {
  const results: IngestResult[] = [];
  // The in-memory baseline first and last: the durable figures are judged against the mean of the two, so a
  // machine warming up or slowing down during the run does not flatter either side.
  results.push(await ingestOnce(influxUrl, mqttUrl, readings, 'memory', { durable: false }));
  results.push(await ingestOnce(influxUrl, mqttUrl, readings, 'full', { synchronous: 'full' }));
  results.push(await ingestOnce(influxUrl, mqttUrl, readings, 'normal', { synchronous: 'normal' }));
  results.push(await ingestOnce(influxUrl, mqttUrl, readings, 'memory', { durable: false }));
  return results;
}

export interface PushResult {
  variant: string;
  readings: number;
  /** push() → committed to the outbox (group commits of 5 000). */
  committedPerSec: number;
  /** push() → every reading confirmed by a no-op output and trimmed from the outbox. */
  drainedPerSec: number;
}

/**
 * The outbox alone, without a broker or a database in the way: readings pushed into the pipeline as fast as it
 * takes them, drained by an output that stores nothing. Shows what durability costs where nothing else hides it.
 */
export async function benchOutboxPush(readings: number): Promise<PushResult[]> {
  const results: PushResult[] = [];
  const t0 = Date.UTC(2026, 0, 1);
  for (const [variant, outbox] of [
    ['memory', { durable: false }],
    ['full', { synchronous: 'full' }],
    ['normal', { synchronous: 'normal' }],
  ] as const) {
    const dataDir = mkdtempSync(join(tmpdir(), 'airlane-bench-push-'));
    const sink = { name: 'influxdb', start: async () => {}, stop: async () => {}, write: async () => {} };
    const p = new Pipeline({ log: silentLogger, outboxFile: join(dataDir, 'outbox.sqlite'), outbox, outputs: [{ output: sink, durable: true, batchSize: 5000, flushIntervalMs: 10 }] });
    try {
      await p.start();
      const started = performance.now();
      for (let i = 0; i < readings; i++) {
        const pm25 = ((i * 7) % 500) / 10;
        p.push({
          measurement: 'air',
          tags: { site: `bench-${Math.floor((i % 100) / 10)}`, node: `n${i % 10}`, part: 'pms5003' },
          fields: { pm25_ugm3: pm25, pm10_ugm3: Number((pm25 * 1.4).toFixed(2)), no2_ppb: ((i * 13) % 900) / 10 },
          time: t0 + i,
          meta: { clock: 'ntp', remote: true },
        });
        // Let the drain run between group commits, as it would between network reads.
        if (i % 5000 === 4999) await new Promise((r) => setImmediate(r));
      }
      if (!p.flush()) throw new Error('the outbox refused the bench readings');
      const committed = performance.now();
      while (p.depth('influxdb') > 0) await new Promise((r) => setTimeout(r, 1));
      const drained = performance.now();
      results.push({ variant, readings, committedPerSec: readings / ((committed - started) / 1000), drainedPerSec: readings / ((drained - started) / 1000) });
    } finally {
      await p.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return results;
}

export interface BacklogRss {
  phase: 'write' | 'reopen';
  readings: number;
  queued: number;
  read_batch: number;
  write_seconds: number;
  rss_start_mb: number;
  rss_after_write_mb: number;
  rss_after_drain_mb: number;
  heap_used_mb: number;
  file_mb: number;
}

export async function benchBacklogRss(readings: number): Promise<BacklogRss[]> {
  const dir = mkdtempSync(join(tmpdir(), 'airlane-bench-backlog-'));
  try {
    const out: BacklogRss[] = [];
    for (const phase of ['write', 'reopen']) {
      out.push(JSON.parse(await runChild([join(root, 'test/bench/backlog-rss.ts'), dir, String(readings), phase])) as BacklogRss);
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
