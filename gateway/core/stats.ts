// Counters the gateway keeps about itself: what was accepted, rejected (by where and reason), written, dead-
// lettered and dropped per output. The local API serves them; health (/healthz, /metrics) builds on the same object.
export class Stats {
  accepted = 0;
  readonly rejected = new Map<string, number>();
  /** The same refusals by reason code. */
  readonly rejectedByReason = new Map<string, number>();
  readonly written = new Map<string, number>();
  /** Refused by the output for good (400 partial write) and moved to the dead-letter table. */
  readonly deadLettered = new Map<string, number>();
  /** Dropped unsent because the backlog hit max_rows or max_age_days. */
  readonly dropped = new Map<string, number>();
  /** Rows handed to an output a second time (a failed or unconfirmed write retried; harmless for InfluxDB). */
  readonly resent = new Map<string, number>();
  readonly errors = new Map<string, number>();
  readonly lastError = new Map<string, string>();
  /** Last confirmed write per output, ms since the epoch. */
  readonly lastSuccess = new Map<string, number>();

  bump(map: Map<string, number>, key: string, by = 1): void {
    map.set(key, (map.get(key) ?? 0) + by);
  }

  toJSON() {
    const obj = (m: Map<string, number | string>) => Object.fromEntries(m);
    return {
      accepted: this.accepted,
      rejected: obj(this.rejected),
      rejected_by_reason: obj(this.rejectedByReason),
      written: obj(this.written),
      dropped: obj(this.dropped),
      errors: obj(this.errors),
      last_error: obj(this.lastError),
      dead_lettered: obj(this.deadLettered),
      resent: obj(this.resent),
      last_success_ms: obj(this.lastSuccess),
    };
  }
}
