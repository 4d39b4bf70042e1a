import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { duplexPair } from '../../buses/serial.js';
import { urbanConditions } from '../../sim/urban-day.js';
import { Sps30Uart } from './driver-uart.js';
import { bytesOf, PYPMS_CAPTURE, STACKEXCHANGE_WAKE_0X43 } from './fixtures.js';
import { encodeMiso, hex, scanAll, ShdlcStateError, type ShdlcFrame } from './shdlc.js';
import { sps30ValuesFromConditions, type Sps30ModelOptions } from './simulator.js';
import { Sps30UartSimulator } from './simulator-uart.js';

const AT = new Date('2024-05-14T17:30:00Z'); // evening rush in the urban scenario
const expected = sps30ValuesFromConditions(urbanConditions(AT));
const noWait = async () => undefined;

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function rig(model: Sps30ModelOptions = {}, commandTimeoutMs = 500) {
  const { host, device } = duplexPair();
  const sim = new Sps30UartSimulator(device, { intervalMs: 0, clock: () => AT, ...model });
  const driver = new Sps30Uart(host, { commandTimeoutMs, sleep: noWait });
  const written: string[] = [];
  device.on('data', (b: Buffer) => written.push(hex(b)));
  cleanups.push(() => driver.close(), () => sim.stop());
  return { sim, driver, written };
}

/** A device end that answers every MOSI frame with the given bytes. */
function scriptedDevice(answer: (f: ShdlcFrame) => Buffer | undefined) {
  const { host, device } = duplexPair();
  device.on('data', (b: Buffer) => {
    for (const f of scanAll('mosi', b)) if (!('code' in f)) {
      const out = answer(f);
      if (out) device.write(out);
    }
  });
  const driver = new Sps30Uart(host, { commandTimeoutMs: 200, sleep: noWait });
  cleanups.push(() => driver.close());
  return driver;
}

describe('Sps30Uart ↔ Sps30UartSimulator', () => {
  it('starts, reads the simulator\'s values and stops, with the documented bytes on the wire', async () => {
    const { sim, driver, written } = rig();
    await driver.start();
    expect(sim.mode).toBe('measuring');
    const m = await driver.readMeasurement();
    expect(m).toEqual({ values: expected, deviceError: false });
    await driver.stop();
    expect(sim.mode).toBe('idle');
    expect(written).toEqual(['7e 00 00 02 01 03 f9 7e', '7e 00 03 00 fc 7e', '7e 00 01 00 fe 7e']);
    expect(sim.received).toEqual(['start measurement', 'read measured values', 'stop measurement']);
    expect(driver.counts).toMatchObject({ frames: 3, errors: { checksum: 0, length: 0, stuffing: 0, truncated: 0 } });
  });

  it('returns null when there is no new measurement (empty reply), then the next one', async () => {
    let now = AT.getTime();
    const { driver } = rig({ intervalMs: 1000, clock: () => new Date(now) });
    await driver.start();
    expect(await driver.readMeasurement()).toBeNull();
    now += 1000;
    expect((await driver.readMeasurement())?.values).toEqual(sps30ValuesFromConditions(urbanConditions(new Date(now))));
    expect(await driver.readMeasurement()).toBeNull();
  });

  it('surfaces state 0x43 for commands the current mode does not allow', async () => {
    const { driver } = rig();
    const read = driver.readMeasurement();
    await expect(read).rejects.toThrow(ShdlcStateError);
    await expect(driver.readMeasurement()).rejects.toThrow(
      "SPS30 'read measured values' refused by the sensor: state 0x43 (command not allowed in the current state)",
    );
    await expect(driver.fanClean()).rejects.toMatchObject({ code: 0x43 });
    await driver.start();
    await expect(driver.start()).rejects.toMatchObject({ code: 0x43, command: 0x00 });
    await expect(driver.sleep()).rejects.toMatchObject({ code: 0x43 }); // sleep is for idle mode only
  });

  it('sleeps (UART off) and wakes with the 0xFF pulse first', async () => {
    const { sim, driver, written } = rig({}, 100);
    await driver.sleep();
    expect(sim.mode).toBe('sleep');
    expect(driver.asleep).toBe(true);
    written.length = 0;
    await driver.wake();
    expect(sim.mode).toBe('idle');
    expect(driver.asleep).toBe(false);
    expect(written.join(' ')).toBe('ff 7e 00 7d 31 00 ee 7e');
    await driver.start();
    expect((await driver.readMeasurement())?.values).toEqual(expected);
  });

  it('a sleeping sensor does not answer, and wake-up sent twice (no pulse) also wakes it', async () => {
    const { sim, driver } = rig({}, 50);
    await driver.sleep();
    await expect(driver.start()).rejects.toThrow(/no reply to 'start measurement' within 50 ms/);
    expect(sim.mode).toBe('sleep');
    // The timed-out start opened the 100 ms window (fixed clock: it stays open); a bare wake-up now works.
    await driver.transceive(0x11, bytesOf('7e 00 7d 31 00 ee 7e'));
    expect(sim.mode).toBe('idle');
  });

  it('answers wake-up while awake with 0x43, as the real sensor in the capture did', async () => {
    const { driver } = rig();
    await expect(driver.wake()).rejects.toMatchObject({ code: 0x43, command: 0x11 });
  });

  it('refuses sleep on firmware before 2.0 without sending it', async () => {
    const { sim, driver } = rig({ firmware: { major: 1, minor: 0 } });
    await expect(driver.sleep()).rejects.toThrow('SPS30: sleep needs firmware 2.0 or later; this sensor runs 1.0 — stop the measurement instead');
    expect(sim.received).toEqual(['read version']);
  });

  it('fan cleaning, auto-clean interval, device info, version and reset', async () => {
    const { sim, driver } = rig({ serial: 'F1C0A2B3C4D5E6F7' });
    await driver.start();
    await driver.fanClean();
    expect(sim.model.fanCleanings).toBe(1);
    expect(await driver.autoCleanInterval()).toBe(604_800);
    await driver.setAutoCleanInterval(4 * 86_400);
    expect(await driver.autoCleanInterval()).toBe(345_600);
    expect(await driver.serialNumber()).toBe('F1C0A2B3C4D5E6F7');
    expect(await driver.productType()).toBe('00080000');
    expect(await driver.version()).toEqual({ firmware: { major: 2, minor: 2 }, hardware: 7, shdlc: { major: 2, minor: 0 } });
    await driver.reset();
    expect(sim.mode).toBe('idle');
  });

  it('reports the device-error bit of the state byte without failing the read', async () => {
    const { driver } = rig({ deviceError: true });
    await driver.start();
    expect(await driver.readMeasurement()).toEqual({ values: expected, deviceError: true });
  });
});

