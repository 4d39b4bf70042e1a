import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../gateway/core/log.js';
import { FakeI2cBus } from '../buses/i2c.js';
import { bme280Part } from '../drivers/bme280/part.js';
import { pms5003Part } from '../drivers/pms5003/part.js';
import { nodeEnv, partEnv } from './env.js';

describe('node buses', () => {
  const node = () => nodeEnv({ simulate: true, log: silentLogger });

  it('refuses an I2C part wired to a UART, and a UART part wired to I2C, saying what to write', async () => {
    const env = node();
    await expect(bme280Part.open(bme280Part.options.parse({}), partEnv(env, { type: 'uart', path: '/dev/ttyAMA0' }, 'bme280'))).rejects.toThrow(
      'bme280 is an I2C part but is wired to a uart bus: give it bus: { type: i2c, bus: 1 } (or firmata-i2c on a satellite)',
    );
    await expect(pms5003Part.open(pms5003Part.options.parse({}), partEnv(env, { type: 'i2c', bus: 1 }, 'pms5003'))).rejects.toThrow(
      'pms5003 is a UART part but is wired to a i2c bus: give it bus: { type: uart, path: /dev/ttyAMA0 } (or firmata-serial on a satellite)',
    );
    await env.close();
  });

  it('shares one bus among the parts on it and keeps buses apart', async () => {
    const env = node();
    const a = await env.i2cFor({ type: 'i2c', bus: 1 }, 'bme280');
    const b = await env.i2cFor({ type: 'i2c', bus: 1 }, 'sht4x');
    const c = await env.i2cFor({ type: 'i2c', bus: 3 }, 'sht4x');
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(a).toBeInstanceOf(FakeI2cBus);
    await env.close();
  });

  it('says what to add when a firmata bus has no board', async () => {
    const env = node();
    await expect(env.i2cFor({ type: 'firmata-i2c' }, 'bme280')).rejects.toThrow(/no `board:` .* add board: \{ type: firmata, port: \/dev\/ttyACM0 \}/);
    await env.close();
  });
});
