// `airlane flash --board <nano|nano-old-bootloader|uno> --port P --hex FILE [--json]`: program an Arduino through its
// serial bootloader (STK500v1, firmware/installer/flash/), read every page back, then open the board with Firmata to
// prove the new sketch runs. People get a progress bar on stderr and one summary line; --json gives one object.
// Exit codes: 0 flashed and Firmata answered, 1 flash or handshake failure, 2 usage error.
import { readFile } from 'node:fs/promises';
import type { SerialPort } from 'serialport';
import { FIRMATA_BAUD, openFirmataBoard } from '../../firmware/buses/firmata.js';
import { closeSerialPort, openSerialPort } from '../../firmware/buses/serial.js';
import { BOARD_IDS, BOARDS, isBoardId, type BoardProfile } from '../../firmware/installer/flash/boards.js';
import { HexError, parseIntelHex, type HexImage } from '../../firmware/installer/flash/intel-hex.js';
import { FlashError, flashImage, type FlashProgress, type ProgrammerOptions } from '../../firmware/installer/flash/stk500v1.js';
import { UsageError } from './decode.js';

export interface FlashCliOptions {
  board?: string;
  port?: string;
  hex?: string;
  json?: boolean;
  /** Firmata's baud rate after flashing; default: try 57600 (StandardFirmata), then 115200 (ConfigurableFirmata). */
  firmataBaud?: string | number;
  /** commander's `--no-firmata-check` sets this false: flash a sketch that is not Firmata. */
  firmataCheck?: boolean;
}

export interface FlashIo {
  out(line: string): void;
  err(line: string): void;
  /** Raw stderr write, for a progress bar redrawn in place with \r. */
  errRaw?(text: string): void;
  /** stderr is a terminal: redraw one progress line instead of printing one per 25 %. */
  isTTY?: boolean;
}

/** Knobs for tests; the CLI uses the defaults. */
export interface FlashDeps {
  programmer?: Omit<ProgrammerOptions, 'onProgress' | 'reset'>;
  firmataTimeoutMs?: number;
  reportVersionTimeoutMs?: number;
}

/** ConfigurableFirmata's default rate (ConfigurableFirmata.ino: Firmata.begin(115200)). */
const CONFIGURABLE_FIRMATA_BAUD = 115_200;

export async function runFlash(options: FlashCliOptions, io: FlashIo, deps: FlashDeps = {}): Promise<number> {
  try {
    return await flash(options, io, deps);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`flash: ${e.message}`);
      return 2;
    }
    io.err(`flash: ${(e as Error).message}`);
    return 1;
  }
}

async function flash(options: FlashCliOptions, io: FlashIo, deps: FlashDeps): Promise<number> {
  if (!options.board) throw new UsageError(`give --board (${BOARD_IDS.join(', ')})`);
  if (!isBoardId(options.board)) throw new UsageError(`unknown board "${options.board}"; boards: ${BOARD_IDS.join(', ')}`);
  if (!options.port) throw new UsageError('give --port, the Arduino\'s serial port (ls -l /dev/serial/by-id/)');
  if (!options.hex) throw new UsageError('give --hex, the sketch built as Intel HEX (Arduino IDE: Sketch > Export Compiled Binary)');
  const firmataBauds = parseFirmataBaud(options.firmataBaud);
  const board = BOARDS[options.board];

  let text: string;
  try {
    text = await readFile(options.hex, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT' ? `hex file ${options.hex} does not exist; check the path` : `cannot read hex file ${options.hex}: ${(e as Error).message}`,
    );
  }
  let image: HexImage;
  try {
    image = parseIntelHex(text);
  } catch (e) {
    if (e instanceof HexError) throw new FlashError('bad-hex', `${options.hex} ${e.message}`);
    throw e;
  }
  if (image.end > board.usableBytes) {
    throw new FlashError('too-large', `${options.hex} needs ${image.end} bytes of flash; the ${board.name} has ${board.usableBytes} outside its bootloader. Build it for this board or choose the right --board.`);
  }

  const port = await openSerialPort(options.port, board.baud);
  const bar = progressBar(io);
  let result;
  try {
    result = await flashImage(port, image, board, { ...deps.programmer, reset: () => resetBoard(port), onProgress: bar.update });
  } finally {
    bar.end();
    await closeSerialPort(port);
  }

  let firmware: { name: string; version: string } | null = null;
  if (options.firmataCheck !== false) firmware = await firmataHandshake(options.port, firmataBauds, board, deps);

  if (options.json) {
    io.out(JSON.stringify({ port: options.port, board: board.id, bytes: result.bytes, pages: result.pages, verified: result.verified, firmware }));
  } else {
    io.out(
      `${options.port}  ${board.name}: ${result.bytes} bytes in ${result.pages} pages written and verified` +
        (firmware ? `; ${firmware.name} ${firmware.version} answers` : ''),
    );
  }
  return 0;
}

