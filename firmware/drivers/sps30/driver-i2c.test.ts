import { describe, expect, it } from 'vitest';
import { FakeI2cBus, I2cError, type I2cBus, type I2cDeviceSim } from '../../buses/i2c.js';
import { urbanConditions } from '../../sim/urban-day.js';
import { Sps30I2c } from './driver-i2c.js';
import { bytesOf, I2C_CAPTURE_ISSUE14, I2C_START_FLOAT_WRITE } from './fixtures.js';
import { Sps30CrcError } from './i2c-protocol.js';
import { hex } from './shdlc.js';
import { sps30ValuesFromConditions, type Sps30ModelOptions } from './simulator.js';
import { Sps30I2cSimulator } from './simulator-i2c.js';

const AT = new Date('2024-05-14T08:00:00Z'); // morning rush
const expected = sps30ValuesFromConditions(urbanConditions(AT));
const noWait = async () => undefined;

/** Records every transfer, then passes it to the FakeI2cBus. */
function recording(bus: I2cBus) {
  const log: string[] = [];
  const wrapped: I2cBus = {
    async write(a, d) {
      log.push(`w ${hex(d)}`);
      return bus.write(a, d);
    },
    async read(a, n) {
      const r = await bus.read(a, n);
      log.push(`r ${n}`);
      return r;
    },
    readRegister: (a, r, n) => bus.readRegister(a, r, n),
  };
  return { bus: wrapped, log };
}

function rig(model: Sps30ModelOptions = {}) {
  const fake = new FakeI2cBus();
  const sim = new Sps30I2cSimulator({ intervalMs: 0, clock: () => AT, ...model });
  fake.attach(0x69, sim);
  const { bus, log } = recording(fake);
  return { sim, log, driver: new Sps30I2c(bus, { sleep: noWait }) };
}

describe('Sps30I2c ↔ Sps30I2cSimulator on a FakeI2cBus', () => {
  it('starts with 00 10 03 00 AC, waits for data-ready, reads 60 bytes into 10 floats', async () => {
    const { sim, log, driver } = rig();
    await driver.start();
    expect(sim.mode).toBe('measuring');
    expect(await driver.dataReady()).toBe(true);
    expect(await driver.readMeasurement()).toEqual(expected);
    expect(log).toEqual([`w ${hex(bytesOf(I2C_START_FLOAT_WRITE))}`, 'w 02 02', 'r 3', 'w 03 00', 'r 60']);
    await driver.stop();
    expect(sim.mode).toBe('idle');
    expect(log.at(-1)).toBe('w 01 04');
  });

  it('data-ready is false until the next measurement; read clears it', async () => {
    let now = AT.getTime();
    const { driver } = rig({ intervalMs: 1000, clock: () => new Date(now) });
    await driver.start();
    expect(await driver.dataReady()).toBe(false);
    now += 1000;
    expect(await driver.dataReady()).toBe(true);
    expect(await driver.readMeasurement()).toEqual(sps30ValuesFromConditions(urbanConditions(new Date(now))));
    expect(await driver.dataReady()).toBe(false);
  });

  it('sleep turns the interface off; wake sends the low pulse (empty write), then 0x1103', async () => {
    const { sim, log, driver } = rig();
    await driver.sleep();
    expect(sim.mode).toBe('sleep');
    await expect(driver.start()).rejects.toThrow(I2cError);
    await expect(driver.dataReady()).rejects.toThrow(/SPS30 at 0x69 did not acknowledge: asleep/);
    log.length = 0;
    sim.model.sleep(); // back to sleep with the interface off (the failed start above opened the window)
    await driver.wake();
    expect(sim.mode).toBe('idle');
    expect(log).toEqual(['w ', 'w 11 03']);
    await driver.start();
    expect(await driver.readMeasurement()).toEqual(expected);
  });

  it('wakes with the command sent twice when no pulse gets through', async () => {
    const fake = new FakeI2cBus();
    const sim = new Sps30I2cSimulator({ intervalMs: 0, clock: () => AT });
    fake.attach(0x69, sim);
    // A bus adapter that cannot do a zero-length write (the pulse fails before reaching the sensor).
    const bus: I2cBus = {
      write: (a, d) => (d.length === 0 ? Promise.reject(new Error('zero-length write not supported')) : fake.write(a, d)),
      read: (a, n) => fake.read(a, n),
      readRegister: (a, r, n) => fake.readRegister(a, r, n),
    };
    const driver = new Sps30I2c(bus, { sleep: noWait });
    await driver.sleep();
    await driver.wake();
    expect(sim.mode).toBe('idle');
  });

  it('commands the current mode does not allow are not acknowledged', async () => {
    const { driver } = rig();
    await expect(driver.fanClean()).rejects.toThrow("SPS30 at 0x69 did not acknowledge: start fan cleaning is only allowed in measurement mode");
    await expect(driver.readMeasurement()).rejects.toThrow(/read measured values is only allowed in measurement mode/);
    await driver.start();
    await expect(driver.start()).rejects.toThrow(/start measurement is only allowed in idle mode/);
    await expect(driver.sleep()).rejects.toThrow(/sleep is only allowed in idle mode/);
  });

  it('fan cleaning, auto-clean interval, serial, product type, version, reset', async () => {
    const { sim, driver } = rig({ serial: '3D59CD669A90A7EB' });
    await driver.start();
    await driver.fanClean();
    expect(sim.model.fanCleanings).toBe(1);
    expect(await driver.autoCleanInterval()).toBe(604_800);
    await driver.setAutoCleanInterval(0xfffffffe);
    expect(await driver.autoCleanInterval()).toBe(0xfffffffe);
    expect(await driver.serialNumber()).toBe('3D59CD669A90A7EB');
    expect(await driver.productType()).toBe('00080000');
    expect((await driver.version()).firmware).toEqual({ major: 2, minor: 2 });
    await driver.reset();
    expect(sim.mode).toBe('idle');
  });

  it('refuses sleep on firmware before 2.0', async () => {
    const { sim, driver } = rig({ firmware: { major: 1, minor: 0 } });
    await expect(driver.sleep()).rejects.toThrow(/sleep needs firmware 2.0 or later; this sensor runs 1.0/);
    expect(sim.received).toEqual(['read version']);
  });
});

