// Plantower PMS5003 / PMS7003 / PMS5003T serial framing (protocols.md §1, §9; Plantower PMS5003 manual V2.3,
// Appendix I "transport protocol"). Bytes in, events out; this module never touches a port.
//
// Frame: 42 4D LENH LENL <LEN-2 bytes of data> CHKH CHKL, CHK = 16-bit sum of every byte before it.
//   LEN 28 (0x001C) → 32-byte data frame (PMS5003/7003/A003 and PMS5003T)
//   LEN 20 (0x0014) → 24-byte frame of the older PMS1003–3003: decoded as far as its fields go (CF=1 and
//                     atmospheric PM only; its last 6 data bytes are reserved — PyPMS captured PMS3003 frames)
//   LEN 4           → 8-byte ACK `42 4D 00 04 CMD DATA CHKH CHKL` (airrohr issue #730 shows one misread as data)
// Any other LEN after `42 4D` is not a frame: the scanner moves one byte on and keeps looking.
//
// A checksum-valid data frame is then checked for plausibility (checkPlausible below) and refused as
// `implausible` when its words contradict what the manual defines them to be.
import type { Values } from '../types.js';
import { ChunkScanner, ScannerTransform } from '../../protocols/chunk-scanner.js';

export type PmsVariant = 'pms5003' | 'pms5003t';
export const PMS_VARIANTS: readonly PmsVariant[] = ['pms5003', 'pms5003t'];

export const PMS_HEADER_0 = 0x42;
export const PMS_HEADER_1 = 0x4d;
/** Data length field of a 32-byte frame (protocols.md §1). */
export const PMS_LEN_DATA = 28;
/** Data length field of the 24-byte PMS1003–3003 frame. */
export const PMS_LEN_LEGACY = 20;
/** Data length field of an ACK frame. */
export const PMS_LEN_ACK = 4;
/** Largest frame we ever wait for (32 bytes); anything that needs more is not a frame. */
export const PMS_MAX_FRAME = PMS_LEN_DATA + 4;

export type PmsErrorCode = 'checksum' | 'length' | 'truncated' | 'implausible';

/** Receives scanner results without any per-frame allocation beyond what the receiver itself does. */
export interface PmsSink {
  /** A checksum-valid data frame. `buf[start .. start+length)` is only valid during the call. */
  frame(buf: Uint8Array, start: number, length: number): void;
  /** A checksum-valid ACK frame (echo of the command byte and its DATAL). */
  ack(command: number, data: number, buf: Uint8Array, start: number): void;
  /** A rejected candidate. Rare, so the reason string is built eagerly. */
  error(code: PmsErrorCode, reason: string, buf: Uint8Array, start: number, length: number): void;
}

export interface PmsCounts {
  frames: number;
  acks: number;
  errors: Record<PmsErrorCode, number>;
}

export const hex = (buf: Uint8Array, start = 0, end = buf.length): string => {
  let s = '';
  for (let i = start; i < end; i++) s += (i > start ? ' ' : '') + (buf[i] as number).toString(16).padStart(2, '0');
  return s;
};
const hex4 = (n: number) => '0x' + n.toString(16).padStart(4, '0');

/**
 * Push-style byte scanner. Feed it chunks split anywhere; it calls the sink for every whole frame, ACK and
 * rejected candidate. Between chunks it keeps at most 31 bytes (an unfinished frame) in a fixed scratch buffer,
 * so a chunk is never copied whole: only the kept tail plus the first bytes of the next chunk are.
 */
export class PmsScanner extends ChunkScanner {
  readonly counts: PmsCounts = { frames: 0, acks: 0, errors: { checksum: 0, length: 0, truncated: 0, implausible: 0 } };
  /**
   * Which layout bytes 24–27 carry. The plausibility check orders them as counts only when this is 'pms5003';
   * left out (a probe that does not know the part yet), they are not checked.
   */
  readonly variant: PmsVariant | undefined;

