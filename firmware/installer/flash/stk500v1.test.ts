// The programmer against the simulated Optiboot over an in-process serial pair.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { duplexPair } from '../../buses/serial.js';
import { Stk500BootloaderSimulator, type Stk500BootloaderOptions } from '../../sim/stk500-bootloader.js';
import { BOARDS } from './boards.js';
import { parseIntelHex, type HexImage } from './intel-hex.js';
import { FlashError, flashImage, type FlashProgress } from './stk500v1.js';

const blink = parseIntelHex(readFileSync(new URL('./fixtures/blink-uno.hex', import.meta.url), 'utf8'));
const fast = { syncAttempts: 3, syncTimeoutMs: 50, replyTimeoutMs: 500 };

function rig(options: Stk500BootloaderOptions = {}) {
  const { host, device } = duplexPair();
  host.on('error', () => undefined);
  device.on('error', () => undefined);
  const sim = new Stk500BootloaderSimulator(device, options).start();
  return { host, device, sim };
}

async function flashError(run: Promise<unknown>): Promise<FlashError> {
  try {
    await run;
  } catch (e) {
    return e as FlashError;
  }
  throw new Error('flashed');
}

describe('flashImage', () => {
  it('writes every page of the image, reads it back and starts the sketch', async () => {
    let ran: Uint8Array | null = null;
    const { host, sim } = rig({ onRun: (f) => (ran = f) });
    const progress: FlashProgress[] = [];
    const result = await flashImage(host, blink, BOARDS.uno, { ...fast, onProgress: (p) => progress.push(p) });
    expect(result).toEqual({ bytes: 922, pages: 8, verified: true, signature: '1e 95 0f', bootloaderVersion: '8.0' });
    expect(sim.pagesWritten).toEqual([0, 128, 256, 384, 512, 640, 768, 896]);
    expect(Array.from(sim.flash.subarray(0, blink.end))).toEqual(Array.from(blink.data));
    expect(Array.from(sim.flash.subarray(blink.end, 1024))).toEqual(new Array(1024 - blink.end).fill(0xff));
    expect(progress.at(0)).toEqual({ phase: 'write', done: 0, total: 1024 });
    expect(progress.filter((p) => p.phase === 'write')).toHaveLength(9);
    expect(progress.at(-1)).toEqual({ phase: 'verify', done: 1024, total: 1024 });
    await new Promise((r) => setImmediate(r));
    expect(ran).toBe(sim.flash);
  });

  it('writes only the pages an image at a high address touches', async () => {
    const { host, sim } = rig();
    const image: HexImage = parseIntelHex(':02017E00AABB1A\n:00000001FF\n'); // 0x017E-0x017F: page 0x0100
    const result = await flashImage(host, image, BOARDS.nano, fast);
    expect(result.pages).toBe(1);
    expect(sim.pagesWritten).toEqual([256]);
    expect(Array.from(sim.flash.subarray(0x17e, 0x180))).toEqual([0xaa, 0xbb]);
  });

  it('catches a byte that reads back different from what was written', async () => {
    const { host } = rig({ flipOnReadBack: { address: 0x2a5, mask: 0x10 } });
    const e = await flashError(flashImage(host, blink, BOARDS.uno, fast));
    expect(e.code).toBe('verify');
    expect(e.message).toBe(
      `verify failed at 0x02a5: wrote 0x${blink.data[0x2a5]!.toString(16).padStart(2, '0')}, read back 0x${(blink.data[0x2a5]! ^ 0x10).toString(16).padStart(2, '0')}. ` +
        "Flash again; if it fails at the same place the chip's flash is worn, replace the board.",
    );
  });

  it('gives up after the sync attempts when no bootloader answers, naming board, baud and what to try', async () => {
    const { host } = rig({ silent: true });
    const e = await flashError(flashImage(host, blink, BOARDS['nano-old-bootloader'], fast));
    expect(e.code).toBe('no-sync');
    expect(e.message).toMatch(/^no bootloader answered after 3 attempts at 57600 baud\. Check the --board/);
    expect(e.message).toMatch(/press the reset button/);
  });

  it('hears nothing when the bootloader runs at another baud rate than the board chosen', async () => {
    const { host } = rig({ flavour: 'Optiboot', hostBaud: BOARDS['nano-old-bootloader'].baud });
    const e = await flashError(flashImage(host, blink, BOARDS['nano-old-bootloader'], fast));
    expect(e.code).toBe('no-sync');
  });

  it('refuses a chip with another signature', async () => {
    const { host, sim } = rig({ signature: [0x1e, 0x98, 0x01] });
    const e = await flashError(flashImage(host, blink, BOARDS.uno, fast));
    expect(e.code).toBe('signature');
    expect(e.message).toBe("the chip answered signature 1e 98 01 (ATmega2560 (Mega)), not the Arduino Uno's 1e 95 0f; choose the right --board (or the right port)");
    expect(sim.pagesWritten).toEqual([]);
  });

  it("reports 'port-closed' when the line goes away mid-flash", async () => {
    const { host, sim } = rig({ cutAfterPages: 3 });
    const e = await flashError(flashImage(host, blink, BOARDS.uno, fast));
    expect(e.code).toBe('port-closed');
    expect(e.message).toMatch(/^the serial line closed during flashing/);
    expect(sim.pagesWritten).toHaveLength(3);
  });

  it('refuses an image bigger than the flash outside the bootloader', async () => {
    const { host, sim } = rig();
    const big: HexImage = { data: new Uint8Array(30_800), start: 0, end: 30_800, bytes: 30_800 };
    const e = await flashError(flashImage(host, big, BOARDS['nano-old-bootloader'], fast));
    expect(e.code).toBe('too-large');
    expect(e.message).toMatch(/^the sketch needs 30800 bytes of flash but the Arduino Nano \(old bootloader\) has 30720/);
    expect(sim.pagesWritten).toEqual([]);
    // The same image fits an Optiboot board's 32256 bytes.
    expect((await flashImage(host, big, BOARDS.uno, fast)).pages).toBe(241);
  });
});
