import type { PartDefinition } from '../types.js';

// The ADS1115 is a converter, not a sensor: it yields no canonical quantity of its own (DESIGN.md §3 has no
// voltage quantity). Parts read through it (no2-b43f) declare their quantities; this entry documents the chip.
export const ads1115Definition: PartDefinition = {
  id: 'ads1115',
  maker: 'Texas Instruments',
  model: 'ADS1115',
  bus: 'i2c',
  quantities: [],
  warmupS: 0,
  source: 'TI ADS1115 datasheet SBAS444 (§9.3 feature description, §9.6 register map); Adafruit_ADS1X15',
};
