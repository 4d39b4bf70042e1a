import type { PartDefinition, QuantitySpec } from '../types.js';

// PMS5003 manual V2.3 (2016-06-01), Technical Index: effective range 0–500 µg/m³ and maximum range ≥ 1000 µg/m³
// (PM2.5 standard data), resolution 1 µg/m³. The upper bound here is the maximum range: a value above it is
// outside what the part claims to report. Counts are per 0.1 L (manual, "Output result"); the manual gives no
// range for them, so the bound is the 16-bit field itself.
const PM_MAX_UGM3 = 1000;
const COUNT_MAX_PER_DL = 65535;

const pm = (name: string): QuantitySpec => ({ name, unit: 'µg/m³', min: 0, max: PM_MAX_UGM3, precision: 0 });
const count = (name: string): QuantitySpec => ({ name, unit: '#/0.1 L', min: 0, max: COUNT_MAX_PER_DL, precision: 0 });

/** The mass quantities every 32-byte Plantower frame carries (atmospheric first, then CF=1). */
export const PMS_MASS_QUANTITIES: QuantitySpec[] = [
  pm('pm1_ugm3'),
  pm('pm25_ugm3'),
  pm('pm10_ugm3'),
  pm('pm1_cf1_ugm3'),
  pm('pm25_cf1_ugm3'),
  pm('pm10_cf1_ugm3'),
];

/** Counts > 0.3, 0.5, 1.0 and 2.5 µm: present on PMS5003 and PMS5003T alike. */
export const PMS_FINE_COUNTS: QuantitySpec[] = [
  count('n0_3_per_dl'),
  count('n0_5_per_dl'),
  count('n1_0_per_dl'),
  count('n2_5_per_dl'),
];

/** Everything a standard 32-byte Plantower frame carries (PMS5003, PMS7003, PMSA003I; not the PMS5003T). */
export const PMS_FRAME_QUANTITIES: QuantitySpec[] = [...PMS_MASS_QUANTITIES, ...PMS_FINE_COUNTS, count('n5_0_per_dl'), count('n10_per_dl')];

export const pms5003: PartDefinition = {
  id: 'pms5003',
  maker: 'Plantower',
  model: 'PMS5003',
  bus: 'uart',
  quantities: PMS_FRAME_QUANTITIES,
  // Manual V2.3: stable data ≥ 30 s after wake-up (fan spin-up); air-quality.md §7 marks, never drops.
  warmupS: 30,
  source:
    'Plantower PMS5003 series data manual V2.3 (2016-06-01): Technical Index, Appendix I (transport protocol), ' +
    'Appendix II (commands); protocols.md §1',
};
