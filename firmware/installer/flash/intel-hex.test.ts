// Intel HEX parsing against a real Arduino Blink build (fixtures/README.md) and hand-made corruptions of it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HexError, parseIntelHex } from './intel-hex.js';

const blink = readFileSync(new URL('./fixtures/blink-uno.hex', import.meta.url), 'utf8');

function thrown(text: string): HexError {
  try {
    parseIntelHex(text);
  } catch (e) {
    return e as HexError;
  }
  throw new Error('parsed');
}

describe('parseIntelHex', () => {
  it('flattens the Blink build into one image starting with the reset vector', () => {
    const image = parseIntelHex(blink);
    expect(image.start).toBe(0);
    expect(image.end).toBe(0x039a); // last record :0A0390… holds 10 bytes at 0x0390
    expect(image.bytes).toBe(922);
    expect(Array.from(image.data.subarray(0, 4))).toEqual([0x0c, 0x94, 0x5c, 0x00]); // jmp 0xB8, the reset vector
    expect(Array.from(image.data.subarray(0x390, 0x39a))).toEqual([0x0e, 0x94, 0x00, 0x00, 0xf1, 0xcf, 0xf8, 0x94, 0xff, 0xcf]);
  });

  it('names the line and both checksums when a record is damaged', () => {
    const lines = blink.split('\n');
    lines[11] = lines[11]!.replace(/B8$/, 'B9'); // line 12: :1000B0…B8
    const e = thrown(lines.join('\n'));
    expect(e).toBeInstanceOf(HexError);
    expect(e.line).toBe(12);
    expect(e.message).toMatch(/^line 12: checksum 0xB9, computed 0xB8;/);
  });

  it('places data after extended segment and extended linear address records', () => {
    const seg = parseIntelHex(':020000021000EC\n:02000000AABB99\n:00000001FF\n'); // base 0x1000 × 16 = 0x10000
    expect(seg.start).toBe(0x10000);
    expect(Array.from(seg.data.subarray(0x10000))).toEqual([0xaa, 0xbb]);
    const lin = parseIntelHex(':020000040001F9\n:02001000CCDD45\n:00000001FF\n');
    expect(lin.start).toBe(0x10010);
    expect(lin.data[0x10010]).toBe(0xcc);
    expect(lin.data[0]).toBe(0xff);
  });

  it('refuses an unknown record type, a wrong length, a missing EOF and no leading colon', () => {
    expect(thrown(':00000007F9\n:00000001FF').message).toBe('line 1: unknown record type 0x07 (known: 00, 01, 02, 03, 04, 05)');
    expect(thrown(':0300000001020F\n:00000001FF').message).toBe('line 1: record says 3 data bytes but holds 2');
    expect(thrown(blink.replace(':00000001FF', '')).message).toMatch(/no end-of-file record/);
    expect(thrown('0C945C00\n').message).toMatch(/^line 1: does not start with ':'/);
  });
});
