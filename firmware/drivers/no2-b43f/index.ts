export { no2B43fDefinition } from './definition.js';
export { no2B43fOptionsSchema, type No2B43fOptions, type No2B43fOptionsInput } from './options.js';
export { No2B43f } from './no2-b43f.js';
export { No2B43fSimulator, type No2B43fSimulatorOptions, type No2Target } from './simulator.js';
export {
  aan803, aan803WeMv, algorithm1, algorithmsFor, ALGORITHMS, correctionFactor, FACTOR_NAMES, FACTOR_TEMPERATURES_C,
  factorRow, interpolateFactor, NO2_FACTORS, NO2_UGM3_PER_PPB_20C, no2PpbToUgm3, nT, SERIES, SERIES_SENSOR,
  settingsProblem, weMvForPpb, type Aan803Result, type AlgorithmId, type Algorithm1Result, type CorrectionSettings,
  type SensorConstants, type Series, type SheetConstants,
} from './algorithm.js';
export { no2B43fPart } from './part.js';
export { sheet202440338, sheet202440340, sheet212060308 } from './fixtures.js';
