// Child process of the outbox benchmark: the gateway pipeline with its durable outbox and an output that is down,
// fed N readings (as a long outage leaves them), then started so its drain reads a batch from the backlog. Prints
// one JSON line with the process's resident memory at both points: the backlog must live on disk, not in memory.
// Phase 'write' adds the backlog and drains a step in the same process; phase 'reopen' is a restarted gateway
// finding the backlog on disk (no write churn in its heap) and draining a step.
// usage: backlog-rss.ts <data-dir> <readings> [write|reopen]
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { Pipeline, type ClassifiedError } from '../../gateway/core/pipeline.js';
import type { Metric } from '../../gateway/core/metric.js';
import type { Output } from '../../gateway/core/plugin.js';
import { silentLogger } from '../../gateway/core/log.js';

const [dir, countArg, phase = 'write'] = process.argv.slice(2);
if (!dir || !countArg) {
  console.error('usage: backlog-rss.ts <data-dir> <readings>');
  process.exit(2);
}
const count = phase === 'reopen' ? 0 : Number(countArg);
const mb = (b: number) => Number((b / 1048576).toFixed(1));
const rssMb = () => mb(process.memoryUsage().rss);
/** Garbage collected first when the process runs with --expose-gc: what is held, not what waits collection. */
const gc = (globalThis as { gc?: () => void }).gc;
const heldMb = () => {
  gc?.();
  return rssMb();
};

let reads = 0;
let readBatch = 0;
const down: Output = {
  name: 'influxdb',
  async start() {},
  async stop() {},
  async write(batch: Metric[]) {
    reads++;
    readBatch = batch.length;
    throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8086'), { kind: 'retry' }) as ClassifiedError;
  },
};

const file = join(dir, 'outbox.sqlite');
const pipeline = new Pipeline({ log: silentLogger, outboxFile: file, outputs: [{ output: down, durable: true, batchSize: 5000, flushIntervalMs: 1000 }] });
const rssStart = rssMb();
const t0 = Date.UTC(2026, 0, 1);
const started = performance.now();
// Readings of the shape the bench publisher sends: 100 series, each its own millisecond.
for (let i = 0; i < count; i++) {
  const pm25 = ((i * 7) % 500) / 10;
  pipeline.push({
    measurement: 'air',
    tags: { site: `bench-${Math.floor((i % 100) / 10)}`, node: `n${i % 10}`, part: 'pms5003' },
    fields: { pm25_ugm3: pm25, pm10_ugm3: Number((pm25 * 1.4).toFixed(2)), no2_ppb: ((i * 13) % 900) / 10 },
    time: t0 + i,
    meta: { clock: 'ntp', remote: true },
  });
}
if (!pipeline.flush()) throw new Error('the outbox refused the backlog');
const writeSeconds = (performance.now() - started) / 1000;
const queued = pipeline.depth('influxdb');
const rssAfterWrite = rssMb();
const heldAfterWrite = heldMb();
await pipeline.start();
while (reads === 0) await new Promise((r) => setTimeout(r, 10));
const rssAfterDrain = rssMb();
const heldAfterDrain = heldMb();
const mem = process.memoryUsage();
const heapMb = mb(mem.heapUsed);
await pipeline.stop();
const fileMb = mb(statSync(file).size + (statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0));
console.log(JSON.stringify({ phase, readings: count, heap_total_mb: mb(mem.heapTotal), queued, read_batch: readBatch, write_seconds: writeSeconds, rss_start_mb: rssStart, rss_after_write_mb: rssAfterWrite, rss_after_drain_mb: rssAfterDrain, rss_after_gc_mb: gc ? Math.max(heldAfterWrite, heldAfterDrain) : null, heap_used_mb: heapMb, file_mb: fileMb }));
