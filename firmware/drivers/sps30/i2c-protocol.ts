// SPS30 on I2C (protocols.md §3; SPS30 datasheet v1.0 §6; airrohr sps30_i2c.h; Sensirion/python-i2c-sps30
// commands.py): 7-bit address 0x69, ≤ 100 kHz. A transfer starts with a 16-bit command (big-endian); every data
// word after it, written or read, is followed by its Sensirion CRC-8 (poly 0x31, init 0xFF — sensirion-crc8.ts).
import { sensirionCrc8 } from '../../protocols/sensirion-crc8.js';

export const SPS30_I2C_ADDRESS = 0x69;

export const I2C_CMD = {
  start: 0x0010,
  stop: 0x0104,
  dataReady: 0x0202,
  read: 0x0300,
  sleep: 0x1001,
  wake: 0x1103,
  fanClean: 0x5607,
  autoClean: 0x8004,
  productType: 0xd002,
  serial: 0xd033,
  version: 0xd100,
  reset: 0xd304,
} as const;

/** Start-measurement argument: 0x03 = big-endian float output, 0x00 dummy byte (CRC 0xAC, protocols.md §3). */
export const I2C_START_FLOAT = 0x0300;
/** Bytes read back per command: data words × 3 (two data bytes + CRC). */
export const I2C_READ_LENGTH = {
  dataReady: 3,
  read: 60,
  autoClean: 6,
  productType: 12,
  serial: 48,
  version: 3,
} as const;

const I2C_NAMES: Record<number, string> = {
  [I2C_CMD.start]: 'start measurement',
  [I2C_CMD.stop]: 'stop measurement',
  [I2C_CMD.dataReady]: 'read data-ready flag',
  [I2C_CMD.read]: 'read measured values',
  [I2C_CMD.sleep]: 'sleep',
  [I2C_CMD.wake]: 'wake-up',
  [I2C_CMD.fanClean]: 'start fan cleaning',
  [I2C_CMD.autoClean]: 'auto-cleaning interval',
  [I2C_CMD.productType]: 'read product type',
  [I2C_CMD.serial]: 'read serial number',
  [I2C_CMD.version]: 'read version',
  [I2C_CMD.reset]: 'device reset',
};

export const i2cCommandName = (cmd: number): string => I2C_NAMES[cmd] ?? `command 0x${cmd.toString(16).padStart(4, '0')}`;

const hex4 = (n: number) => '0x' + n.toString(16).padStart(4, '0');
const hex2 = (n: number) => '0x' + n.toString(16).padStart(2, '0');

/** A word whose CRC does not match: the transfer was corrupted (or the bus read 0xFF from a sleeping sensor). */
export class Sps30CrcError extends Error {
  constructor(
    readonly command: number,
    readonly wordIndex: number,
    readonly received: number,
    readonly expected: number,
    bytes: string,
  ) {
    super(
      `SPS30 I2C: CRC mismatch in word ${wordIndex} of '${i2cCommandName(command)}' (${hex4(command)}): ` +
        `bytes ${bytes} carry CRC ${hex2(received)}, expected ${hex2(expected)} — check the wiring, pull-ups and bus speed (≤ 100 kHz)`,
    );
    this.name = 'Sps30CrcError';
  }
}

/** Each 16-bit word as two big-endian bytes followed by its CRC. */
export function packWords(words: readonly number[]): Uint8Array {
  const out = new Uint8Array(words.length * 3);
  words.forEach((w, i) => {
    if (!Number.isInteger(w) || w < 0 || w > 0xffff) throw new RangeError(`I2C data word ${i} must be 0..0xffff; got ${w}`);
    out[3 * i] = w >> 8;
    out[3 * i + 1] = w & 0xff;
    out[3 * i + 2] = sensirionCrc8(out, 3 * i, 3 * i + 2);
  });
  return out;
}

/** The command bytes, then the packed words: one I2C write. */
export function commandFrame(cmd: number, words: readonly number[] = []): Uint8Array {
  const packed = packWords(words);
  const out = new Uint8Array(2 + packed.length);
  out[0] = cmd >> 8;
  out[1] = cmd & 0xff;
  out.set(packed, 2);
  return out;
}

/** Checks every word's CRC and returns the data bytes without them; throws Sps30CrcError naming the word. */
export function unpackWords(bytes: Uint8Array, command: number): Uint8Array {
  if (bytes.length % 3 !== 0) throw new RangeError(`SPS30 I2C read of ${bytes.length} bytes is not a whole number of word+CRC triplets`);
  const out = new Uint8Array((bytes.length / 3) * 2);
  for (let i = 0; i * 3 < bytes.length; i++) {
    const expected = sensirionCrc8(bytes, 3 * i, 3 * i + 2);
    const received = bytes[3 * i + 2] as number;
    if (received !== expected) {
      const b = (k: number) => (bytes[k] as number).toString(16).padStart(2, '0');
      throw new Sps30CrcError(command, i, received, expected, `${b(3 * i)} ${b(3 * i + 1)}`);
    }
    out[2 * i] = bytes[3 * i] as number;
    out[2 * i + 1] = bytes[3 * i + 1] as number;
  }
  return out;
}

/** Splits a write (command + words with CRCs) as a device sees it; null words when a CRC is wrong. */
export function parseCommandFrame(data: Uint8Array): { command: number; words: number[] | null } | null {
  if (data.length < 2) return null;
  const command = ((data[0] as number) << 8) | (data[1] as number);
  const rest = data.subarray(2);
  if (rest.length % 3 !== 0) return { command, words: null };
  const words: number[] = [];
  for (let i = 0; i < rest.length; i += 3) {
    if (sensirionCrc8(rest, i, i + 2) !== rest[i + 2]) return { command, words: null };
    words.push(((rest[i] as number) << 8) | (rest[i + 1] as number));
  }
  return { command, words };
}
