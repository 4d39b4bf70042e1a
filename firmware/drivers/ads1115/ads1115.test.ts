import { describe, expect, it } from 'vitest';
import { FakeI2cBus } from '../../buses/i2c.js';
import { Ads1115 } from './ads1115.js';
import { Ads1115Simulator } from './simulator.js';

const noSleep = async () => {};
const volts = [0.2531, 0.2207, 1.5, -0.1];

describe('Ads1115 driver on a FakeI2cBus with Ads1115Simulator', () => {
  it('reads each single-ended channel to within one LSB', async () => {
    const sim = new Ads1115Simulator({ voltage: (ch) => volts[ch] ?? 0 });
    const adc = new Ads1115(new FakeI2cBus().attach(0x48, sim), {}, { sleep: noSleep });
    expect(Math.abs((await adc.readSingleEnded(0, { fsr: 1.024, sps: 8 })) - 0.2531)).toBeLessThanOrEqual(31.25e-6);
    expect(Math.abs((await adc.readSingleEnded(1, { fsr: 1.024, sps: 8 })) - 0.2207)).toBeLessThanOrEqual(31.25e-6);
    expect(Math.abs((await adc.readSingleEnded(2, { fsr: 4.096 })) - 1.5)).toBeLessThanOrEqual(125e-6);
    expect(sim.starts).toEqual([0xc703, 0xd703, 0xe383]);
  });

  it('reads a negative single-ended voltage as a negative code', async () => {
    const sim = new Ads1115Simulator({ voltage: (ch) => volts[ch] ?? 0 });
    const adc = new Ads1115(new FakeI2cBus().attach(0x48, sim), {}, { sleep: noSleep });
    const c = await adc.convert('ain3', { fsr: 0.512 });
    expect(c.code).toBe(-6400);
    expect(c.volts).toBeCloseTo(-0.1, 6);
  });

  it('reads a differential input as the difference of the two channels', async () => {
    const sim = new Ads1115Simulator({ voltage: (ch) => volts[ch] ?? 0 });
    const adc = new Ads1115(new FakeI2cBus().attach(0x48, sim), {}, { sleep: noSleep });
    const c = await adc.convert('ain0-ain1', { fsr: 0.256 });
    expect(c.volts).toBeCloseTo(0.0324, 4);
  });

  it('clips beyond the full-scale range and says so', async () => {
    const sim = new Ads1115Simulator({ voltage: (ch) => volts[ch] ?? 0 });
    const adc = new Ads1115(new FakeI2cBus().attach(0x49, sim), { address: 0x49 }, { sleep: noSleep });
    const c = await adc.convert('ain2', { fsr: 1.024 });
    expect(c.code).toBe(32767);
    expect(c.clipped).toBe(true);
    expect(c.volts).toBeCloseTo(1.024 * (32767 / 32768), 9);
  });

  it('uses the option defaults (±2.048 V, 128 SPS) when a read names none', async () => {
    const sim = new Ads1115Simulator({ voltage: () => 0.5 });
    const adc = new Ads1115(new FakeI2cBus().attach(0x48, sim), {}, { sleep: noSleep });
    expect(await adc.readSingleEnded(0)).toBe(0.5);
    expect(sim.starts).toEqual([0xc583]);
  });

  it('waits for the OS bit before reading the conversion register', async () => {
    // With 3 busy polls the conversion register still holds 0 until the third config read.
    const sim = new Ads1115Simulator({ voltage: () => 0.25, busyReads: 3 });
    const adc = new Ads1115(new FakeI2cBus().attach(0x48, sim), {}, { sleep: noSleep });
    expect(await adc.readSingleEnded(0, { fsr: 1.024 })).toBe(0.25);
  });

  it('gives up after max_polls when the conversion never ends', async () => {
    const sim = new Ads1115Simulator({ voltage: () => 0.25, busyReads: 50 });
    const adc = new Ads1115(new FakeI2cBus().attach(0x48, sim), { max_polls: 4 }, { sleep: noSleep });
    await expect(adc.readSingleEnded(0)).rejects.toThrow(/ADS1115 at I2C address 0x48 did not finish a conversion after 4 polls/);
  });

  it('waits the nominal conversion time (1/DR + 10 %) before the first poll', async () => {
    const waits: number[] = [];
    const sim = new Ads1115Simulator({ voltage: () => 0.25, busyReads: 0 });
    const adc = new Ads1115(new FakeI2cBus().attach(0x48, sim), {}, { sleep: async (ms) => void waits.push(ms) });
    await adc.readSingleEnded(0, { sps: 8 });
    expect(waits).toEqual([138]);
  });
});

describe('Ads1115Simulator registers', () => {
  it('powers up with config 0x8583 and the threshold reset values', async () => {
    const bus = new FakeI2cBus().attach(0x48, new Ads1115Simulator());
    expect([...(await bus.readRegister(0x48, 1, 2))]).toEqual([0x85, 0x83]);
    expect([...(await bus.readRegister(0x48, 2, 2))]).toEqual([0x80, 0x00]);
    expect([...(await bus.readRegister(0x48, 3, 2))]).toEqual([0x7f, 0xff]);
  });

  it('reads OS=0 while converting and OS=1 after, keeping the other bits as written', async () => {
    const bus = new FakeI2cBus().attach(0x48, new Ads1115Simulator({ voltage: () => 1, busyReads: 1 }));
    await bus.write(0x48, Uint8Array.of(1, 0xc3, 0x83));
    expect([...(await bus.readRegister(0x48, 1, 2))]).toEqual([0x43, 0x83]);
    expect([...(await bus.readRegister(0x48, 1, 2))]).toEqual([0xc3, 0x83]);
    expect([...(await bus.readRegister(0x48, 0, 2))]).toEqual([0x1f, 0x40]); // 1 V at ±4.096 V = 8000
  });

  it('converts continuously when MODE=0', async () => {
    let v = 0.1;
    const bus = new FakeI2cBus().attach(0x48, new Ads1115Simulator({ voltage: () => v }));
    await bus.write(0x48, Uint8Array.of(1, 0x42, 0x83)); // AIN0, ±4.096 V, MODE=0 (continuous)
    await bus.write(0x48, Uint8Array.of(0));
    const a = await bus.read(0x48, 2);
    v = 0.2;
    const b = await bus.read(0x48, 2);
    expect(((b[0] ?? 0) << 8) | (b[1] ?? 0)).toBe(2 * (((a[0] ?? 0) << 8) | (a[1] ?? 0)));
  });
});
