import type { PartDefinition } from '../types.js';

// Ranges: the SHT4x operating range, 0…100 %RH and −40…125 °C (datasheet, Features). Precision: RH resolution
// 0.01 %RH (datasheet key specs) and 0.01 °C; the 16-bit words resolve 175/65535 ≈ 0.0027 °C and
// 125/65535 ≈ 0.0019 %RH.
export const sht4xDefinition: PartDefinition = {
  id: 'sht4x',
  maker: 'Sensirion',
  model: 'SHT40 / SHT41 / SHT45 (SHT4x)',
  bus: 'i2c',
  quantities: [
    { name: 'temperature_c', unit: '°C', min: -40, max: 125, precision: 2 },
    { name: 'humidity_pct', unit: '%', min: 0, max: 100, precision: 2 },
  ],
  // A measurement is valid on the first command after power-up (no warm-up in the datasheet; heater not used).
  warmupS: 0,
  source:
    'Sensirion Datasheet SHT4x, Version 6 (February 2023): Features, §3.2 timing, §4.4 CRC, §4.5 commands, §4.6 conversion',
};
