import { describe, expect, it } from 'vitest';
import { mosi } from './commands.js';
import {
  bytesOf, PYPMS_CAPTURE, SENSIRION_MISO_INVALID, SENSIRION_MISO_VALID, SENSIRION_MOSI, SPS30_MOSI_TABLE,
  STACKEXCHANGE_WAKE_0X43,
} from './fixtures.js';
import {
  decodeBody, encodeMiso, encodeMosi, hex, isShdlcError, scanAll, shdlcChecksum, ShdlcScanner, ShdlcStateError,
  stateErrorName, stuff, unstuff, type ShdlcFrame, type ShdlcScanError,
} from './shdlc.js';

const frames = (items: Array<ShdlcFrame | ShdlcScanError>) => items.filter((x): x is ShdlcFrame => !isShdlcError(x));
/** A JSON-comparable summary of scanner output. */
const summary = (items: Array<ShdlcFrame | ShdlcScanError>) =>
  items.map((x) =>
    isShdlcError(x)
      ? { error: x.code, reason: x.reason, raw: hex(x.raw) }
      : { adr: x.address, cmd: x.command, state: x.state, data: hex(x.data), raw: hex(x.raw) },
  );

describe('SHDLC framing against Sensirion\'s own test vectors', () => {
  it.each(SENSIRION_MOSI)('MOSI $name encodes to the published bytes and decodes back', ({ address, command, data, hex: h }) => {
    expect(hex(encodeMosi(address, command, Uint8Array.from(data)))).toBe(hex(bytesOf(h)));
    const [f, ...rest] = scanAll('mosi', bytesOf(h));
    expect(rest).toEqual([]);
    expect(f && !isShdlcError(f) && { a: f.address, c: f.command, d: [...f.data], s: f.state }).toEqual({ a: address, c: command, d: data, s: undefined });
  });

  it('reproduces the stuffing example quoted in protocols.md §3 byte for byte', () => {
    expect(encodeMosi(0x7e, 0x7d, Uint8Array.of(0x11, 0x12, 0x13, 0x14))).toEqual(bytesOf('7E 7D 5E 7D 5D 04 7D 31 12 7D 33 14 B6 7E'));
  });

  it.each(SENSIRION_MISO_VALID)('MISO $name encodes to the published bytes and decodes back', ({ address, command, state, data, hex: h }) => {
    expect(hex(encodeMiso(address, command, state, Uint8Array.from(data)))).toBe(hex(bytesOf(h)));
    const out = scanAll('miso', bytesOf(h));
    expect(out).toHaveLength(1);
    const f = out[0] as ShdlcFrame;
    expect({ a: f.address, c: f.command, s: f.state, d: [...f.data] }).toEqual({ a: address, c: command, s: state, d: data });
    expect(hex(f.raw)).toBe(hex(bytesOf(h)));
  });

  it.each(SENSIRION_MISO_INVALID)('MISO $name is refused as $code', ({ hex: h, code }) => {
    const out = scanAll('miso', bytesOf(h));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ code });
  });

  it('gives the reason in plain words', () => {
    expect(summary(scanAll('miso', bytesOf('7e 00 00 00 00 fe 7e')))).toEqual([
      { error: 'checksum', reason: 'CHK 0xfe != 0xff (~sum of ADR…DATA)', raw: '7e 00 00 00 00 fe 7e' },
    ]);
    expect(summary(scanAll('miso', bytesOf('7e 00 00 00 01 fe 7e')))[0]).toMatchObject({ reason: 'LEN says 1 data bytes but the frame holds 0' });
    expect(summary(scanAll('miso', bytesOf('7e 00 00 00 ff 7e')))[0]).toMatchObject({
      reason: '4-byte frame is shorter than the 5-byte minimum of an SHDLC MISO frame',
    });
  });
});

