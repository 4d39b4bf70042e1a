// Sensirion SHT40/SHT41/SHT45 (SHT4x) temperature and humidity over I2C.
export { sht4xDefinition } from './definition.js';
export { sht4xOptionsSchema, type Sht4xOptions, type Sht4xOptionsInput } from './options.js';
export { Sht4x, Sht4xDataError, type Sht4xDeps, type Sht4xReading } from './sht4x.js';
export { Sht4xSimulator, type Sht4xSimulatorOptions, type Sht4xTarget } from './simulator.js';
export {
  decodeMeasurement, decodeSerial, ESD_SUSPECT_WORD, humidityFromRaw, MEASURE_COMMAND, MEASURE_MS, rawFromHumidity,
  rawFromTemperature, READ_SERIAL, SOFT_RESET, temperatureFromRaw, unclampedHumidityFromRaw,
  type Sht4xMeasurement, type Sht4xPrecision,
} from './protocol.js';
export { sht4xPart } from './part.js';
