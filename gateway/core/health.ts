// What the gateway knows about its own health, in one snapshot: the pipeline fills the output side, the node
// runtimes the part side. /healthz, /metrics (Prometheus text) and the `gateway` measurement are renderings of it.
import type { PartState } from '../../firmware/node/runtime.js';

export interface OutputHealth {
  output: string;
  /** Drains from the on-disk outbox (InfluxDB, upstream MQTT); false for the in-memory latest store. */
  durable: boolean;
  /** Metrics accepted and not yet confirmed by this output. */
  queued: number;
  /** Age of the oldest of them in seconds (0 when nothing is queued). */
  oldest_age_s: number;
  written: number;
  /** Refused by the output for good and moved to the dead-letter table. */
  dead_lettered: number;
  /** Dropped unsent because the backlog hit its size or age bound. */
  dropped: number;
  errors: number;
  /** Last confirmed write, ms since the epoch; null before the first. */
  last_success_ms: number | null;
  last_error?: string;
  /** ok; retrying (network/5xx); config (401/403/404: a person must act); */
  state: 'ok' | 'retrying' | 'config';
}

export interface PartHealth {
  site: string;
  node: string;
  part: string;
  state: PartState;
  errors: number;
  reopened: number;
  /** Last reading, ms since the epoch; null before the first. */
  last_reading_ms: number | null;
  /** The part has returned the same values for longer than its stuck limit. */
  stuck: boolean;
}

export interface GatewayHealth {
  site: string;
  gateway: string;
  /** Process start, ms since the epoch. */
  started_ms: number;
  accepted: number;
  /** Payloads refused at a boundary, by reason code (`not_json`, `schema`, `too_large`, `topic`, …). */
  rejected: Record<string, number>;
  /** false when the outbox cannot be written (disk full, read-only): nothing new is acknowledged upstream. */
  outbox_writable: boolean;
  outputs: OutputHealth[];
  parts: PartHealth[];
}
