// The chaos suite's PMS5003 on the far end of a socat pty: good 32-byte frames with values unique enough to be
// matched back (n0_3_per_dl carries a sequence number), bit errors at a chosen bit-error rate, and fuzzed byte
// streams (random bytes, truncated and spliced frames) between the good frames. Every byte written is kept per
// plug-in session so the verdict can say which stored values an undetectable corruption could have produced.
import type { SerialPort } from 'serialport';
import { openPtyPair, type PtyPair } from '../../firmware/buses/pty-pair.js';
import { closeSerialPort, openSerialPort } from '../../firmware/buses/serial.js';
import { encodeFrame } from '../../firmware/drivers/pms5003/simulator.js';
import { decodeFrame, PmsScanner, PMS_MAX_FRAME } from '../../firmware/drivers/pms5003/protocol.js';
import { PMS_FRAME_QUANTITIES } from '../../firmware/drivers/pms5003/definition.js';
import type { Values } from '../../firmware/drivers/types.js';
import type { Rng } from './rng.js';

export interface SentFrame {
  seq: number;
  values: Values;
  intact: boolean;
}

/** Sorted `name=value` pairs: how a stored point and a frame are compared (every value, exactly). */
export function fingerprint(values: Record<string, unknown>): string {
  return Object.keys(values)
    .sort()
    .map((k) => `${k}=${String(values[k])}`)
    .join(',');
}

/** The values of frame `seq`: plausible (within the datasheet ranges) and unique through n0_3_per_dl. */
export function frameValues(seq: number): Values {
  const pm1 = 3 + (seq % 40);
  const pm25 = pm1 + (seq % 13);
  const pm10 = pm25 + (seq % 17);
  return {
    pm1_cf1_ugm3: pm1 + (seq % 3),
    pm25_cf1_ugm3: pm25 + (seq % 3),
    pm10_cf1_ugm3: pm10 + (seq % 3),
    pm1_ugm3: pm1,
    pm25_ugm3: pm25,
    pm10_ugm3: pm10,
    n0_3_per_dl: 1000 + (seq % 64_000),
    n0_5_per_dl: 300 + (seq % 97),
    n1_0_per_dl: seq % 200,
    n2_5_per_dl: seq % 50,
    n5_0_per_dl: seq % 10,
    n10_per_dl: seq % 5,
  };
}

/**
 * The datasheet plausibility rules a receiver can apply to a checksum-valid frame: each quantity inside the
 * range the part definition gives (PMS5003 manual V2.3, Technical Index: PM maximum range 1000 µg/m³; counts
 * bounded by their 16-bit field — firmware/drivers/pms5003/definition.ts).
 */
export function plausible(values: Values): boolean {
  for (const q of PMS_FRAME_QUANTITIES) {
    const v = values[q.name];
    if (v === undefined) continue;
    if ((q.min !== undefined && v < q.min) || (q.max !== undefined && v > q.max)) return false;
  }
  return true;
}

/** Flips each bit with probability `ber`; returns the copy and how many bits flipped. */
export function withBitErrors(r: Rng, frame: Buffer, ber: number): { bytes: Buffer; flips: number } {
  const out = Buffer.from(frame);
  let flips = 0;
  for (let i = 0; i < out.length; i++) {
    for (let bit = 0; bit < 8; bit++) {
      if (r.next() < ber) {
        out[i] = (out[i] as number) ^ (1 << bit);
        flips++;
      }
    }
  }
  return { bytes: out, flips };
}

/**
 * Every checksum-valid frame any receiver could find in `stream`, whatever byte it started scanning at: each
 * `42 4D` position is tried on its own with the project's own scanner (same length and checksum rules).
 */
export function checksumValidFrames(stream: Buffer): Values[] {
  const found: Values[] = [];
  for (let i = 0; i + 1 < stream.length; i++) {
    if (stream[i] !== 0x42 || stream[i + 1] !== 0x4d) continue;
    const window = stream.subarray(i, i + PMS_MAX_FRAME);
    const scanner = new PmsScanner({
      frame: (buf, start, length) => {
        if (start === 0) found.push(decodeFrame(buf, start, length, 'pms5003'));
      },
      ack: () => undefined,
      error: () => undefined,
    });
    scanner.push(window);
  }
  return found;
}

export interface SerialLineStats {
  frames_sent: number;
  frames_intact: number;
  bit_flips: number;
  fuzz_streams: number;
  fuzz_bytes: number;
  unplugs: number;
}

