// Sensirion I2C replies are 16-bit big-endian words, each followed by its own CRC-8 (SHT3x datasheet §4.4 and
// §4.12, SHT4x datasheet §4.4–4.5; the same framing on SPS30, SGP4x, SCD4x). Drivers name the words they
// expect, so a failed check says which value was corrupted rather than just "bad CRC".
import { sensirionCrc8 } from './sensirion-crc8.js';

const hex2 = (n: number) => '0x' + n.toString(16).padStart(2, '0');
const hexBytes = (b: Uint8Array, start: number, end: number) =>
  Array.from(b.subarray(start, end), (x) => x.toString(16).padStart(2, '0')).join(' ');

export class SensirionWordError extends Error {
  constructor(
    message: string,
    /** 'crc': a word failed its check; 'length': the reply is not 3 bytes per expected word. */
    readonly code: 'crc' | 'length',
    /** The name the caller gave the failing word ('' for a length error). */
    readonly word: string,
    /** The whole reply, as space-separated hex. */
    readonly hex: string,
  ) {
    super(message);
    this.name = 'SensirionWordError';
  }
}

/**
 * Checks and unpacks a reply of `names.length` words (3 bytes each: MSB, LSB, CRC). Throws SensirionWordError
 * naming the first word whose CRC does not match, so a caller can tell a corrupted humidity from a corrupted
 * temperature.
 */
export function decodeWords(reply: Uint8Array, names: readonly string[]): number[] {
  const all = hexBytes(reply, 0, reply.length);
  if (reply.length !== names.length * 3) {
    throw new SensirionWordError(
      `reply is ${reply.length} bytes, expected ${names.length * 3} (${names.join(', ')}, each 2 bytes + CRC)`,
      'length',
      '',
      all,
    );
  }
  return names.map((name, i) => {
    const o = i * 3;
    const received = reply[o + 2]!;
    const computed = sensirionCrc8(reply, o, o + 2);
    if (received !== computed) {
      throw new SensirionWordError(
        `CRC mismatch on the ${name} word (bytes ${o}–${o + 2}: ${hexBytes(reply, o, o + 3)}): ` +
          `received ${hex2(received)}, computed ${hex2(computed)}`,
        'crc',
        name,
        all,
      );
    }
    return (reply[o]! << 8) | reply[o + 1]!;
  });
}

/** The reverse, for device simulators: each word as MSB, LSB, CRC. */
export function encodeWords(words: readonly number[]): Uint8Array {
  const out = new Uint8Array(words.length * 3);
  words.forEach((w, i) => {
    if (!Number.isInteger(w) || w < 0 || w > 0xffff) throw new RangeError(`word ${i} must be an integer 0…65535, got ${w}`);
    out[i * 3] = w >> 8;
    out[i * 3 + 1] = w & 0xff;
    out[i * 3 + 2] = sensirionCrc8(out, i * 3, i * 3 + 2);
  });
  return out;
}