describe('the SPS30 command table (protocols.md §3)', () => {
  it.each(SPS30_MOSI_TABLE)('$name is $hex', ({ command, data, hex: h }) => {
    expect(hex(encodeMosi(0, command, Uint8Array.from(data)))).toBe(hex(bytesOf(h)));
    const f = scanAll('mosi', bytesOf(h))[0] as ShdlcFrame;
    expect([f.command, ...f.data]).toEqual([command, ...data]);
  });

  it('the named builders send exactly those frames', () => {
    const byName = Object.fromEntries(SPS30_MOSI_TABLE.map((r) => [r.name, hex(bytesOf(r.hex))]));
    expect(hex(mosi.start())).toBe(byName['start (float)']);
    expect(hex(mosi.stop())).toBe(byName['stop']);
    expect(hex(mosi.read())).toBe(byName['read measured values']);
    expect(hex(mosi.sleep())).toBe(byName['sleep']);
    expect(hex(mosi.wake())).toBe(byName['wake-up']);
    expect(hex(mosi.fanClean())).toBe(byName['fan cleaning']);
    expect(hex(mosi.readAutoClean())).toBe(byName['read auto-cleaning interval']);
    expect(hex(mosi.deviceInfo(0x03))).toBe(byName['device info: serial']);
    expect(hex(mosi.reset())).toBe(byName['device reset']);
  });

  it('a stuffed CHK decodes (auto-clean read: CHK 0x7e on the wire as 7d 5e)', () => {
    const f = scanAll('mosi', mosi.readAutoClean())[0] as ShdlcFrame;
    expect(f).toMatchObject({ command: 0x80 });
    expect(shdlcChecksum(Uint8Array.of(0x00, 0x80, 0x01, 0x00))).toBe(0x7e);
  });

  it('writes an auto-clean interval as subcommand 0 + u32 big-endian', () => {
    const f = scanAll('mosi', mosi.writeAutoClean(604_800))[0] as ShdlcFrame;
    expect(hex(f.data)).toBe('00 00 09 3a 80');
    expect(() => mosi.writeAutoClean(-1)).toThrow(/0\.\.4294967295/);
  });
});

describe('stuffing', () => {
  it('round-trips every byte value and stuffs exactly 7e 7d 11 13', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const s = stuff(all);
    expect(s.length).toBe(256 + 4);
    expect(s.includes(0x7e)).toBe(false);
    expect(unstuff(s)).toEqual(Buffer.from(all));
    expect(hex(stuff(Uint8Array.of(0x7e, 0x7d, 0x11, 0x13, 0x12)))).toBe('7d 5e 7d 5d 7d 31 7d 33 12');
  });

  it('refuses an escape that escapes nothing stuffable, or dangles before the flag', () => {
    expect(summary(scanAll('miso', bytesOf('7e 00 03 00 7d 00 fc 7e')))).toEqual([
      { error: 'stuffing', reason: 'escape 0x7d followed by 0x00 (only 5e, 5d, 31, 33 may follow it)', raw: '7e 00 03 00 7d 00 fc 7e' },
    ]);
    expect(scanAll('miso', bytesOf('7e 00 03 00 00 fc 7d 7e'))[0]).toMatchObject({ code: 'stuffing', reason: 'escape 0x7d at byte 6 has no byte after it' });
  });

  it('accepts a raw 0x11 inside a frame, as Sensirion\'s decoder does', () => {
    const body = Uint8Array.of(0x00, 0x11, 0x00, 0x00);
    const f = decodeBody('miso', Uint8Array.of(...body, shdlcChecksum(body)));
    expect(f).toMatchObject({ command: 0x11, state: 0 });
  });
});

