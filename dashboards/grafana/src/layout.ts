// Panel ids and grid positions: every panel gets the next id and a width/height on the 24-column grid, and the
// SDK's DashboardBuilder flows them left to right, top to bottom.
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';

export interface PanelLike extends cog.Builder<dashboard.Panel> {
  id(id: number): this;
  span(w: number): this;
  height(h: number): this;
}

/** Adds panels with ids 1, 2, …; `w` and `h` in grid units (24 columns across). */
export function addPanels(d: dashboard.DashboardBuilder, panels: Array<[PanelLike, w: number, h: number]>): dashboard.DashboardBuilder {
  panels.forEach(([p, w, h], i) => d.withPanel(p.id(i + 1).span(w).height(h)));
  return d;
}

/** The frame every Airlane dashboard shares: uid, tags, UTC (windows are aligned to UTC), a week by default. */
export function airlaneDashboard(uid: string, title: string, description: string): dashboard.DashboardBuilder {
  return new dashboard.DashboardBuilder(title)
    .uid(uid)
    .description(description)
    .tags(['airlane'])
    .timezone('utc')
    .time({ from: 'now-7d', to: 'now' })
    .refresh('1m')
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .readonly();
}
