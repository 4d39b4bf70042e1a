export { clampRh, nonNegative, type Corrected } from './result.js';
export { linear, type LinearCoefficients } from './linear.js';
export { EPA2021, epa2021, epa2021Raw } from './epa2021.js';
export { epaFasm, epaFasmRaw } from './epa-fasm.js';
export { KOHLER_RH_CAP_PCT, kohler, kohlerGrowth, type KohlerResult } from './kohler.js';
export {
  EU_REFERENCE, GASES, MOLAR_MASS_G_PER_MOL, R_J_PER_MOL_K, molarVolumeL, ppbToUgm3, ugm3PerPpb, ugm3ToPpb, type Conditions, type Gas,
} from './gas.js';
export { no2B43f, SENSOR_ZEROS_NEEDED, type No2B43fInput, type No2B43fOutput } from './no2-b43f.js';
