export { ads1115Definition } from './definition.js';
export { ads1115OptionsSchema, type Ads1115Options, type Ads1115OptionsInput } from './options.js';
export { Ads1115, type Ads1115Deps, type Conversion, type ConversionSettings } from './ads1115.js';
export { Ads1115Simulator, type Ads1115SimulatorOptions } from './simulator.js';
export {
  buildConfig, codeToVolts, conversionMs, decodeConfig, FSR_VALUES, MUX, muxInputs, POINTER, RESET_FIELDS,
  singleEnded, SPS_VALUES, voltsToCode, type Channel, type ConfigFields, type ComparatorQueue, type Fsr, type Mux,
  type Sps,
} from './config.js';
