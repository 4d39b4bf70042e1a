// Traffic × air: what a traffic engineer and an environment officer look at together — vehicles beside NO2, the
// daily and weekly rhythm of both, and how closely NO2 follows traffic at this site.
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as barchart from '@grafana/grafana-foundation-sdk/barchart';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import * as xychart from '@grafana/grafana-foundation-sdk/xychart';
import { influxql, tagIn } from './influxql.js';
import { addPanels, airlaneDashboard } from './layout.js';
import { detectorVariable, siteVariable } from './variables.js';

const SITE = tagIn('site', 'site');
const TRAFFIC = `FROM "traffic" WHERE ${SITE} AND ${tagIn('detector', 'detector')} AND $timeFilter`;
// Hourly windows where every detector counted the whole hour: a partial count would look like a quiet hour.
const FULL_HOURS = `FROM "air_traffic" WHERE "window" = '1h' AND ${SITE} AND "traffic_coverage_pct" = 100 AND $timeFilter`;

function overlay(): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title('Vehicles and NO2')
    .description('Vehicles summed per interval over the selected detectors (`traffic`, bars, right axis) and NO2 from the 15-minute windows (`air_traffic`).')
    .withTarget(influxql('A', `SELECT sum("vehicles") AS "vehicles" ${TRAFFIC} GROUP BY time($__interval) fill(0)`).alias('vehicles'))
    .withTarget(
      influxql('B', `SELECT mean("no2_ppb") AS "no2_ppb" FROM "air_traffic" WHERE "window" = '15m' AND ${SITE} AND $timeFilter GROUP BY time($__interval) fill(none)`).alias('NO2 (ppb)'),
    )
    .overrideByName('vehicles', [
      { id: 'custom.drawStyle', value: 'bars' },
      { id: 'custom.axisPlacement', value: 'right' },
      { id: 'unit', value: 'short' },
    ])
    .unit('ppb');
}

function perLane(): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title('Vehicles per detector and lane')
    .description('`traffic.vehicles` summed per interval for each detector and lane (counts are stamped with their interval start).')
    .withTarget(influxql('A', `SELECT sum("vehicles") ${TRAFFIC} GROUP BY time($__interval), "detector", "lane" fill(0)`).alias('$tag_detector lane $tag_lane'))
    .decimals(0);
}

function heavyAndSpeed(): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title('Heavy-vehicle share, occupancy and speed per detector and lane')
    .description('Heavy share = sum(heavy_vehicles) / sum(vehicles) per interval; occupancy and speed are interval means.')
    .withTarget(
      influxql(
        'A',
        `SELECT sum("heavy_vehicles") / sum("vehicles") * 100 AS "heavy_pct", mean("occupancy_pct") AS "occupancy_pct", mean("speed_kmh") AS "speed_kmh" ${TRAFFIC} GROUP BY time($__interval), "detector", "lane" fill(none)`,
      ).alias('$tag_detector lane $tag_lane $col'),
    );
}

/**
 * A profile over the hours of the day or the days of the week. InfluxQL has no hour or weekday function, so the
 * query returns hourly rows and two Grafana transformations do the folding: `formatTime` turns each timestamp into
 * its hour ("HH") or weekday ("E" = 1 Monday … 7 Sunday), then `groupBy` averages each bucket.
 */
