import { describe, expect, it } from 'vitest';
import { bytesOf, FIXTURES, NOISY_CAPTURE } from './fixtures.js';
import { PmsParser, PmsScanner, eventSink, hex, type PmsEvent, type PmsVariant } from './protocol.js';
import { encodeFrame, encodeLegacyFrame } from './simulator.js';
import { encodeAck } from './commands.js';

/** Runs bytes through a scanner in the given chunks and returns what came out. */
function scan(chunks: Buffer[], variant?: PmsVariant) {
  const events: PmsEvent[] = [];
  // Without a variant the scanner checks only what every layout shares: the mixed fixture stream holds PMS5003T
  // frames, whose bytes 24–27 are no counts.
  const scanner = new PmsScanner(eventSink(variant ?? 'pms5003', (e) => events.push(e)), variant);
  for (const c of chunks) scanner.push(c);
  scanner.end();
  return { events, counts: scanner.counts };
}
const kinds = (events: PmsEvent[]) => events.map((e) => e.kind);

const VALUES_A = {
  pm1_cf1_ugm3: 12,
  pm25_cf1_ugm3: 20,
  pm10_cf1_ugm3: 31,
  pm1_ugm3: 12,
  pm25_ugm3: 19,
  pm10_ugm3: 30,
  n0_3_per_dl: 2400,
  n0_5_per_dl: 700,
  n1_0_per_dl: 160,
  n2_5_per_dl: 20,
  n5_0_per_dl: 6,
  n10_per_dl: 2,
};
const VALUES_B = { ...VALUES_A, pm25_ugm3: 0, pm1_ugm3: 0, pm10_ugm3: 0, n10_per_dl: 0 };

describe('PMS frame decoding: real captured fixtures', () => {
  for (const f of FIXTURES) {
    it(`${f.name} → ${f.expected.kind}`, () => {
      const { events } = scan([bytesOf(f.hex)], f.variant);
      expect(events).toHaveLength(1);
      const e = events[0]!;
      expect(e.kind).toBe(f.expected.kind);
      if (e.kind === 'reading' && f.expected.kind === 'reading') {
        expect(e.values).toEqual(f.expected.values);
        expect(e.raw.toString('hex')).toBe(bytesOf(f.hex).toString('hex'));
        if (f.expected.version !== undefined) expect(e.version).toBe(f.expected.version);
        if (f.expected.errorCode !== undefined) expect(e.errorCode).toBe(f.expected.errorCode);
      } else if (e.kind === 'ack' && f.expected.kind === 'ack') {
        expect([e.command, e.data]).toEqual([f.expected.command, f.expected.data]);
      } else if (e.kind === 'error' && f.expected.kind === 'error') {
        expect(e.code).toBe(f.expected.code);
        expect(e.reason).toBe(f.expected.reason);
        expect(e.hex).toBe(f.hex.toLowerCase());
      }
    });
  }

  it('the airrohr #730 ACK is an ACK, not a data frame, even in pms5003t mode', () => {
    const ack = FIXTURES.find((f) => f.name === 'airrohr-730-ack')!;
    for (const variant of ['pms5003', 'pms5003t'] as const) {
      const { events, counts } = scan([bytesOf(ack.hex)], variant);
      expect(kinds(events)).toEqual(['ack']);
      expect(counts).toEqual({ frames: 0, acks: 1, errors: { checksum: 0, length: 0, truncated: 0, implausible: 0 } });
    }
  });

  it('a published noisy capture (PyPMS #19) yields no reading and one checksum rejection', () => {
    const { events, counts } = scan([bytesOf(NOISY_CAPTURE.hex)], 'pms5003t');
    expect(events.filter((e) => e.kind === 'reading')).toHaveLength(NOISY_CAPTURE.expectedReadings);
    expect(counts.errors.checksum).toBe(NOISY_CAPTURE.expectedChecksumErrors);
    expect(counts.frames).toBe(0);
  });
});