  constructor(
    private readonly sink: PmsSink,
    variant?: PmsVariant,
  ) {
    super(PMS_MAX_FRAME);
    this.variant = variant === undefined ? undefined : checkVariant(variant);
  }

  /** End of input: an unfinished frame left in the tail is reported as truncated. Resets the scanner. */
  end(): void {
    const n = this.takeTail();
    if (n >= 2) {
      this.counts.errors.truncated++;
      this.sink.error('truncated', `input ended inside a frame (${n} bytes of it received)`, this.scratch, 0, n);
    }
  }

  /** Drops the kept tail without reporting it (after a silence the rest of that frame will never come). */
  reset(): void {
    this.takeTail();
  }

  /**
   * Scans buf[from, end) for frames starting before `startLimit`. Returns the index where scanning stopped:
   * `startLimit` (or beyond, after a frame) when done, or the start of a candidate frame that needs bytes
   * past `end`.
   */
  protected scan(buf: Uint8Array, from: number, end: number, startLimit: number): number {
    const sink = this.sink;
    const counts = this.counts;
    let i = from;
    while (i < startLimit) {
      if (buf[i] !== PMS_HEADER_0) {
        i++;
        continue;
      }
      if (i + 1 >= end) return i;
      if (buf[i + 1] !== PMS_HEADER_1) {
        i++;
        continue;
      }
      if (i + 3 >= end) return i;
      const len = ((buf[i + 2] as number) << 8) | (buf[i + 3] as number);
      if (len !== PMS_LEN_DATA && len !== PMS_LEN_ACK && len !== PMS_LEN_LEGACY) {
        counts.errors.length++;
        sink.error(
          'length',
          `implausible length ${hex4(len)} after 42 4D (expected 0x001c, 0x0014 or 0x0004): not a frame`,
          buf,
          i,
          4,
        );
        i++;
        continue;
      }
      const total = len + 4;
      if (i + total > end) return i;
      const last = i + total - 2;
      let sum = 0;
      for (let k = i; k < last; k++) sum += buf[k] as number;
      sum &= 0xffff;
      const check = ((buf[last] as number) << 8) | (buf[last + 1] as number);
      if (sum !== check) {
        counts.errors.checksum++;
        sink.error('checksum', `checksum ${hex4(check)} != sum ${hex4(sum)}`, buf, i, total);
        // Resync one byte after the failed header: a real frame may start inside the bytes just rejected.
        i++;
        continue;
      }
      const implausible = len === PMS_LEN_ACK ? null : checkPlausible(buf, i, total, this.variant);
      if (implausible !== null) {
        counts.errors.implausible++;
        sink.error('implausible', implausible, buf, i, total);
        // As after a checksum failure: the header may have been a coincidence inside a real frame.
        i++;
        continue;
      }
      if (len === PMS_LEN_ACK) {
        counts.acks++;
        sink.ack(buf[i + 4] as number, buf[i + 5] as number, buf, i);
      } else {
        counts.frames++;
        sink.frame(buf, i, total);
      }
      i += total;
    }
    return i;
  }
}

const u16 = (b: Uint8Array, o: number) => ((b[o] as number) << 8) | (b[o + 1] as number);
const s16 = (b: Uint8Array, o: number) => (u16(b, o) << 16) >> 16;

/** One data word: canonical name, byte offset in the frame, scale, signed. */
type Word = readonly [name: string, offset: number, scale?: number, signed?: boolean];