function parseFirmataBaud(value: string | number | undefined): number[] {
  if (value === undefined) return [FIRMATA_BAUD, CONFIGURABLE_FIRMATA_BAUD];
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--firmata-baud "${value}" is not a baud rate; give 57600 (StandardFirmata) or 115200 (ConfigurableFirmata)`);
  return [n];
}

/**
 * avrdude arduino.c arduino_open(): DTR and RTS off, 250 ms, on again, 50 ms: the falling DTR edge reaches RESET
 * through the board's 100 nF capacitor and starts the bootloader. A pty cannot set modem lines ("Inappropriate ioctl
 * for device"): go on and let the sync retries do the rest, as they would after a manual reset.
 */
async function resetBoard(port: SerialPort): Promise<void> {
  const set = (level: boolean) => new Promise<void>((resolve, reject) => port.set({ dtr: level, rts: level }, (e) => (e ? reject(e) : resolve())));
  try {
    await set(false);
    await sleep(250);
    await set(true);
    await sleep(50);
  } catch {
    // not a real UART (pty): nothing to toggle
  }
}

async function firmataHandshake(path: string, bauds: number[], board: BoardProfile, deps: FlashDeps): Promise<{ name: string; version: string }> {
  const failures: string[] = [];
  for (const baudRate of bauds) {
    try {
      const fb = await openFirmataBoard(
        { path, baudRate },
        { timeoutMs: deps.firmataTimeoutMs ?? 8_000, reportVersionTimeoutMs: deps.reportVersionTimeoutMs ?? 2_000, onError: () => undefined },
      );
      const fw = fb.io.firmware;
      await fb.close();
      return { name: fw.name ?? 'unnamed firmware', version: fw.version ? `${fw.version.major}.${fw.version.minor}` : 'unknown' };
    } catch (e) {
      failures.push(`at ${baudRate} baud: ${(e as Error).message}`);
    }
  }
  throw new Error(
    `the ${board.name} was flashed and verified, but no Firmata answered on ${path} (${failures.join('; ')}). If the sketch is not ` +
      'Firmata, flash with --no-firmata-check; otherwise give --firmata-baud with the rate in its Firmata.begin().',
  );
}

interface ProgressBar {
  update(p: FlashProgress): void;
  end(): void;
}

/** `write [#####-----]  50 %`: redrawn with \r on a terminal, one line per 25 % otherwise (logs, pipes). */
function progressBar(io: FlashIo): ProgressBar {
  const inPlace = io.isTTY === true && io.errRaw !== undefined;
  let lastQuarter = -1;
  let lastPhase = '';
  let drawn = false;
  const render = (p: FlashProgress) => {
    const pct = p.total === 0 ? 100 : Math.floor((p.done / p.total) * 100);
    const filled = Math.round(pct / 10);
    return `${p.phase === 'write' ? 'write ' : 'verify'} [${'#'.repeat(filled)}${'-'.repeat(10 - filled)}] ${String(pct).padStart(3)} %`;
  };
  return {
    update(p) {
      if (inPlace) {
        if (drawn && p.phase !== lastPhase) io.errRaw!('\n');
        io.errRaw!(`\r${render(p)}`);
        drawn = true;
        lastPhase = p.phase;
        return;
      }
      if (p.phase !== lastPhase) lastQuarter = -1;
      lastPhase = p.phase;
      const quarter = p.total === 0 ? 4 : Math.floor((p.done / p.total) * 4);
      if (quarter > lastQuarter) {
        lastQuarter = quarter;
        io.err(render(p));
      }
    },
    end() {
      if (inPlace && drawn) io.errRaw!('\n');
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
