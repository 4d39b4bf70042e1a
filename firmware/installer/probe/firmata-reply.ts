// Board → host Firmata messages that identify a sketch (firmata/protocol protocol.md "Query Firmware Name and
// Version" and "Message Types"): REPORT_VERSION `F9 major minor` (the protocol version) and the sysex
// `F0 79 major minor name… F7` (the firmware version and the sketch's file name, each character as two 7-bit bytes,
// LSB first). Everything else a board sends (analog/digital reports, strings) is skipped.
const REPORT_VERSION = 0xf9;
const START_SYSEX = 0xf0;
const END_SYSEX = 0xf7;
const REPORT_FIRMWARE = 0x79;
/** A sysex longer than this is no firmware report (StandardFirmata's MAX_DATA_BYTES is 64; names are short). */
const MAX_SYSEX = 256;

export interface FirmataIdentity {
  /** "2.5": the protocol version from REPORT_VERSION. */
  protocol?: string;
  /** The sketch name, e.g. "StandardFirmata.ino". */
  firmware?: string;
  /** "2.5": the firmware version from the firmware report. */
  version?: string;
}

export class FirmataReplyScanner {
  readonly identity: FirmataIdentity = {};
  private pendingVersion: number[] | null = null;
  private sysex: number[] | null = null;

  constructor(private readonly onUpdate: (identity: FirmataIdentity) => void = () => undefined) {}

  push(chunk: Uint8Array): void {
    for (const b of chunk) this.byte(b);
  }

  private byte(b: number): void {
    if (this.sysex) {
      if (b === END_SYSEX) {
        const body = this.sysex;
        this.sysex = null;
        this.finishSysex(body);
      } else if (b & 0x80 || this.sysex.length >= MAX_SYSEX) {
        this.sysex = b === START_SYSEX ? [] : null; // a command byte aborts an unfinished sysex
        if (b !== START_SYSEX && b & 0x80) this.byte(b);
      } else this.sysex.push(b);
      return;
    }
    if (this.pendingVersion) {
      if (b & 0x80) this.pendingVersion = null;
      else {
        this.pendingVersion.push(b);
        if (this.pendingVersion.length === 2) {
          this.identity.protocol = `${this.pendingVersion[0]}.${this.pendingVersion[1]}`;
          this.pendingVersion = null;
          this.onUpdate(this.identity);
        }
        return;
      }
    }
    if (b === REPORT_VERSION) this.pendingVersion = [];
    else if (b === START_SYSEX) this.sysex = [];
  }

  private finishSysex(body: number[]): void {
    if (body[0] !== REPORT_FIRMWARE || body.length < 3) return;
    this.identity.version = `${body[1]}.${body[2]}`;
    let name = '';
    for (let i = 3; i + 1 < body.length; i += 2) name += String.fromCharCode((body[i] as number) | ((body[i + 1] as number) << 7));
    this.identity.firmware = name;
    this.onUpdate(this.identity);
  }
}

/** The host's query: REPORT_VERSION, then the firmware query sysex. */
export const FIRMATA_QUERY = Buffer.from([REPORT_VERSION, START_SYSEX, REPORT_FIRMWARE, END_SYSEX]);
