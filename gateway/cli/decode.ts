// `airlane decode <part>`: turns raw sensor bytes (hex, a file or stdin) into one JSON object per reading on
// stdout; every refused frame becomes one JSON object with an `error` key on stderr. ACKs and command replies
// are valid frames but no reading, so they print nothing.
import { createReadStream } from 'node:fs';
import { decodeChunks as decodePms } from '../../firmware/drivers/pms5003/index.js';
import { decodeChunks as decodeSds } from '../../firmware/drivers/sds011/index.js';
import { decodeChunks as decodeSps30 } from '../../firmware/drivers/sps30/index.js';

export class UsageError extends Error {}

type Chunks = AsyncIterable<Buffer> | Iterable<Buffer>;
/** What every decoder yields: readings, frames that are valid but no reading (ACKs, replies), refusals. */
type Decoded = { kind: 'reading'; values: Record<string, number> } | { kind: 'error'; reason: string; code: string; hex: string } | { kind: string };

/** One line per decodable part: the part name users type, and its stream decoder. */
const DECODERS: Record<string, (chunks: Chunks) => AsyncIterable<Decoded>> = {
  pms5003: (c) => decodePms(c, 'pms5003'),
  pms5003t: (c) => decodePms(c, 'pms5003t'),
  sds011: (c) => decodeSds(c),
  'sps30-uart': (c) => decodeSps30(c),
};

export const DECODABLE_PARTS: readonly string[] = Object.keys(DECODERS);

/** "42 4d 00 1c", "424D001C", "0x42,0x4d": any separators, optional 0x. */
export function parseHex(text: string): Buffer {
  const cleaned = text.replace(/0x/gi, '').replace(/[\s,:;-]+/g, '');
  if (!/^[0-9a-f]*$/i.test(cleaned)) {
    const bad = cleaned.match(/[^0-9a-f]/i)?.[0];
    throw new UsageError(`--hex holds "${bad}", which is not a hex digit; give bytes like "42 4d 00 1c"`);
  }
  if (cleaned.length % 2) throw new UsageError(`--hex has an odd number of hex digits (${cleaned.length}); every byte needs two`);
  return Buffer.from(cleaned, 'hex');
}

export interface DecodeIo {
  stdin: AsyncIterable<Buffer>;
  out(line: string): void;
  err(line: string): void;
}

export async function runDecode(part: string, opts: { hex?: string; file?: string }, io: DecodeIo): Promise<{ readings: number; errors: number; acks: number }> {
  const decoder = DECODERS[part];
  if (!decoder) throw new UsageError(`cannot decode part "${part}"; parts: ${DECODABLE_PARTS.join(', ')}`);
  if (opts.hex !== undefined && opts.file !== undefined) throw new UsageError('give either --hex or --file, not both');
  const source: AsyncIterable<Buffer> | Iterable<Buffer> =
    opts.hex !== undefined ? [parseHex(opts.hex)] : opts.file !== undefined ? createReadStream(opts.file) : io.stdin;
  const counts = { readings: 0, errors: 0, acks: 0 };
  for await (const item of decoder(source)) {
    if (item.kind === 'reading' && 'values' in item) {
      counts.readings++;
      io.out(JSON.stringify({ part, ...item.values }));
    } else if (item.kind === 'error' && 'reason' in item) {
      counts.errors++;
      io.err(JSON.stringify({ error: item.reason, code: item.code, part, hex: item.hex }));
    } else counts.acks++;
  }
  return counts;
}
