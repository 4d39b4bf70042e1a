// An STK500v1 programmer as avrdude's `-c arduino` speaks it to Optiboot and ATmegaBOOT, over an injected stream
// (a serialport or one end of duplexPair()); it never opens a port itself.
//
// Command bytes and framing: Atmel AVR061 "STK500 Communication Protocol" (doc2525), §3 command table and §4 the
// commands: every command ends with CRC_EOP 0x20; the device answers STK_INSYNC 0x14, any data, then STK_OK 0x10.
// What the bootloaders actually implement: Optiboot optiboot.c (main loop: STK_LOAD_ADDRESS takes a little-endian
// *word* address, STK_PROG_PAGE / STK_READ_PAGE take a big-endian length and a memory type 'F' or 'E', STK_READ_SIGN
// answers three signature bytes, STK_LEAVE_PROGMODE arms the watchdog that starts the sketch). The order of the
// session follows avrdude arduino.c/stk500.c: sync (retried, draining stale replies), parameters, SET_DEVICE,
// ENTER_PROGMODE, signature, paged writes, paged reads, LEAVE_PROGMODE. Optiboot has no chip erase: each page is
// erased as it is written, so only the pages the image touches change.
import type { Duplex } from 'node:stream';
import type { BoardProfile } from './boards.js';
import { KNOWN_SIGNATURES } from './boards.js';
import type { HexImage } from './intel-hex.js';

export const STK = {
  OK: 0x10,
  INSYNC: 0x14,
  CRC_EOP: 0x20,
  GET_SYNC: 0x30,
  GET_PARAMETER: 0x41,
  SET_DEVICE: 0x42,
  SET_DEVICE_EXT: 0x45,
  ENTER_PROGMODE: 0x50,
  LEAVE_PROGMODE: 0x51,
  LOAD_ADDRESS: 0x55,
  UNIVERSAL: 0x56,
  PROG_PAGE: 0x64,
  READ_PAGE: 0x74,
  READ_SIGN: 0x75,
  /** AVR061 §5 parameters. */
  PARAM_HW_VER: 0x80,
  PARAM_SW_MAJOR: 0x81,
  PARAM_SW_MINOR: 0x82,
} as const;

/** Memory type byte of PROG_PAGE/READ_PAGE (AVR061 §4: 'F' flash, 'E' EEPROM). */
const MEMTYPE_FLASH = 0x46;

export type FlashErrorCode = 'no-sync' | 'signature' | 'too-large' | 'bad-hex' | 'verify' | 'timeout' | 'port-closed';

export class FlashError extends Error {
  constructor(
    readonly code: FlashErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'FlashError';
  }
}

export interface FlashProgress {
  phase: 'write' | 'verify';
  done: number;
  total: number;
}

export interface ProgrammerOptions {
  /** GET_SYNC attempts before giving up (avrdude stk500_getsync tries 10 times). */
  syncAttempts?: number;
  /** How long to wait for the answer to one sync attempt. */
  syncTimeoutMs?: number;
  /** How long to wait for the answer to any other command. */
  replyTimeoutMs?: number;
  /** Pulse the reset line (DTR/RTS) before syncing; called once, before the first attempt. */
  reset?: () => Promise<void>;
  onProgress?: (p: FlashProgress) => void;
}

export interface FlashResult {
  bytes: number;
  pages: number;
  verified: boolean;
  signature: string;
  bootloaderVersion: string;
}

const hex = (bytes: ArrayLike<number>) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');

/** Collects the bytes the board sends and hands them out on demand, with a deadline per read. */
class ReplyReader {
  private buffer: number[] = [];
  private waiter: { n: number; resolve: (b: number[]) => void; reject: (e: Error) => void; timer: NodeJS.Timeout } | null = null;
  private closedError: FlashError | null = null;
  private readonly onData = (chunk: Buffer) => {
    for (const b of chunk) this.buffer.push(b);
    this.settle();
  };
  private readonly onClose = () => this.fail(portClosed());
  private readonly onError = (e: Error) => this.fail(portClosed(e.message));

  constructor(private readonly stream: Duplex) {
    stream.on('data', this.onData);
    stream.on('close', this.onClose);
    stream.on('end', this.onClose);
    stream.on('error', this.onError);
  }

