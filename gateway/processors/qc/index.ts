// The `qc` processor (station file key `qc:`): see README.md.
export { QcProcessor, type QcDeps } from './qc.js';
export { qcOptions, type QcOptions } from './options.js';
