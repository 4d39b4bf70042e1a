import type { PartDefinition } from '../types.js';

// Ranges are the datasheet's operating range (BST-BME280-DS002 §1, Table 1 "Parameter specification"):
// −40…85 °C, 0…100 %RH, 300…1100 hPa. Precision: temperature is delivered in 0.01 °C steps (§4.2.3), humidity
// resolves 0.008 %RH (→ 2 decimals); pressure at the default ×1 oversampling resolves 2.62 Pa (16 bit, §3.4.1),
// so 0.01 hPa is the finest honest step.
export const bme280Definition: PartDefinition = {
  id: 'bme280',
  maker: 'Bosch Sensortec',
  model: 'BME280',
  bus: 'i2c',
  quantities: [
    { name: 'temperature_c', unit: '°C', min: -40, max: 85, precision: 2 },
    { name: 'humidity_pct', unit: '%', min: 0, max: 100, precision: 2 },
    { name: 'pressure_hpa', unit: 'hPa', min: 300, max: 1100, precision: 2 },
  ],
  // Forced mode returns a valid sample on the first trigger after the 2 ms start-up time (§1 Table 1), so no
  // reading needs to be marked as warm-up.
  warmupS: 0,
  source: 'Bosch Sensortec BME280 datasheet BST-BME280-DS002 (§1, §3.4, §4.2, §5.4, §8.1, §9.1)',
};
