// The latest RH (or any other helper quantity) seen per (site, node, part), so a PM part can be corrected with the
// humidity a BME280 on the same node measured. Arrival order, not time order: a replayed backlog arrives in its
// own time order, and the age check (relative to the point being corrected) keeps a value from another hour out.

interface Sample {
  value: number;
  time: number;
}

export class Environment {
  private readonly byPart = new Map<string, Sample>();
  private readonly byNode = new Map<string, Sample>();

  constructor(private readonly quantities: ReadonlySet<string>) {}

  remember(site: string, node: string, part: string, fields: Record<string, number>, time: number): void {
    for (const q of this.quantities) {
      const value = fields[q];
      if (value === undefined || !Number.isFinite(value)) continue;
      this.byPart.set(key(site, node, part, q), { value, time });
      this.byNode.set(key(site, node, '', q), { value, time });
    }
  }

  /** `part` undefined: any part of the node. Undefined when nothing is known within `maxAgeMs` of `time`. */
  latest(site: string, node: string, part: string | undefined, quantity: string, time: number, maxAgeMs: number): number | undefined {
    const s = part === undefined ? this.byNode.get(key(site, node, '', quantity)) : this.byPart.get(key(site, node, part, quantity));
    if (!s || Math.abs(time - s.time) > maxAgeMs) return undefined;
    return s.value;
  }
}

const key = (site: string, node: string, part: string, q: string) => `${site}\u0000${node}\u0000${part}\u0000${q}`;
