import type { PartDefinition } from '../types.js';

/**
 * A voltage on an Arduino satellite's analog input A0–A5 (ATmega328P 10-bit ADC through Firmata), for sensors with
 * an analog output. Range: 0 V to the board's analog reference (5 V by default; ATmega328P datasheet §24, ADC).
 */
export const analogDefinition: PartDefinition = {
  id: 'analog',
  maker: 'any',
  model: 'analog voltage on an Arduino A0–A5 input',
  bus: 'firmata',
  quantities: [{ name: 'analog_mv', unit: 'mV', min: 0, max: 5500, precision: 1 }],
  warmupS: 0,
  source: 'ATmega328P datasheet, §24 Analog-to-Digital Converter (10-bit, 0 V to AREF); Firmata protocol 2.5 analog message',
};
