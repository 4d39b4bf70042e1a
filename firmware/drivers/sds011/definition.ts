import type { PartDefinition, QuantitySpec } from '../types.js';

// Nova SDS011 laser PM2.5 sensor specification V1.3 (2015-10-09), "Technical Parameters" (p. 2): range
// 0.0–999.9 µg/m³ for PM2.5 and PM10. The wire carries tenths of a µg/m³ ((high·256 + low)/10, "The UART
// communication protocol", p. 5), so one decimal place is what the part resolves.
const PM_MAX_UGM3 = 999.9;

const pm = (name: string): QuantitySpec => ({ name, unit: 'µg/m³', min: 0, max: PM_MAX_UGM3, precision: 1 });

export const sds011: PartDefinition = {
  id: 'sds011',
  maker: 'Nova Fitness',
  model: 'SDS011',
  bus: 'uart',
  quantities: [pm('pm25_ugm3'), pm('pm10_ugm3')],
  // air-quality.md §7: mark readings for 15 s after wake-up (airrohr practice), do not drop them. The datasheet
  // itself gives no warm-up time.
  warmupS: 15,
  source:
    'Nova Fitness SDS011 laser PM2.5 sensor specification V1.3 (Technical Parameters p. 2, UART protocol p. 5); ' +
    'Nova "Laser Dust Sensor Control Protocol V1.3"; protocols.md §2, §9; air-quality.md §7',
};
