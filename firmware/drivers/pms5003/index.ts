// Plantower PMS5003 family (PMS5003, PMS7003, PMSA003 UART; PMS5003T via variant 'pms5003t'; PMS1003–3003
// 24-byte frames decoded as far as they go).
import type { Values } from '../types.js';
import { commandName } from './commands.js';
import { checkVariant, decodeFrame, frameStatus, hex, PmsScanner, type PmsErrorCode, type PmsVariant } from './protocol.js';

export { pms5003 as definition, pms5003, PMS_MASS_QUANTITIES, PMS_FINE_COUNTS } from './definition.js';
export * from './protocol.js';
export * from './commands.js';
export * from './driver.js';
export * from './simulator.js';

/** JSON-friendly decode results for `airlane decode pms5003` (one object per line). */
export type PmsDecoded =
  | { kind: 'reading'; values: Values; hex: string; version?: number; errorCode?: number }
  | { kind: 'ack'; command: number; data: number; name?: string; hex: string }
  | { kind: 'error'; code: PmsErrorCode; reason: string; hex: string };

/**
 * Decodes a byte stream given as chunks (split anywhere: stdin, a file, a port) into readings, ACKs and
 * rejected candidates, in stream order. An unfinished frame at the end is reported as a `truncated` error.
 */
export async function* decodeChunks(
  chunks: AsyncIterable<Buffer> | Iterable<Buffer>,
  variant: PmsVariant = 'pms5003',
): AsyncGenerator<PmsDecoded> {
  checkVariant(variant);
  let out: PmsDecoded[] = [];
  const scanner = new PmsScanner({
    frame(buf, start, length) {
      const item: PmsDecoded = { kind: 'reading', values: decodeFrame(buf, start, length, variant), hex: hex(buf, start, start + length) };
      const status = frameStatus(buf, start, length);
      if (status) Object.assign(item, status);
      out.push(item);
    },
    ack(command, data, buf, start) {
      const name = commandName(command, data);
      out.push({ kind: 'ack', command, data, ...(name ? { name } : {}), hex: hex(buf, start, start + 8) });
    },
    error(code, reason, buf, start, length) {
      out.push({ kind: 'error', code, reason, hex: hex(buf, start, start + length) });
    },
  }, variant);
  for await (const chunk of chunks) {
    scanner.push(chunk);
    const batch = out;
    out = [];
    yield* batch;
  }
  scanner.end();
  yield* out;
}
