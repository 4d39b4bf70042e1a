// Host → sensor commands and the replies a sensor sends for them (protocols.md §2; Nova "Laser Dust Sensor
// Control Protocol V1.3").
// Command (19 B): AA B4 CMD D2 … D13 IDH IDL CS AB — CS = (bytes 2..16) & 0xFF; ID FF FF addresses every sensor.
// Reply   (10 B): AA C5 CMD R1 R2 R3 IDH IDL CS AB — CS over bytes 2..7, as for data frames.
import {
  SDS_CMD_DEVICE_ID,
  SDS_CMD_FIRMWARE,
  SDS_CMD_QUERY_DATA,
  SDS_CMD_REPORTING_MODE,
  SDS_CMD_SLEEP_WORK,
  SDS_CMD_WORKING_PERIOD,
  SDS_HEAD,
  SDS_KIND_REPLY,
  SDS_TAIL,
  frameChecksum,
  type SdsReportingMode,
} from './protocol.js';

export const SDS_KIND_COMMAND = 0xb4;
export const SDS_COMMAND_BYTES = 19;
/** The broadcast ID: every sensor obeys a command sent to FF FF. */
export const SDS_ALL_DEVICES = 0xffff;
/** Bytes 3..14 of a command: the datasheet's data bytes 2–13. */
const DATA_BYTES = 12;

function checkId(id: number, what = 'deviceId'): number {
  if (!Number.isInteger(id) || id < 0 || id > 0xffff) throw new TypeError(`${what} must be an integer 0x0000–0xFFFF; got ${id}`);
  return id;
}

/** A 19-byte command: CMD, up to 12 following data bytes, the target ID and the checksum. */
export function encodeCommand(cmd: number, data: ArrayLike<number> = [], deviceId: number = SDS_ALL_DEVICES): Buffer {
  if (data.length > DATA_BYTES) throw new TypeError(`an SDS011 command carries at most ${DATA_BYTES} data bytes after CMD; got ${data.length}`);
  checkId(deviceId);
  const b = Buffer.alloc(SDS_COMMAND_BYTES);
  b[0] = SDS_HEAD;
  b[1] = SDS_KIND_COMMAND;
  b[2] = cmd & 0xff;
  for (let i = 0; i < data.length; i++) b[3 + i] = (data[i] as number) & 0xff;
  b[15] = deviceId >> 8;
  b[16] = deviceId & 0xff;
  let sum = 0;
  for (let i = 2; i <= 16; i++) sum += b[i] as number;
  b[17] = sum & 0xff;
  b[18] = SDS_TAIL;
  return b;
}

/** In the command and reply byte after CMD: 0 = ask for the current setting, 1 = set it (Control Protocol V1.3). */
const GET = 0;
const SET = 1;

function checkPeriod(minutes: number): number {
  if (!Number.isInteger(minutes) || minutes < 0 || minutes > 30) {
    throw new TypeError(`working period must be a whole number of minutes 0–30 (0 = continuous); got ${minutes}`);
  }
  return minutes;
}

/**
 * The commands by meaning. Each takes the target ID last (default FF FF). e.g. `sdsCommands.sleep()` →
 * AA B4 06 01 00 00×10 FF FF 05 AB (protocols.md §2 table).
 */
export const sdsCommands = {
  /** Reporting mode: active = a frame every second (power-up default); query = only on `queryData`. */
  setReportingMode: (mode: SdsReportingMode, id?: number) => {
    if (mode !== 'active' && mode !== 'query') throw new TypeError(`reporting mode must be 'active' or 'query'; got ${String(mode)}`);
    return encodeCommand(SDS_CMD_REPORTING_MODE, [SET, mode === 'query' ? 1 : 0], id);
  },
  getReportingMode: (id?: number) => encodeCommand(SDS_CMD_REPORTING_MODE, [GET, 0], id),
  /** Answered with a data frame (`AA C0 …`). */
  queryData: (id?: number) => encodeCommand(SDS_CMD_QUERY_DATA, [], id),
  /** The new ID goes in data bytes 12–13 (frame bytes 13–14); the sensor answers under the new ID. */
  setDeviceId: (newId: number, id?: number) => {
    checkId(newId, 'newId');
    return encodeCommand(SDS_CMD_DEVICE_ID, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, newId >> 8, newId & 0xff], id);
  },
  /** Laser and fan off (< 4 mA, specification V1.3). */
  sleep: (id?: number) => encodeCommand(SDS_CMD_SLEEP_WORK, [SET, 0], id),
  work: (id?: number) => encodeCommand(SDS_CMD_SLEEP_WORK, [SET, 1], id),
  getSleepWork: (id?: number) => encodeCommand(SDS_CMD_SLEEP_WORK, [GET, 0], id),
  /** 0 = continuous; n = 1–30: work 30 s, sleep n·60−30 s (protocols.md §2). */
  setWorkingPeriod: (minutes: number, id?: number) => encodeCommand(SDS_CMD_WORKING_PERIOD, [SET, checkPeriod(minutes)], id),
  getWorkingPeriod: (id?: number) => encodeCommand(SDS_CMD_WORKING_PERIOD, [GET, 0], id),
  firmwareVersion: (id?: number) => encodeCommand(SDS_CMD_FIRMWARE, [], id),
} as const;

