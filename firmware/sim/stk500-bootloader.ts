// A simulated Arduino bootloader (Optiboot as on the Uno and new Nanos, or ATmegaBOOT as on old Nanos) on the device
// end of a serial link: it answers avrdude's STK500v1 commands byte for byte as optiboot.c's main loop does, keeps a
// 32 KiB flash array, and when the host leaves programming mode it "runs the sketch" by calling onRun(flash), so a test
// can start a FirmataBoardSimulator on the same stream and the host's Firmata handshake works only after flashing.
//
// optiboot.c behaviour kept here: GET_PARAMETER answers SW_MAJOR/SW_MINOR with the Optiboot version and 0x03 for any
// other parameter; SET_DEVICE skips 20 bytes, SET_DEVICE_EXT 5; UNIVERSAL answers 0x00; LOAD_ADDRESS is a little-endian
// word address; PROG_PAGE/READ_PAGE carry a big-endian length and a memory type; a command whose last byte is not
// CRC_EOP gets no answer (verifySpace() lets the watchdog reset the chip).
import { STK } from '../installer/flash/stk500v1.js';

export interface BootloaderStream {
  write(chunk: Buffer): unknown;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  removeListener(event: 'data', listener: (chunk: Buffer) => void): unknown;
  destroy?(): unknown;
}

export interface Stk500BootloaderOptions {
  /** Default Optiboot 8.0 at 115200 baud (the Uno's); ATmegaBOOT answers version 2.x at 57600. */
  flavour?: 'Optiboot' | 'ATmegaBOOT';
  /** The rate the bootloader's UART runs at (default by flavour). */
  baud?: number;
  /**
   * The rate the host opened the line at, when the test knows it (a pty carries bytes whatever the rate): when it
   * differs from `baud` the bootloader hears only framing errors and never answers, as a real one would.
   */
  hostBaud?: number;
  signature?: readonly [number, number, number];
  flashBytes?: number;
  /** No bootloader at all (a blank chip, or a sketch that ignores the reset): never answer. */
  silent?: boolean;
  /** Flip bits of the byte at this address when it is read back (a worn flash cell): verify must catch it. */
  flipOnReadBack?: { address: number; mask?: number };
  /** Cut the line after this many pages were written (a cable pulled mid-flash). */
  cutAfterPages?: number;
  /** How to cut the line; default: destroy the device stream. */
  cutLine?: () => void;
  /** Called once the host left programming mode and the sketch starts (after the reply went out). */
  onRun?: (flash: Uint8Array) => void;
}

type Step = Generator<undefined, void, number>;

export class Stk500BootloaderSimulator {
  readonly flash: Uint8Array;
  /** Byte addresses of the pages written, in order. */
  readonly pagesWritten: number[] = [];
  private readonly opts: Stk500BootloaderOptions & { baud: number; signature: readonly [number, number, number]; flavour: 'Optiboot' | 'ATmegaBOOT' };
  private machine: Step;
  private running = false;
  private address = 0;
  private readonly onData = (chunk: Buffer) => {
    if (!this.hears()) return;
    for (const b of chunk) {
      if (!this.running) return;
      this.machine.next(b);
    }
  };

  constructor(
    private readonly stream: BootloaderStream,
    options: Stk500BootloaderOptions = {},
  ) {
    const flavour = options.flavour ?? 'Optiboot';
    this.opts = {
      ...options,
      flavour,
      baud: options.baud ?? (flavour === 'Optiboot' ? 115_200 : 57_600),
      signature: options.signature ?? [0x1e, 0x95, 0x0f],
    };
    this.flash = new Uint8Array(options.flashBytes ?? 32_768).fill(0xff);
    this.machine = this.loop();
    this.machine.next();
  }

  start(): this {
    if (this.running) return this;
    this.running = true;
    this.stream.on('data', this.onData);
    return this;
  }

  stop(): void {
    this.running = false;
    this.stream.removeListener('data', this.onData);
  }

