import { describe, expect, it } from 'vitest';
import { sensirionCrc8 } from '../../protocols/sensirion-crc8.js';
import { bytesOf, I2C_CAPTURE_ISSUE14, I2C_SERIAL_BUILT, I2C_START_FLOAT_WRITE } from './fixtures.js';
import { commandFrame, I2C_CMD, I2C_START_FLOAT, packWords, parseCommandFrame, Sps30CrcError, unpackWords } from './i2c-protocol.js';
import { asciiz } from './commands.js';
import { hex } from './shdlc.js';

describe('SPS30 I2C words', () => {
  it('start measurement is 00 10 03 00 AC (protocols.md §3)', () => {
    expect(hex(commandFrame(I2C_CMD.start, [I2C_START_FLOAT]))).toBe(hex(bytesOf(I2C_START_FLOAT_WRITE)));
    expect(hex(commandFrame(I2C_CMD.read))).toBe('03 00');
    expect(hex(commandFrame(I2C_CMD.dataReady))).toBe('02 02');
  });

  it('puts a CRC after every word, matching the capture\'s own CRCs', () => {
    expect(hex(packWords([0x0000, 0x8000, 0x3fd0, 0xa3d7]))).toBe('00 00 81 80 00 a2 3f d0 ae a3 d7 c0');
    expect(sensirionCrc8(Uint8Array.of(0xbe, 0xef))).toBe(0x92);
  });

  it('a CRC failure is an error naming the word and the command', () => {
    const bad = bytesOf(I2C_CAPTURE_ISSUE14.hex);
    bad[3 * 19 + 1] = 0xd6; // word 19: a3 d7 → a3 d6
    expect(() => unpackWords(bad, I2C_CMD.read)).toThrow(Sps30CrcError);
    expect(() => unpackWords(bad, I2C_CMD.read)).toThrow(
      "SPS30 I2C: CRC mismatch in word 19 of 'read measured values' (0x0300): bytes a3 d6 carry CRC 0xc0, expected 0xf1 — check the wiring, pull-ups and bus speed (≤ 100 kHz)",
    );
    try {
      unpackWords(bad, I2C_CMD.read);
    } catch (e) {
      expect(e).toMatchObject({ wordIndex: 19, received: 0xc0, command: 0x0300 });
    }
  });

  it('reads a serial number (BUILT fixture: a real serial, computed CRCs)', () => {
    const data = Buffer.alloc(32);
    data.write(I2C_SERIAL_BUILT.serial, 'latin1');
    const words = Array.from({ length: 16 }, (_, i) => data.readUInt16BE(2 * i));
    const wire = packWords(words);
    expect(wire.length).toBe(48);
    expect(asciiz(unpackWords(wire, I2C_CMD.serial))).toBe('6B19E22CD975E11A');
  });

  it('parses a write as the device sees it', () => {
    expect(parseCommandFrame(bytesOf(I2C_START_FLOAT_WRITE))).toEqual({ command: 0x0010, words: [0x0300] });
    expect(parseCommandFrame(bytesOf('00 10 03 00 ad'))).toEqual({ command: 0x0010, words: null });
    expect(parseCommandFrame(Uint8Array.of(0x03))).toBeNull();
  });

  it('refuses words out of range and reads that are not whole triplets', () => {
    expect(() => packWords([0x10000])).toThrow(RangeError);
    expect(() => unpackWords(new Uint8Array(4), I2C_CMD.read)).toThrow(/not a whole number of word\+CRC triplets/);
  });
});