export type SdsCommandName =
  | 'set_mode_active'
  | 'set_mode_query'
  | 'get_mode'
  | 'query_data'
  | 'set_device_id'
  | 'sleep'
  | 'work'
  | 'get_sleep_work'
  | 'set_working_period'
  | 'get_working_period'
  | 'firmware_version';

/** A command as the sensor reads it. */
export interface SdsCommandFrame {
  cmd: number;
  /** Frame bytes 3..14 (the datasheet's data bytes 2–13). */
  data: Uint8Array;
  /** Target ID (FF FF = every sensor). */
  deviceId: number;
  name: SdsCommandName | undefined;
}

/** The meaning of CMD and its first two data bytes, or undefined for a command this driver does not know. */
export function commandName(cmd: number, d1: number, d2: number): SdsCommandName | undefined {
  const set = d1 === SET;
  switch (cmd) {
    case SDS_CMD_REPORTING_MODE:
      return set ? (d2 === 1 ? 'set_mode_query' : 'set_mode_active') : 'get_mode';
    case SDS_CMD_QUERY_DATA:
      return 'query_data';
    case SDS_CMD_DEVICE_ID:
      return 'set_device_id';
    case SDS_CMD_SLEEP_WORK:
      return set ? (d2 === 1 ? 'work' : 'sleep') : 'get_sleep_work';
    case SDS_CMD_FIRMWARE:
      return 'firmware_version';
    case SDS_CMD_WORKING_PERIOD:
      return set ? 'set_working_period' : 'get_working_period';
    default:
      return undefined;
  }
}

/** A reply frame `AA C5 CMD R1 R2 R3 IDH IDL CS AB`, e.g. encodeReply(0x06, [1, 0, 0], 0xA160) → … A1 60 08 AB. */
export function encodeReply(cmd: number, r: readonly [number, number, number], deviceId: number): Buffer {
  checkId(deviceId);
  const b = Buffer.from([SDS_HEAD, SDS_KIND_REPLY, cmd & 0xff, r[0] & 0xff, r[1] & 0xff, r[2] & 0xff, deviceId >> 8, deviceId & 0xff, 0, SDS_TAIL]);
  b[8] = frameChecksum(b);
  return b;
}

/**
 * The sensor side of the link: finds 19-byte commands in what the host writes (used by the simulator). Resyncs
 * on `AA B4` and drops commands with a bad checksum or tail, as a real sensor does (silently).
 */
export class SdsCommandScanner {
  private buf = Buffer.alloc(0);
  rejected = 0;

  constructor(private readonly onCommand: (frame: SdsCommandFrame) => void) {}

  push(chunk: Buffer): void {
    const b = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    let i = 0;
    while (i + SDS_COMMAND_BYTES <= b.length) {
      if (b[i] !== SDS_HEAD || b[i + 1] !== SDS_KIND_COMMAND) {
        i++;
        continue;
      }
      let sum = 0;
      for (let k = i + 2; k <= i + 16; k++) sum += b[k] as number;
      if (b[i + 18] !== SDS_TAIL || (sum & 0xff) !== b[i + 17]) {
        this.rejected++;
        i++;
        continue;
      }
      const data = Uint8Array.from(b.subarray(i + 3, i + 15));
      this.onCommand({
        cmd: b[i + 2] as number,
        data,
        deviceId: ((b[i + 15] as number) << 8) | (b[i + 16] as number),
        name: commandName(b[i + 2] as number, data[0] as number, data[1] as number),
      });
      i += SDS_COMMAND_BYTES;
    }
    // keep an unfinished command (at most 18 bytes) for the next chunk
    let keep = i;
    while (keep < b.length && b[keep] !== SDS_HEAD) keep++;
    this.buf = Buffer.from(b.subarray(keep));
  }
}
