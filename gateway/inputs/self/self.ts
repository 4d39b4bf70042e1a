// The gateway watching itself: every interval_s the same figures /metrics serves go down the pipeline as metrics
// of the `gateway` measurement (DESIGN.md §3), so InfluxDB keeps a history of queue depth, drops and rejections
// next to the data they concern, and Grafana can show a backlog growing during an outage.
import type { Logger } from 'pino';
import type { Input, Sink } from '../../core/plugin.js';
import type { Metric } from '../../core/metric.js';
import type { GatewayHealth } from '../../core/health.js';
import type { SelfInputOptions } from './options.js';

export interface SelfInputDeps {
  health: () => GatewayHealth;
  now?: () => number;
  log?: Pick<Logger, 'warn'>;
}

export class SelfInput implements Input {
  readonly name = 'self';
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: SelfInputOptions,
    private readonly deps: SelfInputDeps,
  ) {}

  async start(sink: Sink): Promise<void> {
    const now = this.deps.now ?? Date.now;
    this.timer = setInterval(() => {
      // One bad snapshot (the outbox closing under us) skips a tick; it must never take the gateway down.
      let metrics: Metric[];
      try {
        metrics = healthMetrics(this.deps.health(), now());
      } catch (e) {
        // Not a rejected payload (that counter is about data from outside): logged and skipped.
        this.deps.log?.warn({ err: e instanceof Error ? e.message : String(e) }, 'self input: health snapshot failed, tick skipped');
        return;
      }
      for (const m of metrics) sink.push(m);
    }, this.options.interval_s * 1000);
    // The self-report never keeps a stopping process alive.
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}

/**
 * One metric per output and one for the whole gateway, stamped with `now` rounded to the second: InfluxDB keeps
 * one point per series and time, so a tick replayed from the outbox overwrites itself instead of adding a point.
 */
export function healthMetrics(h: GatewayHealth, now: number): Metric[] {
  const time = Math.round(now / 1000) * 1000;
  const ageS = (ms: number) => Math.max(0, Math.round((now - ms) / 1000));
  const metrics: Metric[] = h.outputs.map((o) => {
    const fields: Record<string, number> = {
      queued: o.queued,
      oldest_age_s: o.oldest_age_s,
      written: o.written,
      dropped: o.dropped,
      dead_lettered: o.dead_lettered,
      errors: o.errors,
    };
    // Absent before the first success: an InfluxDB field may be missing, a made-up age would mislead.
    if (o.last_success_ms !== null) fields.last_success_age_s = ageS(o.last_success_ms);
    return { measurement: 'gateway', tags: { site: h.site, gateway: h.gateway, output: o.output }, fields, time };
  });
  metrics.push({
    measurement: 'gateway',
    tags: { site: h.site, gateway: h.gateway },
    fields: {
      accepted: h.accepted,
      rejected: Object.values(h.rejected).reduce((a, b) => a + b, 0),
      parts_ok: h.parts.filter((p) => p.state === 'ok').length,
      parts_faulted: h.parts.filter((p) => p.state === 'faulted').length,
      parts_stuck: h.parts.filter((p) => p.stuck).length,
      uptime_s: ageS(h.started_ms),
    },
    time,
  });
  return metrics;
}
