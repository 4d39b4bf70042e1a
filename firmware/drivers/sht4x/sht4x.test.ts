import { describe, expect, it } from 'vitest';
import { FakeI2cBus, I2cError, type I2cBus, type I2cDeviceSim } from '../../buses/i2c.js';
import { encodeWords } from '../../protocols/sensirion-words.js';
import { urbanConditions } from '../../sim/urban-day.js';
import { sht4xDefinition } from './definition.js';
import { bytesOf, ELIXIR_MEASUREMENT } from './fixtures.js';
import { Sht4x, Sht4xDataError } from './sht4x.js';
import { Sht4xSimulator } from './simulator.js';

const noSleep = async () => {};
const precisionOf = (name: string) => 10 ** -(sht4xDefinition.quantities.find((q) => q.name === name)?.precision ?? 0);

class RecordingBus implements I2cBus {
  readonly log: string[] = [];
  constructor(private readonly inner: I2cBus) {}
  async write(address: number, data: Uint8Array) {
    this.log.push(`w ${Buffer.from(data).toString('hex')}`);
    return this.inner.write(address, data);
  }
  async read(address: number, length: number) {
    this.log.push(`r ${length}`);
    return this.inner.read(address, length);
  }
  async readRegister(address: number, register: number, length: number) {
    return this.inner.readRegister(address, register, length);
  }
}

/** Answers every read with fixed bytes: a real capture, replayed. */
class Replay implements I2cDeviceSim {
  constructor(private readonly reply: Uint8Array) {}
  onWrite(): void {}
  onRead(length: number): Uint8Array {
    return this.reply.slice(0, length);
  }
}

describe('Sht4x driver ↔ Sht4xSimulator on a FakeI2cBus', () => {
  const targets = [
    { temperature_c: 21.37, humidity_pct: 43.2 },
    { temperature_c: -12.5, humidity_pct: 91.05 },
    { temperature_c: 38.02, humidity_pct: 0.5 },
  ];
  for (const target of targets) {
    it(`round-trips ${JSON.stringify(target)} within the part's precision`, async () => {
      const bus = new FakeI2cBus().attach(0x44, new Sht4xSimulator({ target }));
      const r = await new Sht4x(bus, {}, { sleep: noSleep }).read();
      expect(Math.abs(r.values.temperature_c - target.temperature_c)).toBeLessThan(precisionOf('temperature_c'));
      expect(Math.abs(r.values.humidity_pct - target.humidity_pct)).toBeLessThan(precisionOf('humidity_pct'));
      expect(r.flags).toEqual([]);
    });
  }

  it('takes its default values from urbanConditions at the simulator clock', async () => {
    const at = new Date('2024-01-10T06:00:00Z');
    const bus = new FakeI2cBus().attach(0x46, new Sht4xSimulator({ clock: () => at, address: 0x46 }));
    const r = await new Sht4x(bus, { address: 0x46 }, { sleep: noSleep }).read();
    const u = urbanConditions(at);
    expect(Math.abs(r.values.temperature_c - u.temperature_c)).toBeLessThan(0.01);
    expect(Math.abs(r.values.humidity_pct - u.humidity_pct)).toBeLessThan(0.01);
  });

  it('resets, reads the serial, then measures with 0xFD after waiting 9 ms', async () => {
    const waits: number[] = [];
    const bus = new RecordingBus(new FakeI2cBus().attach(0x44, new Sht4xSimulator({ target: targets[0]! })));
    const driver = new Sht4x(bus, {}, { sleep: async (ms) => void waits.push(ms) });
    expect(await driver.init()).toBe(0x0fbaf98f);
    await driver.read();
    expect(bus.log).toEqual(['w 94', 'w 89', 'r 6', 'w fd', 'r 6']);
    expect(waits).toEqual([2, 1, 9]);
  });

  it.each([
    ['medium', 'f6', 5],
    ['low', 'e0', 2],
  ] as const)('uses the %s-precision command and its maximum duration', async (precision, cmd, ms) => {
    const waits: number[] = [];
    const bus = new RecordingBus(new FakeI2cBus().attach(0x44, new Sht4xSimulator({ target: targets[0]! })));
    await new Sht4x(bus, { precision }, { sleep: async (m) => void waits.push(m) }).read();
    expect(bus.log).toEqual([`w ${cmd}`, 'r 6']);
    expect(waits).toEqual([ms]);
  });

  it('retries the read while the sensor NACKs, then gives up saying where', async () => {
    const ok = new RecordingBus(new FakeI2cBus().attach(0x44, new Sht4xSimulator({ target: targets[1]!, busyReads: 2 })));
    await new Sht4x(ok, { max_read_attempts: 3 }, { sleep: noSleep }).read();
    expect(ok.log).toEqual(['w fd', 'r 6', 'r 6', 'r 6']);
    const busy = new FakeI2cBus().attach(0x45, new Sht4xSimulator({ busyReads: 9, address: 0x45 }));
    await expect(new Sht4x(busy, { address: 0x45, max_read_attempts: 3 }, { sleep: noSleep }).read()).rejects.toThrow(
      /SHT4x at I2C address 0x45 did not answer the measurement read after 3 attempts/,
    );
  });

  it('crops humidity the sensor reports above 100 %RH', async () => {
    const bus = new FakeI2cBus().attach(0x44, new Replay(encodeWords([26_089, 0xf000])));
    const r = await new Sht4x(bus, {}, { sleep: noSleep }).read();
    expect(r.values.humidity_pct).toBe(100);
  });

  it('flags the 0x8000/0x8000 pattern as sensor_error', async () => {
    const bus = new FakeI2cBus().attach(0x44, new Replay(encodeWords([0x8000, 0x8000])));
    const r = await new Sht4x(bus, {}, { sleep: noSleep }).read();
    expect(r.flags).toEqual(['sensor_error']);
  });
});

describe('Sht4x driver with replayed captures and corrupted replies', () => {
  it('decodes the elixir-sensors capture through the bus', async () => {
    const bus = new FakeI2cBus().attach(0x44, new Replay(bytesOf(ELIXIR_MEASUREMENT.hex)));
    const r = await new Sht4x(bus, {}, { sleep: noSleep }).read();
    expect(Math.round(r.values.temperature_c * 100) / 100).toBe(24.67);
    expect(Math.round(r.values.humidity_pct * 100) / 100).toBe(47.66);
  });

  it('drops a reading whose humidity CRC fails, naming the word and the address', async () => {
    const bus = new FakeI2cBus().attach(0x44, new Replay(bytesOf('65 e9 ea 6d e5 a1')));
    const err = await new Sht4x(bus, {}, { sleep: noSleep }).read().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Sht4xDataError);
    expect(err).toBeInstanceOf(I2cError);
    expect((err as Sht4xDataError).word).toBe('humidity');
    expect((err as Error).message).toBe(
      'SHT4x at I2C address 0x44: CRC mismatch on the humidity word (bytes 3–5: 6d e5 a1): received 0xa1, computed 0xa0; reading dropped',
    );
  });

  it('init fails on a serial reply with a bad CRC (not an SHT4x, or a noisy line)', async () => {
    const bus = new FakeI2cBus().attach(0x44, new Replay(bytesOf('0e d8 50 ad e0 ff')));
    await expect(new Sht4x(bus, {}, { sleep: noSleep }).init()).rejects.toThrow(/serial number high word/);
  });

  it('rejects an address the part cannot have', () => {
    expect(() => new Sht4x(new FakeI2cBus(), { address: 0x47 as 0x44 })).toThrow();
  });
});
