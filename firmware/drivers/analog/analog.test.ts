import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../gateway/core/log.js';
import { nodeEnv, partEnv } from '../../node/env.js';
import { calibrateLinear } from './calibrate.js';
import { analogPart } from './part.js';

describe('analog input on a satellite', () => {
  it('calibrates linearly through the points and beyond them', () => {
    const pts = [[400, 0], [2000, 20]] as const; // a 0.4–2.0 V output for 0–20 m/s, say
    expect(calibrateLinear(pts, 400)).toBe(0);
    expect(calibrateLinear(pts, 1200)).toBe(10);
    expect(calibrateLinear(pts, 2400)).toBe(25);
    expect(calibrateLinear([[0, 0], [1000, 10], [2000, 40]], 1500)).toBe(25);
  });

  it('refuses a calibration without the quantity it yields', () => {
    const r = analogPart.options.safeParse({ calibrate_linear: [[0, 0], [5000, 100]] });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({ path: ['quantity'], message: 'calibrate_linear and quantity go together: name the quantity the calibration yields' });
  });

  it('reads the virtual Arduino\'s A2 through Firmata, in mV and calibrated', async () => {
    const node = nodeEnv({ simulate: true, log: silentLogger, board: { type: 'firmata', port: '/dev/ttyUSB0', baud_rate: 115200, analog_reference_mv: 5000 } });
    const options = analogPart.options.parse({ sim_mv: 2000, calibrate_linear: [[400, 0], [2000, 20]], quantity: 'wind_speed_ms' });
    const handle = await analogPart.open(options, partEnv(node, { type: 'firmata-analog', channel: 2 }, 'analog'));
    let sample;
    for (let i = 0; i < 50 && !sample; i++) {
      await new Promise((r) => setTimeout(r, 50));
      sample = await handle.read!().catch(() => undefined);
    }
    // 2000 mV of 5000 → code round(409.2) = 409 → 409 × 5000 / 1023 = 1999.0 mV (one LSB is 4.9 mV).
    expect(sample?.values).toEqual({ analog_mv: 1999, wind_speed_ms: calibrateLinear([[400, 0], [2000, 20]], (409 * 5000) / 1023) });
    await handle.close();
    await node.close();
  });
});
