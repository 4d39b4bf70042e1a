// The opening every I2C part shares: get the part's bus from the node and, on a simulated station, put the part's
// device simulator at its address first, so the driver runs unchanged against "the chip".
import { FakeI2cBus, type I2cBus, type I2cDeviceSim } from '../buses/i2c.js';
import type { PartEnv } from './types.js';

export interface OpenedI2cDevice {
  bus: I2cBus;
  /** Takes the simulator off the bus again (nothing on real hardware). */
  release(): void;
}

export async function openI2cDevice(env: PartEnv, address: number, simulator: () => I2cDeviceSim): Promise<OpenedI2cDevice> {
  const bus = await env.i2c();
  const simulated = env.simulate && bus instanceof FakeI2cBus;
  if (simulated) bus.attach(address, simulator());
  return { bus, release: () => (simulated ? bus.detach(address) : undefined) };
}

/** Runs a driver's set-up; on failure releases the device before passing the error on. */
export async function initOrRelease(device: OpenedI2cDevice, init: () => Promise<unknown>): Promise<void> {
  try {
    await init();
  } catch (e) {
    device.release();
    throw e;
  }
}
