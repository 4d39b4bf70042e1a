import type { PartDefinition, QuantitySpec } from '../types.js';

// The PMSA003I returns the same 32-byte block over I2C as the PMS5003's UART frame (protocols.md §1;
// adafruit/Adafruit_PM25AQI reads it with one 32-byte read), hence the same quantities. Ranges: Plantower's
// Technical Index for the series (effective 0–500 µg/m³, maximum ≥ 1000 µg/m³, resolution 1 µg/m³, as in the
// PMS5003 manual V2.3); the PMSA003I datasheet itself was not re-read for this part [U]. Counts are per 0.1 L;
// no range is given for them, so the bound is the 16-bit field.
const PM_MAX_UGM3 = 1000;
const COUNT_MAX_PER_DL = 65535;

const pm = (name: string): QuantitySpec => ({ name, unit: 'µg/m³', min: 0, max: PM_MAX_UGM3, precision: 0 });
const count = (name: string): QuantitySpec => ({ name, unit: '#/0.1 L', min: 0, max: COUNT_MAX_PER_DL, precision: 0 });

export const pmsa003iDefinition: PartDefinition = {
  id: 'pmsa003i',
  maker: 'Plantower',
  model: 'PMSA003I (I2C)',
  bus: 'i2c',
  quantities: [
    pm('pm1_ugm3'),
    pm('pm25_ugm3'),
    pm('pm10_ugm3'),
    pm('pm1_cf1_ugm3'),
    pm('pm25_cf1_ugm3'),
    pm('pm10_cf1_ugm3'),
    count('n0_3_per_dl'),
    count('n0_5_per_dl'),
    count('n1_0_per_dl'),
    count('n2_5_per_dl'),
    count('n5_0_per_dl'),
    count('n10_per_dl'),
  ],
  // Plantower's fan needs ≥ 30 s after power-up or wake for stable data (protocols.md §1 "Timing").
  warmupS: 30,
  source:
    'protocols.md §1 (PMS5003 frame; "PMSA003I (I2C 0x12) returns the same block"); adafruit/Adafruit_PM25AQI ' +
    '(PMSA003I_I2CADDR_DEFAULT 0x12, Adafruit_PM25AQI_PMSA003I::read: one 32-byte read); Plantower PMS5003 manual V2.3 ranges',
};
