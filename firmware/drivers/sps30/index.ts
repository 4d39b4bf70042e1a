// Sensirion SPS30 particulate matter sensor, on UART (SHDLC) or I2C: one part, `sps30`.
import { commandName, CMD } from './commands.js';
import { decodeMeasurement, MEASUREMENT_BYTES } from './measurement.js';
import { hex, SHDLC_DEVICE_ERROR_FLAG, ShdlcScanner, stateErrorCode, stateErrorName, type ShdlcErrorCode } from './shdlc.js';
import type { Values } from '../types.js';

export { sps30Definition, isWarmingUp, SPS30_WARMUP_S, SPS30_WARMUP_LOW_COUNT_S, SPS30_LOW_COUNT_PER_CM3 } from './definition.js';
export { sps30OptionsSchema, type Sps30Options, type Sps30OptionsInput } from './options.js';
export * from './shdlc.js';
export * from './commands.js';
export * from './measurement.js';
export * from './i2c-protocol.js';
export { Sps30Uart, type Sps30UartOptions, type Sps30Reply, type Sps30Measurement, type Sps30UartEvents } from './driver-uart.js';
export { Sps30I2c, type Sps30I2cOptions } from './driver-i2c.js';
export { Sps30Model, sps30ValuesFromConditions, type Sps30Mode, type Sps30ModelOptions } from './simulator.js';
export { Sps30UartSimulator, SPS30_PRODUCT_TYPE, WAKE_WINDOW_MS } from './simulator-uart.js';
export { Sps30I2cSimulator } from './simulator-i2c.js';
export { sps30Part, ensureMeasuring, SPS30_BAUD, type Sps30Link } from './part.js';

/** JSON-friendly decode results for `airlane decode sps30-uart` (one object per line). */
export type Sps30Decoded =
  | { kind: 'reading'; values: Values; hex: string; deviceError?: true }
  | { kind: 'reply'; command: number; name?: string; state: number; error?: string; data: string; hex: string }
  | { kind: 'error'; code: ShdlcErrorCode; reason: string; hex: string };

/**
 * Decodes an SPS30 MISO byte stream (sensor → host) given as chunks split anywhere: a read-measured-values reply
 * with 40 data bytes and no error code is a reading; every other valid frame — acknowledgements, an empty read
 * ("no new values"), a state error such as 0x43 — is a reply; refused candidates are errors with their reason.
 * An unfinished frame at the end is reported as `truncated`.
 */
export async function* decodeChunks(chunks: AsyncIterable<Buffer> | Iterable<Buffer>): AsyncGenerator<Sps30Decoded> {
  let out: Sps30Decoded[] = [];
  const scanner = new ShdlcScanner('miso', {
    frame(f) {
      const state = f.state ?? 0;
      const code = stateErrorCode(state);
      if (f.command === CMD.read && code === 0 && f.data.length === MEASUREMENT_BYTES) {
        const item: Sps30Decoded = { kind: 'reading', values: decodeMeasurement(f.data), hex: hex(f.raw) };
        if (state & SHDLC_DEVICE_ERROR_FLAG) item.deviceError = true;
        out.push(item);
        return;
      }
      const name = commandName(f.command);
      out.push({
        kind: 'reply',
        command: f.command,
        ...(name ? { name } : {}),
        state,
        ...(code ? { error: stateErrorName(code) } : {}),
        data: hex(f.data),
        hex: hex(f.raw),
      });
    },
    error(e) {
      out.push({ kind: 'error', code: e.code, reason: e.reason, hex: hex(e.raw) });
    },
  });
  for await (const chunk of chunks) {
    scanner.push(chunk);
    const batch = out;
    out = [];
    yield* batch;
  }
  scanner.end();
  yield* out;
}