describe('ShdlcScanner on a stream', () => {
  const good = bytesOf(PYPMS_CAPTURE[0]!.hex);
  const stuffedGood = bytesOf(PYPMS_CAPTURE[2]!.hex); // 7d 31 and 7d 5e inside
  const corrupt = Buffer.from(good);
  corrupt[10] = (corrupt[10]! ^ 0x01) & 0xff;
  const stream = Buffer.concat([
    bytesOf('00 28 40 a7 9e'), // tail of a frame we joined in the middle of
    bytesOf('7e'), // ...and its closing flag
    good,
    bytesOf(STACKEXCHANGE_WAKE_0X43.hex), // junk byte fe, then a 0x43 reply
    corrupt,
    stuffedGood,
    bytesOf('7e 00 01 00 00 fe 7e'),
  ]);
  const expected = summary(scanAll('miso', stream));

  it('finds the frames, refuses the corrupt one and skips the mid-frame start', () => {
    expect(expected.map((x) => ('error' in x ? `error:${x.error}` : `cmd:${x.cmd}`))).toEqual([
      'cmd:3', 'error:length', 'cmd:17', 'error:checksum', 'cmd:3', 'cmd:1',
    ]);
    // The junk byte 0xfe between two frames is a candidate of its own: reported, not silently eaten.
    expect(expected[1]).toMatchObject({ raw: '7e fe 7e' });
    expect(expected[2]).toMatchObject({ state: 0x43, data: '' });
  });

  it('gives the same result for every split offset', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const out: Array<ShdlcFrame | ShdlcScanError> = [];
      const s = new ShdlcScanner('miso', { frame: (f) => out.push(f), error: (e) => out.push(e) });
      s.push(stream.subarray(0, cut));
      s.push(stream.subarray(cut));
      s.end();
      expect(summary(out), `split at ${cut}`).toEqual(expected);
    }
  });

  it('gives the same result byte by byte, and counts what it saw', () => {
    const out: Array<ShdlcFrame | ShdlcScanError> = [];
    const s = new ShdlcScanner('miso', { frame: (f) => out.push(f), error: (e) => out.push(e) });
    for (const b of stream) s.push(Uint8Array.of(b));
    s.end();
    expect(summary(out)).toEqual(expected);
    expect(s.counts).toEqual({ frames: 4, skipped: 5, errors: { checksum: 1, length: 1, stuffing: 0, truncated: 0 } });
  });

  it('recovers a frame whose start flag was lost, using the previous frame\'s closing flag', () => {
    const out = frames(scanAll('miso', Buffer.concat([good, stuffedGood.subarray(1)])));
    expect(out.map((f) => hex(f.raw))).toEqual([hex(good), hex(stuffedGood)]);
  });

  it('reports an unfinished frame at the end as truncated, keeps it across chunks otherwise', () => {
    const s = new ShdlcScanner('miso', { frame: () => undefined, error: (e) => errors.push(e) });
    const errors: ShdlcScanError[] = [];
    s.push(good.subarray(0, 20));
    expect(s.pending).toBe(19);
    expect(errors).toEqual([]);
    s.end();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'truncated', reason: 'stream ended inside a frame (20 bytes since the last 0x7e)' });
  });

  it('gives up on a candidate longer than any frame, then resyncs', () => {
    const out = scanAll('miso', Buffer.concat([bytesOf('7e'), Buffer.alloc(600, 0x01), good]));
    expect(out.map((x) => (isShdlcError(x) ? x.code : 'frame'))).toEqual(['length', 'frame']);
    expect((out[0] as ShdlcScanError).reason).toBe('no closing 0x7e within 520 bytes (longer than any SHDLC frame)');
  });

  it('treats adjacent flags as a resync, not as a frame or an error', () => {
    expect(scanAll('miso', bytesOf('7e 7e 7e'))).toEqual([]);
  });

  it('rejects an unknown direction', () => {
    expect(() => new ShdlcScanner('up' as 'miso', { frame: () => undefined, error: () => undefined })).toThrow(TypeError);
  });
});

describe('state byte', () => {
  it('names the SPS30 error codes', () => {
    expect(stateErrorName(0x43)).toBe('command not allowed in the current state');
    expect(stateErrorName(0x01)).toBe('wrong data length for this command (too much or too little data)');
    expect(stateErrorName(0x02)).toBe('unknown command');
    expect(stateErrorName(0x04)).toBe('illegal command parameter or parameter out of the allowed range');
    expect(stateErrorName(0x28)).toBe('internal function argument out of range');
    expect(stateErrorName(0x7f)).toBe('unknown error code 0x7f');
  });

  it('ShdlcStateError carries the code without the device-error bit', () => {
    const e = new ShdlcStateError(0x11, 0xc3, "SPS30 'wake-up'");
    expect(e.code).toBe(0x43);
    expect(e.message).toBe("SPS30 'wake-up' refused by the sensor: state 0x43 (command not allowed in the current state)");
  });
});
