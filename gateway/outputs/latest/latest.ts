// The local store behind GET /api/v1/latest and the page: the latest value of every quantity for each site,
// node/part and detector/lane. In memory: it is a view, the outbox and InfluxDB hold the history.
import type { Output } from '../../core/plugin.js';
import type { Metric } from '../../core/metric.js';

export interface LatestValue<T = number> {
  value: number;
  /** ms since the epoch in the store; ISO 8601 in snapshots. */
  time: T;
}

export interface SiteLatest<T = number> {
  nodes: Record<string, Record<string, Record<string, LatestValue<T>>>>;
  detectors: Record<string, Record<string, Record<string, LatestValue<T>>>>;
  windows: Record<string, Record<string, LatestValue<T>>>;
}

export class LatestStore implements Output {
  readonly name = 'latest';
  private readonly sites = new Map<string, SiteLatest>();

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  async write(batch: Metric[]): Promise<void> {
    for (const m of batch) this.add(m);
  }

  add(m: Metric): void {
    const siteName = m.tags.site;
    if (!siteName) return;
    let site = this.sites.get(siteName);
    if (!site) this.sites.set(siteName, (site = { nodes: {}, detectors: {}, windows: {} }));
    let target: Record<string, LatestValue>;
    if (m.measurement === 'air') target = ((site.nodes[m.tags.node ?? '?'] ??= {})[m.tags.part ?? '?'] ??= {});
    else if (m.measurement === 'traffic') target = ((site.detectors[m.tags.detector ?? '?'] ??= {})[m.tags.lane ?? 'all'] ??= {});
    else if (m.measurement === 'air_traffic') target = site.windows[m.tags.window ?? '?'] ??= {};
    else return;
    for (const k in m.fields) {
      const prev = target[k];
      // Replayed or late data never hides a newer value.
      if (!prev || prev.time <= m.time) target[k] = { value: m.fields[k]!, time: m.time };
    }
  }

  /** The JSON view: times as ISO 8601 strings. */
  snapshot(): Record<string, SiteLatest<string>> {
    const iso = (group: Record<string, Record<string, LatestValue>>) =>
      Object.fromEntries(
        Object.entries(group).map(([k, values]) => [k, Object.fromEntries(Object.entries(values).map(([q, v]) => [q, { value: v.value, time: new Date(v.time).toISOString() }]))]),
      );
    const out: Record<string, SiteLatest<string>> = {};
    for (const [name, site] of this.sites) {
      out[name] = {
        nodes: Object.fromEntries(Object.entries(site.nodes).map(([node, parts]) => [node, iso(parts)])),
        detectors: Object.fromEntries(Object.entries(site.detectors).map(([det, lanes]) => [det, iso(lanes)])),
        windows: iso(site.windows),
      };
    }
    return out;
  }
}
