import { describe, expect, it } from 'vitest';
import { FakeI2cBus, I2cError, type I2cBus } from '../../buses/i2c.js';
import { urbanConditions } from '../../sim/urban-day.js';
import { Bme280 } from './bme280.js';
import { bme280Definition } from './definition.js';
import { pimoroniExample } from './fixtures.js';
import { Bme280Simulator } from './simulator.js';

const noSleep = async () => {};
const precisionOf = (name: string) => 10 ** -(bme280Definition.quantities.find((q) => q.name === name)?.precision ?? 0);

/** Records every transfer so tests can check the order the driver talks to the chip in. */
class RecordingBus implements I2cBus {
  readonly log: string[] = [];
  constructor(private readonly inner: I2cBus) {}
  async write(address: number, data: Uint8Array) {
    this.log.push(`w ${[...data].map((b) => b.toString(16).padStart(2, '0')).join(' ')}`);
    return this.inner.write(address, data);
  }
  async read(address: number, length: number) {
    return this.inner.read(address, length);
  }
  async readRegister(address: number, register: number, length: number) {
    this.log.push(`r ${register.toString(16)} ${length}`);
    return this.inner.readRegister(address, register, length);
  }
}

describe('Bme280 driver on a FakeI2cBus with Bme280Simulator', () => {
  const targets = [
    { temperature_c: 21.37, humidity_pct: 43.2, pressure_hpa: 1008.4 },
    { temperature_c: -12.5, humidity_pct: 91.05, pressure_hpa: 962.11 },
    { temperature_c: 38.02, humidity_pct: 18.7, pressure_hpa: 1031.9 },
  ];

  for (const target of targets) {
    it(`round-trips ${JSON.stringify(target)} within the part's precision`, async () => {
      const bus = new FakeI2cBus().attach(0x76, new Bme280Simulator({ target }));
      const v = await new Bme280(bus, {}, { sleep: noSleep }).read();
      expect(Math.abs((v.temperature_c ?? NaN) - target.temperature_c)).toBeLessThanOrEqual(precisionOf('temperature_c'));
      expect(Math.abs((v.humidity_pct ?? NaN) - target.humidity_pct)).toBeLessThanOrEqual(precisionOf('humidity_pct'));
      expect(Math.abs((v.pressure_hpa ?? NaN) - target.pressure_hpa)).toBeLessThanOrEqual(precisionOf('pressure_hpa'));
    });
  }

  it('takes its default targets from urbanConditions at the simulator clock', async () => {
    const at = new Date('2024-05-14T08:00:00Z');
    const sim = new Bme280Simulator({ clock: () => at });
    const bus = new FakeI2cBus().attach(0x77, sim);
    const v = await new Bme280(bus, { address: 0x77 }, { sleep: noSleep }).read();
    const u = urbanConditions(at);
    expect(Math.abs((v.temperature_c ?? NaN) - u.temperature_c)).toBeLessThanOrEqual(0.01);
    expect(Math.abs((v.humidity_pct ?? NaN) - u.humidity_pct)).toBeLessThanOrEqual(0.01);
    expect(Math.abs((v.pressure_hpa ?? NaN) - u.pressure_hpa)).toBeLessThanOrEqual(0.01);
  });

  it('works with another chip\'s calibration in the simulated NVM', async () => {
    const target = { temperature_c: 5.5, humidity_pct: 60, pressure_hpa: 990 };
    const bus = new FakeI2cBus().attach(0x76, new Bme280Simulator({ target, calibration: pimoroniExample.calibration }));
    const v = await new Bme280(bus, {}, { sleep: noSleep }).read();
    expect(v.temperature_c).toBe(5.5);
    expect(Math.abs((v.humidity_pct ?? NaN) - 60)).toBeLessThanOrEqual(0.01);
    expect(Math.abs((v.pressure_hpa ?? NaN) - 990)).toBeLessThanOrEqual(0.01);
  });

  it('resets, reads the calibration, then writes ctrl_hum before ctrl_meas and polls status before the data', async () => {
    const target = { temperature_c: 20, humidity_pct: 50, pressure_hpa: 1000 };
    const bus = new RecordingBus(new FakeI2cBus().attach(0x76, new Bme280Simulator({ target, busyReads: 3 })));
    await new Bme280(bus, { oversampling: 2 }, { sleep: noSleep }).read();
    expect(bus.log).toEqual([
      'r d0 1',
      'w e0 b6',
      'r f3 1', // im_update still set after the reset
      'r f3 1',
      'r 88 24',
      'r a1 1',
      'r e1 7',
      'w f5 00',
      'w f2 02',
      'w f4 49', // osrs_t=×2, osrs_p=×2, forced
      'r f3 1',
      'r f3 1',
      'r f3 1',
      'r f3 1',
      'r f7 8',
    ]);
  });

  it('takes one forced measurement per read', async () => {
    const sim = new Bme280Simulator({ target: { temperature_c: 20, humidity_pct: 50, pressure_hpa: 1000 } });
    const driver = new Bme280(new FakeI2cBus().attach(0x76, sim), {}, { sleep: noSleep });
    await driver.read();
    await driver.read();
    expect(sim.measurements).toBe(2);
  });
});

