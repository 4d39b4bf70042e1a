// The simulated bootloader answers byte for byte as optiboot.c does (AVR061 framing: INSYNC … OK).
import { describe, expect, it } from 'vitest';
import { duplexPair } from '../buses/serial.js';
import { Stk500BootloaderSimulator, type Stk500BootloaderOptions } from './stk500-bootloader.js';

function rig(options: Stk500BootloaderOptions = {}) {
  const { host, device } = duplexPair();
  const sim = new Stk500BootloaderSimulator(device, options).start();
  const received: number[] = [];
  host.on('data', (c: Buffer) => received.push(...c));
  const exchange = async (bytes: number[], expect: number) => {
    const from = received.length;
    host.write(Buffer.from(bytes));
    for (let i = 0; i < 200 && received.length < from + expect; i++) await new Promise((r) => setImmediate(r));
    return received.slice(from);
  };
  return { sim, exchange, received };
}

describe('Stk500BootloaderSimulator', () => {
  it('answers sync, version, signature, a page write and read, and starts the sketch on leave', async () => {
    let ran = 0;
    const { sim, exchange } = rig({ onRun: () => ran++ });
    expect(await exchange([0x30, 0x20], 2)).toEqual([0x14, 0x10]);
    expect(await exchange([0x41, 0x81, 0x20], 3)).toEqual([0x14, 0x08, 0x10]); // Optiboot major version
    expect(await exchange([0x41, 0x80, 0x20], 3)).toEqual([0x14, 0x03, 0x10]); // any other parameter: 3
    expect(await exchange([0x75, 0x20], 5)).toEqual([0x14, 0x1e, 0x95, 0x0f, 0x10]);
    expect(await exchange([0x55, 0x40, 0x00, 0x20], 2)).toEqual([0x14, 0x10]); // word 0x0040 = byte 0x0080
    const page = Array.from({ length: 128 }, (_, i) => i);
    expect(await exchange([0x64, 0x00, 0x80, 0x46, ...page, 0x20], 2)).toEqual([0x14, 0x10]);
    expect(sim.pagesWritten).toEqual([0x80]);
    expect(Array.from(sim.flash.subarray(0x80, 0x100))).toEqual(page);
    expect(await exchange([0x55, 0x40, 0x00, 0x20], 2)).toEqual([0x14, 0x10]);
    expect(await exchange([0x74, 0x00, 0x80, 0x46, 0x20], 130)).toEqual([0x14, ...page, 0x10]);
    expect(await exchange([0x51, 0x20], 2)).toEqual([0x14, 0x10]);
    await new Promise((r) => setImmediate(r));
    expect(ran).toBe(1);
    // The sketch owns the line now: the bootloader no longer answers.
    expect(await exchange([0x30, 0x20], 2)).toEqual([]);
  });

  it('stays silent on a command without CRC_EOP, then answers the next good one', async () => {
    const { exchange } = rig();
    expect(await exchange([0x30, 0x21], 2)).toEqual([]);
    expect(await exchange([0x30, 0x20], 2)).toEqual([0x14, 0x10]);
  });

  it('hears nothing when the host talks at another rate, or when there is no bootloader', async () => {
    expect(await rig({ flavour: 'ATmegaBOOT', hostBaud: 115_200 }).exchange([0x30, 0x20], 2)).toEqual([]);
    expect(await rig({ flavour: 'ATmegaBOOT', hostBaud: 57_600 }).exchange([0x41, 0x81, 0x20], 3)).toEqual([0x14, 0x02, 0x10]);
    expect(await rig({ silent: true }).exchange([0x30, 0x20], 2)).toEqual([]);
  });
});
