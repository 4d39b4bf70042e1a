export { analogDefinition } from './definition.js';
export { analogOptionsSchema, type AnalogOptions } from './options.js';
export { calibrateLinear } from './calibrate.js';
export { analogPart } from './part.js';
