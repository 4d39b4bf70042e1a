// Site detail: one site, every quantity raw beside corrected, the QC findings behind each reading, and the state of
// the parts that produced them — what an installer or data manager checks before trusting a number.
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { QC } from '../../../gateway/core/qc.js';
import { levelThresholds } from './atmo.js';
import { influxql, tagIn } from './influxql.js';
import { addPanels, airlaneDashboard } from './layout.js';
import { nodeVariable, siteVariable } from './variables.js';

const AIR = `FROM "air" WHERE ${tagIn('site', 'site')} AND ${tagIn('node', 'node')} AND $timeFilter`;

interface QuantityGroup {
  title: string;
  unit: string;
  /** Raw fields with, where a correction may be configured, their `<q>_corrected_<unit>` beside them. */
  fields: string[];
}

// Canonical names (DESIGN.md §3). A field a site does not have simply draws nothing.
const GROUPS: QuantityGroup[] = [
  { title: 'PM2.5: atmospheric, CF=1 and corrected', unit: 'conµgm3', fields: ['pm25_ugm3', 'pm25_cf1_ugm3', 'pm25_corrected_ugm3'] },
  { title: 'PM10 and PM1: raw and corrected', unit: 'conµgm3', fields: ['pm10_ugm3', 'pm10_corrected_ugm3', 'pm1_ugm3'] },
  { title: 'NO2: raw and corrected', unit: 'ppb', fields: ['no2_ppb', 'no2_corrected_ppb'] },
  { title: 'Temperature and humidity', unit: 'none', fields: ['temperature_c', 'humidity_pct'] },
  { title: 'Pressure', unit: 'pressurehpa', fields: ['pressure_hpa'] },
];

function quantityChart(g: QuantityGroup, refId: string): timeseries.PanelBuilder {
  const select = g.fields.map((f) => `mean("${f}") AS "${f}"`).join(', ');
  return new timeseries.PanelBuilder()
    .title(g.title)
    .description(`Means per interval of the raw \`air\` points (${g.fields.join(', ')}), per node. Corrected values sit beside the raw ones; neither replaces the other.`)
    .withTarget(influxql(refId, `SELECT ${select} ${AIR} GROUP BY time($__interval), "node" fill(none)`).alias('$tag_node $col'))
    .unit(g.unit);
}

function indexLevels(): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title('Index level per scheme (1 = best)')
    .description('`aqi.level` of the three schemes the gateway computes (atmo, eaqi, us-epa); colours are the ATMO ones.')
    .withTarget(influxql('A', `SELECT last("level") FROM "aqi" WHERE ${tagIn('site', 'site')} AND $timeFilter GROUP BY time($__interval), "scheme" fill(none)`).alias('$tag_scheme'))
    .thresholds(levelThresholds('atmo'))
    .lineInterpolation(common.LineInterpolation.StepAfter)
    .min(1)
    .decimals(0);
}

function qcFlags(): timeseries.PanelBuilder {
  // InfluxQL can mask bits in a SELECT but cannot aggregate an expression: the subquery masks, the outer query
  // counts. `qc & bit` is either 0 or the bit, so the sum divided by the bit is the number of flagged readings.
  const flags = Object.entries(QC) as Array<[string, number]>;
  const inner = flags.map(([name, bit]) => `"qc" & ${bit} AS "${name}"`).join(', ');
  const outer = flags.map(([name, bit]) => (bit === 1 ? `sum("${name}") AS "${name}"` : `sum("${name}") / ${bit} AS "${name}"`)).join(', ');
  return new timeseries.PanelBuilder()
    .title('QC findings: flagged readings per interval')
    .description(
      'Readings of the site whose `qc` bit mask carries each finding (gateway/core/qc.ts). Flagged readings are stored but kept out ' +
        'of window means when out of range, stuck, spiking or warming up.',
    )
    .withTarget(influxql('A', `SELECT ${outer} FROM (SELECT ${inner} ${AIR}) WHERE $timeFilter GROUP BY time($__interval) fill(none)`).alias('$col'))
    .drawStyle(common.GraphDrawStyle.Bars)
    .stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal))
    .decimals(0);
}

function readingsPerPart(): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title('Readings per part and interval')
    .description('Number of `air` points per node and part: a part that stops reporting shows as a gap or a drop, before any status says so.')
    .withTarget(influxql('A', `SELECT count("qc") ${AIR} GROUP BY time($__interval), "node", "part" fill(0)`).alias('$tag_node $tag_part'))
    .decimals(0);
}

function partStatus(): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title('Part status (gateway self-report)')
    .description('`gateway` parts_ok, parts_faulted and parts_stuck per gateway, reported every self_report.interval_s.')
    .withTarget(
      influxql('A', `SELECT last("parts_ok") AS "ok", last("parts_faulted") AS "faulted", last("parts_stuck") AS "stuck" FROM "gateway" WHERE ${tagIn('site', 'site')} AND $timeFilter GROUP BY time($__interval), "gateway" fill(none)`).alias('$tag_gateway $col'),
    )
    .lineInterpolation(common.LineInterpolation.StepAfter)
    .decimals(0)
    .overrideByRegexp('.* faulted', [{ id: 'color', value: { mode: 'fixed', fixedColor: 'red' } }]);
}

function latestValues(): table.PanelBuilder {
  return new table.PanelBuilder()
    .title('Latest value of every field, per node and part')
    .description('`last(*)` over the time range: every raw, corrected and qc field each part has written, whatever the part.')
    .withTarget(influxql('A', `SELECT last(*) ${AIR} GROUP BY "node", "part"`).resultFormat('table'))
    .withTransformation({ id: 'organize', options: { excludeByName: { Time: true } } });
}

export function siteDetail(): dashboard.Dashboard {
  const d = airlaneDashboard('airlane-site-detail', 'Airlane · Site detail', 'One site: every quantity raw beside corrected, QC findings, part status.')
    .withVariable(siteVariable(false))
    .withVariable(nodeVariable(true));
  const charts = GROUPS.map((g, i) => quantityChart(g, String.fromCharCode(65 + i)));
  return addPanels(d, [
    [indexLevels(), 24, 6],
    ...charts.map((c): [timeseries.PanelBuilder, number, number] => [c, 12, 8]),
    [qcFlags(), 12, 8],
    [readingsPerPart(), 12, 8],
    [partStatus(), 12, 8],
    [latestValues(), 24, 8],
  ]).build();
}
