import type { PartDefinition, QuantitySpec } from '../types.js';

// SPS30 datasheet v1.0 (March 2020) §1.1 Table 1: mass concentration range 0–1000 µg/m³, number concentration
// range 0–3000 #/cm³, particle size range 0.3–10 µm (so the typical size cannot exceed 10 µm). The values are
// floats and the datasheet states no resolution for them: two decimals is a display choice, not a claim.
const MASS_MAX_UGM3 = 1000;
const NUMBER_MAX_PER_CM3 = 3000;
const SIZE_MAX_UM = 10;

const mass = (name: string): QuantitySpec => ({ name, unit: 'µg/m³', min: 0, max: MASS_MAX_UGM3, precision: 2 });
const number = (name: string): QuantitySpec => ({ name, unit: '#/cm³', min: 0, max: NUMBER_MAX_PER_CM3, precision: 2 });

/** Warm-up: 16 s; 30 s while nc4.0 is below 300 #/cm³ (Smart Citizen practice; protocols.md §3, air-quality.md §7). */
export const SPS30_WARMUP_S = 16;
export const SPS30_WARMUP_LOW_COUNT_S = 30;
export const SPS30_LOW_COUNT_PER_CM3 = 300;

export const sps30Definition: PartDefinition = {
  id: 'sps30',
  maker: 'Sensirion',
  model: 'SPS30',
  // The same part also runs on I2C (SEL to GND); the station file's `bus` decides. PartDefinition holds one bus,
  // so this names the default wiring.
  bus: 'uart',
  quantities: [
    mass('pm1_ugm3'),
    mass('pm25_ugm3'),
    mass('pm4_ugm3'),
    mass('pm10_ugm3'),
    number('nc0_5_per_cm3'),
    number('nc1_0_per_cm3'),
    number('nc2_5_per_cm3'),
    number('nc4_0_per_cm3'),
    number('nc10_per_cm3'),
    { name: 'typical_size_um', unit: 'µm', min: 0, max: SIZE_MAX_UM, precision: 2 },
  ],
  warmupS: SPS30_WARMUP_S,
  source:
    'Sensirion SPS30 datasheet v1.0 (March 2020): §1.1 specifications, §5 UART/SHDLC, §6 I2C; ' +
    'protocols.md §3; Smart Citizen warm-up practice (air-quality.md §7)',
};

/**
 * Whether a reading taken `elapsedS` after the measurement started is still warming up: always within 16 s, and
 * within 30 s when nc4.0 < 300 #/cm³ (low concentrations take longer to settle).
 */
export function isWarmingUp(elapsedS: number, values: { nc4_0_per_cm3?: number | undefined }, warmupS = SPS30_WARMUP_S, lowCountWarmupS = SPS30_WARMUP_LOW_COUNT_S): boolean {
  if (elapsedS < warmupS) return true;
  const nc4 = values.nc4_0_per_cm3;
  return elapsedS < lowCountWarmupS && typeof nc4 === 'number' && nc4 < SPS30_LOW_COUNT_PER_CM3;
}
