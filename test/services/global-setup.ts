// Global setup of vitest's `integration` project: starts one private influxd and one private Mosquitto for
// the whole run, hands their URLs to the tests (see context.ts) and stops both by PID at the end.
import type { TestProject } from 'vitest/node';
import type { RunningService } from './daemon.js';
import { startInflux } from './influxd.js';
import { startMosquitto } from './mosquitto.js';
// Type-only: brings in the ProvidedContext augmentation without loading vitest's runtime here.
import type {} from './context.js';

export default async function setup({ provide }: Pick<TestProject, 'provide'>): Promise<() => Promise<void>> {
  const started: RunningService[] = [];
  const teardown = async (): Promise<void> => {
    await Promise.allSettled(started.map((s) => s.stop()));
  };
  const results = await Promise.allSettled([startInflux(), startMosquitto()]);
  for (const r of results) if (r.status === 'fulfilled') started.push(r.value);
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length > 0) {
    await teardown();
    throw new Error(failed.map((f) => String(f.reason instanceof Error ? f.reason.message : f.reason)).join('\n\n'));
  }
  const [influx, mqtt] = started as [RunningService, RunningService];
  provide('influxUrl', influx.url);
  provide('mqttUrl', mqtt.url);
  return teardown;
}
