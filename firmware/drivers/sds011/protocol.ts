// Nova SDS011 serial framing, sensor → host (protocols.md §2, §9; Nova "Laser Dust Sensor Control Protocol V1.3";
// SDS011 specification V1.3 p. 5). Bytes in, events out; this module never touches a port.
//
// Every frame from the sensor is 10 bytes: AA KIND B2 B3 B4 B5 B6 B7 CS AB, CS = (B2 + … + B7) & 0xFF.
//   KIND C0 → data:  B2..B5 = PM2.5 low/high, PM10 low/high (tenths of µg/m³), B6 B7 = device ID
//   KIND C5 → reply to a command: B2 = the command, B3..B5 = its answer, B6 B7 = device ID
// `AA` followed by anything else is not a frame start (it may be a PM byte of the stream): the scanner moves
// one byte on. A candidate whose byte 9 is not `AB`, or whose checksum fails, is refused with its reason and the
// scanner resyncs one byte after its `AA`, since a real frame may begin inside the refused bytes.
import type { Values } from '../types.js';
import { ChunkScanner, ScannerTransform } from '../../protocols/chunk-scanner.js';

export const SDS_HEAD = 0xaa;
export const SDS_TAIL = 0xab;
/** Second byte of a data frame. */
export const SDS_KIND_DATA = 0xc0;
/** Second byte of a reply to a command. */
export const SDS_KIND_REPLY = 0xc5;
export const SDS_FRAME_BYTES = 10;

export type SdsErrorCode = 'checksum' | 'tail' | 'truncated';

/** Receives scanner results; `buf[start .. start+10)` is only valid during the call. */
export interface SdsSink {
  frame(buf: Uint8Array, start: number): void;
  reply(buf: Uint8Array, start: number): void;
  /** A refused candidate. Rare, so the reason string is built eagerly. */
  error(code: SdsErrorCode, reason: string, buf: Uint8Array, start: number, length: number): void;
}

export interface SdsCounts {
  frames: number;
  replies: number;
  errors: Record<SdsErrorCode, number>;
}

export const hex = (buf: Uint8Array, start = 0, end = buf.length): string => {
  let s = '';
  for (let i = start; i < end; i++) s += (i > start ? ' ' : '') + (buf[i] as number).toString(16).padStart(2, '0');
  return s;
};
const hex2 = (n: number) => '0x' + n.toString(16).padStart(2, '0');

/** Sum of bytes 2..7 of a frame starting at `start`, & 0xFF (Control Protocol V1.3: "Check-sum = Data1+…+Data6"). */
export function frameChecksum(buf: Uint8Array, start = 0): number {
  let sum = 0;
  for (let k = start + 2; k < start + 8; k++) sum += buf[k] as number;
  return sum & 0xff;
}

/**
 * Push-style byte scanner. Feed it chunks split anywhere; it calls the sink for every whole data frame, reply
 * and refused candidate. Between chunks it keeps at most 9 bytes (an unfinished frame) in a fixed scratch
 * buffer; the chunk itself is scanned in place.
 */
export class SdsScanner extends ChunkScanner {
  readonly counts: SdsCounts = { frames: 0, replies: 0, errors: { checksum: 0, tail: 0, truncated: 0 } };

  constructor(private readonly sink: SdsSink) {
    super(SDS_FRAME_BYTES);
  }

  /** End of input: an unfinished frame (`AA C0`/`AA C5` and more) is reported as truncated. Resets the scanner. */
  end(): void {
    const n = this.takeTail();
    if (n >= 2) {
      this.counts.errors.truncated++;
      this.sink.error('truncated', `input ended inside a frame (${n} of 10 bytes received)`, this.scratch, 0, n);
    }
  }

  /** Drops the kept tail without reporting it (after a silence the rest of that frame will never come). */
  reset(): void {
    this.takeTail();
  }

  /**
   * Scans buf[from, end) for frames starting before `startLimit`. Returns where scanning stopped: `startLimit`
   * or beyond when done, or the start of a candidate that needs bytes past `end`.
   */
  protected scan(buf: Uint8Array, from: number, end: number, startLimit: number): number {
    const sink = this.sink;
    const counts = this.counts;
    let i = from;
    while (i < startLimit) {
      // indexOf is native: garbage between frames is skipped without a JS loop per byte.
      const head = buf.indexOf(SDS_HEAD, i);
      if (head < 0 || head >= startLimit) return startLimit;
      i = head;
      if (i + 1 >= end) return i;
      const kind = buf[i + 1];
      if (kind !== SDS_KIND_DATA && kind !== SDS_KIND_REPLY) {
        i++;
        continue;
      }
      if (i + SDS_FRAME_BYTES > end) return i;
      const tail = buf[i + 9] as number;
      if (tail !== SDS_TAIL) {
        counts.errors.tail++;
        sink.error('tail', `tail ${hex2(tail)} != 0xab`, buf, i, SDS_FRAME_BYTES);
        i++;
        continue;
      }
      const sum = frameChecksum(buf, i);
      const check = buf[i + 8] as number;
      if (sum !== check) {
        counts.errors.checksum++;
        sink.error('checksum', `checksum ${hex2(check)} != sum ${hex2(sum)}`, buf, i, SDS_FRAME_BYTES);
        i++;
        continue;
      }
      if (kind === SDS_KIND_DATA) {
        counts.frames++;
        sink.frame(buf, i);
      } else {
        counts.replies++;
        sink.reply(buf, i);
      }
      i += SDS_FRAME_BYTES;
    }
    return i;
  }
}

/** Device ID from bytes 6–7 ("ID byte 1", "ID byte 2"): the datasheet example's `A1 60` is sensor A160. */
export const deviceIdAt = (buf: Uint8Array, start: number): number => ((buf[start + 6] as number) << 8) | (buf[start + 7] as number);

