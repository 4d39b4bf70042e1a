// The SPS30 UART driver and simulator talking SHDLC over a real socat pty pair, each end opened with serialport at
// 115200 exactly as /dev/ttyAMA0 would be: commands, replies, the 0xFF wake pulse and stuffed bytes cross a real tty.
import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { openPtyPair, socatAvailable, type PtyPair } from '../../firmware/buses/pty-pair.js';
import { Sps30Uart } from '../../firmware/drivers/sps30/driver-uart.js';
import { ShdlcStateError } from '../../firmware/drivers/sps30/shdlc.js';
import { sps30ValuesFromConditions } from '../../firmware/drivers/sps30/simulator.js';
import { Sps30UartSimulator } from '../../firmware/drivers/sps30/simulator-uart.js';
import { urbanConditions } from '../../firmware/sim/urban-day.js';

const AT = new Date('2024-05-14T17:30:00Z'); // evening rush in the shared urban scenario
const BAUD = 115_200;

async function openPort(path: string): Promise<SerialPort> {
  const port = new SerialPort({ path, baudRate: BAUD, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  // a pty keeps bytes written while the far end was closed (toolchain.md §3)
  await new Promise<void>((resolve, reject) => port.flush((e) => (e ? reject(e) : resolve())));
  return port;
}
const closePort = (port: SerialPort) => new Promise<void>((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve()));

const inCi = process.env.CI === 'true';

describe.skipIf(!socatAvailable() && !inCi)('SPS30 over a socat pty pair (SHDLC, 115200 8N1)', () => {
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
    const sim = new Sps30UartSimulator(devicePort, { intervalMs: 0, clock: () => AT, serial: 'AIRLANE-PTY-0001' });
    const driver = new Sps30Uart(hostPort, { commandTimeoutMs: 5000 });
    cleanups.push(() => driver.close(), () => sim.stop());
    return { sim, driver, expected: sps30ValuesFromConditions(urbanConditions(AT)) };
  }

  it('starts, reads measured values, sleeps and wakes over the tty', async () => {
    const { sim, driver, expected } = await rig();

    expect(await driver.serialNumber()).toBe('AIRLANE-PTY-0001');
    await driver.start();
    expect(sim.mode).toBe('measuring');
    const first = await driver.readMeasurement();
    expect(first).toEqual({ values: expected, deviceError: false });

    // Sleep is for idle mode only: the sensor says so with state 0x43, read back from the pty.
    await expect(driver.sleep()).rejects.toBeInstanceOf(ShdlcStateError);
    await driver.stop();
    await driver.sleep();
    expect(sim.mode).toBe('sleep');

    await driver.wake(); // 0xFF pulse, then the wake-up frame with its stuffed CMD 7d 31
    expect(sim.mode).toBe('idle');
    await driver.start();
    expect((await driver.readMeasurement())?.values).toEqual(expected);
    await driver.stop();

    expect(sim.received).toEqual([
      'device information', 'start measurement', 'read measured values', 'read version', 'sleep', 'stop measurement',
      'sleep', 'wake-up', 'start measurement', 'read measured values', 'stop measurement',
    ]);
    expect(driver.counts.errors).toEqual({ checksum: 0, length: 0, stuffing: 0, truncated: 0 });
  });

  it('round-trips the auto-cleaning interval, whose read command has a stuffed checksum', async () => {
    const { driver } = await rig();
    expect(await driver.autoCleanInterval()).toBe(604_800);
    await driver.setAutoCleanInterval(0x7e7d1113); // every byte of the u32 needs stuffing
    expect(await driver.autoCleanInterval()).toBe(0x7e7d1113);
  });
});
