import { describe, expect, it } from 'vitest';
import { sensirionCrc8 } from './sensirion-crc8.js';

describe('Sensirion CRC-8', () => {
  it.each([
    [[0xbe, 0xef], 0x92], // SHT3x datasheet §4.12 example
    [[0x00, 0x00], 0x81], // protocols.md §3 (CALC)
    [[0x01, 0x90], 0x4c],
    [[0x03, 0x00], 0xac], // SPS30 start-measurement argument, airrohr sps30_i2c.h
  ])('%j → %i', (word, crc) => {
    expect(sensirionCrc8(Uint8Array.from(word))).toBe(crc);
  });

  it('checks one word inside a longer buffer', () => {
    expect(sensirionCrc8(Uint8Array.from([0x11, 0xbe, 0xef, 0x92]), 1, 3)).toBe(0x92);
  });
});
