import type { PartDefinition, QuantitySpec } from '../types.js';

// PMS7003 series data manual V2.5 (Plantower, 2016-06-01; copy linked from hackerspace-silesia/Smogomierz and
// avaldebe/PyPMS docs/sensors/Plantower.md), Technical Index: effective range 0–500 µg/m³, maximum range
// ≥ 1000 µg/m³ (PM2.5 standard data), resolution 1 µg/m³ — the same figures as the PMS5003 manual V2.3. Only the
// document's title page was re-read for this part; the figures are carried over from the shared index [U].
// Counts are per 0.1 L ("Output result"); no range is given for them, so the bound is the 16-bit field.
const PM_MAX_UGM3 = 1000;
const COUNT_MAX_PER_DL = 65535;

const pm = (name: string): QuantitySpec => ({ name, unit: 'µg/m³', min: 0, max: PM_MAX_UGM3, precision: 0 });
const count = (name: string): QuantitySpec => ({ name, unit: '#/0.1 L', min: 0, max: COUNT_MAX_PER_DL, precision: 0 });

export const pms7003Definition: PartDefinition = {
  id: 'pms7003',
  maker: 'Plantower',
  model: 'PMS7003 (G7)',
  bus: 'uart',
  // The same 32-byte frame as the PMS5003 (protocols.md §1), hence the same quantities.
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
  // "Stable data should be got at least 30 seconds after the sensor wakeup from the sleep mode because of the
  // fan's performance" (PMS7003 manual, Circuit Attentions 4).
  warmupS: 30,
  source:
    'Plantower PMS7003 series data manual V2.5 (2016-06-01): Technical Index, Circuit Attentions, Appendix I ' +
    '(PMS5003 frame); protocols.md §1; connector per avaldebe/PyPMS docs/sensors/Plantower.md and espruino.com/PMS7003',
};
