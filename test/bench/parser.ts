// Throughput of the PMS5003 scanner on a realistic dirty stream: whole frames with garbage, half frames (a
// frame cut off by a reconnect) and ACKs mixed in, fed in 64 KiB chunks as a serial port or a file would.
// Every frame found is decoded into its Values, as the driver does.
import { performance } from 'node:perf_hooks';
import { encodeAck } from '../../firmware/drivers/pms5003/commands.js';
import { decodeFrame, PmsScanner } from '../../firmware/drivers/pms5003/protocol.js';
import { encodeFrame, valuesFromConditions } from '../../firmware/drivers/pms5003/simulator.js';
import { urbanConditions } from '../../firmware/sim/urban-day.js';
import { mulberry32 } from '../../firmware/sim/random.js';

const CHUNK = 64 * 1024;


export interface DirtyStream {
  bytes: Buffer;
  frames: number;
  acks: number;
}

/** Builds `frames` whole data frames with garbage (~25 %), half frames (~5 %) and ACKs (~5 %) between them. */
export function buildDirtyStream(frames: number, seed = 0x5003): DirtyStream {
  const rnd = mulberry32(seed);
  const day = Date.UTC(2024, 4, 14);
  const pool = Array.from({ length: 64 }, (_, i) => encodeFrame(valuesFromConditions(urbanConditions(new Date(day + i * 1_350_000)))));
  const ackPool = [encodeAck(0xe1, 0), encodeAck(0xe1, 1), encodeAck(0xe4, 0)];
  const out = Buffer.alloc(frames * 72 + 64);
  let n = 0;
  let acks = 0;
  let halfAt = -1; // header of the last half frame, checked once 32 bytes follow it
  const checkHalf = () => {
    if (halfAt < 0 || n < halfAt + 32) return;
    // A half frame's 32-byte window runs into what follows; if that happens to pass the checksum, the scanner
    // would rightly accept it and swallow a real frame. Defuse such rare collisions so the count stays exact.
    let sum = 0;
    for (let k = halfAt; k < halfAt + 30; k++) sum += out[k] as number;
    if ((sum & 0xffff) === out.readUInt16BE(halfAt + 30)) out[halfAt + 1] = 0;
    halfAt = -1;
  };
  for (let f = 0; f < frames; f++) {
    const r = rnd();
    if (r < 0.25) {
      const len = 1 + Math.floor(rnd() * 24);
      for (let k = 0; k < len; k++) out[n++] = Math.floor(rnd() * 256);
    } else if (r < 0.3) {
      const src = pool[Math.floor(rnd() * pool.length)]!;
      const cut = 1 + Math.floor(rnd() * 31);
      checkHalf();
      halfAt = n;
      n += src.copy(out, n, 0, cut);
    } else if (r < 0.35) {
      n += ackPool[Math.floor(rnd() * ackPool.length)]!.copy(out, n);
      acks++;
    }
    n += pool[f % pool.length]!.copy(out, n);
    checkHalf();
  }
  checkHalf();
  return { bytes: out.subarray(0, n), frames, acks };
}

export async function benchPmsParser(opts: { frames?: number } = {}): Promise<{ frames: number; seconds: number; framesPerSec: number }> {
  const written = opts.frames ?? 1_000_000;
  const { bytes, acks } = buildDirtyStream(written);
  let found = 0;
  let acksFound = 0;
  let pm25 = 0;
  const scanner = new PmsScanner({
    frame(buf, start, length) {
      found++;
      pm25 += decodeFrame(buf, start, length, 'pms5003').pm25_ugm3 ?? 0;
    },
    ack() {
      acksFound++;
    },
    error() {},
  });
  const t0 = performance.now();
  for (let off = 0; off < bytes.length; off += CHUNK) scanner.push(bytes.subarray(off, off + CHUNK));
  scanner.end();
  const seconds = (performance.now() - t0) / 1000;
  if (found !== written || acksFound !== acks || !(pm25 > 0)) {
    throw new Error(`PMS scanner found ${found} of ${written} frames and ${acksFound} of ${acks} ACKs`);
  }
  return { frames: found, seconds, framesPerSec: found / seconds };
}