export class SerialLine {
  readonly frames = new Map<string, SentFrame>();
  readonly stats: SerialLineStats = { frames_sent: 0, frames_intact: 0, bit_flips: 0, fuzz_streams: 0, fuzz_bytes: 0, unplugs: 0 };
  /** Bytes written, one buffer list per plug-in session (a receiver never sees across an unplug). */
  private readonly sessions: Buffer[][] = [];
  private pty: PtyPair | undefined;
  private port: SerialPort | undefined;
  private timer: NodeJS.Timeout | undefined;
  private seq = 0;

  constructor(
    private readonly dir: string,
    private readonly r: Rng,
    private readonly opts: { intervalMs: number; ber: number; fuzzProbability: number },
  ) {}

  get hostPath(): string {
    return `${this.dir}/host`;
  }

  get plugged(): boolean {
    return this.port !== undefined;
  }

  async plugIn(): Promise<void> {
    this.pty = await openPtyPair(5000, this.dir);
    this.port = await openSerialPort(this.pty.devicePath, 9600);
    // A write error (the far end vanished) must not take the harness down; the verdict does not need it.
    this.port.on('error', () => undefined);
    this.sessions.push([]);
    this.timer = setInterval(() => this.tick(), this.opts.intervalMs);
  }

  async unplug(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    const port = this.port;
    this.port = undefined;
    if (port) await closeSerialPort(port);
    await this.pty?.close();
    this.pty = undefined;
    this.stats.unplugs++;
  }

  async close(): Promise<void> {
    if (this.port || this.pty) {
      await this.unplug();
      this.stats.unplugs--;
    }
  }

  private write(bytes: Buffer): void {
    this.port?.write(bytes);
    this.sessions.at(-1)?.push(bytes);
  }

  private tick(): void {
    if (!this.port) return;
    const r = this.r;
    if (r.next() < this.opts.fuzzProbability) this.writeFuzz();
    const seq = ++this.seq;
    const values = frameValues(seq);
    const { bytes, flips } = withBitErrors(r, encodeFrame(values), this.opts.ber);
    this.write(bytes);
    this.frames.set(fingerprint(values), { seq, values, intact: flips === 0 });
    this.stats.frames_sent++;
    if (flips === 0) this.stats.frames_intact++;
    this.stats.bit_flips += flips;
  }

  /** Random bytes, a frame cut short, or two frames spliced together (the checksum belongs to the second). */
  private writeFuzz(): void {
    const r = this.r;
    const a = encodeFrame(frameValues(r.int(1, 60_000)));
    const b = encodeFrame(frameValues(r.int(1, 60_000)));
    const kind = r.int(0, 3);
    let bytes: Buffer;
    if (kind === 0) bytes = r.bytes(r.int(1, 96));
    else if (kind === 1) bytes = a.subarray(0, r.int(1, 31));
    else if (kind === 2) {
      const cut = r.int(2, 30);
      bytes = Buffer.concat([a.subarray(0, cut), b.subarray(cut)]);
      // A splice whose two halves happen to sum alike (always so when the cut falls in the shared header) is a
      // well-formed frame, not garbage: break its checksum so the fuzz stays fuzz.
      let sum = 0;
      for (let i = 0; i < 30; i++) sum += bytes[i] as number;
      if ((sum & 0xffff) === bytes.readUInt16BE(30)) bytes[31] = (bytes[31] as number) ^ 0x01;
    } else bytes = Buffer.concat([Buffer.from([0x42, 0x4d]), r.bytes(r.int(0, 40))]);
    this.write(bytes);
    this.stats.fuzz_streams++;
    this.stats.fuzz_bytes += bytes.length;
  }

  /**
   * Values of checksum-valid frames in what was written that differ from every frame meant to be sent (bit
   * errors the checksum cannot see, lucky splices), each with whether the datasheet ranges would refuse it.
   */
  undetectableCandidates(): Map<string, { values: Values; plausible: boolean }> {
    const out = new Map<string, { values: Values; plausible: boolean }>();
    for (const session of this.sessions) {
      for (const values of checksumValidFrames(Buffer.concat(session))) {
        const fp = fingerprint(values);
        if (this.frames.has(fp)) continue;
        out.set(fp, { values, plausible: plausible(values) });
      }
    }
    return out;
  }
}
