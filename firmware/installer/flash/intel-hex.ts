// Intel HEX → one flat flash image. Record layout and checksum follow Intel's "Hexadecimal Object File Format
// Specification" rev. A (1988): `:LLAAAATT<data>CC`, CC = two's complement of the byte sum of LL..data; types 00 data,
// 01 end of file, 02 extended segment address (base = value × 16), 04 extended linear address (base = value << 16).
// Types 03/05 (start addresses) carry no flash bytes and are accepted and ignored, as avrdude's ihex reader does.

export class HexError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'HexError';
  }
}

export interface HexImage {
  /** Bytes from address 0 to `end` (exclusive); gaps are 0xFF, the erased state of AVR flash. */
  data: Uint8Array;
  /** Lowest address holding a byte from the file. */
  start: number;
  /** One past the highest address holding a byte from the file. */
  end: number;
  /** How many bytes the data records carried. */
  bytes: number;
}

/** Refuse absurd images early: no AVR handled here has more than 256 KiB of flash. */
const MAX_ADDRESS = 256 * 1024;

const hex2 = (n: number) => `0x${n.toString(16).toUpperCase().padStart(2, '0')}`;

export function parseIntelHex(text: string): HexImage {
  const lines = text.split(/\r?\n/);
  const chunks: Array<{ address: number; bytes: Uint8Array }> = [];
  let base = 0;
  let sawEof = false;
  let count = 0;
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const line = lines[i]!.trim();
    if (line === '') continue;
    if (sawEof) throw new HexError(`line ${n}: text after the end-of-file record; the file is damaged or two files were joined`, n);
    if (!line.startsWith(':')) throw new HexError(`line ${n}: does not start with ':'; this is not an Intel HEX file (build the .hex, not the .elf or .bin)`, n);
    const body = line.slice(1);
    if (!/^[0-9A-Fa-f]*$/.test(body)) throw new HexError(`line ${n}: holds characters that are not hex digits`, n);
    if (body.length % 2 !== 0 || body.length < 10) throw new HexError(`line ${n}: record is too short or has an odd number of digits`, n);
    const raw = Buffer.from(body, 'hex');
    const length = raw[0]!;
    if (raw.length !== length + 5) {
      throw new HexError(`line ${n}: record says ${length} data bytes but holds ${raw.length - 5}`, n);
    }
    let sum = 0;
    for (let k = 0; k < raw.length - 1; k++) sum += raw[k]!;
    const computed = (0x100 - (sum & 0xff)) & 0xff;
    const given = raw[raw.length - 1]!;
    if (given !== computed) throw new HexError(`line ${n}: checksum ${hex2(given)}, computed ${hex2(computed)}; the file is damaged, build or download it again`, n);
    const offset = raw.readUInt16BE(1);
    const type = raw[3]!;
    const data = raw.subarray(4, 4 + length);
    switch (type) {
      case 0x00: {
        const address = base + offset;
        if (address + length > MAX_ADDRESS) throw new HexError(`line ${n}: data at 0x${address.toString(16)} lies beyond any AVR's flash`, n);
        chunks.push({ address, bytes: Uint8Array.from(data) });
        count += length;
        break;
      }
      case 0x01:
        sawEof = true;
        break;
      case 0x02:
        if (length !== 2) throw new HexError(`line ${n}: extended segment address record must hold 2 bytes, holds ${length}`, n);
        base = data.readUInt16BE(0) * 16;
        break;
      case 0x04:
        if (length !== 2) throw new HexError(`line ${n}: extended linear address record must hold 2 bytes, holds ${length}`, n);
        base = data.readUInt16BE(0) << 16;
        break;
      case 0x03:
      case 0x05:
        break;
      default:
        throw new HexError(`line ${n}: unknown record type ${hex2(type)} (known: 00, 01, 02, 03, 04, 05)`, n);
    }
  }
  if (!sawEof) throw new HexError(`line ${lines.length}: no end-of-file record (:00000001FF); the file is cut short, copy it again`, lines.length);
  if (chunks.length === 0) throw new HexError('line 1: the file holds no data records', 1);
  const start = Math.min(...chunks.map((c) => c.address));
  const end = Math.max(...chunks.map((c) => c.address + c.bytes.length));
  const image = new Uint8Array(end).fill(0xff);
  for (const c of chunks) image.set(c.bytes, c.address);
  return { data: image, start, end, bytes: count };
}
