// The PMS7003 runs the PMS5003 code unchanged, so its options are the PMS5003 family's one schema.
export { pmsOptionsSchema as pms7003OptionsSchema, type PmsOptions as Pms7003Options } from '../pms5003/options.js';
