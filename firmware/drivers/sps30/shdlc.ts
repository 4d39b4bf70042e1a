// Sensirion SHDLC framing (protocols.md §3, §9; SPS30 datasheet v1.0 (March 2020) §5 (UART) "SHDLC frame layer";
// Sensirion/python-shdlc-driver serial_frame_builder.py). Bytes in, frames out; this module never touches a port.
//
//   MOSI (host → sensor)  7E ADR CMD LEN DATA… CHK 7E
//   MISO (sensor → host)  7E ADR CMD STATE LEN DATA… CHK 7E
//   CHK = ~(sum of the unstuffed bytes ADR…last DATA, STATE included) & 0xFF; LEN = unstuffed data length (≤ 255).
//   Between the flags every byte (CHK too) is stuffed: 7E→7D 5E, 7D→7D 5D, 11→7D 31, 13→7D 33.
//
// Stream scanning: everything between two 0x7E is one candidate. Sensirion devices send a start AND a stop flag,
// so two adjacent flags (`7E 7E`) just mean "the first one closed something we did not see": an empty candidate is
// no frame and no error. After any candidate — good or bad — the flag that closed it is taken as a possible start,
// which resynchronises a stream joined mid-frame and recovers a frame whose own start flag was lost. Bytes before
// the first flag are skipped (counted, not reported: joining a stream mid-frame is normal).

export const SHDLC_FLAG = 0x7e;
const ESCAPE = 0x7d;
/** Data bytes of one frame at most (LEN is one byte). */
export const SHDLC_MAX_DATA = 255;

export type ShdlcDirection = 'mosi' | 'miso';
export type ShdlcErrorCode = 'checksum' | 'length' | 'stuffing' | 'truncated';

export interface ShdlcFrame {
  address: number;
  command: number;
  /** MISO only: the state byte (bit 7 device error flag, bits 0–6 error code). */
  state?: number;
  data: Buffer;
  /** The frame as it was on the wire, flags included. */
  raw: Buffer;
}

export interface ShdlcScanError {
  code: ShdlcErrorCode;
  reason: string;
  /** The refused candidate as it was on the wire (flags included where seen). */
  raw: Buffer;
}

export interface ShdlcCounts {
  frames: number;
  /** Bytes before the first flag (a stream joined mid-frame). */
  skipped: number;
  errors: Record<ShdlcErrorCode, number>;
}

// ---- state byte (MISO) ----

/**
 * Error codes carried in bits 0–6 of the MISO state byte. 0x01–0x04, 0x28 and 0x43 are the SPS30 datasheet's
 * UART error table (v1.0 §5 (UART); transcribed as ERR_* in paulvha/sps30 src/sps30.h); 0x05 and 0x06 are generic SHDLC
 * codes from Sensirion/python-shdlc-driver errors.py (other SHDLC devices).
 */
export const SHDLC_STATE_ERRORS: Readonly<Record<number, string>> = {
  0x01: 'wrong data length for this command (too much or too little data)',
  0x02: 'unknown command',
  0x03: 'no access right for this command',
  0x04: 'illegal command parameter or parameter out of the allowed range',
  0x05: 'wrong checksum received by the device',
  0x06: 'firmware update failed',
  0x28: 'internal function argument out of range',
  0x43: 'command not allowed in the current state',
};

/** Bit 7 of the state byte: the device reports an error condition (python-shdlc-driver connection.py). */
export const SHDLC_DEVICE_ERROR_FLAG = 0x80;

export function stateErrorCode(state: number): number {
  return state & 0x7f;
}

export function stateErrorName(code: number): string {
  return SHDLC_STATE_ERRORS[code] ?? `unknown error code 0x${code.toString(16).padStart(2, '0')}`;
}

/** A MISO frame whose state byte carries a non-zero error code: the command was received but refused. */
export class ShdlcStateError extends Error {
  readonly code: number;
  constructor(
    readonly command: number,
    readonly state: number,
    what: string,
  ) {
    const code = stateErrorCode(state);
    super(`${what} refused by the sensor: state 0x${code.toString(16).padStart(2, '0')} (${stateErrorName(code)})`);
    this.name = 'ShdlcStateError';
    this.code = code;
  }
}

// ---- bytes ----

