// The SDS011 driver and simulator talking over a real socat pty pair, each end opened with serialport exactly as
// /dev/ttyAMA0 would be: data frames, 19-byte commands and their replies cross a real tty.
import { once } from 'node:events';
import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { openPtyPair, socatAvailable, type PtyPair } from '../../firmware/buses/pty-pair.js';
import { Sds011, type SdsDriverReading } from '../../firmware/drivers/sds011/driver.js';
import type { SdsReply } from '../../firmware/drivers/sds011/protocol.js';
import { Sds011Simulator, valuesFromConditions } from '../../firmware/drivers/sds011/simulator.js';
import { urbanConditions } from '../../firmware/sim/urban-day.js';

const AT = new Date('2024-05-14T08:00:00Z'); // morning rush in the shared urban scenario

async function openPort(path: string): Promise<SerialPort> {
  const port = new SerialPort({ path, baudRate: 9600, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  // a pty keeps bytes written while the far end was closed (toolchain.md §3)
  await new Promise<void>((resolve, reject) => port.flush((e) => (e ? reject(e) : resolve())));
  return port;
}
const closePort = (port: SerialPort) => new Promise<void>((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve()));

const nextReading = (driver: Sds011) => once(driver, 'reading').then(([r]) => r as SdsDriverReading);

const inCi = process.env.CI === 'true';

describe.skipIf(!socatAvailable() && !inCi)('SDS011 over a socat pty pair', () => {
  let pair: PtyPair | undefined;
  const ports: SerialPort[] = [];
  const cleanups: Array<() => void> = [];

  afterEach(async () => {
    for (const c of cleanups.splice(0)) c();
    for (const p of ports.splice(0)) await closePort(p);
    await pair?.close();
    pair = undefined;
  });

  async function rig() {
    pair = await openPtyPair();
    const devicePort = await openPort(pair.devicePath);
    const hostPort = await openPort(pair.hostPath);
    ports.push(devicePort, hostPort);
    const sim = new Sds011Simulator(devicePort, { intervalMs: 200, clock: () => AT });
    const driver = new Sds011(hostPort, { commandTimeoutMs: 5000 });
    cleanups.push(
      () => sim.stop(),
      () => driver.close(),
    );
    return { sim, driver, expected: valuesFromConditions(urbanConditions(AT)) };
  }

  it('delivers the simulator values as readings, then sleeps and wakes over the tty', async () => {
    const { sim, driver, expected } = await rig();
    const replies: SdsReply[] = [];
    driver.on('reply', (r) => replies.push(r));
    sim.start();

    const first = await nextReading(driver);
    expect(first.values).toEqual(expected);
    expect(first.deviceId).toBe(0xa160);
    expect(first.flags).toContain('warmup'); // the driver was just started: power-up counts as a wake

    await driver.sleep(); // resolves only on the sensor's `AA C5 06 01 00 …` reply, read back from the pty
    expect(replies).toContainEqual({ command: 'sleep_work', set: true, working: false, deviceId: 0xa160 });
    expect(sim.asleep).toBe(true);
    expect(sim.commandsReceived).toEqual(['sleep']);

    await driver.wake();
    expect(sim.commandsReceived).toEqual(['sleep', 'work']);
    expect(sim.asleep).toBe(false);
    const afterWake = await nextReading(driver);
    expect(afterWake.values).toEqual(expected);
    expect(afterWake.flags).toContain('warmup');
    expect(driver.counts.errors).toEqual({ checksum: 0, tail: 0, truncated: 0 });
  });

  it('query mode, working period and firmware version travel over the tty and are answered', async () => {
    const { sim, driver, expected } = await rig();
    sim.start();
    await driver.setMode('query');
    expect(sim.mode).toBe('query');
    const r = await driver.query();
    expect(r.values).toEqual(expected);
    await driver.setWorkingPeriod(5);
    expect(await driver.getWorkingPeriod()).toBe(5);
    expect(await driver.firmwareVersion()).toEqual({ year: 2018, month: 11, day: 16 });
    expect(sim.commandsReceived).toEqual(['set_mode_query', 'query_data', 'set_working_period', 'get_working_period', 'firmware_version']);
    expect(driver.counts.replies).toBe(4);
  });
});
