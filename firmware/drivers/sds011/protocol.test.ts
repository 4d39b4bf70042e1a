import { describe, expect, it } from 'vitest';
import { encodeReply } from './commands.js';
import { AIRROHR_197_CAPTURE, bytesOf, FIXTURES, PYPMS_SDS01X_CAPTURE } from './fixtures.js';
import { decodeData, decodeReply, eventSink, formatDeviceId, hex, SdsParser, SdsScanner, type SdsEvent } from './protocol.js';
import { encodeDataFrame } from './simulator.js';

/** Runs bytes through a scanner in the given chunks and returns what came out. */
function scan(chunks: Uint8Array[]) {
  const events: SdsEvent[] = [];
  const scanner = new SdsScanner(eventSink((e) => events.push(e)));
  for (const c of chunks) scanner.push(c);
  scanner.end();
  return { events, counts: scanner.counts };
}
const kinds = (events: SdsEvent[]) => events.map((e) => e.kind);
/** What an event says, without the copied bytes. */
const meaning = (e: SdsEvent) => (e.kind === 'reading' ? { values: e.values, id: e.deviceId } : e.kind === 'reply' ? e.reply : { code: e.code, reason: e.reason });
const chunked = (buf: Buffer, size: number) => {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) out.push(buf.subarray(i, i + size));
  return out;
};

const A = { pm25_ugm3: 12.3, pm10_ugm3: 20.1 };
const B = { pm25_ugm3: 0, pm10_ugm3: 0 };

describe('SDS011 frame decoding: datasheet examples and real captures', () => {
  for (const f of FIXTURES) {
    it(`${f.name} → ${f.expected.kind}`, () => {
      const { events, counts } = scan([bytesOf(f.hex)]);
      expect(events).toHaveLength(1);
      const e = events[0]!;
      expect(e.kind).toBe(f.expected.kind);
      if (e.kind === 'reading' && f.expected.kind === 'reading') {
        expect(e.values).toEqual(f.expected.values);
        expect(e.deviceId).toBe(f.expected.deviceId);
        expect(e.raw.equals(bytesOf(f.hex))).toBe(true);
        expect(counts.frames).toBe(1);
      } else if (e.kind === 'reply' && f.expected.kind === 'reply') {
        expect(e.reply).toEqual(f.expected.reply);
        expect(counts.replies).toBe(1);
      } else if (e.kind === 'error' && f.expected.kind === 'error') {
        expect(e.code).toBe(f.expected.code);
        expect(e.reason).toBe(f.expected.reason);
        expect(e.hex).toBe(hex(bytesOf(f.hex)));
        expect(counts.errors[f.expected.code]).toBe(1);
      }
    });
  }

  it('there are at least two real captured data frames and one real reply among the fixtures', () => {
    const real = FIXTURES.filter((f) => f.captured);
    expect(real.filter((f) => f.expected.kind === 'reading').length).toBeGreaterThanOrEqual(2);
    expect(real.filter((f) => f.expected.kind === 'reply').length).toBeGreaterThanOrEqual(1);
    for (const f of FIXTURES) expect(f.source.length).toBeGreaterThan(20);
  });

  it('decodes the datasheet example field by field', () => {
    const b = bytesOf('AA C0 D4 04 3A 0A A1 60 1D AB');
    expect(decodeData(b)).toEqual({ values: { pm25_ugm3: 123.6, pm10_ugm3: 261.8 }, deviceId: 0xa160 });
    expect(formatDeviceId(decodeData(b).deviceId)).toBe('A160');
    expect(formatDeviceId(0x0a01)).toBe('0A01');
  });

  it('the whole PyPMS capture decodes to the values PyPMS published', () => {
    const { events, counts } = scan([bytesOf(PYPMS_SDS01X_CAPTURE.hex)]);
    expect(events.map((e) => e.kind === 'reading' && e.values.pm25_ugm3)).toEqual([...PYPMS_SDS01X_CAPTURE.pm25]);
    expect(events.map((e) => e.kind === 'reading' && e.values.pm10_ugm3)).toEqual([...PYPMS_SDS01X_CAPTURE.pm25]);
    expect(counts).toEqual({ frames: 10, replies: 0, errors: { checksum: 0, tail: 0, truncated: 0 } });
  });

  it('the airrohr #197 capture: stray bytes, then the firmware reply, and nothing refused', () => {
    const { events, counts } = scan([bytesOf(AIRROHR_197_CAPTURE.hex)]);
    expect(events.map(meaning)).toEqual([{ command: 'firmware_version', year: 2017, month: 8, day: 21, deviceId: 0x9822 }]);
    expect(counts).toEqual({ frames: 0, replies: 1, errors: { checksum: 0, tail: 0, truncated: 0 } });
  });

  it('decodes an unknown reply command without guessing', () => {
    expect(decodeReply(encodeReply(0x0b, [1, 2, 3], 0x1234))).toEqual({ command: 'unknown', code: 0x0b, data: [1, 2, 3], deviceId: 0x1234 });
  });
});

