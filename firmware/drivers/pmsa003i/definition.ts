import type { PartDefinition } from '../types.js';
import { PMS_FRAME_QUANTITIES } from '../pms5003/definition.js';

// The PMSA003I returns the same 32-byte block over I2C as the PMS5003's UART frame (protocols.md §1;
// adafruit/Adafruit_PM25AQI reads it with one 32-byte read), hence the same quantities. Ranges: Plantower's
// Technical Index for the series (effective 0–500 µg/m³, maximum ≥ 1000 µg/m³, resolution 1 µg/m³, as in the
// PMS5003 manual V2.3); the PMSA003I datasheet itself was not re-read for this part [U]. Counts are per 0.1 L;
// the quantities and bounds are the PMS5003's (pms5003/definition.ts).

export const pmsa003iDefinition: PartDefinition = {
  id: 'pmsa003i',
  maker: 'Plantower',
  model: 'PMSA003I (I2C)',
  bus: 'i2c',
  quantities: PMS_FRAME_QUANTITIES,
  // Plantower's fan needs ≥ 30 s after power-up or wake for stable data (protocols.md §1 "Timing").
  warmupS: 30,
  source:
    'protocols.md §1 (PMS5003 frame; "PMSA003I (I2C 0x12) returns the same block"); adafruit/Adafruit_PM25AQI ' +
    '(PMSA003I_I2CADDR_DEFAULT 0x12, Adafruit_PM25AQI_PMSA003I::read: one 32-byte read); Plantower PMS5003 manual V2.3 ranges',
};
