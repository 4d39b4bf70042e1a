// ATMO levels as Grafana value mappings: the label and colour of each level come from the index library
// (gateway/air/indices, arrêté du 10 juillet 2020 Annexe I), so the dashboard can never disagree with the gateway.
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { levels, type Scheme } from '../../../gateway/air/indices/index.js';

/** `level` (1 = best) → the scheme's label, shown in its official colour. */
export function levelMappings(scheme: Scheme): dashboard.ValueMapping[] {
  const options: Record<string, dashboard.ValueMappingResult> = {};
  levels(scheme).forEach((lv, index) => {
    options[String(lv.level)] = { text: lv.label, color: lv.colour, index };
  });
  return [{ type: dashboard.MappingType.ValueToText, options }];
}

/** The same colours as thresholds, for panels (state timelines, backgrounds) that colour by value. */
export function levelThresholds(scheme: Scheme): dashboard.ThresholdsConfigBuilder {
  const steps: dashboard.Threshold[] = levels(scheme).map((lv, i) => ({ value: i === 0 ? null : lv.level, color: lv.colour }));
  return new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps(steps);
}
