// The node runtimes' per-part status, in the shape GatewayHealth carries (times as ms, a plain `stuck` flag).
import type { PartHealth } from '../core/health.js';
import type { PartStatus } from '../../firmware/node/runtime.js';

/** `stuck` is optional: a runtime without the stuck-value check reports none. */
type StatusWithStuck = PartStatus & { stuck?: boolean };

export function partHealth(site: string, nodes: Record<string, Record<string, StatusWithStuck>>): PartHealth[] {
  const out: PartHealth[] = [];
  for (const [node, parts] of Object.entries(nodes)) {
    for (const [part, s] of Object.entries(parts)) {
      const last = s.last_reading === undefined ? NaN : Date.parse(s.last_reading);
      out.push({
        site,
        node,
        part,
        state: s.state,
        errors: s.errors,
        reopened: s.reopened,
        last_reading_ms: Number.isFinite(last) ? last : null,
        stuck: s.stuck ?? false,
      });
    }
  }
  return out;
}
