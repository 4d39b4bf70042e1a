// Shared vocabulary of the index library. The public API is re-exported from ./index.js.

export type Scheme = 'atmo' | 'eaqi' | 'eaqi-2020' | 'us-epa';
export type Pollutant = 'pm25' | 'pm10' | 'no2' | 'o3' | 'so2' | 'co';

export interface SubIndex {
  level: number;
  label: string;
  value: number;
}

export interface IndexResult {
  scheme: Scheme;
  level: number;
  label: string;
  value: number;
  dominant: Pollutant;
  sub: Partial<Record<Pollutant, SubIndex>>;
}

/** One band of one pollutant, for legends and dashboards. */
export interface BandInfo {
  level: number;
  label: string;
  /** '#RRGGBB' as the scheme's owner publishes it. */
  colour: string;
  /** Lower edge in the scheme's input unit: exclusive for ATMO/EAQI (0 is inclusive), inclusive for us-epa. */
  min: number;
  /** Upper edge, inclusive; null for an open top band (ATMO/EAQI level 6). us-epa gives the TAD row's edge. */
  max: number | null;
  /** us-epa only: the AQI numbers the band maps onto. */
  aqiMin?: number;
  aqiMax?: number;
}

/** One level of a scheme: its number (1 = best), its label as the scheme writes it, and its colour. */
export interface Level {
  level: number;
  label: string;
  colour: string;
}

/**
 * Order used to break ties for `dominant` when two pollutants reach the same worst sub-index: particles first
 * (the pollutants a street station measures best and that drive most episodes), then the gases. Fixed so that the
 * same inputs always name the same pollutant.
 */
export const POLLUTANT_ORDER: readonly Pollutant[] = ['pm25', 'pm10', 'no2', 'o3', 'so2', 'co'];
