// City air: the picture an environment department opens first — every site's ATMO level now, the three street
// pollutants against the WHO 2021 guidelines and EU limit values, exceedance counts and data completeness.
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { NO2_UGM3_PER_PPB_20C } from '../../../gateway/aggregators/windows/site-indices.js';
import { levelMappings } from './atmo.js';
import { influxql, tagIn } from './influxql.js';
import { addPanels, airlaneDashboard } from './layout.js';
import { describeLines, limit, referenceThresholds, type Pollutant } from './limits.js';
import { siteVariable } from './variables.js';

const SITES = tagIn('site', 'site');
const HOURLY = `FROM "air_traffic" WHERE "window" = '1h' AND ${SITES} AND $timeFilter`;

/** ATMO completeness rule for a day (18 of 24 hours, ../shared/reference/air-quality.md §7). */
const DAILY_COMPLETENESS_PCT = 75;

interface PollutantChart {
  pollutant: Pollutant;
  title: string;
  /** InfluxQL select expressions of the raw series and of the corrected one, in µg/m³. */
  raw: string;
  corrected: string;
}

// NO2 is measured in ppb; the WHO and EU values are µg/m³ at 20 °C (Directive 2008/50/EC Annex VI), so the raw
// series is converted in the query with the gateway's own factor. The corrected series is written in µg/m³ by the
// correct processor when `also_ugm3_at_c` is set.
const CHARTS: PollutantChart[] = [
  { pollutant: 'pm25', title: 'PM2.5', raw: 'mean("pm25_ugm3")', corrected: 'mean("pm25_corrected_ugm3")' },
  { pollutant: 'pm10', title: 'PM10', raw: 'mean("pm10_ugm3")', corrected: 'mean("pm10_corrected_ugm3")' },
  { pollutant: 'no2', title: 'NO2', raw: `mean("no2_ppb") * ${NO2_UGM3_PER_PPB_20C}`, corrected: 'mean("no2_corrected_ugm3")' },
];

function atmoNow(): stat.PanelBuilder {
  return new stat.PanelBuilder()
    .title('ATMO index now, per site')
    .description(
      'Latest ATMO level of each site (`aqi`, scheme atmo), labelled and coloured as the arrêté du 10 juillet 2020 (Annexe I) ' +
        'prescribes. Computed by the gateway from its hourly windows; `indicative` marks a level with fewer hours than the rule asks.',
    )
    .withTarget(influxql('A', `SELECT last("level") FROM "aqi" WHERE "scheme" = 'atmo' AND ${SITES} AND $timeFilter GROUP BY "site"`).alias('$tag_site'))
    .mappings(levelMappings('atmo'))
    .colorMode(common.BigValueColorMode.Background)
    .graphMode(common.BigValueGraphMode.None)
    .textMode(common.BigValueTextMode.ValueAndName)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false));
}

function pollutantChart(c: PollutantChart): timeseries.PanelBuilder {
  const where = HOURLY;
  return new timeseries.PanelBuilder()
    .title(`${c.title} (µg/m³) with WHO 2021 and EU limit lines`)
    .description(
      `Hourly window means (\`air_traffic\`, window 1h) per site, raw and corrected side by side (InfluxQL cannot coalesce ` +
        `them, so both are drawn; the corrected one is what the indices use), and the daily mean as a second series. ` +
        `Dashed lines — ${describeLines(c.pollutant)}. WHO: Global air quality guidelines 2021, AQG levels; EU: ` +
        `Directive 2008/50/EC Annexes XI and XIV. 24 h and annual values compare with the daily mean, not the hourly points.`,
    )
    .withTarget(influxql('A', `SELECT ${c.raw} AS "raw" ${where} GROUP BY time($__interval), "site" fill(none)`).alias('$tag_site raw'))
    .withTarget(influxql('B', `SELECT ${c.corrected} AS "corrected" ${where} GROUP BY time($__interval), "site" fill(none)`).alias('$tag_site corrected'))
    .withTarget(influxql('C', `SELECT ${c.corrected} AS "corrected", ${c.raw} AS "raw" ${where} GROUP BY time(1d), "site" fill(none)`).alias('$tag_site daily $col'))
    .unit('conµgm3')
    .min(0)
    .thresholds(referenceThresholds(c.pollutant))
    .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed))
    .spanNulls(false);
}

/** Days (UTC) whose daily mean exceeds `threshold`, per site: a subquery, since InfluxQL cannot filter on an aggregate. */
function daysOver(refId: string, field: string, threshold: number, column: string): ReturnType<typeof influxql> {
  return influxql(
    refId,
    `SELECT count("daily") AS "${column}" FROM (SELECT mean(${field}) AS "daily" ${HOURLY} GROUP BY time(1d), "site") WHERE "daily" > ${threshold} GROUP BY "site"`,
  ).resultFormat('table');
}