describe('SdsScanner framing', () => {
  const real = FIXTURES.filter((f) => f.expected.kind !== 'error').map((f) => bytesOf(f.hex));
  // starts mid-frame (protocols.md §9) and ends on a lone AA
  const stream = Buffer.concat([bytesOf('3a 0a a1 60 1d ab'), ...real, Buffer.from([0xaa])]);

  it('finds the same events for every split offset (two chunks)', () => {
    const reference = scan([stream]);
    expect(kinds(reference.events)).toEqual(FIXTURES.filter((f) => f.expected.kind !== 'error').map((f) => f.expected.kind));
    for (let cut = 0; cut <= stream.length; cut++) {
      const got = scan([stream.subarray(0, cut), stream.subarray(cut)]);
      expect(got.events.map(meaning), `cut at ${cut}`).toEqual(reference.events.map(meaning));
      expect(got.counts).toEqual(reference.counts);
    }
  });

  it('finds the same events for every pair of split offsets inside one frame (three chunks)', () => {
    const f = Buffer.concat([encodeDataFrame(A, 0x1234), encodeReply(0x06, [1, 0, 0], 0x1234)]);
    const reference = scan([f]).events.map(meaning);
    for (let a = 0; a <= f.length; a++) {
      for (let b = a; b <= f.length; b++) {
        expect(scan([f.subarray(0, a), f.subarray(a, b), f.subarray(b)]).events.map(meaning), `cuts ${a}/${b}`).toEqual(reference);
      }
    }
  });

  it('finds every frame when fed one byte at a time and in 3-byte chunks', () => {
    const reference = scan([stream]);
    expect(scan(chunked(stream, 1)).events).toEqual(reference.events);
    expect(scan(chunked(stream, 3)).events).toEqual(reference.events);
  });

  it('finds data frames and replies among garbage and broken candidates; counts refusals by reason', () => {
    const a = encodeDataFrame(A, 0xa160);
    const b = encodeDataFrame(B, 0xa160);
    const sleep = encodeReply(0x06, [1, 0, 0], 0xa160);
    const fw = encodeReply(0x07, [18, 11, 16], 0xa160);
    const badSum = Buffer.from(a);
    badSum[8] = (badSum[8]! + 1) & 0xff;
    const parts = [
      Buffer.from('garbage \xaa\x00\xaa\xb4', 'latin1'), // AA not followed by C0/C5: skipped silently
      a.subarray(0, 6), // half frame: its 10-byte window ends inside the next frame → tail refused
      a,
      sleep,
      badSum, // → checksum refused
      Buffer.from([0xaa, 0xaa, 0xc0]), // AA AA C0 + next frame's first 7 bytes: tail refused
      b,
      fw.subarray(0, 3), // half reply → tail refused (the next frame's AA is not at its byte 9)
      fw,
      b,
      Buffer.from([0x00, 0xff, 0xab, 0xab]),
      a,
    ];
    const all = Buffer.concat(parts);
    for (const size of [1, 2, 9, 10, 11, 19, 64, all.length]) {
      const { events, counts } = scan(chunked(all, size));
      expect(events.filter((e) => e.kind === 'reading').map((e) => e.kind === 'reading' && e.values), `chunk size ${size}`).toEqual([A, B, B, A]);
      expect(events.filter((e) => e.kind === 'reply').map(meaning)).toEqual([
        { command: 'sleep_work', set: true, working: false, deviceId: 0xa160 },
        { command: 'firmware_version', year: 2018, month: 11, day: 16, deviceId: 0xa160 },
      ]);
      expect(counts).toEqual({ frames: 4, replies: 2, errors: { checksum: 1, tail: 3, truncated: 0 } });
    }
  });

  it('refuses a bad checksum with its reason and resyncs one byte on: a frame hidden in the refused bytes is found', () => {
    const good = encodeDataFrame(A, 0xa160);
    const bad = Buffer.from(good);
    bad[8] = (good[8]! + 1) & 0xff;
    // AA C0 followed directly by a whole frame: the candidate's window holds the frame's first 8 bytes
    const hidden = Buffer.concat([bad.subarray(0, 2), good]);
    const { events, counts } = scan([bad, hidden]);
    expect(events[0]).toEqual({
      kind: 'error',
      code: 'checksum',
      reason: `checksum 0x${bad[8]!.toString(16).padStart(2, '0')} != sum 0x${good[8]!.toString(16).padStart(2, '0')}`,
      hex: hex(bad),
    });
    expect(events.filter((e) => e.kind === 'reading').map((e) => e.kind === 'reading' && e.values)).toEqual([A]);
    expect(counts.frames).toBe(1);
    expect(counts.errors.checksum + counts.errors.tail).toBe(2); // the bad frame and the AA C0 in front of the hidden one
  });

  it('refuses a wrong tail before looking at the checksum', () => {
    const f = bytesOf('AA C0 D4 04 3A 0A A1 60 1E 00'); // checksum and tail both wrong
    const { events } = scan([f]);
    expect(events).toEqual([{ kind: 'error', code: 'tail', reason: 'tail 0x00 != 0xab', hex: hex(f) }]);
  });

  it('keeps an unfinished frame between chunks and reports it as truncated only at the end', () => {
    const f = encodeDataFrame(A, 1);
    const events: SdsEvent[] = [];
    const scanner = new SdsScanner(eventSink((e) => events.push(e)));
    scanner.push(f.subarray(0, 7));
    expect(events).toHaveLength(0);
    expect(scanner.pending).toBe(7);
    scanner.end();
    expect(events).toEqual([{ kind: 'error', code: 'truncated', reason: 'input ended inside a frame (7 of 10 bytes received)', hex: hex(f, 0, 7) }]);
    expect(scanner.pending).toBe(0);
    expect(scanner.counts.errors.truncated).toBe(1);
  });

  it('reset() forgets a half frame silently', () => {
    const f = encodeDataFrame(A, 1);
    const events: SdsEvent[] = [];
    const scanner = new SdsScanner(eventSink((e) => events.push(e)));
    scanner.push(f.subarray(0, 5));
    scanner.reset();
    scanner.push(f);
    scanner.end();
    expect(kinds(events)).toEqual(['reading']);
  });

  it('decodes zeros and the top of the range', () => {
    const { events } = scan([encodeDataFrame(B, 0), encodeDataFrame({ pm25_ugm3: 999.9, pm10_ugm3: 999.9 }, 0xfffe)]);
    expect(events.map(meaning)).toEqual([
      { values: B, id: 0 },
      { values: { pm25_ugm3: 999.9, pm10_ugm3: 999.9 }, id: 0xfffe },
    ]);
  });
});

describe('SdsParser (Transform)', () => {
  it('emits reading/reply/error objects for bytes written in arbitrary chunks, and flushes a truncated tail', async () => {
    const parser = new SdsParser();
    const out: SdsEvent[] = [];
    parser.on('data', (e: SdsEvent) => out.push(e));
    const done = new Promise((r) => parser.on('end', r));
    const d = bytesOf(FIXTURES.find((f) => f.name === 'esphome-issue-4572')!.hex);
    const all = Buffer.concat([d.subarray(4), d, bytesOf(AIRROHR_197_CAPTURE.hex), d.subarray(0, 4)]);
    parser.write(all.subarray(0, 5));
    parser.write(all.subarray(5, 17));
    parser.end(all.subarray(17));
    await done;
    expect(kinds(out)).toEqual(['reading', 'reply', 'error']);
    expect(out[0]!.kind === 'reading' && out[0]!.values).toEqual({ pm25_ugm3: 4.4, pm10_ugm3: 5.5 });
    expect(out[2]!.kind === 'error' && out[2]!.code).toBe('truncated');
    expect(parser.counts).toEqual({ frames: 1, replies: 1, errors: { checksum: 0, tail: 0, truncated: 1 } });
  });
});
