// Fleet health: for whoever keeps the stations running — is every gateway delivering, is a backlog building,
// is anything being dropped or refused, and when was each gateway and node last heard from.
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { influxql, tagIn } from './influxql.js';
import { addPanels, airlaneDashboard } from './layout.js';
import { nodeVariable, siteVariable } from './variables.js';

const GATEWAY = `FROM "gateway" WHERE ${tagIn('site', 'site')} AND $timeFilter`;

function perOutput(title: string, field: string, unit: string, description: string): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title(title)
    .description(description)
    .withTarget(influxql('A', `SELECT max("${field}") ${GATEWAY} GROUP BY time($__interval), "gateway", "output" fill(none)`).alias('$tag_gateway → $tag_output'))
    .unit(unit);
}

/**
 * The self-report's counters are totals since the gateway started; non_negative_difference turns them into counts
 * per interval and ignores the drop to zero when a gateway restarts.
 */
function countsPerInterval(title: string, fields: string[], groupByOutput: boolean, description: string): timeseries.PanelBuilder {
  const select = fields.map((f) => `non_negative_difference(max("${f}")) AS "${f}"`).join(', ');
  const by = groupByOutput ? '"gateway", "output"' : '"gateway"';
  const alias = groupByOutput ? '$tag_gateway → $tag_output $col' : '$tag_gateway $col';
  return new timeseries.PanelBuilder()
    .title(title)
    .description(description)
    .withTarget(influxql('A', `SELECT ${select} ${GATEWAY} GROUP BY time($__interval), ${by} fill(none)`).alias(alias))
    .drawStyle(common.GraphDrawStyle.Bars)
    .decimals(0);
}

function lastSeen(title: string, query: string, description: string): table.PanelBuilder {
  return new table.PanelBuilder()
    .title(title)
    .description(description)
    .withTarget(influxql('A', query).resultFormat('table'))
    .withTransformation({ id: 'organize', options: { renameByName: { Time: 'last seen (UTC)' } } })
    .sortBy([new common.TableSortByFieldStateBuilder().displayName('last seen (UTC)').desc(false)]);
}

export function fleetHealth(): dashboard.Dashboard {
  const d = airlaneDashboard('airlane-fleet-health', 'Airlane · Fleet health', 'Per gateway: queue depth, oldest unsent age, drops, rejections, last seen per gateway and node.')
    .withVariable(siteVariable(true))
    .withVariable(nodeVariable(true));
  return addPanels(d, [
    [perOutput('Queue depth per output', 'queued', 'short', 'Rows waiting in the outbox of each output (`gateway.queued`): it grows while an output is unreachable.'), 12, 8],
    [perOutput('Oldest unsent row per output', 'oldest_age_s', 's', 'Age of the oldest row still waiting (`oldest_age_s`): how far behind the data in InfluxDB or MQTT is.'), 12, 8],
    [
      countsPerInterval('Dropped, dead-lettered and errors per interval', ['dropped', 'dead_lettered', 'errors'], true,
        'dropped: unsent rows discarded because the backlog hit max_rows or max_age_days; dead_lettered: refused for good by the output; errors: failed writes (retried).'),
      12, 8,
    ],
    [
      countsPerInterval('Accepted and rejected payloads per interval', ['accepted', 'rejected'], false,
        'Payloads accepted and refused at the gateway\'s boundaries. The self-report carries the total only; the breakdown by reason is on the gateway\'s /metrics (airlane_rejected_total{reason}) and /api/v1/status.'),
      12, 8,
    ],
    [perOutput('Time since last successful write', 'last_success_age_s', 's', '`last_success_age_s` per output: absent until the first success.'), 12, 8],
    [
      new timeseries.PanelBuilder()
        .title('Faulted and stuck parts per gateway')
        .description('`parts_faulted` and `parts_stuck` from the self-report; any value above 0 needs a visit or a look at /api/v1/status.')
        .withTarget(influxql('A', `SELECT max("parts_faulted") AS "faulted", max("parts_stuck") AS "stuck" ${GATEWAY} GROUP BY time($__interval), "gateway" fill(none)`).alias('$tag_gateway $col'))
        .lineInterpolation(common.LineInterpolation.StepAfter)
        .decimals(0),
      12, 8,
    ],
    [
      lastSeen('Last seen per gateway', `SELECT last("uptime_s") AS "uptime_s" ${GATEWAY} GROUP BY "site", "gateway"`,
        'Time of the last self-report of each gateway (every self_report.interval_s, 60 s by default) and its uptime then.'),
      12, 8,
    ],
    [
      lastSeen('Last seen per node', `SELECT last("qc") AS "qc" FROM "air" WHERE ${tagIn('site', 'site')} AND ${tagIn('node', 'node')} AND $timeFilter GROUP BY "site", "node", "part"`,
        'Time of the last `air` point of each node and part, with its qc mask: the self-report has no node tag, so the readings themselves say when a node was last heard from.'),
      12, 8,
    ],
  ]).build();
}
