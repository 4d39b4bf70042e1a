import type { PartDefinition } from '../types.js';

// Ranges: the specified range of the SHT3x-DIS (datasheet V5 §1, humidity and temperature specification
// tables: 0…100 %RH, −40…125 °C).
// Precision: the datasheet gives a typical resolution of 0.01 °C and 0.01 %RH; the 16-bit words resolve
// 175/65535 ≈ 0.0027 °C and 100/65535 ≈ 0.0015 %RH, so two decimals are honest.
export const sht3xDefinition: PartDefinition = {
  id: 'sht3x',
  maker: 'Sensirion',
  model: 'SHT30 / SHT31 / SHT35 (SHT3x-DIS)',
  bus: 'i2c',
  quantities: [
    { name: 'temperature_c', unit: '°C', min: -40, max: 125, precision: 2 },
    { name: 'humidity_pct', unit: '%', min: 0, max: 100, precision: 2 },
  ],
  // A single-shot measurement is valid on the first command after power-up (§4.1: idle after tPU, about 1 ms).
  warmupS: 0,
  source:
    'Sensirion Datasheet SHT3x-DIS, Version 5 (May 2018): §2.2 timing, §4.3 Table 9 commands, §4.4 readout, ' +
    '§4.9 soft reset, §4.11 status register, §4.12 CRC, §4.13 conversion',
};
