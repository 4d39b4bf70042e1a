// The InfluxDB 1.x output plugin: public API.
export { InfluxDbOutput, type InfluxOutputStats } from './influxdb.js';
export { InfluxOutputOptionsSchema, RetentionPolicySchema, durationMs, resolveTarget, redactUrl, DEFAULT_DATABASE } from './options.js';
export type { InfluxOutputOptions, InfluxOutputOptionsInput, InfluxTarget, RetentionPolicy } from './options.js';
export { OutputError, isOutputError, classifyInfluxError } from './errors.js';
export type { OutputErrorKind, OutputErrorInfo } from './errors.js';
export { sanitizeTagValue, toPoint, convert, MEASUREMENTS, INTEGER_FIELDS } from './sanitize.js';
export { isolateRefused, bisectionBudget, type Refusal, type Isolated } from './bisect.js';
