// Template variables, each a `SHOW TAG VALUES` query on the data model of the main README, so the lists follow
// whatever sites, nodes and detectors have written data.
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { DATASOURCE, tagIn } from './influxql.js';

function tagVariable(name: string, label: string, query: string, multi: boolean): dashboard.QueryVariableBuilder {
  return new dashboard.QueryVariableBuilder(name)
    .label(label)
    .datasource(DATASOURCE)
    .query(query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .multi(multi)
    .includeAll(multi);
}

export const siteVariable = (multi: boolean): dashboard.QueryVariableBuilder =>
  tagVariable('site', 'Site', 'SHOW TAG VALUES FROM "air" WITH KEY = "site"', multi);

export const nodeVariable = (multi: boolean): dashboard.QueryVariableBuilder =>
  tagVariable('node', 'Node', `SHOW TAG VALUES FROM "air" WITH KEY = "node" WHERE ${tagIn('site', 'site')}`, multi);

export const detectorVariable = (multi: boolean): dashboard.QueryVariableBuilder =>
  tagVariable('detector', 'Detector', `SHOW TAG VALUES FROM "traffic" WITH KEY = "detector" WHERE ${tagIn('site', 'site')}`, multi);
