// The PMS5003 driver and simulator talking over a real socat pty pair, each end opened with serialport exactly
// as /dev/ttyAMA0 would be: frames, ACKs and commands cross a real tty.
import { once } from 'node:events';
import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { openPtyPair, socatAvailable, type PtyPair } from '../../firmware/buses/pty-pair.js';
import { Pms5003, type PmsDriverReading } from '../../firmware/drivers/pms5003/driver.js';
import { Pms5003Simulator, valuesFromConditions } from '../../firmware/drivers/pms5003/simulator.js';
import type { PmsVariant } from '../../firmware/drivers/pms5003/protocol.js';
import { urbanConditions } from '../../firmware/sim/urban-day.js';

const AT = new Date('2024-05-14T17:30:00Z'); // evening rush in the shared urban scenario

async function openPort(path: string): Promise<SerialPort> {
  const port = new SerialPort({ path, baudRate: 9600, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  // a pty keeps bytes written while the far end was closed (toolchain.md §3)
  await new Promise<void>((resolve, reject) => port.flush((e) => (e ? reject(e) : resolve())));
  return port;
}
const closePort = (port: SerialPort) =>
  new Promise<void>((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve()));

const nextReading = (driver: Pms5003) => once(driver, 'reading').then(([r]) => r as PmsDriverReading);

const inCi = process.env.CI === 'true';

describe.skipIf(!socatAvailable() && !inCi)('PMS5003 over a socat pty pair', () => {
  let pair: PtyPair | undefined;
  const ports: SerialPort[] = [];
  const cleanups: Array<() => void> = [];

  afterEach(async () => {
    for (const c of cleanups.splice(0)) c();
    for (const p of ports.splice(0)) await closePort(p);
    await pair?.close();
    pair = undefined;
  });

  async function rig(variant: PmsVariant) {
    pair = await openPtyPair();
    const devicePort = await openPort(pair.devicePath);
    const hostPort = await openPort(pair.hostPath);
    ports.push(devicePort, hostPort);
    const sim = new Pms5003Simulator(devicePort, { variant, intervalMs: 200, clock: () => AT });
    const driver = new Pms5003(hostPort, { variant, commandTimeoutMs: 5000 });
    cleanups.push(() => sim.stop(), () => driver.close());
    return { sim, driver, expected: valuesFromConditions(urbanConditions(AT), variant) };
  }

  it('delivers the simulator values as readings, then sleeps and wakes over the tty', async () => {
    const { sim, driver, expected } = await rig('pms5003');
    const acks: Array<{ command: number; data: number }> = [];
    driver.on('ack', (a) => acks.push(a));
    sim.start();

    const first = await nextReading(driver);
    expect(first.values).toEqual(expected);
    expect(first.flags).toContain('warmup'); // the driver was just started: power-up counts as a wake

    await driver.sleep(); // resolves only on the sensor's ACK, read back from the pty
    expect(acks).toContainEqual({ command: 0xe4, data: 0 });
    expect(sim.asleep).toBe(true);
    expect(sim.commandsReceived).toContain('sleep');

    await driver.wake();
    const afterWake = await nextReading(driver); // a real sensor answers wake with data frames, not an ACK
    expect(sim.commandsReceived.at(-1)).toBe('wake');
    expect(sim.asleep).toBe(false);
    expect(afterWake.values).toEqual(expected);
    expect(afterWake.flags).toContain('warmup');
    expect(driver.counts.errors).toEqual({ checksum: 0, length: 0, truncated: 0, implausible: 0 });
  });

  it('passive mode and read-on-request for a PMS5003T', async () => {
    const { sim, driver, expected } = await rig('pms5003t');
    sim.start();
    await driver.setMode('passive');
    expect(sim.mode).toBe('passive');
    const r = await driver.requestRead();
    expect(r.values).toEqual(expected);
    expect(r.values.temperature_c).toBe(Math.round(urbanConditions(AT).temperature_c * 10) / 10);
    expect(sim.commandsReceived).toEqual(['passive', 'read']);
    await driver.setMode('active');
    expect((await nextReading(driver)).values).toEqual(expected);
  });
});
