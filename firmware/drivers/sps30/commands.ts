// SPS30 UART (SHDLC) commands (protocols.md §3; SPS30 datasheet v1.0 §5 (UART); Sensirion/python-uart-sps30
// commands.py). The sensor's SHDLC address is 0.
import { encodeMosi } from './shdlc.js';

export const SPS30_ADDRESS = 0x00;

export const CMD = {
  start: 0x00,
  stop: 0x01,
  read: 0x03,
  sleep: 0x10,
  wake: 0x11,
  fanClean: 0x56,
  autoClean: 0x80,
  deviceInfo: 0xd0,
  version: 0xd1,
  reset: 0xd3,
} as const;

export type Sps30CommandName = keyof typeof CMD;

/** Start measurement: subcommand 0x01, then the output format (0x03 big-endian float, 0x05 u16, fw ≥ 2.0). */
export const START_SUBCOMMAND = 0x01;
export const FORMAT_FLOAT = 0x03;
export const FORMAT_U16 = 0x05;
/** Auto-cleaning interval: subcommand 0x00; a u32 after it writes, nothing after it reads. */
export const AUTO_CLEAN_SUBCOMMAND = 0x00;
/** Device information subcommands: 0x00 product type ("00080000"), 0x03 serial number (python-uart-sps30). */
export const INFO_PRODUCT_TYPE = 0x00;
export const INFO_SERIAL = 0x03;
/** A byte sent before wake: its start bit is the low pulse that switches the sleeping UART on (datasheet §5 (UART)). */
export const WAKE_PULSE = 0xff;
/** Default auto-cleaning interval: 604 800 s = one week (protocols.md §3). */
export const AUTO_CLEAN_DEFAULT_S = 604_800;

const NAMES: Record<number, string> = {
  [CMD.start]: 'start measurement',
  [CMD.stop]: 'stop measurement',
  [CMD.read]: 'read measured values',
  [CMD.sleep]: 'sleep',
  [CMD.wake]: 'wake-up',
  [CMD.fanClean]: 'start fan cleaning',
  [CMD.autoClean]: 'auto-cleaning interval',
  [CMD.deviceInfo]: 'device information',
  [CMD.version]: 'read version',
  [CMD.reset]: 'device reset',
};

export function commandName(command: number): string | undefined {
  return NAMES[command];
}

/** The MOSI frames the driver sends, by name (exact bytes in protocols.md §3's table). */
export const mosi = {
  start: (format: number = FORMAT_FLOAT) => encodeMosi(SPS30_ADDRESS, CMD.start, Uint8Array.of(START_SUBCOMMAND, format)),
  stop: () => encodeMosi(SPS30_ADDRESS, CMD.stop),
  read: () => encodeMosi(SPS30_ADDRESS, CMD.read),
  sleep: () => encodeMosi(SPS30_ADDRESS, CMD.sleep),
  wake: () => encodeMosi(SPS30_ADDRESS, CMD.wake),
  fanClean: () => encodeMosi(SPS30_ADDRESS, CMD.fanClean),
  readAutoClean: () => encodeMosi(SPS30_ADDRESS, CMD.autoClean, Uint8Array.of(AUTO_CLEAN_SUBCOMMAND)),
  writeAutoClean: (seconds: number) => {
    const d = Buffer.alloc(5);
    d[0] = AUTO_CLEAN_SUBCOMMAND;
    d.writeUInt32BE(checkInterval(seconds), 1);
    return encodeMosi(SPS30_ADDRESS, CMD.autoClean, d);
  },
  deviceInfo: (sub: number) => encodeMosi(SPS30_ADDRESS, CMD.deviceInfo, Uint8Array.of(sub)),
  version: () => encodeMosi(SPS30_ADDRESS, CMD.version),
  reset: () => encodeMosi(SPS30_ADDRESS, CMD.reset),
};

export function checkInterval(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 0xffffffff) {
    throw new RangeError(`auto-cleaning interval must be a whole number of seconds 0..4294967295 (0 = off); got ${seconds}`);
  }
  return seconds;
}

/** An ASCII string from a device-information reply (null-terminated, python-uart-sps30 ReadSerialNumber). */
export function asciiz(data: Uint8Array): string {
  const end = data.indexOf(0);
  return Buffer.from(data.subarray(0, end < 0 ? data.length : end)).toString('latin1');
}

export interface Sps30Version {
  firmware: { major: number; minor: number };
  hardware: number;
  shdlc: { major: number; minor: number };
}

/** Read-version reply: fw major, fw minor, reserved, hardware revision, reserved, SHDLC major, minor (7 bytes). */
export function parseVersion(data: Uint8Array): Sps30Version {
  if (data.length < 7) throw new Error(`SPS30 version reply has ${data.length} bytes; expected 7`);
  return {
    firmware: { major: data[0]!, minor: data[1]! },
    hardware: data[3]!,
    shdlc: { major: data[5]!, minor: data[6]! },
  };
}
