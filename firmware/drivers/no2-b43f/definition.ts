import type { PartDefinition } from '../types.js';
import { NO2_UGM3_PER_PPB_20C } from './algorithm.js';

// Range: the NO2-B43F performance is warranted to 20 ppm (Alphasense NO2-B43F datasheet, "Range"; quoted from
// the datasheet by secondary sources, not checked against the PDF here). The lower bound is our choice: AAN 803
// output scatters around zero in clean air (cell noise ±15 ppb at 2σ, same datasheet), so small negative values
// are expected and must not be flagged. Precision: one ADS1115 LSB at ±1.024 V is 31.25 µV ≈ 0.1 ppb at
// 0.25 mV/ppb, so one decimal is what the chain resolves (the cell itself is far noisier).
const PPB_MIN = -20;
const PPB_MAX = 20_000;

export const no2B43fDefinition: PartDefinition = {
  id: 'no2-b43f',
  maker: 'Alphasense',
  model: 'NO2-B43F (or NO2-A43F with series A4), on an ISB, read through a TI ADS1115',
  bus: 'i2c',
  quantities: [
    { name: 'no2_ppb', unit: 'ppb', min: PPB_MIN, max: PPB_MAX, precision: 1 },
    { name: 'no2_ugm3', unit: 'µg/m³', min: PPB_MIN * NO2_UGM3_PER_PPB_20C, max: PPB_MAX * NO2_UGM3_PER_PPB_20C, precision: 1 },
    // Raw ISB outputs; the upper bound is the default ±1.024 V range of the ADC.
    { name: 'we_mv', unit: 'mV', min: 0, max: 1024, precision: 2 },
    { name: 'ae_mv', unit: 'mV', min: 0, max: 1024, precision: 2 },
  ],
  // Electrochemical cells settle for a long time after the ISB bias is applied; one hour is our conservative
  // choice, not a datasheet figure.
  warmupS: 3600,
  source: 'Alphasense NO2-B43F datasheet; Alphasense AAN 803 (algorithms 1–4, B4- and A4-series tables); TI ADS1115 SBAS444',
};