  detach(): void {
    this.stream.removeListener('data', this.onData);
    this.stream.removeListener('close', this.onClose);
    this.stream.removeListener('end', this.onClose);
    this.stream.removeListener('error', this.onError);
    if (this.waiter) clearTimeout(this.waiter.timer);
  }

  drain(): void {
    this.buffer = [];
  }

  get closed(): FlashError | null {
    return this.closedError;
  }

  read(n: number, timeoutMs: number, onTimeout: () => FlashError): Promise<number[]> {
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        reject(onTimeout());
      }, timeoutMs);
      this.waiter = { n, resolve, reject, timer };
      this.settle();
    });
  }

  private settle(): void {
    const w = this.waiter;
    if (!w || this.buffer.length < w.n) return;
    this.waiter = null;
    clearTimeout(w.timer);
    w.resolve(this.buffer.splice(0, w.n));
  }

  private fail(e: FlashError): void {
    if (this.closedError) return;
    this.closedError = e;
    const w = this.waiter;
    if (!w) return;
    this.waiter = null;
    clearTimeout(w.timer);
    w.reject(e);
  }
}

function portClosed(detail?: string): FlashError {
  return new FlashError(
    'port-closed',
    `the serial line closed during flashing${detail ? ` (${detail})` : ''}. Check the USB cable and that nothing else ` +
      'opened the port, then flash again: the sketch is incomplete and the bootloader will take the next upload.',
  );
}

