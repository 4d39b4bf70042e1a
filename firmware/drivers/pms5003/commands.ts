// Host → sensor commands and sensor → host ACKs (protocols.md §1; PMS5003 manual V2.3 Appendix II).
// Command: 42 4D CMD DATAH DATAL LRCH LRCL, LRC = 16-bit sum of the first five bytes. No length field.
// ACK:     42 4D 00 04 CMD DATAL CHKH CHKL, CHK = 16-bit sum of bytes 0..5 (airrohr issue #730).
export const PMS_CMD_MODE = 0xe1; // DATAL 0 = passive, 1 = active
export const PMS_CMD_READ = 0xe2; // read one frame in passive mode
export const PMS_CMD_SLEEP = 0xe4; // DATAL 0 = sleep, 1 = wake

export type PmsCommandName = 'passive' | 'active' | 'read' | 'sleep' | 'wake';

const TABLE: Record<PmsCommandName, readonly [cmd: number, data: number]> = {
  passive: [PMS_CMD_MODE, 0],
  active: [PMS_CMD_MODE, 1],
  read: [PMS_CMD_READ, 0],
  sleep: [PMS_CMD_SLEEP, 0],
  wake: [PMS_CMD_SLEEP, 1],
};
export const PMS_COMMAND_NAMES = Object.keys(TABLE) as PmsCommandName[];

/** The 7 command bytes for CMD and the 16-bit DATA word. */
export function encodeCommand(cmd: number, data = 0): Buffer {
  const b = Buffer.alloc(7);
  b[0] = 0x42;
  b[1] = 0x4d;
  b[2] = cmd & 0xff;
  b[3] = (data >> 8) & 0xff;
  b[4] = data & 0xff;
  b.writeUInt16BE((b[0] + b[1] + b[2] + b[3] + b[4]) & 0xffff, 5);
  return b;
}

/** e.g. pmsCommand('sleep') → 42 4D E4 00 00 01 73 */
export function pmsCommand(name: PmsCommandName): Buffer {
  const entry = TABLE[name];
  if (!entry) throw new TypeError(`unknown PMS command ${JSON.stringify(name)}; use one of ${PMS_COMMAND_NAMES.join(', ')}`);
  return encodeCommand(entry[0], entry[1]);
}

/** The name of a (cmd, DATAL) pair, or undefined for a command this driver does not know. */
export function commandName(cmd: number, data: number): PmsCommandName | undefined {
  for (const name of PMS_COMMAND_NAMES) {
    const [c, d] = TABLE[name];
    if (c === cmd && (cmd === PMS_CMD_READ || d === data)) return name;
  }
  return undefined;
}

/** The ACK a sensor sends for CMD/DATAL, e.g. encodeAck(0xE4, 0) → 42 4D 00 04 E4 00 01 77. */
export function encodeAck(cmd: number, data: number): Buffer {
  const b = Buffer.from([0x42, 0x4d, 0x00, 0x04, cmd & 0xff, data & 0xff, 0, 0]);
  b.writeUInt16BE((0x42 + 0x4d + 0x04 + (cmd & 0xff) + (data & 0xff)) & 0xffff, 6);
  return b;
}

export interface PmsCommandFrame {
  cmd: number;
  /** The 16-bit DATAH:DATAL word. */
  data: number;
  name: PmsCommandName | undefined;
}

/**
 * The sensor side of the link: finds 7-byte command frames in what the host writes (used by the simulator).
 * Resyncs on `42 4D` and drops frames whose LRC does not match, like a real sensor would.
 */
export class PmsCommandScanner {
  private buf = Buffer.alloc(0);
  rejected = 0;

  constructor(private readonly onCommand: (frame: PmsCommandFrame) => void) {}

  push(chunk: Buffer): void {
    const b = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    let i = 0;
    while (i + 7 <= b.length) {
      if (b[i] !== 0x42 || b[i + 1] !== 0x4d) {
        i++;
        continue;
      }
      const sum = ((b[i] as number) + (b[i + 1] as number) + (b[i + 2] as number) + (b[i + 3] as number) + (b[i + 4] as number)) & 0xffff;
      if (sum !== b.readUInt16BE(i + 5)) {
        this.rejected++;
        i++;
        continue;
      }
      const cmd = b[i + 2] as number;
      const data = b.readUInt16BE(i + 3);
      this.onCommand({ cmd, data, name: commandName(cmd, data & 0xff) });
      i += 7;
    }
    // keep an unfinished command (at most 6 bytes) for the next chunk
    let keep = i;
    while (keep < b.length && b[keep] !== 0x42) keep++;
    this.buf = Buffer.from(b.subarray(keep));
  }
}
