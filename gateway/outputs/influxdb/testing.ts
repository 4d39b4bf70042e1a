// Helpers the InfluxDB output's tests share (unit tests beside the code and integration tests against influxd).
import { silentLogger } from '../../core/log.js';
import { OutputError } from './errors.js';
import { InfluxDbOutput } from './influxdb.js';
import { InfluxOutputOptionsSchema, type InfluxOutputOptionsInput } from './options.js';

/** An output with silent logs, its options parsed as a station file's would be. */
export function testOutput(options: InfluxOutputOptionsInput): InfluxDbOutput {
  return new InfluxDbOutput(InfluxOutputOptionsSchema.parse(options), { log: silentLogger });
}

/** The OutputError a promise rejects with; fails the test when it resolves or rejects with anything else. */
export async function rejection(p: Promise<unknown>): Promise<OutputError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof OutputError)) throw new Error(`expected an OutputError, got ${String(e)}`);
  return e;
}