// Byte offsets: protocols.md §1 / PMS5003 manual V2.3 Appendix I. CF=1 words come first, atmospheric second.
const MASS: readonly Word[] = [
  ['pm1_cf1_ugm3', 4],
  ['pm25_cf1_ugm3', 6],
  ['pm10_cf1_ugm3', 8],
  ['pm1_ugm3', 10],
  ['pm25_ugm3', 12],
  ['pm10_ugm3', 14],
];
const FINE_COUNTS: readonly Word[] = [
  ['n0_3_per_dl', 16],
  ['n0_5_per_dl', 18],
  ['n1_0_per_dl', 20],
  ['n2_5_per_dl', 22],
];
/** The data words of each frame layout (PMS1003–3003 24-byte frames carry the six mass words only). */
const LAYOUTS: Record<PmsVariant | 'legacy', readonly Word[]> = {
  legacy: MASS,
  pms5003: [...MASS, ...FINE_COUNTS, ['n5_0_per_dl', 24], ['n10_per_dl', 26]],
  // PMS5003T: bytes 24–25 are temperature ×10 (signed) and 26–27 humidity ×10 in place of the >5.0 and >10 µm
  // counts (PMS5003T manual via protocols.md §1; matched against PyPMS's captured PMS5003T frames).
  pms5003t: [...MASS, ...FINE_COUNTS, ['temperature_c', 24, 10, true], ['humidity_pct', 26, 10]],
};

// Plausibility after the checksum. The manual (PMS5003 manual V2.3, Appendix I, "Data 1" … "Data 12"; the same
// table in the PMS7003 manual V2.5 and PMS5003T manual) defines the mass words as PM1.0, PM2.5 and PM10 — the mass
// of particles up to 1.0, 2.5 and 10 µm, so each includes the one before — and the count words as the number of
// particles "with diameter beyond 0.3 / 0.5 / 1.0 / 2.5 / 5.0 / 10 um in 0.1 L of air", each a subset of the one
// before. A frame breaking PM1.0 ≤ PM2.5 ≤ PM10 (in the CF=1 set or the atmospheric set) or the non-increasing
// counts cannot come from the sensor. Why check at all: the 16-bit sum cannot see two flipped bits of the same
// weight in opposite directions (or a data bit and the matching checksum bit), about 1.4e-3 of frames at a bit-
// error rate of 1e-3; when such a pair hits a high byte, a word jumps by ≥ 256 and usually breaks the order.
const MASS_SETS = [
  [4, 6, 8], // CF=1 PM1.0, PM2.5, PM10
  [10, 12, 14], // atmospheric PM1.0, PM2.5, PM10
] as const;
const COUNTS_PMS5003 = [16, 18, 20, 22, 24, 26] as const;
/** The counts every 32-byte layout carries (PMS5003T: bytes 24–27 are temperature and humidity). */
const COUNTS_COMMON = [16, 18, 20, 22] as const;
const COUNT_NAMES = ['0.3', '0.5', '1.0', '2.5', '5.0', '10'];

/**
 * Why a checksum-valid data frame (32 or 24 bytes at buf[start]) cannot be a real reading, or null when it can.
 * Bytes 24–27 are ordered as the > 5.0 and > 10 µm counts only for variant 'pms5003' (on a PMS5003T they are
 * temperature and humidity; with no variant they are not checked). A 24-byte PMS1003–3003 frame has no counts.
 */
export function checkPlausible(buf: Uint8Array, start: number, length: number, variant?: PmsVariant): string | null {
  for (const [a, b, c] of MASS_SETS) {
    const pm1 = u16(buf, start + a);
    const pm25 = u16(buf, start + b);
    const pm10 = u16(buf, start + c);
    if (pm1 > pm25 || pm25 > pm10) {
      const set = a === 4 ? 'CF=1' : 'atmospheric';
      return `${set} PM1.0/PM2.5/PM10 = ${pm1}/${pm25}/${pm10} µg/m³: not PM1.0 ≤ PM2.5 ≤ PM10 (cumulative mass, PMS5003 manual V2.3 Appendix I)`;
    }
  }
  if (length !== PMS_LEN_DATA + 4) return null;
  const offsets = variant === 'pms5003' ? COUNTS_PMS5003 : COUNTS_COMMON;
  for (let k = 1; k < offsets.length; k++) {
    const bigger = u16(buf, start + offsets[k - 1]!);
    const smaller = u16(buf, start + offsets[k]!);
    if (smaller > bigger) {
      return `count beyond ${COUNT_NAMES[k]} µm (${smaller}) exceeds count beyond ${COUNT_NAMES[k - 1]} µm (${bigger}) per 0.1 L: counts are cumulative (PMS5003 manual V2.3 Appendix I)`;
    }
  }
  return null;
}

