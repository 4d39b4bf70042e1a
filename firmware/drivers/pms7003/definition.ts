import type { PartDefinition } from '../types.js';
import { PMS_FRAME_QUANTITIES } from '../pms5003/definition.js';

// PMS7003 series data manual V2.5 (Plantower, 2016-06-01; copy linked from hackerspace-silesia/Smogomierz and
// avaldebe/PyPMS docs/sensors/Plantower.md), Technical Index: effective range 0–500 µg/m³, maximum range
// ≥ 1000 µg/m³ (PM2.5 standard data), resolution 1 µg/m³ — the same figures as the PMS5003 manual V2.3. Only the
// document's title page was re-read for this part; the figures are carried over from the shared index [U].
// Counts are per 0.1 L ("Output result"); the quantities and bounds are the PMS5003's (pms5003/definition.ts).

export const pms7003Definition: PartDefinition = {
  id: 'pms7003',
  maker: 'Plantower',
  model: 'PMS7003 (G7)',
  bus: 'uart',
  // The same 32-byte frame as the PMS5003 (protocols.md §1), hence the same quantities.
  quantities: PMS_FRAME_QUANTITIES,
  // "Stable data should be got at least 30 seconds after the sensor wakeup from the sleep mode because of the
  // fan's performance" (PMS7003 manual, Circuit Attentions 4).
  warmupS: 30,
  source:
    'Plantower PMS7003 series data manual V2.5 (2016-06-01): Technical Index, Circuit Attentions, Appendix I ' +
    '(PMS5003 frame); protocols.md §1; connector per avaldebe/PyPMS docs/sensors/Plantower.md and espruino.com/PMS7003',
};
