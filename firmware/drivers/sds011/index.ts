// Nova Fitness SDS011 (also SDS018/SDS021, which share the protocol per PyPMS docs/sensors/NovaFitness.md).
import type { Values } from '../types.js';
import { decodeData, decodeReply, hex, SdsScanner, type SdsErrorCode, type SdsReply } from './protocol.js';

export { sds011 as definition, sds011 } from './definition.js';
export { sdsOptionsSchema, type SdsOptions } from './options.js';
export { sds011Part } from './part.js';
export * from './protocol.js';
export * from './commands.js';
export * from './driver.js';
export * from './simulator.js';

/** JSON-friendly decode results for `airlane decode sds011` (one object per line). */
export type SdsDecoded =
  | { kind: 'reading'; values: Values; deviceId: number; hex: string }
  | ({ kind: 'reply'; hex: string } & SdsReply)
  | { kind: 'error'; code: SdsErrorCode; reason: string; hex: string };

/**
 * Decodes a byte stream given as chunks (split anywhere: stdin, a file, a port) into readings, command replies
 * and refused candidates, in stream order. An unfinished frame at the end is reported as a `truncated` error.
 */
export async function* decodeChunks(chunks: AsyncIterable<Buffer> | Iterable<Buffer>): AsyncGenerator<SdsDecoded> {
  let out: SdsDecoded[] = [];
  const scanner = new SdsScanner({
    frame(buf, start) {
      const { values, deviceId } = decodeData(buf, start);
      out.push({ kind: 'reading', values, deviceId, hex: hex(buf, start, start + 10) });
    },
    reply(buf, start) {
      out.push({ kind: 'reply', ...decodeReply(buf, start), hex: hex(buf, start, start + 10) });
    },
    error(code, reason, buf, start, length) {
      out.push({ kind: 'error', code, reason, hex: hex(buf, start, start + length) });
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