/** Flash `image` through the bootloader on `stream`, read every page back and compare, then start the sketch. */
export async function flashImage(stream: Duplex, image: HexImage, board: BoardProfile, options: ProgrammerOptions = {}): Promise<FlashResult> {
  if (image.end > board.usableBytes) {
    throw new FlashError(
      'too-large',
      `the sketch needs ${image.end} bytes of flash but the ${board.name} has ${board.usableBytes} outside its bootloader; ` +
        'build it for this board or choose the right --board',
    );
  }
  const syncAttempts = options.syncAttempts ?? 10;
  const syncTimeoutMs = options.syncTimeoutMs ?? 500;
  const replyTimeoutMs = options.replyTimeoutMs ?? 1_000;
  const reader = new ReplyReader(stream);

  const send = (bytes: number[]) =>
    new Promise<void>((resolve, reject) => {
      if (reader.closed) return reject(reader.closed);
      stream.write(Buffer.from(bytes), (e) => (e ? reject(portClosed(e.message)) : resolve()));
    });

  const timeout = (what: string) => () =>
    new FlashError('timeout', `the bootloader stopped answering (${what}). Press reset on the board, check the cable, and flash again.`);

  /** One command: bytes + CRC_EOP out; INSYNC, `dataLength` bytes, OK back. */
  const command = async (what: string, bytes: number[], dataLength = 0): Promise<number[]> => {
    await send([...bytes, STK.CRC_EOP]);
    const [insync] = await reader.read(1, replyTimeoutMs, timeout(what));
    if (insync !== STK.INSYNC) {
      throw new FlashError('no-sync', `the bootloader lost sync (${what}: answered 0x${insync!.toString(16)} instead of 0x14). Press reset and flash again.`);
    }
    const data = await reader.read(dataLength + 1, replyTimeoutMs, timeout(what));
    const ok = data.pop();
    if (ok !== STK.OK) throw new FlashError('no-sync', `the bootloader refused ${what} (answered 0x${ok!.toString(16)} instead of 0x10). Press reset and flash again.`);
    return data;
  };

  try {
    if (options.reset) await options.reset();
    await sync();
    const major = (await command('read version', [STK.GET_PARAMETER, STK.PARAM_SW_MAJOR], 1))[0]!;
    const minor = (await command('read version', [STK.GET_PARAMETER, STK.PARAM_SW_MINOR], 1))[0]!;
    await command('set device', setDeviceParameters(board));
    await command('enter programming mode', [STK.ENTER_PROGMODE]);
    const signature = await command('read signature', [STK.READ_SIGN], 3);
    if (signature.some((b, i) => b !== board.signature[i])) {
      const key = signature.map((b) => b.toString(16).padStart(2, '0')).join('');
      const chip = KNOWN_SIGNATURES[key];
      throw new FlashError(
        'signature',
        `the chip answered signature ${hex(signature)}${chip ? ` (${chip})` : ''}, not the ${board.name}'s ${hex(board.signature)}; ` +
          'choose the right --board (or the right port)',
      );
    }

    const first = Math.floor(image.start / board.pageSize);
    const last = Math.ceil(image.end / board.pageSize);
    const pages: number[] = [];
    for (let p = first; p < last; p++) pages.push(p * board.pageSize);
    const total = pages.length * board.pageSize;
    const pageAt = (address: number) => {
      const page = new Uint8Array(board.pageSize).fill(0xff);
      page.set(image.data.subarray(address, Math.min(address + board.pageSize, image.data.length)));
      return page;
    };
    const loadAddress = (address: number) => {
      const word = address >> 1;
      return command('load address', [STK.LOAD_ADDRESS, word & 0xff, word >> 8]);
    };

    let done = 0;
    options.onProgress?.({ phase: 'write', done, total });
    for (const address of pages) {
      await loadAddress(address);
      await command('write page', [STK.PROG_PAGE, board.pageSize >> 8, board.pageSize & 0xff, MEMTYPE_FLASH, ...pageAt(address)]);
      done += board.pageSize;
      options.onProgress?.({ phase: 'write', done, total });
    }

    done = 0;
    options.onProgress?.({ phase: 'verify', done, total });
    for (const address of pages) {
      await loadAddress(address);
      const read = await command('read page', [STK.READ_PAGE, board.pageSize >> 8, board.pageSize & 0xff, MEMTYPE_FLASH], board.pageSize);
      const expected = pageAt(address);
      const at = expected.findIndex((b, i) => read[i] !== b);
      if (at >= 0) {
        throw new FlashError(
          'verify',
          `verify failed at 0x${(address + at).toString(16).padStart(4, '0')}: wrote 0x${expected[at]!.toString(16).padStart(2, '0')}, ` +
            `read back 0x${read[at]!.toString(16).padStart(2, '0')}. Flash again; if it fails at the same place the chip's flash is worn, replace the board.`,
        );
      }
      done += board.pageSize;
      options.onProgress?.({ phase: 'verify', done, total });
    }

    await command('leave programming mode', [STK.LEAVE_PROGMODE]);
    return { bytes: image.bytes, pages: pages.length, verified: true, signature: hex(signature), bootloaderVersion: `${major}.${minor}` };
  } finally {
    reader.detach();
  }

  async function sync(): Promise<void> {
    for (let attempt = 1; attempt <= syncAttempts; attempt++) {
      reader.drain();
      await send([STK.GET_SYNC, STK.CRC_EOP]);
      try {
        const reply = await reader.read(2, syncTimeoutMs, () => new FlashError('timeout', 'sync attempt'));
        if (reply[0] === STK.INSYNC && reply[1] === STK.OK) {
          // Answers to earlier attempts that arrived late would be taken for the next command's reply (avrdude
          // stk500_getsync drains for the same reason).
          await new Promise((r) => setTimeout(r, 20));
          reader.drain();
          return;
        }
      } catch (e) {
        if ((e as FlashError).code === 'port-closed') throw e;
      }
    }
    throw new FlashError(
      'no-sync',
      `no bootloader answered after ${syncAttempts} attempts at ${board.baud} baud. Check the --board (an old Nano needs ` +
        `--board nano-old-bootloader at 57600 baud, a new one --board nano), press the reset button just before flashing, ` +
        'and check the USB cable and port.',
    );
  }
}

/**
 * AVR061 §4 Cmnd_STK_SET_DEVICE: 20 parameter bytes. Optiboot skips them; ATmegaBOOT reads them. Values as avrdude
 * stk500.c stk500_initialize fills them for the ATmega328P (device code 0x86, page size and flash size big-endian).
 */
function setDeviceParameters(board: BoardProfile): number[] {
  return [
    STK.SET_DEVICE,
    0x86, 0x00, 0x00, 0x01, 0x01, 0x01, 0x01, 0x03, 0xff, 0xff, 0xff, 0xff,
    board.pageSize >> 8, board.pageSize & 0xff,
    0x04, 0x00, // EEPROM 1024 bytes
    (board.flashBytes >>> 24) & 0xff, (board.flashBytes >>> 16) & 0xff, (board.flashBytes >>> 8) & 0xff, board.flashBytes & 0xff,
  ];
}