describe('Sps30I2c against raw bytes', () => {
  /** A device that answers every read with fixed bytes. */
  const fixed = (bytes: Uint8Array): I2cDeviceSim => ({ onWrite: () => undefined, onRead: (n) => bytes.subarray(0, n) });

  it('decodes the real capture from issue #14 (a failing sensor: zeros, size 1.63 µm)', async () => {
    const bus = new FakeI2cBus().attach(0x69, fixed(bytesOf(I2C_CAPTURE_ISSUE14.hex)));
    expect(await new Sps30I2c(bus, { sleep: noWait }).readMeasurement()).toEqual(I2C_CAPTURE_ISSUE14.expected);
  });

  it('a CRC failure is an error naming the word', async () => {
    const bad = bytesOf(I2C_CAPTURE_ISSUE14.hex);
    bad[3 * 8] = 0x81; // word 8: 80 00 → 81 00, CRC still a2
    const bus = new FakeI2cBus().attach(0x69, fixed(bad));
    const read = new Sps30I2c(bus, { sleep: noWait }).readMeasurement();
    await expect(read).rejects.toThrow(Sps30CrcError);
    await expect(new Sps30I2c(bus, { sleep: noWait }).readMeasurement()).rejects.toThrow(/CRC mismatch in word 8 of 'read measured values' \(0x0300\): bytes 81 00/);
  });

  it('a bus that reads all 0xFF (nothing driving SDA) fails the CRC rather than reading NaN', async () => {
    const bus = new FakeI2cBus().attach(0x69, fixed(new Uint8Array(60).fill(0xff)));
    await expect(new Sps30I2c(bus, { sleep: noWait }).readMeasurement()).rejects.toThrow(/CRC mismatch in word 0/);
  });

  it('no device at 0x69 is the bus\'s own error', async () => {
    await expect(new Sps30I2c(new FakeI2cBus(), { sleep: noWait }).start()).rejects.toThrow(/no device answered at I2C address 0x69/);
  });
});