  private hears(): boolean {
    if (this.opts.silent) return false;
    return this.opts.hostBaud === undefined || this.opts.hostBaud === this.opts.baud;
  }

  private reply(bytes: number[]): void {
    if (this.running) this.stream.write(Buffer.from(bytes));
  }

  /** optiboot.c main(): one command per turn; each `yield` takes the next received byte. */
  private *loop(): Step {
    const [major, minor] = this.opts.flavour === 'Optiboot' ? [8, 0] : [2, 0];
    for (;;) {
      const ch: number = yield;
      if (ch === STK.GET_PARAMETER) {
        const which: number = yield;
        if (!(yield* this.verifySpace())) continue;
        this.reply([STK.INSYNC, which === STK.PARAM_SW_MAJOR ? major : which === STK.PARAM_SW_MINOR ? minor : 0x03, STK.OK]);
      } else if (ch === STK.SET_DEVICE) {
        yield* this.skip(20);
      } else if (ch === STK.SET_DEVICE_EXT) {
        yield* this.skip(5);
      } else if (ch === STK.LOAD_ADDRESS) {
        const lo: number = yield;
        const hi: number = yield;
        if (!(yield* this.verifySpace())) continue;
        this.address = ((hi << 8) | lo) * 2;
        this.reply([STK.INSYNC, STK.OK]);
      } else if (ch === STK.UNIVERSAL) {
        for (let i = 0; i < 4; i++) yield;
        if (!(yield* this.verifySpace())) continue;
        this.reply([STK.INSYNC, 0x00, STK.OK]);
      } else if (ch === STK.PROG_PAGE) {
        const length = ((yield) as number) << 8 | ((yield) as number);
        const type: number = yield;
        const data: number[] = [];
        for (let i = 0; i < length; i++) data.push(yield);
        if (!(yield* this.verifySpace())) continue;
        if (type === 0x46 && this.address + length <= this.flash.length) {
          this.flash.set(data, this.address);
          this.pagesWritten.push(this.address);
        }
        this.reply([STK.INSYNC, STK.OK]);
        if (this.opts.cutAfterPages !== undefined && this.pagesWritten.length >= this.opts.cutAfterPages) {
          this.stop();
          (this.opts.cutLine ?? (() => this.stream.destroy?.()))();
          return;
        }
      } else if (ch === STK.READ_PAGE) {
        const length = ((yield) as number) << 8 | ((yield) as number);
        yield; // memory type
        if (!(yield* this.verifySpace())) continue;
        const out = Array.from(this.flash.subarray(this.address, this.address + length));
        const flip = this.opts.flipOnReadBack;
        if (flip && flip.address >= this.address && flip.address < this.address + length) {
          const at = flip.address - this.address;
          out[at] = out[at]! ^ (flip.mask ?? 0x01);
        }
        this.reply([STK.INSYNC, ...out, STK.OK]);
      } else if (ch === STK.READ_SIGN) {
        if (!(yield* this.verifySpace())) continue;
        this.reply([STK.INSYNC, ...this.opts.signature, STK.OK]);
      } else if (ch === STK.LEAVE_PROGMODE) {
        if (!(yield* this.verifySpace())) continue;
        this.reply([STK.INSYNC, STK.OK]);
        // The watchdog fires ~16 ms later and the sketch starts: it owns the line from then on.
        this.stop();
        const run = this.opts.onRun;
        if (run) setImmediate(() => run(this.flash));
        return;
      } else {
        // GET_SYNC, ENTER_PROGMODE and everything optiboot does not implement: just "in sync, OK".
        if (!(yield* this.verifySpace())) continue;
        this.reply([STK.INSYNC, STK.OK]);
      }
    }
  }

  private *verifySpace(): Generator<undefined, boolean, number> {
    const b: number = yield;
    return b === STK.CRC_EOP;
  }

  private *skip(n: number): Step {
    for (let i = 0; i < n; i++) yield;
    if (yield* this.verifySpace()) this.reply([STK.INSYNC, STK.OK]);
  }
}
