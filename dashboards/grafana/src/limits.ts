// Reference lines drawn on the pollutant charts, in µg/m³.
// WHO: Global air quality guidelines 2021 (ISBN 9789240034228), Table 0.1 — the AQG level column; copied in
// ../shared/reference/air-quality.md §4. The 24 h values are 99th percentiles (3–4 exceedance days a year allowed).
// EU: Directive 2008/50/EC, Annex XI (limit values for PM10 and NO2) and Annex XIV (PM2.5 annual limit value,
// stage 1 = 25 µg/m³). Compare a 24 h or annual line with daily or annual means, not with hourly points.
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';

export interface ReferenceLine {
  value: number;
  source: 'WHO 2021' | 'EU 2008/50/EC';
  averaging: '1 h' | '24 h' | 'annual';
  /** Exceedances the source tolerates per calendar year, where it sets some. */
  allowed?: string;
}

export type Pollutant = 'pm25' | 'pm10' | 'no2';

export const REFERENCE_LINES: Readonly<Record<Pollutant, readonly ReferenceLine[]>> = {
  pm25: [
    { value: 5, source: 'WHO 2021', averaging: 'annual' },
    { value: 15, source: 'WHO 2021', averaging: '24 h', allowed: '3–4 days a year, 99th percentile' },
    { value: 25, source: 'EU 2008/50/EC', averaging: 'annual' },
  ],
  pm10: [
    { value: 15, source: 'WHO 2021', averaging: 'annual' },
    { value: 40, source: 'EU 2008/50/EC', averaging: 'annual' },
    { value: 45, source: 'WHO 2021', averaging: '24 h', allowed: '3–4 days a year, 99th percentile' },
    { value: 50, source: 'EU 2008/50/EC', averaging: '24 h', allowed: '35 days a year' },
  ],
  no2: [
    { value: 10, source: 'WHO 2021', averaging: 'annual' },
    { value: 25, source: 'WHO 2021', averaging: '24 h', allowed: '3–4 days a year, 99th percentile' },
    { value: 40, source: 'EU 2008/50/EC', averaging: 'annual' },
    { value: 200, source: 'EU 2008/50/EC', averaging: '1 h', allowed: '18 hours a year' },
  ],
};

/** The value of one reference line, for queries (exceedance counts) that must use the same number as the chart. */
export function limit(pollutant: Pollutant, source: ReferenceLine['source'], averaging: ReferenceLine['averaging']): number {
  const line = REFERENCE_LINES[pollutant].find((l) => l.source === source && l.averaging === averaging);
  if (!line) throw new Error(`no ${source} ${averaging} line for ${pollutant} in dashboards/grafana/src/limits.ts`);
  return line.value;
}

// WHO lines in blues, EU lines in reds: Grafana draws thresholds unlabelled, so the colour tells the source.
const COLOUR: Record<ReferenceLine['source'], string> = { 'WHO 2021': '#5794F2', 'EU 2008/50/EC': '#F2495C' };

/** Grafana threshold steps, one per line; the base step is transparent so nothing is shaded below the first. */
export function referenceThresholds(pollutant: Pollutant): dashboard.ThresholdsConfigBuilder {
  const steps: dashboard.Threshold[] = [{ value: null, color: 'transparent' }];
  for (const l of REFERENCE_LINES[pollutant]) steps.push({ value: l.value, color: COLOUR[l.source] });
  return new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps(steps);
}

/** The legend Grafana cannot draw: one line of text per reference line, for the panel description. */
export function describeLines(pollutant: Pollutant): string {
  return REFERENCE_LINES[pollutant]
    .map((l) => {
      const allowed = l.allowed === undefined ? '' : ` (exceeded at most ${l.allowed})`;
      return `${l.value} µg/m³: ${l.source} ${l.averaging}${allowed}`;
    })
    .join('; ');
}