function exceedances(): table.PanelBuilder {
  const pm10Eu = limit('pm10', 'EU 2008/50/EC', '24 h');
  const pm10Who = limit('pm10', 'WHO 2021', '24 h');
  const pm25Who = limit('pm25', 'WHO 2021', '24 h');
  const no2Who = limit('no2', 'WHO 2021', '24 h');
  const no2EuHour = limit('no2', 'EU 2008/50/EC', '1 h');
  const no2PpbAt = (ugm3: number) => Math.round((ugm3 / NO2_UGM3_PER_PPB_20C) * 100) / 100;
  return new table.PanelBuilder()
    .title('Exceedances this year, per site')
    .description(
      `Days (UTC) whose mean exceeds a 24 h value, and hours above the EU hourly NO2 limit. EU Directive 2008/50/EC Annex XI ` +
        `allows PM10 > ${pm10Eu} µg/m³ on 35 days and NO2 > ${no2EuHour} µg/m³ in 18 hours a calendar year; WHO 2021 allows 3–4 days ` +
        `above its 24 h guidelines. Raw PM from the hourly windows; NO2 compared in ppb at 20 °C. A site missing from a column had none.`,
    )
    .timeFrom('now/y')
    .withTarget(daysOver('A', '"pm10_ugm3"', pm10Eu, `PM10 days > ${pm10Eu} (EU)`))
    .withTarget(daysOver('B', '"pm10_ugm3"', pm10Who, `PM10 days > ${pm10Who} (WHO)`))
    .withTarget(daysOver('C', '"pm25_ugm3"', pm25Who, `PM2.5 days > ${pm25Who} (WHO)`))
    .withTarget(daysOver('D', '"no2_ppb"', no2PpbAt(no2Who), `NO2 days > ${no2Who} (WHO)`))
    .withTarget(
      influxql(
        'E',
        `SELECT count("no2_ppb") AS "NO2 hours > ${no2EuHour} (EU)" ${HOURLY} AND "no2_ppb" > ${no2PpbAt(no2EuHour)} GROUP BY "site"`,
      ).resultFormat('table'),
    )
    .withTransformation({ id: 'merge', options: {} })
    .withTransformation({ id: 'organize', options: { excludeByName: { Time: true } } })
    .noValue('0');
}

function completenessNow(): stat.PanelBuilder {
  return new stat.PanelBuilder()
    .title('Data completeness per site')
    .description(
      `Mean \`completeness_pct\` of the hourly windows over the time range. Red below ${DAILY_COMPLETENESS_PCT} %: a day needs 18 of 24 ` +
        'valid hours (../shared/reference/air-quality.md §7), so lower completeness makes daily means and exceedance counts unreliable.',
    )
    .withTarget(influxql('A', `SELECT mean("completeness_pct") ${HOURLY} GROUP BY "site"`).alias('$tag_site'))
    .unit('percent')
    .min(0)
    .max(100)
    .thresholds(
      new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([
        { value: null, color: 'red' },
        { value: DAILY_COMPLETENESS_PCT, color: 'green' },
      ]),
    )
    .colorMode(common.BigValueColorMode.Value)
    .graphMode(common.BigValueGraphMode.None)
    .textMode(common.BigValueTextMode.ValueAndName)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['mean']).values(false));
}

function completenessDaily(): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title('Daily completeness per site')
    .description('Mean `completeness_pct` of each UTC day\'s hourly windows; the dashed line is the 75 % daily rule.')
    .withTarget(influxql('A', `SELECT mean("completeness_pct") ${HOURLY} GROUP BY time(1d), "site" fill(none)`).alias('$tag_site'))
    .unit('percent')
    .min(0)
    .max(100)
    .drawStyle(common.GraphDrawStyle.Bars)
    .thresholds(
      new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([
        { value: null, color: 'transparent' },
        { value: DAILY_COMPLETENESS_PCT, color: 'red' },
      ]),
    )
    .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed));
}

export function cityAir(): dashboard.Dashboard {
  const d = airlaneDashboard(
    'airlane-city-air',
    'Airlane · City air',
    'Every site: ATMO level now, PM2.5, PM10 and NO2 against the WHO 2021 guidelines and EU limit values, exceedances, completeness.',
  ).withVariable(siteVariable(true));
  const [pm25, pm10, no2] = CHARTS.map(pollutantChart) as [timeseries.PanelBuilder, timeseries.PanelBuilder, timeseries.PanelBuilder];
  return addPanels(d, [
    [atmoNow(), 24, 5],
    [pm25, 24, 9],
    [pm10, 12, 9],
    [no2, 12, 9],
    [exceedances(), 12, 8],
    [completenessDaily(), 12, 8],
    [completenessNow(), 24, 4],
  ]).build();
}
