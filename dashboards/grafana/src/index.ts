// Every dashboard with the file it is written to: the generator, its --check and the tests all read this list.
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { cityAir } from './city-air.js';
import { fleetHealth } from './fleet-health.js';
import { siteDetail } from './site-detail.js';
import { trafficAir } from './traffic-air.js';

export interface DashboardFile {
  /** File name under dashboards/grafana/dashboards/. */
  file: string;
  build: () => dashboard.Dashboard;
}

export const DASHBOARDS: readonly DashboardFile[] = [
  { file: 'city-air.json', build: cityAir },
  { file: 'site-detail.json', build: siteDetail },
  { file: 'traffic-air.json', build: trafficAir },
  { file: 'fleet-health.json', build: fleetHealth },
];

export { cityAir, fleetHealth, siteDetail, trafficAir };
export { DATASOURCE, InfluxQlQueryBuilder, influxql, panelTargets, type InfluxQlTarget } from './influxql.js';
export { BUILTIN_VARIABLES, interpolate, variablesUsed } from './interpolate.js';
