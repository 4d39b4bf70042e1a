// Counters the gateway keeps about itself: what was accepted, rejected (by where and reason), written and
// dropped per output. The local API serves them; issue-level health (/metrics) builds on the same object.
export class Stats {
  accepted = 0;
  readonly rejected = new Map<string, number>();
  /** The same refusals by reason code. */
  readonly rejectedByReason = new Map<string, number>();
  readonly written = new Map<string, number>();
  readonly dropped = new Map<string, number>();
  readonly errors = new Map<string, number>();
  readonly lastError = new Map<string, string>();

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
    };
  }
}
