import { describe, expect, it } from 'vitest';
import { FakeI2cBus, I2cError, type I2cBus, type I2cDeviceSim } from '../../buses/i2c.js';
import { urbanConditions } from '../../sim/urban-day.js';
import { sht3xDefinition } from './definition.js';
import { bytesOf, SENLIB_SHT31 } from './fixtures.js';
import { Sht3x, Sht3xDataError } from './sht3x.js';
import { Sht3xSimulator } from './simulator.js';

const noSleep = async () => {};
const precisionOf = (name: string) => 10 ** -(sht3xDefinition.quantities.find((q) => q.name === name)?.precision ?? 0);

/** Records the transfers, to check what the driver sends and how long it waits. */
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

describe('Sht3x driver ↔ Sht3xSimulator on a FakeI2cBus', () => {
  const targets = [
    { temperature_c: 21.37, humidity_pct: 43.2 },
    { temperature_c: -12.5, humidity_pct: 91.05 },
    { temperature_c: 38.02, humidity_pct: 18.7 },
  ];
  for (const target of targets) {
    it(`round-trips ${JSON.stringify(target)} within the part's precision`, async () => {
      const bus = new FakeI2cBus().attach(0x44, new Sht3xSimulator({ target }));
      const v = await new Sht3x(bus, {}, { sleep: noSleep }).read();
      expect(Math.abs(v.temperature_c - target.temperature_c)).toBeLessThan(precisionOf('temperature_c'));
      expect(Math.abs(v.humidity_pct - target.humidity_pct)).toBeLessThan(precisionOf('humidity_pct'));
    });
  }

  it('takes its default values from urbanConditions at the simulator clock', async () => {
    const at = new Date('2024-05-14T08:00:00Z');
    const bus = new FakeI2cBus().attach(0x45, new Sht3xSimulator({ clock: () => at, address: 0x45 }));
    const v = await new Sht3x(bus, { address: 0x45 }, { sleep: noSleep }).read();
    const u = urbanConditions(at);
    expect(Math.abs(v.temperature_c - u.temperature_c)).toBeLessThan(0.01);
    expect(Math.abs(v.humidity_pct - u.humidity_pct)).toBeLessThan(0.01);
  });

  it('resets, checks status, clears it, then measures with 0x2400 after waiting 15 ms', async () => {
    const waits: number[] = [];
    const bus = new RecordingBus(new FakeI2cBus().attach(0x44, new Sht3xSimulator({ target: targets[0]! })));
    const driver = new Sht3x(bus, {}, { sleep: async (ms) => void waits.push(ms) });
    const status = await driver.init();
    expect(status.resetDetected).toBe(true);
    await driver.read();
    expect(bus.log).toEqual(['w 30a2', 'w f32d', 'r 3', 'w 3041', 'w 2400', 'r 6']);
    expect(waits).toEqual([2, 15]);
  });

  it.each([
    ['medium', '240b', 6],
    ['low', '2416', 4],
  ] as const)('uses the %s-repeatability command and its maximum duration', async (repeatability, cmd, ms) => {
    const waits: number[] = [];
    const bus = new RecordingBus(new FakeI2cBus().attach(0x44, new Sht3xSimulator({ target: targets[0]! })));
    await new Sht3x(bus, { repeatability }, { sleep: async (m) => void waits.push(m) }).read();
    expect(bus.log).toEqual([`w ${cmd}`, 'r 6']);
    expect(waits).toEqual([ms]);
  });

  it('retries the read while the sensor NACKs, then succeeds', async () => {
    const sim = new Sht3xSimulator({ target: targets[1]!, busyReads: 3 });
    const bus = new RecordingBus(new FakeI2cBus().attach(0x44, sim));
    const v = await new Sht3x(bus, { max_read_attempts: 4 }, { sleep: noSleep }).read();
    expect(bus.log).toEqual(['w 2400', 'r 6', 'r 6', 'r 6', 'r 6']);
    expect(Math.abs(v.humidity_pct - 91.05)).toBeLessThan(0.01);
  });

  it('gives up after max_read_attempts NACKs, saying where', async () => {
    const sim = new Sht3xSimulator({ target: targets[1]!, busyReads: 10 });
    const driver = new Sht3x(new FakeI2cBus().attach(0x44, sim), { max_read_attempts: 2 }, { sleep: noSleep });
    await expect(driver.read()).rejects.toThrow(/SHT3x at I2C address 0x44 did not answer the measurement read after 2 attempts/);
  });

  it('reads the serial number', async () => {
    const bus = new FakeI2cBus().attach(0x44, new Sht3xSimulator({ serialNumber: 0xdeadbeef }));
    expect(await new Sht3x(bus, {}, { sleep: noSleep }).readSerialNumber()).toBe(0xdeadbeef);
  });

  it('one measurement per read; each result is read once', async () => {
    const sim = new Sht3xSimulator({ target: targets[0]! });
    const bus = new FakeI2cBus().attach(0x44, sim);
    const driver = new Sht3x(bus, {}, { sleep: noSleep });
    await driver.read();
    await driver.read();
    expect(sim.measurements).toBe(2);
    await expect(bus.read(0x44, 6)).rejects.toThrow(/no data to read/);
  });
});

describe('Sht3x driver with replayed captures and corrupted replies', () => {
  it.each(SENLIB_SHT31)('decodes $name through the bus', async (f) => {
    const bus = new FakeI2cBus().attach(0x44, new Replay(bytesOf(f.hex)));
    const v = await new Sht3x(bus, {}, { sleep: noSleep }).read();
    expect(Math.round(v.temperature_c * 100) / 100).toBe(f.temperature_c);
    expect(Math.round(v.humidity_pct * 100) / 100).toBe(f.humidity_pct);
  });

  it('drops a reading whose humidity CRC fails, naming the word and the address', async () => {
    const bus = new FakeI2cBus().attach(0x44, new Replay(bytesOf('62 3c b5 6d df bf')));
    const err = await new Sht3x(bus, {}, { sleep: noSleep }).read().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Sht3xDataError);
    expect(err).toBeInstanceOf(I2cError);
    expect((err as Sht3xDataError).word).toBe('humidity');
    expect((err as Sht3xDataError).code).toBe('crc');
    expect((err as Sht3xDataError).hex).toBe('62 3c b5 6d df bf');
    expect((err as Error).message).toBe(
      'SHT3x at I2C address 0x44: CRC mismatch on the humidity word (bytes 3–5: 6d df bf): received 0xbf, computed 0xbe; reading dropped',
    );
  });

  it('refuses a device that does not report the soft reset', async () => {
    const bus = new FakeI2cBus().attach(0x44, new Replay(Uint8Array.of(0x00, 0x00, 0x81)));
    await expect(new Sht3x(bus, {}, { sleep: noSleep }).init()).rejects.toThrow(/did not report the soft reset .*0x0000/);
  });

  it('reports a missing device at the configured address', async () => {
    await expect(new Sht3x(new FakeI2cBus(), { address: 0x45 }, { sleep: noSleep }).read()).rejects.toThrow(/0x45/);
  });

  it('rejects an address the chip cannot have', () => {
    expect(() => new Sht3x(new FakeI2cBus(), { address: 0x46 as 0x44 })).toThrow();
  });
});
