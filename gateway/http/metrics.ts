// GET /metrics: one GatewayHealth snapshot rendered in the Prometheus text exposition format 0.0.4 by prom-client.
// A fresh Registry per scrape: the snapshot already holds every figure, so nothing is kept between scrapes and
// a series for an output or part that has gone away disappears at once.
//
// Names follow https://prometheus.io/docs/practices/naming/ : an `airlane_` prefix, base units in the name
// (`_seconds`), `_total` on counters, `_timestamp_seconds` for Unix times. Enumerations (part and output state)
// are one 0/1 series per possible state, the "StateSet" shape of the OpenMetrics spec, so an alert can match
// `airlane_part_state{state="faulted"} == 1` and a state change never leaves a stale series behind.
import { Counter, Gauge, Registry } from 'prom-client';
import type { GatewayHealth, OutputHealth } from '../core/health.js';
import type { PartState } from '../../firmware/node/runtime.js';

export const PART_STATES: readonly PartState[] = ['starting', 'warming', 'ok', 'sleeping', 'faulted'];
export const OUTPUT_STATES: readonly OutputHealth['state'][] = ['ok', 'retrying', 'config'];

/** Content type of the 0.0.4 text format, as prom-client states it. */
export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

const G = ['site', 'gateway'] as const;
const O = ['site', 'gateway', 'output'] as const;
const P = ['site', 'gateway', 'node', 'part'] as const;

export async function renderMetrics(h: GatewayHealth): Promise<string> {
  const registers = [new Registry()];
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) => new Gauge<L>({ name, help, labelNames, registers });
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) => new Counter<L>({ name, help, labelNames, registers });
  const g = { site: h.site, gateway: h.gateway };

  gauge('airlane_start_time_seconds', 'Start time of the gateway process since the Unix epoch.', G).set(g, h.started_ms / 1000);
  counter('airlane_accepted_total', 'Metrics accepted into the outbox.', G).inc(g, h.accepted);
  const rejected = counter('airlane_rejected_total', 'Payloads refused at a boundary, by reason.', [...G, 'reason']);
  for (const [reason, n] of Object.entries(h.rejected)) rejected.inc({ ...g, reason }, n);
  gauge('airlane_outbox_writable', '1 when the on-disk outbox accepts writes, 0 when it refuses them (disk full, read-only).', G).set(g, h.outbox_writable ? 1 : 0);

  const queued = gauge('airlane_output_queued', 'Metrics accepted and not yet confirmed by the output.', O);
  const oldest = gauge('airlane_output_oldest_age_seconds', 'Age of the oldest unconfirmed metric (0 when none is queued).', O);
  const written = counter('airlane_output_written_total', 'Metrics the output confirmed.', O);
  const dropped = counter('airlane_output_dropped_total', 'Metrics dropped unsent because the backlog hit its size or age bound.', O);
  const dead = counter('airlane_output_dead_lettered_total', 'Metrics the output refused for good, moved to the dead-letter table.', O);
  const errors = counter('airlane_output_errors_total', 'Failed write attempts.', O);
  const lastOk = gauge('airlane_output_last_success_timestamp_seconds', 'Time of the last confirmed write since the Unix epoch (absent before the first).', O);
  const outState = gauge('airlane_output_state', 'Output state: 1 for the current one (ok, retrying, config = a person must act).', [...O, 'state']);
  for (const o of h.outputs) {
    const l = { ...g, output: o.output };
    queued.set(l, o.queued);
    oldest.set(l, o.oldest_age_s);
    written.inc(l, o.written);
    dropped.inc(l, o.dropped);
    dead.inc(l, o.dead_lettered);
    errors.inc(l, o.errors);
    if (o.last_success_ms !== null) lastOk.set(l, o.last_success_ms / 1000);
    for (const s of OUTPUT_STATES) outState.set({ ...l, state: s }, o.state === s ? 1 : 0);
  }

  const partState = gauge('airlane_part_state', 'Part state: 1 for the current one.', [...P, 'state']);
  const partErrors = counter('airlane_part_errors_total', 'Errors the part reported (failed reads, bad frames).', P);
  const partReopened = counter('airlane_part_reopened_total', 'Times the link to the part was lost and reopened.', P);
  const partStuck = gauge('airlane_part_stuck', '1 when the part has returned the same values for longer than its stuck limit.', P);
  const partLast = gauge('airlane_part_last_reading_timestamp_seconds', 'Time of the last reading since the Unix epoch (absent before the first).', P);
  for (const p of h.parts) {
    const l = { site: p.site, gateway: h.gateway, node: p.node, part: p.part };
    for (const s of PART_STATES) partState.set({ ...l, state: s }, p.state === s ? 1 : 0);
    partErrors.inc(l, p.errors);
    partReopened.inc(l, p.reopened);
    partStuck.set(l, p.stuck ? 1 : 0);
    if (p.last_reading_ms !== null) partLast.set(l, p.last_reading_ms / 1000);
  }
  return registers[0]!.metrics();
}
