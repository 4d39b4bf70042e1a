// The local store behind GET /api/v1/latest and the page: the latest value of every quantity for each site,
// node/part and detector/lane. In memory: it is a view, the outbox and InfluxDB hold the history.
import type { Output } from '../../core/plugin.js';
import type { Metric } from '../../core/metric.js';

export interface LatestValue {
  value: number;
  time: string;
}

export interface SiteLatest {
  nodes: Record<string, Record<string, Record<string, LatestValue>>>;
  detectors: Record<string, Record<string, Record<string, LatestValue>>>;
  windows: Record<string, Record<string, LatestValue>>;
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
    const time = new Date(m.time).toISOString();
    for (const [k, v] of Object.entries(m.fields)) {
      const prev = target[k];
      // Replayed or late data never hides a newer value.
      if (!prev || prev.time <= time) target[k] = { value: v, time };
    }
  }

  snapshot(): Record<string, SiteLatest> {
    return Object.fromEntries(this.sites);
  }
}
