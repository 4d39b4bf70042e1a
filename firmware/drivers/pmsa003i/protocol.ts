// The PMSA003I's I2C read: one 32-byte block, the PMS5003 UART frame byte for byte (protocols.md §1). The checks
// and the field layout are the PMS5003 code's, imported, not copied: header and length are compared here against
// its exported constants, the checksum is verified by its PmsScanner (so the reasons read the same as on UART),
// and decodeFrame / frameStatus unpack the words.
import type { Values } from '../types.js';
import {
  decodeFrame, frameStatus, hex, PMS_HEADER_0, PMS_HEADER_1, PMS_LEN_DATA, PmsScanner, type PmsErrorCode,
} from '../pms5003/protocol.js';

/** Bytes in one read: header 2 + length 2 + 26 data + checksum 2. */
export const PMSA003I_BLOCK_BYTES = PMS_LEN_DATA + 4;

export type Pmsa003iBlockErrorCode = 'header' | PmsErrorCode;

export type Pmsa003iBlock =
  | { ok: true; values: Values; version: number; errorCode: number }
  | { ok: false; code: Pmsa003iBlockErrorCode; reason: string; hex: string };

const hex4 = (n: number) => '0x' + n.toString(16).padStart(4, '0');

/** Checks and decodes one block read from the sensor. Never throws: a refused block says why. */
export function decodeBlock(block: Uint8Array): Pmsa003iBlock {
  const all = hex(block);
  if (block.length !== PMSA003I_BLOCK_BYTES) {
    return { ok: false, code: 'truncated', reason: `read ${block.length} bytes, expected ${PMSA003I_BLOCK_BYTES}`, hex: all };
  }
  // Over I2C the block always starts at byte 0; a UART-style hunt for the header would hide a stuck bus.
  if (block[0] !== PMS_HEADER_0 || block[1] !== PMS_HEADER_1) {
    return { ok: false, code: 'header', reason: `block starts with ${hex(block, 0, 2)}, expected 42 4d`, hex: all };
  }
  const len = (block[2]! << 8) | block[3]!;
  if (len !== PMS_LEN_DATA) {
    return { ok: false, code: 'length', reason: `length field ${hex4(len)}, expected ${hex4(PMS_LEN_DATA)}`, hex: all };
  }
  let result: Pmsa003iBlock | undefined;
  const scanner = new PmsScanner({
    frame(buf, start, length) {
      if (result || start !== 0) return;
      const status = frameStatus(buf, start, length) ?? { version: 0, errorCode: 0 };
      result = { ok: true, values: decodeFrame(buf, start, length, 'pms5003'), ...status };
    },
    ack() {},
    error(code, reason) {
      result ??= { ok: false, code, reason, hex: all };
    },
  });
  scanner.push(block);
  scanner.end();
  return result ?? { ok: false, code: 'checksum', reason: 'block not accepted as a frame', hex: all };
}