export const hex = (buf: Uint8Array, start = 0, end = buf.length): string => {
  let s = '';
  for (let i = start; i < end; i++) s += (i > start ? ' ' : '') + (buf[i] as number).toString(16).padStart(2, '0');
  return s;
};
const hex2 = (n: number) => '0x' + n.toString(16).padStart(2, '0');

const needsStuffing = (b: number) => b === 0x7e || b === 0x7d || b === 0x11 || b === 0x13;

/** Stuffs every byte that may not appear between the flags (flag, escape, XON, XOFF): 0x7D then byte XOR 0x20. */
export function stuff(bytes: Uint8Array): Buffer {
  const out: number[] = [];
  for (const b of bytes) {
    if (needsStuffing(b)) out.push(ESCAPE, b ^ 0x20);
    else out.push(b);
  }
  return Buffer.from(out);
}

/** Reverses stuff(); returns a reason string when an escape is dangling or escapes a byte that is never stuffed. */
export function unstuff(bytes: Uint8Array): Buffer | string {
  const out = Buffer.alloc(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (b !== ESCAPE) {
      // A raw 0x11/0x13 should have been stuffed, but Sensirion's own decoders accept it (python-shdlc-driver
      // unstuffs 0x7D pairs only): so do we.
      out[n++] = b;
      continue;
    }
    if (i + 1 >= bytes.length) return `escape 0x7d at byte ${i + 1} has no byte after it`;
    const next = bytes[++i] as number;
    const original = next ^ 0x20;
    if (!needsStuffing(original)) return `escape 0x7d followed by ${hex2(next)} (only 5e, 5d, 31, 33 may follow it)`;
    out[n++] = original;
  }
  return out.subarray(0, n);
}

/** ~(sum of bytes) & 0xFF over unstuffed ADR…DATA (STATE included for MISO). */
export function shdlcChecksum(bytes: Uint8Array): number {
  let sum = 0;
  for (const b of bytes) sum += b;
  return ~sum & 0xff;
}

function frame(header: number[], data: Uint8Array): Buffer {
  if (data.length > SHDLC_MAX_DATA) throw new RangeError(`SHDLC data holds at most ${SHDLC_MAX_DATA} bytes; got ${data.length}`);
  for (const [i, b] of header.entries()) {
    if (!Number.isInteger(b) || b < 0 || b > 0xff) throw new RangeError(`SHDLC header byte ${i} must be 0..255; got ${b}`);
  }
  const body = Buffer.from([...header, data.length, ...data]);
  return Buffer.concat([Buffer.of(SHDLC_FLAG), stuff(Buffer.concat([body, Buffer.of(shdlcChecksum(body))])), Buffer.of(SHDLC_FLAG)]);
}

/** A host → sensor frame. */
export function encodeMosi(address: number, command: number, data: Uint8Array = new Uint8Array(0)): Buffer {
  return frame([address, command], data);
}

/** A sensor → host frame (what a device simulator sends). */
export function encodeMiso(address: number, command: number, state: number, data: Uint8Array = new Uint8Array(0)): Buffer {
  return frame([address, command, state], data);
}

/**
 * Decodes the bytes between two flags (stuffed, flags excluded). `raw` is what gets reported with the result.
 * Order of checks: stuffing, minimum size, LEN, CHK (python-shdlc-driver checks size before checksum too).
 */
export function decodeBody(direction: ShdlcDirection, body: Uint8Array, raw: Buffer = wrap(body)): ShdlcFrame | ShdlcScanError {
  const headerLen = direction === 'miso' ? 4 : 3;
  const u = unstuff(body);
  if (typeof u === 'string') return { code: 'stuffing', reason: u, raw };
  if (u.length < headerLen + 1) {
    return {
      code: 'length',
      reason: `${u.length}-byte frame is shorter than the ${headerLen + 1}-byte minimum of an SHDLC ${direction.toUpperCase()} frame`,
      raw,
    };
  }
  const len = u[headerLen - 1] as number;
  const dataLen = u.length - headerLen - 1;
  if (dataLen !== len) {
    return {
      code: 'length',
      reason: `LEN says ${len} data bytes but the frame holds ${dataLen}`,
      raw,
    };
  }
  const chk = u[u.length - 1] as number;
  const expected = shdlcChecksum(u.subarray(0, u.length - 1));
  if (chk !== expected) {
    return { code: 'checksum', reason: `CHK ${hex2(chk)} != ${hex2(expected)} (~sum of ADR…DATA)`, raw };
  }
  const f: ShdlcFrame = {
    address: u[0] as number,
    command: u[1] as number,
    data: Buffer.from(u.subarray(headerLen, headerLen + len)),
    raw,
  };
  if (direction === 'miso') f.state = u[2] as number;
  return f;
}