describe('Sps30Uart against scripted replies', () => {
  it('decodes a real captured reply', async () => {
    const driver = scriptedDevice(() => bytesOf(PYPMS_CAPTURE[4]!.hex));
    const m = await driver.readMeasurement();
    expect(m?.values.pm25_ugm3).toBeCloseTo(10.5, 1);
    expect(m?.values.nc10_per_cm3).toBeCloseTo(66.75, 2);
  });

  it('takes the real 0x43 wake-up reply, junk byte and all, as a state error', async () => {
    const driver = scriptedDevice(() => bytesOf(STACKEXCHANGE_WAKE_0X43.hex));
    await expect(driver.wake()).rejects.toThrow("SPS30 'wake-up' refused by the sensor: state 0x43 (command not allowed in the current state)");
  });

  it('fails the waiting command with the reason when its reply is refused', async () => {
    const corrupt = bytesOf(PYPMS_CAPTURE[0]!.hex);
    corrupt[7] = 0x00;
    const driver = scriptedDevice(() => corrupt);
    const errors: string[] = [];
    driver.on('frame_error', (e) => errors.push(e.code));
    await expect(driver.readMeasurement()).rejects.toThrow(/^SPS30: reply to 'read measured values' refused: CHK 0x9e != 0x/);
    expect(errors).toEqual(['checksum']);
  });

  it('ignores a reply to another command and times out with a plain message', async () => {
    const driver = scriptedDevice(() => encodeMiso(0, 0x01, 0));
    await expect(driver.start()).rejects.toThrow(
      "SPS30: no reply to 'start measurement' within 200 ms — check that TX and RX are crossed, the port runs 115200 8N1, " +
        'SEL is left floating (UART mode), and that the sensor is not asleep',
    );
  });

  it('refuses a read reply in the u16 format', async () => {
    const driver = scriptedDevice((f) => encodeMiso(0, f.command, 0, new Uint8Array(20)));
    await expect(driver.readMeasurement()).rejects.toThrow(/returned 20 bytes, expected 40 \(float format\)/);
  });

  it('runs commands one at a time, each with its own reply', async () => {
    const seen: number[] = [];
    const driver = scriptedDevice((f) => {
      seen.push(f.command);
      return f.command === 0xd1 ? encodeMiso(0, 0xd1, 0, Uint8Array.of(2, 3, 0, 7, 0, 2, 0)) : encodeMiso(0, f.command, 0);
    });
    const [a, b, c] = await Promise.all([driver.start(), driver.version(), driver.stop()]);
    expect([a, b.firmware, c]).toEqual([undefined, { major: 2, minor: 3 }, undefined]);
    expect(seen).toEqual([0x00, 0xd1, 0x01]);
  });

  it('rejects after close', async () => {
    const driver = scriptedDevice(() => undefined);
    driver.close();
    await expect(driver.start()).rejects.toThrow('SPS30 driver is closed');
  });
});

describe('Sps30UartSimulator', () => {
  const send = (port: Duplex, hexText: string) => port.write(bytesOf(hexText));
  const replies = (host: Duplex) => {
    const out: string[] = [];
    host.on('data', (b: Buffer) => out.push(hex(b)));
    return out;
  };
  const settle = () => new Promise<void>((r) => setImmediate(r));

  it('answers unknown commands with 0x02, wrong lengths with 0x01, bad parameters with 0x04', async () => {
    const { host, device } = duplexPair();
    const sim = new Sps30UartSimulator(device, { clock: () => AT });
    cleanups.push(() => sim.stop());
    const got = replies(host);
    send(host, '7e 00 42 00 bd 7e'); // unknown 0x42
    send(host, '7e 00 01 01 00 fd 7e'); // stop with a data byte
    send(host, '7e 00 00 02 02 03 f8 7e'); // start, subcommand 02
    send(host, '7e 00 00 02 01 03 f9 7e'); // start float: ok
    const states = () => scanAll('miso', bytesOf(got.join(' '))).map((f) => (f as ShdlcFrame).state);
    await vi.waitFor(() => expect(states()).toHaveLength(4));
    expect(states()).toEqual([0x02, 0x01, 0x04, 0x00]);
  });

  it('answers only the addressed slave', async () => {
    const { host, device } = duplexPair();
    const sim = new Sps30UartSimulator(device, { clock: () => AT });
    cleanups.push(() => sim.stop());
    const got = replies(host);
    send(host, '7e 01 01 00 fd 7e');
    await settle();
    expect(got).toEqual([]);
  });
});