/** "A160" for 0xA160, as the datasheet and the sensor's label write it. */
export const formatDeviceId = (id: number): string => id.toString(16).toUpperCase().padStart(4, '0');

/**
 * PM2.5 = (B3·256 + B2)/10 and PM10 = (B5·256 + B4)/10 µg/m³ (SDS011 specification V1.3 p. 5; protocols.md §2).
 * Takes a checksum-valid data frame as handed to SdsSink.frame.
 */
export function decodeData(buf: Uint8Array, start = 0): { values: Values; deviceId: number } {
  const pm25 = (((buf[start + 3] as number) << 8) | (buf[start + 2] as number)) / 10;
  const pm10 = (((buf[start + 5] as number) << 8) | (buf[start + 4] as number)) / 10;
  return { values: { pm25_ugm3: pm25, pm10_ugm3: pm10 }, deviceId: deviceIdAt(buf, start) };
}

// Command codes (Control Protocol V1.3; protocols.md §2). Query data (4) is answered with a data frame, not a reply.
export const SDS_CMD_REPORTING_MODE = 0x02;
export const SDS_CMD_QUERY_DATA = 0x04;
export const SDS_CMD_DEVICE_ID = 0x05;
export const SDS_CMD_SLEEP_WORK = 0x06;
export const SDS_CMD_FIRMWARE = 0x07;
export const SDS_CMD_WORKING_PERIOD = 0x08;

export type SdsReportingMode = 'active' | 'query';

/** Firmware date as the sensor reports it (command 7), with the year in full. */
export interface FirmwareDate {
  year: number;
  month: number;
  day: number;
}

/** What a reply (`AA C5 …`) says. `set` is false for the answer to a "query the current setting" command. */
export type SdsReply =
  | { command: 'reporting_mode'; set: boolean; mode: SdsReportingMode; deviceId: number }
  | { command: 'device_id'; deviceId: number }
  | { command: 'sleep_work'; set: boolean; working: boolean; deviceId: number }
  | { command: 'firmware_version'; year: number; month: number; day: number; deviceId: number }
  | { command: 'working_period'; set: boolean; minutes: number; deviceId: number }
  | { command: 'unknown'; code: number; data: [number, number, number]; deviceId: number };

/**
 * Decodes a checksum-valid reply frame. Layouts (Control Protocol V1.3, one example per command):
 *   02 set? mode 00  — mode 0 = active ("report active mode"), 1 = query
 *   05 00 00 00      — the ID bytes are the NEW ID (the sensor answers under it)
 *   06 set? work 00  — work 0 = sleeping, 1 = working
 *   07 YY MM DD      — firmware date, e.g. 0F 07 0A = 2015-07-10
 *   08 set? n 00     — working period in minutes, 0 = continuous
 */
export function decodeReply(buf: Uint8Array, start = 0): SdsReply {
  const code = buf[start + 2] as number;
  const r1 = buf[start + 3] as number;
  const r2 = buf[start + 4] as number;
  const r3 = buf[start + 5] as number;
  const deviceId = deviceIdAt(buf, start);
  switch (code) {
    case SDS_CMD_REPORTING_MODE:
      return { command: 'reporting_mode', set: r1 === 1, mode: r2 === 1 ? 'query' : 'active', deviceId };
    case SDS_CMD_DEVICE_ID:
      return { command: 'device_id', deviceId };
    case SDS_CMD_SLEEP_WORK:
      return { command: 'sleep_work', set: r1 === 1, working: r2 === 1, deviceId };
    case SDS_CMD_FIRMWARE:
      // Two-digit year on the wire; every SDS011 firmware is from the 2010s or later.
      return { command: 'firmware_version', year: 2000 + r1, month: r2, day: r3, deviceId };
    case SDS_CMD_WORKING_PERIOD:
      return { command: 'working_period', set: r1 === 1, minutes: r2, deviceId };
    default:
      return { command: 'unknown', code, data: [r1, r2, r3], deviceId };
  }
}

export interface SdsReadingEvent {
  kind: 'reading';
  values: Values;
  deviceId: number;
  /** A copy of the 10 frame bytes. */
  raw: Buffer;
}
export interface SdsReplyEvent {
  kind: 'reply';
  reply: SdsReply;
  raw: Buffer;
}
export interface SdsErrorEvent {
  kind: 'error';
  code: SdsErrorCode;
  reason: string;
  hex: string;
}
export type SdsEvent = SdsReadingEvent | SdsReplyEvent | SdsErrorEvent;

/** A sink that turns scanner callbacks into SdsEvent objects (copying the bytes, so they outlive the chunk). */
export function eventSink(emit: (event: SdsEvent) => void): SdsSink {
  return {
    frame(buf, start) {
      const { values, deviceId } = decodeData(buf, start);
      emit({ kind: 'reading', values, deviceId, raw: Buffer.from(buf.subarray(start, start + SDS_FRAME_BYTES)) });
    },
    reply(buf, start) {
      emit({ kind: 'reply', reply: decodeReply(buf, start), raw: Buffer.from(buf.subarray(start, start + SDS_FRAME_BYTES)) });
    },
    error(code, reason, buf, start, length) {
      emit({ kind: 'error', code, reason, hex: hex(buf, start, start + length) });
    },
  };
}

/**
 * node-serialport-style parser: `port.pipe(new SdsParser())` and read SdsEvent objects. `_flush` reports an
 * unfinished frame at the end of input as a `truncated` error.
 */
export class SdsParser extends ScannerTransform<SdsScanner> {
  constructor() {
    super((emit) => new SdsScanner(eventSink(emit)));
  }

  get counts(): SdsCounts {
    return this.scanner.counts;
  }
}
