// What every sensor part declares about itself (STYLE.md "devices as data"): validation, QC, dashboards and the
// CLI read these definitions instead of repeating unit, range and precision facts.

export interface QuantitySpec {
  /** Canonical quantity name (DESIGN.md §3), unit in the name. */
  name: string;
  unit: string;
  /** Plausible range from the datasheet; values outside are flagged, not silently dropped. */
  min: number;
  max: number;
  /** Decimal places the part actually resolves. */
  precision: number;
}

export interface PartDefinition {
  /** Registry key, also the `part` tag: lower-case, e.g. "pms5003". */
  id: string;
  maker: string;
  model: string;
  bus: 'uart' | 'i2c' | 'analog' | 'firmata';
  quantities: QuantitySpec[];
  /** Seconds after power-up or wake during which readings are marked `warmup`. */
  warmupS: number;
  /** Datasheet or other primary source the facts above come from. */
  source: string;
}

/** Decoded values keyed by canonical quantity name. */
export type Values = Record<string, number>;
