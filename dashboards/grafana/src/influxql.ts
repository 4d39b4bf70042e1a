// The InfluxQL target of Grafana's InfluxDB data source, as a foundation-SDK builder. The SDK ships no InfluxDB
// query type, so this is the small piece it lacks: a raw InfluxQL statement (`rawQuery: true`), which keeps every
// panel's query a plain string that the integration test can run against a real influxd unchanged.
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';

/** The data source every panel and variable uses; provisioning/datasources/airlane.yaml creates it with this uid. */
export const DATASOURCE: dashboard.DataSourceRef = { type: 'influxdb', uid: 'airlane-influxdb' };

/** `time_series` gives one frame per series (legends from `alias`); `table` keeps the column names as field names. */
export type ResultFormat = 'time_series' | 'table';

/** The target JSON the InfluxDB data source reads (grafana public/app/plugins/datasource/influxdb/types.ts). */
export interface InfluxQlTarget extends cog.Dataquery {
  refId: string;
  datasource: dashboard.DataSourceRef;
  query: string;
  rawQuery: true;
  resultFormat: ResultFormat;
  alias?: string;
  hide?: boolean;
}

export class InfluxQlQueryBuilder implements cog.Builder<InfluxQlTarget> {
  private readonly internal: InfluxQlTarget;

  constructor(refId: string, query: string) {
    this.internal = {
      refId,
      datasource: DATASOURCE,
      query,
      rawQuery: true,
      resultFormat: 'time_series',
      // The SDK's variant marker: a function, so JSON.stringify leaves it out of the dashboard.
      _implementsDataqueryVariant: () => {},
    };
  }

  resultFormat(format: ResultFormat): this {
    this.internal.resultFormat = format;
    return this;
  }

  /** Legend name; `$tag_site` and `$col` are the data source's own alias patterns. */
  alias(alias: string): this {
    this.internal.alias = alias;
    return this;
  }

  build(): InfluxQlTarget {
    return { ...this.internal };
  }
}

/** `influxql('A', 'SELECT …')`: a time-series target; chain `.resultFormat('table')` or `.alias()` as needed. */
export const influxql = (refId: string, query: string): InfluxQlQueryBuilder => new InfluxQlQueryBuilder(refId, query);

/**
 * Multi-value and "All" variables must be matched with a regex (`=~ /^$site$/`): Grafana's InfluxDB data source
 * turns a multi-value selection into `(a|b)` with each value regex-escaped.
 */
export const tagIn = (tag: string, variable: string): string => `"${tag}" =~ /^$${variable}$/`;

/** The targets of a panel read back from JSON (where the variant marker is gone), typed as InfluxQL targets. */
export const panelTargets = (panel: dashboard.Panel): Array<Omit<InfluxQlTarget, '_implementsDataqueryVariant'>> =>
  (panel.targets ?? []) as unknown as Array<Omit<InfluxQlTarget, '_implementsDataqueryVariant'>>;
