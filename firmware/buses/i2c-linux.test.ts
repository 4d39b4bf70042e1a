import { describe, expect, it } from 'vitest';
import { I2cError } from './i2c.js';
import { openLinuxI2cBus, type I2cBusModule } from './i2c-linux.js';

describe('openLinuxI2cBus without the device node', () => {
  it('says what is missing, where, and how to enable I2C (real filesystem check)', async () => {
    // No machine has 250 I2C adapters; this exercises the real fs.existsSync path.
    const err = (await openLinuxI2cBus(250).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(/I2C bus 250 is not available: \/dev\/i2c-250 does not exist/);
    expect(err.message).toMatch(/raspi-config/);
    expect(err.message).toMatch(/modprobe i2c-dev/);
  });

  it('never loads i2c-bus when the node is missing (its scan() would silently find nothing)', async () => {
    let loaded = false;
    const load = async (): Promise<I2cBusModule> => {
      loaded = true;
      throw new Error('should not load');
    };
    await expect(openLinuxI2cBus(1, { exists: () => false, load })).rejects.toThrow(/\/dev\/i2c-1 does not exist/);
    expect(loaded).toBe(false);
  });

  it('rejects a bus number that cannot name a device', async () => {
    await expect(openLinuxI2cBus(-1)).rejects.toThrow(TypeError);
    await expect(openLinuxI2cBus(1.5)).rejects.toThrow(/non-negative integer/);
  });
});

describe('openLinuxI2cBus adapter over a stand-in i2c-bus module', () => {
  const calls: string[] = [];
  const fakeModule: I2cBusModule = {
    async openPromisified(n) {
      calls.push(`open ${n}`);
      return {
        async i2cWrite(addr, length, buffer) {
          calls.push(`write ${addr} ${[...buffer.subarray(0, length)].join(',')}`);
          if (addr === 0x10) throw Object.assign(new Error('EREMOTEIO, Remote I/O error'), { code: 'EREMOTEIO', errno: 121 });
          return { bytesWritten: length, buffer };
        },
        async i2cRead(addr, length, buffer) {
          calls.push(`read ${addr} ${length}`);
          buffer.fill(0xaa, 0, length);
          return { bytesRead: length, buffer };
        },
        async readI2cBlock(addr, cmd, length, buffer) {
          calls.push(`block ${addr} ${cmd} ${length}`);
          buffer.fill(cmd, 0, length);
          return { bytesRead: length, buffer };
        },
        async close() {
          calls.push('close');
        },
      };
    },
  };

  it('maps writes, reads and register reads onto i2c-bus calls', async () => {
    calls.length = 0;
    const bus = await openLinuxI2cBus(1, { exists: () => true, load: async () => fakeModule });
    expect(bus.path).toBe('/dev/i2c-1');
    await bus.write(0x76, Uint8Array.of(0xf4, 0x25));
    expect([...(await bus.read(0x48, 2))]).toEqual([0xaa, 0xaa]);
    expect([...(await bus.readRegister(0x76, 0x88, 24))]).toEqual(new Array(24).fill(0x88));
    expect((await bus.readRegister(0x76, 0x10, 40)).length).toBe(40);
    await bus.close();
    expect(calls).toEqual([
      'open 1',
      'write 118 244,37',
      'read 72 2',
      'block 118 136 24',
      'write 118 16', // over 32 bytes: pointer write, then a plain read
      'read 118 40',
      'close',
    ]);
  });

  it('turns a missing acknowledge into an I2cError naming address and bus', async () => {
    const bus = await openLinuxI2cBus(1, { exists: () => true, load: async () => fakeModule });
    const err = await bus.write(0x10, Uint8Array.of(1)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(I2cError);
    expect((err as I2cError).address).toBe(0x10);
    expect((err as Error).message).toMatch(/I2C write at 0x10 on \/dev\/i2c-1 failed: no device acknowledged/);
  });
});
