// Sensirion SHT30/SHT31/SHT35 (SHT3x-DIS) temperature and humidity over I2C.
export { sht3xDefinition } from './definition.js';
export { sht3xOptionsSchema, type Sht3xOptions, type Sht3xOptionsInput } from './options.js';
export { Sht3x, Sht3xDataError, type Sht3xDeps } from './sht3x.js';
export { Sht3xSimulator, type Sht3xSimulatorOptions, type Sht3xTarget } from './simulator.js';
export {
  CLEAR_STATUS, commandBytes, decodeMeasurement, decodeSerial, decodeStatus, humidityFromRaw, MEASURE_COMMAND, MEASURE_MS,
  rawFromHumidity, rawFromTemperature, READ_SERIAL, READ_STATUS, SOFT_RESET, temperatureFromRaw,
  type Sht3xMeasurement, type Sht3xRepeatability, type Sht3xStatus,
} from './protocol.js';
export { sht3xPart } from './part.js';
