// runFlash's plain refusals: usage errors exit 2, bad input files and a missing port exit 1, never a stack trace.
// The full flash over a pty is test/integration/flash-pty.test.ts.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFlash, type FlashCliOptions } from './flash.js';

const dir = mkdtempSync(join(tmpdir(), 'airlane-flash-'));
const blinkPath = new URL('../../firmware/installer/flash/fixtures/blink-uno.hex', import.meta.url).pathname;

async function run(options: FlashCliOptions) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runFlash(options, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('runFlash refusals', () => {
  it('exits 2 for a missing option or an unknown board', async () => {
    expect(await run({ port: '/dev/null', hex: blinkPath })).toEqual({ code: 2, out: [], err: ['flash: give --board (nano, nano-old-bootloader, uno)'] });
    expect(await run({ board: 'mega', port: '/dev/null', hex: blinkPath })).toEqual({
      code: 2, out: [], err: ['flash: unknown board "mega"; boards: nano, nano-old-bootloader, uno'],
    });
    expect((await run({ board: 'uno', hex: blinkPath })).err[0]).toMatch(/^flash: give --port/);
    expect((await run({ board: 'uno', port: '/dev/null' })).err[0]).toMatch(/^flash: give --hex/);
    expect((await run({ board: 'uno', port: '/dev/null', hex: blinkPath, firmataBaud: 'fast' })).code).toBe(2);
  });

  it('names a hex file that does not exist', async () => {
    expect(await run({ board: 'uno', port: '/dev/null', hex: join(dir, 'nope.hex') })).toEqual({
      code: 2, out: [], err: [`flash: hex file ${join(dir, 'nope.hex')} does not exist; check the path`],
    });
  });

  it('exits 1 naming file, line and checksums for a damaged hex file', async () => {
    const bad = join(dir, 'bad.hex');
    writeFileSync(bad, readFileSync(blinkPath, 'utf8').replace(':100010000C946E000C946E000C946E000C946E00A8', ':100010000C946E000C946E000C946E000C946E00A9'));
    expect(await run({ board: 'uno', port: '/dev/null', hex: bad })).toEqual({
      code: 1, out: [], err: [`flash: ${bad} line 2: checksum 0xA9, computed 0xA8; the file is damaged, build or download it again`],
    });
  });

  it('exits 1 when the sketch does not fit beside the old 2 KiB bootloader', async () => {
    const big = join(dir, 'big.hex');
    // 0x7800 = 30720: one byte past what ATmegaBOOT leaves free
    writeFileSync(big, ':020000040000FA\n:017800000087\n:00000001FF\n');
    const r = await run({ board: 'nano-old-bootloader', port: '/dev/null', hex: big });
    expect(r.code).toBe(1);
    expect(r.err).toEqual([`flash: ${big} needs 30721 bytes of flash; the Arduino Nano (old bootloader) has 30720 outside its bootloader. Build it for this board or choose the right --board.`]);
  });

  it('exits 1 with the port in the message when the port does not exist', async () => {
    const r = await run({ board: 'uno', port: join(dir, 'ttyUSB9'), hex: blinkPath });
    expect(r.code).toBe(1);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(new RegExp(`^flash: cannot open serial port ${join(dir, 'ttyUSB9')} at 115200 baud: .* check the cable`));
  });
});