const wrap = (body: Uint8Array) => Buffer.concat([Buffer.of(SHDLC_FLAG), body, Buffer.of(SHDLC_FLAG)]);
const isError = (r: ShdlcFrame | ShdlcScanError): r is ShdlcScanError => 'code' in r;

export interface ShdlcSink {
  frame(f: ShdlcFrame): void;
  error(e: ShdlcScanError): void;
}

/**
 * Push-style scanner for one direction. Feed it chunks split anywhere; between chunks it keeps the unfinished
 * candidate (at most one frame's worth of stuffed bytes).
 */
export class ShdlcScanner {
  readonly counts: ShdlcCounts = { frames: 0, skipped: 0, errors: { checksum: 0, length: 0, stuffing: 0, truncated: 0 } };
  /** Stuffed bytes of a whole frame at most: (header + 255 data + CHK), each possibly doubled. */
  private readonly maxBody: number;
  private body: number[] = [];
  private inFrame = false;

  constructor(
    readonly direction: ShdlcDirection,
    private readonly sink: ShdlcSink,
  ) {
    if (direction !== 'mosi' && direction !== 'miso') throw new TypeError(`direction must be 'mosi' or 'miso'; got ${String(direction)}`);
    this.maxBody = 2 * ((direction === 'miso' ? 4 : 3) + SHDLC_MAX_DATA + 1);
  }

  /** Stuffed bytes held from earlier chunks (an unfinished candidate). */
  get pending(): number {
    return this.body.length;
  }

  push(chunk: Uint8Array): void {
    for (const b of chunk) {
      if (b === SHDLC_FLAG) {
        if (this.inFrame && this.body.length > 0) this.finish();
        this.inFrame = true; // the closing flag may be the next frame's start
        continue;
      }
      if (!this.inFrame) {
        this.counts.skipped++;
        continue;
      }
      this.body.push(b);
      if (this.body.length > this.maxBody) {
        const raw = Buffer.from([SHDLC_FLAG, ...this.body]);
        this.body = [];
        this.inFrame = false; // hunt for the next flag
        this.report({ code: 'length', reason: `no closing 0x7e within ${this.maxBody} bytes (longer than any SHDLC frame)`, raw });
      }
    }
  }

  /** End of input: an unfinished candidate is reported as truncated. */
  end(): void {
    if (this.inFrame && this.body.length > 0) {
      const raw = Buffer.from([SHDLC_FLAG, ...this.body]);
      this.reset();
      this.report({ code: 'truncated', reason: `stream ended inside a frame (${raw.length} bytes since the last 0x7e)`, raw });
    }
  }

  /** Forgets any unfinished candidate and hunts for the next flag. */
  reset(): void {
    this.body = [];
    this.inFrame = false;
  }

  private finish(): void {
    const body = Buffer.from(this.body);
    this.body = [];
    const r = decodeBody(this.direction, body);
    if (isError(r)) this.report(r);
    else {
      this.counts.frames++;
      this.sink.frame(r);
    }
  }

  private report(e: ShdlcScanError): void {
    this.counts.errors[e.code]++;
    this.sink.error(e);
  }
}

/** Convenience for tests and one-shot decoding: every frame and refused candidate in a buffer, in order. */
export function scanAll(direction: ShdlcDirection, bytes: Uint8Array, end = true): Array<ShdlcFrame | ShdlcScanError> {
  const out: Array<ShdlcFrame | ShdlcScanError> = [];
  const s = new ShdlcScanner(direction, { frame: (f) => out.push(f), error: (e) => out.push(e) });
  s.push(bytes);
  if (end) s.end();
  return out;
}

export { isError as isShdlcError };