describe('Bme280 driver errors', () => {
  it('says a BMP280 (chip id 0x58) has no humidity', async () => {
    const bus = new FakeI2cBus().attach(0x76, new Bme280Simulator({ chipId: 0x58 }));
    const err = await new Bme280(bus, {}, { sleep: noSleep }).init().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(I2cError);
    expect((err as Error).message).toMatch(/0x58.*BMP280.*no humidity/);
  });

  it('rejects an unknown chip id, naming the address', async () => {
    const bus = new FakeI2cBus().attach(0x77, new Bme280Simulator({ chipId: 0x61 }));
    await expect(new Bme280(bus, { address: 0x77 }, { sleep: noSleep }).init()).rejects.toThrow(
      /BME280 at I2C address 0x77 answered chip id 0x61, expected 0x60/,
    );
  });

  it('gives up when the status register never reports the end of the measurement', async () => {
    const sim = new Bme280Simulator({ target: { temperature_c: 20, humidity_pct: 50, pressure_hpa: 1000 }, busyReads: 100 });
    const driver = new Bme280(new FakeI2cBus().attach(0x76, sim), { max_status_polls: 5 }, { sleep: noSleep });
    await expect(driver.read()).rejects.toThrow(/still measuring after 5 status polls/);
  });

  it('reports a missing device at the configured address', async () => {
    await expect(new Bme280(new FakeI2cBus(), {}, { sleep: noSleep }).read()).rejects.toThrow(/0x76/);
  });

  it('rejects an address the chip cannot have', () => {
    expect(() => new Bme280(new FakeI2cBus(), { address: 0x48 as 0x76 })).toThrow();
  });
});

describe('Bme280Simulator register behaviour', () => {
  it('ignores ctrl_hum written after ctrl_meas (humidity skipped → reset value)', async () => {
    const sim = new Bme280Simulator({ target: { temperature_c: 20, humidity_pct: 50, pressure_hpa: 1000 }, busyReads: 0 });
    const bus = new FakeI2cBus().attach(0x76, sim);
    await bus.write(0x76, Uint8Array.of(0xf4, 0x25)); // T ×1, P ×1, forced; ctrl_hum still 0
    await bus.write(0x76, Uint8Array.of(0xf2, 0x01));
    const data = await bus.readRegister(0x76, 0xf7, 8);
    expect([data[6], data[7]]).toEqual([0x80, 0x00]);
    expect(data[3]).not.toBe(0x80);
  });

  it('keeps the old data until status has reported the measurement finished', async () => {
    const sim = new Bme280Simulator({ target: { temperature_c: 20, humidity_pct: 50, pressure_hpa: 1000 }, busyReads: 1 });
    const bus = new FakeI2cBus().attach(0x76, sim);
    await bus.write(0x76, Uint8Array.of(0xf2, 0x01));
    await bus.write(0x76, Uint8Array.of(0xf4, 0x25));
    expect([...(await bus.readRegister(0x76, 0xf7, 3))]).toEqual([0x80, 0x00, 0x00]);
    expect((await bus.readRegister(0x76, 0xf3, 1))[0]).toBe(0x08);
    expect((await bus.readRegister(0x76, 0xf3, 1))[0]).toBe(0x00);
    expect((await bus.readRegister(0x76, 0xf4, 1))[0]).toBe(0x24); // back to sleep mode
    expect((await bus.readRegister(0x76, 0xf7, 3))[0]).not.toBe(0x80);
  });
});
