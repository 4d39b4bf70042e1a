import { describe, expect, it } from 'vitest';
import { decodeWords, encodeWords, SensirionWordError } from './sensirion-words.js';

describe('Sensirion word framing', () => {
  it('encodes the datasheet CRC example 0xBEEF as be ef 92 (SHT3x datasheet §4.12)', () => {
    expect([...encodeWords([0xbeef])]).toEqual([0xbe, 0xef, 0x92]);
    expect(decodeWords(Uint8Array.of(0xbe, 0xef, 0x92), ['example'])).toEqual([0xbeef]);
  });

  it('round-trips several words', () => {
    const words = [0x0000, 0x6634, 0xffff];
    expect(decodeWords(encodeWords(words), ['a', 'b', 'c'])).toEqual(words);
  });

  it('names the word whose CRC fails and shows both CRCs', () => {
    const reply = Uint8Array.of(0xbe, 0xef, 0x92, 0xbe, 0xef, 0x93);
    const err = (() => {
      try {
        decodeWords(reply, ['temperature', 'humidity']);
      } catch (e) {
        return e;
      }
    })() as SensirionWordError;
    expect(err).toBeInstanceOf(SensirionWordError);
    expect(err.code).toBe('crc');
    expect(err.word).toBe('humidity');
    expect(err.message).toBe('CRC mismatch on the humidity word (bytes 3–5: be ef 93): received 0x93, computed 0x92');
    expect(err.hex).toBe('be ef 92 be ef 93');
  });

  it('refuses a reply of the wrong length', () => {
    expect(() => decodeWords(Uint8Array.of(0xbe, 0xef), ['example'])).toThrow(/reply is 2 bytes, expected 3/);
  });

  it('refuses words that do not fit 16 bits', () => {
    expect(() => encodeWords([0x10000])).toThrow(RangeError);
  });
});
