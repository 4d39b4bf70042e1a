export { bme280Definition } from './definition.js';
export { bme280OptionsSchema, type Bme280Options, type Bme280OptionsInput } from './options.js';
export { Bme280, maxMeasurementMs, type Bme280Deps } from './bme280.js';
export { Bme280Simulator, rawForTarget, type Bme280SimulatorOptions, type Bme280Target } from './simulator.js';
export {
  compensate, compensateHumidity, compensatePressureQ24_8, compensateTemperature, encodeCalibration, packData,
  parseCalibration, unpackData, type Bme280Calibration, type Compensated, type RawSample,
} from './compensation.js';
export { bme280Part } from './part.js';