describe('PmsScanner framing', () => {
  const realFrames = FIXTURES.filter((f) => f.expected.kind !== 'error').map((f) => bytesOf(f.hex));
  const stream = Buffer.concat([Buffer.from([0x4d, 0x00, 0x1c, 0x42]), ...realFrames, Buffer.from([0x42])]);
  const wholeKinds = FIXTURES.filter((f) => f.expected.kind !== 'error').map((f) => f.expected.kind);

  it('finds the same events for every split offset of a frame stream (two chunks)', () => {
    const reference = scan([stream]);
    // the leading fragment is skipped; the lone trailing 0x42 is kept as a possible header, then dropped silently
    expect(kinds(reference.events)).toEqual(wholeKinds);
    for (let cut = 0; cut <= stream.length; cut++) {
      const got = scan([stream.subarray(0, cut), stream.subarray(cut)]);
      expect(got.events.map((e) => (e.kind === 'reading' ? e.values : e.kind))).toEqual(
        reference.events.map((e) => (e.kind === 'reading' ? e.values : e.kind)),
      );
    }
  });

  it('finds every frame when fed one byte at a time and in 3-byte chunks', () => {
    const reference = scan([stream]);
    const bytewise = scan([...stream].map((b) => Buffer.from([b])));
    expect(bytewise.events).toEqual(reference.events);
    const threes: Buffer[] = [];
    for (let i = 0; i < stream.length; i += 3) threes.push(stream.subarray(i, i + 3));
    expect(scan(threes).events).toEqual(reference.events);
  });

  it('finds every whole frame among garbage, half frames and ACKs; counts rejections by reason', () => {
    const a = encodeFrame(VALUES_A);
    const b = encodeFrame(VALUES_B);
    const ackSleep = encodeAck(0xe4, 0);
    const ackPassive = encodeAck(0xe1, 0);
    const parts = [
      Buffer.from('garbage BM\x00', 'latin1'), // `42 4D 00` + the next part's 0x42: length 0x0042, not a frame
      a.subarray(0, 17), // half frame: its 32-byte window swallows the next frame's start → checksum reject
      a,
      Buffer.from([0x42, 0x4d, 0x12, 0x34]), // implausible length: not a frame
      ackSleep,
      b.subarray(0, 5),
      b,
      Buffer.from([0x42, 0x42, 0x4d]),
      ackPassive.subarray(0, 6),
      ackPassive,
      b,
      Buffer.from([0x00, 0xff, 0x42, 0x4d, 0x00]),
      a,
    ];
    const stream2 = Buffer.concat(parts);
    for (const chunkSize of [1, 7, 31, 32, 33, 64, stream2.length]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < stream2.length; i += chunkSize) chunks.push(stream2.subarray(i, i + chunkSize));
      const { events, counts } = scan(chunks);
      const readings = events.filter((e) => e.kind === 'reading').map((e) => e.values);
      expect(readings, `chunk size ${chunkSize}`).toEqual([VALUES_A, VALUES_B, VALUES_B, VALUES_A]);
      expect(events.filter((e) => e.kind === 'ack').map((e) => [e.command, e.data])).toEqual([
        [0xe4, 0],
        [0xe1, 0],
      ]);
      expect(counts.frames).toBe(4);
      expect(counts.acks).toBe(2);
      expect(counts.errors.length).toBe(4); // 'BM\0'+42, 42 4D 12 34, 42 4D 42 4D, 42 4D 00 42
      expect(counts.errors.checksum).toBe(3); // the two half frames and the half ACK
      expect(counts.errors.truncated).toBe(0);
    }
  });

  it('rejects a bad checksum with its reason, counts it, and resyncs one byte after the failed header', () => {
    const good = encodeFrame(VALUES_A);
    const bad = Buffer.from(good);
    bad.writeUInt16BE(good.readUInt16BE(30) + 1, 30);
    // a header whose 32-byte window swallows a whole frame: that frame must still be found
    const hidden = Buffer.concat([bad.subarray(0, 4), good]);
    const { events, counts } = scan([bad, hidden]);
    const err = events[0]!;
    expect(err.kind).toBe('error');
    if (err.kind === 'error') {
      const h = (n: number) => '0x' + n.toString(16).padStart(4, '0');
      expect(err.reason).toBe(`checksum ${h(bad.readUInt16BE(30))} != sum ${h(good.readUInt16BE(30))}`);
      expect(err.hex.split(' ')).toHaveLength(32);
    }
    expect(events.filter((e) => e.kind === 'reading').map((e) => e.values)).toEqual([VALUES_A]);
    expect(counts.errors.checksum).toBe(2); // the bad frame and the header in front of the hidden one
    expect(counts.frames).toBe(1);
  });

  it('honours the length field: 28 → 32 bytes, 20 → 24 bytes, 4 → 8 bytes, anything else is not a frame', () => {
    const legacy = encodeLegacyFrame(VALUES_A);
    expect(legacy).toHaveLength(24);
    const { events, counts } = scan([Buffer.concat([legacy, encodeAck(0xe1, 1), encodeFrame(VALUES_A)])]);
    expect(kinds(events)).toEqual(['reading', 'ack', 'reading']);
    const [l, , full] = events;
    if (l?.kind === 'reading') {
      expect(l.frameBytes).toBe(24);
      expect(l.values).toEqual({ pm1_cf1_ugm3: 12, pm25_cf1_ugm3: 20, pm10_cf1_ugm3: 31, pm1_ugm3: 12, pm25_ugm3: 19, pm10_ugm3: 30 });
      expect(l.version).toBeUndefined();
    }
    if (full?.kind === 'reading') expect(full.frameBytes).toBe(32);
    expect(counts).toEqual({ frames: 2, acks: 1, errors: { checksum: 0, length: 0, truncated: 0, implausible: 0 } });

    const implausible = scan([Buffer.from([0x42, 0x4d, 0xff, 0xff, 0x00, 0x00]), encodeFrame(VALUES_B)]);
    expect(kinds(implausible.events)).toEqual(['error', 'reading']);
    const e = implausible.events[0]!;
    if (e.kind === 'error') {
      expect(e.code).toBe('length');
      expect(e.reason).toContain('implausible length 0xffff');
      expect(e.hex).toBe('42 4d ff ff');
    }
    // a 0xFFFF length must not make the scanner wait for 65 539 bytes
    expect(implausible.counts.frames).toBe(1);
  });

  it('keeps an unfinished frame between chunks and reports it as truncated only at the end', () => {
    const f = encodeFrame(VALUES_A);
    const events: PmsEvent[] = [];
    const scanner = new PmsScanner(eventSink('pms5003', (e) => events.push(e)));
    scanner.push(f.subarray(0, 20));
    expect(events).toHaveLength(0);
    expect(scanner.pending).toBe(20);
    scanner.end();
    expect(events).toEqual([
      { kind: 'error', code: 'truncated', reason: 'input ended inside a frame (20 bytes of it received)', hex: hex(f, 0, 20) },
    ]);
    expect(scanner.pending).toBe(0);
  });

  it('decodes zeros as a valid reading', () => {
    const zeros = Object.fromEntries(Object.keys(VALUES_A).map((k) => [k, 0]));
    const { events } = scan([encodeFrame(zeros)]);
    expect(events).toHaveLength(1);
    expect(events[0]!.kind === 'reading' && events[0]!.values).toEqual(zeros);
  });

  it('decodes a negative PMS5003T temperature (signed ×10)', () => {
    const v = { ...VALUES_A, temperature_c: -7.5, humidity_pct: 93.2 };
    delete (v as Record<string, number>).n5_0_per_dl;
    delete (v as Record<string, number>).n10_per_dl;
    const { events } = scan([encodeFrame(v, 'pms5003t')], 'pms5003t');
    expect(events[0]!.kind === 'reading' && events[0]!.values).toEqual(v);
  });
});

