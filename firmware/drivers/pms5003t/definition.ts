import type { PartDefinition } from '../types.js';
import { PMS_FINE_COUNTS, PMS_MASS_QUANTITIES } from '../pms5003/definition.js';

// Same 32-byte frame as the PMS5003, but bytes 24–27 carry temperature ×10 (signed) and humidity ×10 instead of
// the > 5.0 and > 10 µm counts (protocols.md §1). Resolution 0.1 follows from the ×10 encoding.
// Ranges: the PMS5003 manual V2.3 Technical Index working range (−10…60 °C, 0…99 % RH) — taken as the plausible
// envelope of the built-in sensor; not re-checked against a PMS5003T manual [U].
export const pms5003t: PartDefinition = {
  id: 'pms5003t',
  maker: 'Plantower',
  model: 'PMS5003T',
  bus: 'uart',
  quantities: [
    ...PMS_MASS_QUANTITIES,
    ...PMS_FINE_COUNTS,
    { name: 'temperature_c', unit: '°C', min: -10, max: 60, precision: 1 },
    { name: 'humidity_pct', unit: '%', min: 0, max: 99, precision: 1 },
  ],
  warmupS: 30,
  source:
    'Plantower PMS5003 series data manual V2.3 (frame, commands, warm-up); PMS5003T field layout per ' +
    'protocols.md §1, checked against captured PMS5003T frames in avaldebe/PyPMS tests/captured_data/PMS5003T.hexdump',
};
