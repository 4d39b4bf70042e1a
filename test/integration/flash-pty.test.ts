// `airlane flash` end to end over a real tty: runFlash opens the host end of a socat pty pair with serialport, the
// simulated Optiboot answers on the device end, and once the host leaves programming mode the "sketch" starts — a
// simulated StandardFirmata on the same line — so the Firmata handshake after flashing succeeds only if the flash did.
import { afterEach, describe, expect, it } from 'vitest';
import type { SerialPort } from 'serialport';
import { openPtyPair, type PtyPair } from '../../firmware/buses/pty-pair.js';
import { closeSerialPort, openSerialPort } from '../../firmware/buses/serial.js';
import { parseIntelHex } from '../../firmware/installer/flash/intel-hex.js';
import { FirmataBoardSimulator } from '../../firmware/sim/firmata-board.js';
import { Stk500BootloaderSimulator, type Stk500BootloaderOptions } from '../../firmware/sim/stk500-bootloader.js';
import { runFlash, type FlashCliOptions, type FlashDeps } from '../../gateway/cli/flash.js';
import { readFileSync } from 'node:fs';

const blinkPath = new URL('../../firmware/installer/flash/fixtures/blink-uno.hex', import.meta.url).pathname;
const blink = parseIntelHex(readFileSync(blinkPath, 'utf8'));
const deps: FlashDeps = { programmer: { syncAttempts: 3, syncTimeoutMs: 300, replyTimeoutMs: 2_000 }, reportVersionTimeoutMs: 200, firmataTimeoutMs: 10_000 };

interface Line {
  pty: PtyPair;
  device: SerialPort;
  bootloader: Stk500BootloaderSimulator;
  firmata: FirmataBoardSimulator | null;
}
const lines: Line[] = [];
afterEach(async () => {
  for (const l of lines.splice(0)) {
    l.bootloader.stop();
    l.firmata?.stop();
    await closeSerialPort(l.device);
    await l.pty.close();
  }
});

async function arduino(options: Stk500BootloaderOptions = {}): Promise<Line> {
  const pty = await openPtyPair();
  const device = await openSerialPort(pty.devicePath, 115_200);
  const line: Line = { pty, device, bootloader: null as never, firmata: null };
  line.bootloader = new Stk500BootloaderSimulator(device, {
    ...options,
    onRun: () => (line.firmata = new FirmataBoardSimulator(device, { firmwareName: 'StandardFirmata.ino', firmwareVersion: [2, 5] }).start()),
  }).start();
  lines.push(line);
  return line;
}

async function flash(options: FlashCliOptions, tty = false) {
  const out: string[] = [];
  const err: string[] = [];
  const raw: string[] = [];
  const code = await runFlash(options, { out: (l) => out.push(l), err: (l) => err.push(l), errRaw: (t) => raw.push(t), isTTY: tty }, deps);
  return { code, out, err, raw };
}

describe('airlane flash over a pty', () => {
  it('flashes Blink into the simulated Uno, verifies it, and the board then answers as StandardFirmata', async () => {
    const line = await arduino();
    const r = await flash({ board: 'uno', port: line.pty.hostPath, hex: blinkPath });
    expect(r.err).toEqual([
      'write  [----------]   0 %', 'write  [###-------]  25 %', 'write  [#####-----]  50 %', 'write  [########--]  75 %', 'write  [##########] 100 %',
      'verify [----------]   0 %', 'verify [###-------]  25 %', 'verify [#####-----]  50 %', 'verify [########--]  75 %', 'verify [##########] 100 %',
    ]);
    expect(r.out).toEqual([`${line.pty.hostPath}  Arduino Uno: 922 bytes in 8 pages written and verified; StandardFirmata.ino 2.5 answers`]);
    expect(r.code).toBe(0);
    expect(Array.from(line.bootloader.flash.subarray(0, blink.end))).toEqual(Array.from(blink.data));
  });

  it('prints one JSON object with --json and redraws the bar in place on a terminal', async () => {
    const line = await arduino();
    const r = await flash({ board: 'nano', port: line.pty.hostPath, hex: blinkPath, json: true }, true);
    expect(r.code).toBe(0);
    expect(r.out.map((l) => JSON.parse(l))).toEqual([
      { port: line.pty.hostPath, board: 'nano', bytes: 922, pages: 8, verified: true, firmware: { name: 'StandardFirmata.ino', version: '2.5' } },
    ]);
    expect(r.err).toEqual([]);
    expect(r.raw.filter((t) => t.startsWith('\r'))).toHaveLength(18); // 0 + 8 pages, twice
    expect(r.raw.join('')).toContain('\rwrite  [##########] 100 %\n\rverify [----------]   0 %');
    expect(r.raw.at(-1)).toBe('\n');
  });

  it('exits 1 naming the chip when the board on the port is not the one given', async () => {
    const line = await arduino({ signature: [0x1e, 0x98, 0x01] });
    const r = await flash({ board: 'uno', port: line.pty.hostPath, hex: blinkPath });
    expect(r.code).toBe(1);
    expect(r.out).toEqual([]);
    expect(r.err).toEqual([
      "flash: the chip answered signature 1e 98 01 (ATmega2560 (Mega)), not the Arduino Uno's 1e 95 0f; choose the right --board (or the right port)",
    ]);
    expect(line.bootloader.pagesWritten).toEqual([]);
  });

  it('exits 1 saying to check board and reset when an old-bootloader Nano is flashed as a new one', async () => {
    const line = await arduino({ flavour: 'ATmegaBOOT', hostBaud: 115_200 });
    const r = await flash({ board: 'nano', port: line.pty.hostPath, hex: blinkPath });
    expect(r.code).toBe(1);
    expect(r.err.at(-1)).toMatch(/^flash: no bootloader answered after 3 attempts at 115200 baud\. Check the --board \(an old Nano needs --board nano-old-bootloader/);
  });

  it('exits 1 when the flashed sketch is not Firmata, and 0 with --no-firmata-check', async () => {
    const pty = await openPtyPair();
    const device = await openSerialPort(pty.devicePath, 115_200);
    const make = () => new Stk500BootloaderSimulator(device).start(); // onRun absent: the sketch never talks
    const line: Line = { pty, device, bootloader: make(), firmata: null };
    lines.push(line);
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
    const quick: FlashDeps = { ...deps, firmataTimeoutMs: 500 };
    expect(await runFlash({ board: 'uno', port: pty.hostPath, hex: blinkPath, firmataBaud: 57_600 }, io, quick)).toBe(1);
    expect(err.at(-1)).toMatch(new RegExp(`^flash: the Arduino Uno was flashed and verified, but no Firmata answered on ${pty.hostPath} \\(at 57600 baud: no Firmata board answered`));
    expect(err.at(-1)).toMatch(/flash with --no-firmata-check; otherwise give --firmata-baud/);
    line.bootloader = make(); // the reset a port open causes starts the bootloader again
    out.length = 0;
    expect(await runFlash({ board: 'uno', port: pty.hostPath, hex: blinkPath, firmataCheck: false }, io, quick)).toBe(0);
    expect(out).toEqual([`${pty.hostPath}  Arduino Uno: 922 bytes in 8 pages written and verified`]);
  });

  it('exits 1 with a plain message when the port does not exist', async () => {
    const line = await arduino();
    const missing = `${line.pty.hostPath}-gone`;
    const r = await flash({ board: 'uno', port: missing, hex: blinkPath });
    expect(r.code).toBe(1);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(new RegExp(`^flash: cannot open serial port ${missing} at 115200 baud: .*check the cable, the path`));
  });
});