describe('PmsParser (Transform)', () => {
  it('emits reading/ack/error objects for bytes written in arbitrary chunks, and flushes a truncated tail', async () => {
    const parser = new PmsParser({ variant: 'pms5003t' });
    const out: PmsEvent[] = [];
    parser.on('data', (e: PmsEvent) => out.push(e));
    const done = new Promise((r) => parser.on('end', r));
    const t = bytesOf(FIXTURES.find((f) => f.name === 'pypms-pms5003t-0')!.hex);
    const all = Buffer.concat([t.subarray(3), t, encodeAck(0xe4, 0), t.subarray(0, 10)]);
    parser.write(all.subarray(0, 11));
    parser.write(all.subarray(11, 40));
    parser.end(all.subarray(40));
    await done;
    expect(kinds(out)).toEqual(['reading', 'ack', 'error']);
    expect(out[0]!.kind === 'reading' && out[0]!.values.temperature_c).toBe(21.2);
    expect(out[2]!.kind === 'error' && out[2]!.code).toBe('truncated');
    expect(parser.counts).toEqual({ frames: 1, acks: 1, errors: { checksum: 0, length: 0, truncated: 1, implausible: 0 } });
  });

  it('rejects an unknown variant with a TypeError', () => {
    expect(() => new PmsParser({ variant: 'pms9999' as PmsVariant })).toThrow(TypeError);
  });
});

describe('the benchmark stream (test/bench/parser.ts)', () => {
  it('finds exactly the frames and ACKs written, whatever the chunk size', async () => {
    const { buildDirtyStream, benchPmsParser } = await import('../../../test/bench/parser.js');
    const { bytes, frames, acks } = buildDirtyStream(3000);
    for (const size of [1, 5, 32, 1000, 65536]) {
      let found = 0;
      let acked = 0;
      const s = new PmsScanner({ frame: () => void found++, ack: () => void acked++, error: () => {} });
      for (let i = 0; i < bytes.length; i += size) s.push(bytes.subarray(i, i + size));
      expect([found, acked], `chunk size ${size}`).toEqual([frames, acks]);
    }
    const result = await benchPmsParser({ frames: 5000 });
    expect(result.frames).toBe(5000);
    expect(result.framesPerSec).toBeGreaterThan(0);
  });
});
