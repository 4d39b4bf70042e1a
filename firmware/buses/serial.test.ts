import { describe, expect, it } from 'vitest';
import { duplexPair, simulatedSerial } from './serial.js';

describe('simulated serial lines', () => {
  it('carries bytes both ways in process', async () => {
    const { host, device } = duplexPair();
    const got: Buffer[] = [];
    device.on('data', (d: Buffer) => got.push(d));
    host.write(Buffer.from([0x42, 0x4d]));
    await new Promise((r) => setImmediate(r));
    expect(Buffer.concat(got)).toEqual(Buffer.from([0x42, 0x4d]));
  });

  it('closes the in-process fallback (no socat) without an error event', async () => {
    const line = await simulatedSerial(9600, false);
    expect(line.where).toBe('simulated in-process serial line');
    // No listener of ours: an 'error' event on close would be an uncaught exception and fail this run.
    line.device.write(Buffer.from('x'));
    await line.close();
    await new Promise((r) => setTimeout(r, 20));
    expect(line.host.destroyed && line.device.destroyed).toBe(true);
  });
});