function profile(title: string, format: string, what: string): barchart.PanelBuilder {
  return new barchart.PanelBuilder()
    .title(title)
    .description(
      `Mean of the hourly windows (\`air_traffic\`, window 1h, full traffic coverage only) for each ${what}, in UTC. ` +
        'Folded by the panel transformations formatTime and groupBy, since InfluxQL cannot group by hour of day or weekday; ' +
        'vehicles are the site total of the hour, not only the selected detectors.',
    )
    .withTarget(influxql('A', `SELECT "vehicles", "no2_ppb" ${FULL_HOURS}`).resultFormat('table'))
    .withTransformation({ id: 'formatTime', options: { timeField: 'Time', outputFormat: format, useTimezone: false } })
    .withTransformation({
      id: 'groupBy',
      options: {
        fields: {
          Time: { operation: 'groupby', aggregations: [] },
          vehicles: { operation: 'aggregate', aggregations: ['mean'] },
          no2_ppb: { operation: 'aggregate', aggregations: ['mean'] },
        },
      },
    })
    .withTransformation({ id: 'sortBy', options: { sort: [{ field: 'Time', desc: false }] } })
    .xField('Time')
    .overrideByName('vehicles (mean)', [{ id: 'custom.axisPlacement', value: 'right' }]);
}

function scatter(): xychart.PanelBuilder {
  return new xychart.PanelBuilder()
    .title('NO2 against vehicles, hourly windows')
    .description('One point per hour with full traffic coverage: site vehicles in the hour (x) against the hour\'s mean NO2 (y).')
    .withTarget(influxql('A', `SELECT "vehicles", "no2_ppb" ${FULL_HOURS}`).resultFormat('table'))
    .mapping(xychart.SeriesMapping.Manual)
    .series([
      new xychart.XYSeriesConfigBuilder()
        .name({ fixed: 'hours' })
        .x({ matcher: new xychart.MatcherConfigBuilder().id('byName').options('vehicles').build() })
        .y({ matcher: new xychart.MatcherConfigBuilder().id('byName').options('no2_ppb').build() }),
    ])
    .show(xychart.XYShowMode.Points);
}

function correlation(): stat.PanelBuilder {
  // Pearson r = (E[xy] − E[x]E[y]) / √((E[x²] − E[x]²)(E[y²] − E[y]²)), computed in InfluxQL itself: the
  // subquery forms the products per hour, the outer query averages them (InfluxDB ≥ 1.6 has SQRT). The WHERE
  // on both fields keeps only hours where both exist, so every mean runs over the same hours.
  const inner = `SELECT "vehicles" AS "x", "no2_ppb" AS "y", "vehicles" * "no2_ppb" AS "xy", "vehicles" * "vehicles" AS "xx", "no2_ppb" * "no2_ppb" AS "yy" ${FULL_HOURS} AND "vehicles" >= 0 AND "no2_ppb" >= 0`;
  const r = '(mean("xy") - mean("x") * mean("y")) / sqrt((mean("xx") - mean("x") * mean("x")) * (mean("yy") - mean("y") * mean("y")))';
  return new stat.PanelBuilder()
    .title('Correlation of NO2 with vehicles (Pearson r)')
    .description('Pearson correlation over the hourly windows of the scatter (n = hours used). Correlation is not attribution: weather drives both.')
    .withTarget(influxql('A', `SELECT ${r} AS "r", count("x") AS "n" FROM (${inner})`).resultFormat('table'))
    .decimals(2)
    .colorMode(common.BigValueColorMode.None)
    .graphMode(common.BigValueGraphMode.None)
    .textMode(common.BigValueTextMode.ValueAndName)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).fields('/^(r|n)$/').values(false));
}

export function trafficAir(): dashboard.Dashboard {
  const d = airlaneDashboard('airlane-traffic-air', 'Airlane · Traffic × air', 'Vehicles beside NO2: time series, daily and weekly profiles, scatter and correlation, per detector and lane.')
    .withVariable(siteVariable(false))
    .withVariable(detectorVariable(true));
  return addPanels(d, [
    [overlay(), 24, 9],
    [perLane(), 12, 8],
    [heavyAndSpeed(), 12, 8],
    [profile('Hour-of-day profile (UTC)', 'HH', 'hour of the day'), 12, 8],
    [profile('Day-of-week profile (1 = Monday, 6–7 = weekend)', 'E', 'weekday'), 12, 8],
    [scatter(), 16, 9],
    [correlation(), 8, 9],
  ]).build();
}