/** Decodes a checksum-valid data frame (as handed to PmsSink.frame) into canonical quantities. */
export function decodeFrame(buf: Uint8Array, start: number, length: number, variant: PmsVariant): Values {
  const layout = LAYOUTS[length === PMS_LEN_LEGACY + 4 ? 'legacy' : variant];
  const values: Values = {};
  for (let i = 0; i < layout.length; i++) {
    const [name, offset, scale, signed] = layout[i]!;
    const raw = signed ? s16(buf, start + offset) : u16(buf, start + offset);
    values[name] = scale ? raw / scale : raw;
  }
  return values;
}

/** Bytes 28/29 of a 32-byte frame: "reserved" in the manual, firmware version and error code in practice. */
export function frameStatus(buf: Uint8Array, start: number, length: number): { version: number; errorCode: number } | null {
  if (length !== PMS_LEN_DATA + 4) return null;
  return { version: buf[start + 28] as number, errorCode: buf[start + 29] as number };
}

export interface PmsReadingEvent {
  kind: 'reading';
  values: Values;
  /** A copy of the whole frame. */
  raw: Buffer;
  /** 32 for PMS5003/7003/5003T, 24 for PMS1003–3003. */
  frameBytes: number;
  version?: number;
  errorCode?: number;
}
export interface PmsAckEvent {
  kind: 'ack';
  command: number;
  data: number;
  raw: Buffer;
}
export interface PmsErrorEvent {
  kind: 'error';
  code: PmsErrorCode;
  reason: string;
  hex: string;
}
export type PmsEvent = PmsReadingEvent | PmsAckEvent | PmsErrorEvent;

export function checkVariant(variant: unknown): PmsVariant {
  if (!PMS_VARIANTS.includes(variant as PmsVariant)) {
    throw new TypeError(`variant must be one of ${PMS_VARIANTS.join(', ')}; got ${JSON.stringify(variant)}`);
  }
  return variant as PmsVariant;
}

/** A sink that turns scanner callbacks into PmsEvent objects (copies the bytes, so they outlive the chunk). */
export function eventSink(variant: PmsVariant, emit: (event: PmsEvent) => void): PmsSink {
  return {
    frame(buf, start, length) {
      const status = frameStatus(buf, start, length);
      const event: PmsReadingEvent = {
        kind: 'reading',
        values: decodeFrame(buf, start, length, variant),
        raw: Buffer.from(buf.subarray(start, start + length)),
        frameBytes: length,
      };
      if (status) {
        event.version = status.version;
        event.errorCode = status.errorCode;
      }
      emit(event);
    },
    ack(command, data, buf, start) {
      emit({ kind: 'ack', command, data, raw: Buffer.from(buf.subarray(start, start + 8)) });
    },
    error(code, reason, buf, start, length) {
      emit({ kind: 'error', code, reason, hex: hex(buf, start, start + length) });
    },
  };
}

export interface PmsParserOptions {
  /** Which field layout bytes 24–27 carry. Default 'pms5003'. */
  variant?: PmsVariant;
}

/**
 * node-serialport-style parser: `port.pipe(new PmsParser({ variant }))` and read PmsEvent objects.
 * `_flush` reports an unfinished frame left at the end of input as a `truncated` error.
 */
export class PmsParser extends ScannerTransform<PmsScanner> {
  readonly variant: PmsVariant;

  constructor(options: PmsParserOptions = {}) {
    const variant = checkVariant(options.variant ?? 'pms5003');
    super((emit) => new PmsScanner(eventSink(variant, emit), variant));
    this.variant = variant;
  }

  get counts(): PmsCounts {
    return this.scanner.counts;
  }
}
