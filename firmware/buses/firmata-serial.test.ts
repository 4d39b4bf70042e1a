// firmataSerialPort end to end in-process: the PMS5003 driver → firmata.js (openFirmataBoard) → duplexPair → the
// simulated Arduino → its software serial port → a PMS5003 simulator. The pty version is
// test/integration/firmata-satellite.test.ts.
import { once } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Pms5003, type PmsDriverReading } from '../drivers/pms5003/driver.js';
import { bytesOf, FIXTURES } from '../drivers/pms5003/fixtures.js';
import { Pms5003Simulator } from '../drivers/pms5003/simulator.js';
import type { Values } from '../drivers/types.js';
import { FirmataBoardSimulator, type FirmataBoardSimOptions } from '../sim/firmata-board.js';
import { openFirmataBoard } from './firmata.js';
import { firmataSerialPort } from './firmata-serial.js';
import { duplexPair } from './serial.js';

const open: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of open.splice(0).reverse()) await close();
});

async function satellite(options: FirmataBoardSimOptions = {}) {
  const { host, device } = duplexPair();
  const sim = new FirmataBoardSimulator(device, { announce: false, firmwareName: 'ConfigurableFirmata', ...options }).start();
  open.push(() => sim.stop());
  const fb = await openFirmataBoard({ port: host }, { timeoutMs: 5_000, reportVersionTimeoutMs: 10 });
  open.push(() => fb.close());
  const sent: number[] = [];
  device.on('data', (chunk: Buffer) => sent.push(...chunk));
  return { sim, fb, sent };
}

/** A PMS5003 wired to software serial 0x08 on pins 10 (its TX) and 11 (its RX). */
function pmsOnPort8(sim: FirmataBoardSimulator, values?: () => Values) {
  const cable = duplexPair();
  sim.attachSerial(0x08, cable.host, { rxPin: 10, txPin: 11 });
  // Frames only when the test asks (sendFrame), never on the simulator's own clock.
  const pms = new Pms5003Simulator(cable.device, { intervalMs: 3_600_000, ...(values ? { values } : {}) });
  pms.start();
  open.push(() => pms.stop());
  return { pms, cable };
}

const nextReading = (driver: Pms5003) => once(driver, 'reading').then(([r]) => r as PmsDriverReading);
/** Bytes the sensor sends before SERIAL_CONFIG and SERIAL_READ have reached the board are lost, as on hardware. */
const reading = (sim: FirmataBoardSimulator, portId: number) =>
  vi.waitFor(() => expect(sim.serialPort(portId)?.reading).toBe(true), { timeout: 5_000, interval: 5 });

describe('firmataSerialPort', () => {
  it('carries the PMS5003 driver unchanged: readings are the simulator\'s values', async () => {
    const { sim, fb } = await satellite();
    const values: Values = {
      pm1_cf1_ugm3: 12, pm25_cf1_ugm3: 19, pm10_cf1_ugm3: 24, pm1_ugm3: 12, pm25_ugm3: 19, pm10_ugm3: 24,
      n0_3_per_dl: 2190, n0_5_per_dl: 657, n1_0_per_dl: 151, n2_5_per_dl: 10, n5_0_per_dl: 3, n10_per_dl: 1,
    };
    const { pms } = pmsOnPort8(sim, () => values);
    const port = firmataSerialPort(fb.io, { portId: 0x08, baud: 9600, rxPin: 10, txPin: 11 });
    open.push(() => port.close());
    const driver = new Pms5003(port, { awakeSince: null });
    open.push(() => driver.close());
    await reading(sim, 0x08);

    for (let i = 0; i < 3; i++) {
      const next = nextReading(driver);
      pms.sendFrame();
      expect((await next).values).toEqual(values);
    }
    expect(driver.counts).toMatchObject({ frames: 3 });
  });

  it('delivers a real captured frame byte for byte (PyPMS capture, drivers/pms5003/fixtures.ts)', async () => {
    const { sim, fb } = await satellite();
    const { cable } = pmsOnPort8(sim);
    const port = firmataSerialPort(fb.io, { portId: 0x08, baud: 9600, rxPin: 10, txPin: 11 });
    open.push(() => port.close());
    const driver = new Pms5003(port, { awakeSince: null });
    open.push(() => driver.close());
    await reading(sim, 0x08);
    const fixture = FIXTURES.find((f) => f.name === 'pypms-pmsx003-0')!;
    const next = nextReading(driver);
    // Split mid-frame, as SoftwareSerial bytes reach the loop a few at a time.
    const frame = bytesOf(fixture.hex);
    cable.device.write(frame.subarray(0, 13));
    cable.device.write(frame.subarray(13));
    expect(fixture.expected.kind).toBe('reading');
    expect((await next).values).toEqual((fixture.expected as { values: Values }).values);
  });

  it('carries the driver\'s commands to the sensor and its ACKs back (passive mode, then a read)', async () => {
    const { sim, fb } = await satellite();
    const { pms } = pmsOnPort8(sim);
    const port = firmataSerialPort(fb.io, { portId: 0x08, baud: 9600, rxPin: 10, txPin: 11 });
    open.push(() => port.close());
    const driver = new Pms5003(port, { awakeSince: null, commandTimeoutMs: 5_000 });
    open.push(() => driver.close());
    await driver.setMode('passive');
    const reading = await driver.requestRead();
    expect(pms.commandsReceived).toEqual(['passive', 'read']);
    expect(pms.mode).toBe('passive');
    expect(Object.keys(reading.values)).toContain('pm25_ugm3');
  });

  it('sends the messages of serial-1.0.md, splitting long writes to fit the board\'s 64-byte sysex buffer', async () => {
    const { sim, fb, sent } = await satellite();
    const cable = duplexPair();
    sim.attachSerial(0x0b, cable.host);
    const received: number[] = [];
    cable.device.on('data', (c: Buffer) => received.push(...c));
    const port = firmataSerialPort(fb.io, { portId: 0x0b, baud: 115_200, rxPin: 4, txPin: 5 });
    const data = Buffer.from(Array.from({ length: 40 }, (_, i) => 0xc0 + i));
    await new Promise<void>((resolve, reject) => port.write(data, (e) => (e ? reject(e) : resolve())));
    await port.close();
    await new Promise((r) => setImmediate(r));
    const pairs = (bytes: Buffer) => [...bytes].flatMap((b) => [b & 0x7f, b >> 7]);
    expect(sent).toEqual([
      // Config: 115200 = 0x1C200 → 0x00, 0x04, 0x07; then RX pin 4, TX pin 5.
      ...[0xf0, 0x60, 0x1b, 0x00, 0x04, 0x07, 0x04, 0x05, 0xf7],
      ...[0xf0, 0x60, 0x3b, 0x00, 0xf7],
      ...[0xf0, 0x60, 0x2b, ...pairs(data.subarray(0, 31)), 0xf7],
      ...[0xf0, 0x60, 0x2b, ...pairs(data.subarray(31)), 0xf7],
      ...[0xf0, 0x60, 0x3b, 0x01, 0xf7],
      ...[0xf0, 0x60, 0x5b, 0xf7],
    ]);
    expect(received).toEqual([...data]);
    expect(sim.serialPort(0x0b)).toMatchObject({ baud: 115_200, rxPin: 4, txPin: 5, listening: false, reading: false });
  });

  it('refuses what the board cannot do, saying what to change', async () => {
    const { fb } = await satellite();
    const at = (portId: number, rxPin?: number, txPin?: number) => () =>
      firmataSerialPort(fb.io, { portId, baud: 9600, ...(rxPin === undefined ? {} : { rxPin }), ...(txPin === undefined ? {} : { txPin }) });
    expect(at(0x00)).toThrow(/HW_SERIAL0 is the board's own link to the Pi and ConfigurableFirmata refuses it/);
    expect(at(0x10, 10, 11)).toThrow(/serial port id must be 0x08-0x0B \(software\) or 0x01-0x03 \(Mega hardware\); got 16/);
    expect(at(0x08)).toThrow(/a software serial port needs rx_pin and tx_pin/);
    expect(at(0x08, 1, 11)).toThrow('the Firmata board software serial 0x08 (RX pin 1, TX pin 11): rx_pin 1 is not a free digital pin on this board (pins 0 and 1 are its USB link)');
    expect(at(0x08, 10, 10)).toThrow(/rx_pin and tx_pin are both 10/);

    const first = firmataSerialPort(fb.io, { portId: 0x08, baud: 9600, rxPin: 10, txPin: 11 });
    expect(at(0x09, 4, 5)).toThrow(/software serial 0x08 already receives on this board, and SoftwareSerial receives on one port at a time/);
    await first.close();
    const second = at(0x09, 4, 5)();
    await second.close();
  });

  it('refuses plain StandardFirmata, which has no serial support', async () => {
    const { fb } = await satellite({ firmwareName: 'StandardFirmata.ino' });
    expect(() => firmataSerialPort(fb.io, { portId: 0x08, baud: 9600, rxPin: 10, txPin: 11 })).toThrow(
      'the Firmata board software serial 0x08 (RX pin 10, TX pin 11): the board runs StandardFirmata.ino, which has no ' +
        'serial support; flash ConfigurableFirmata with ENABLE_SERIAL (or StandardFirmataPlus) to use a UART part on it',
    );
  });

  it('fails the stream when the Firmata link closes', async () => {
    const { fb } = await satellite();
    const port = firmataSerialPort(fb.io, { portId: 0x08, baud: 9600, rxPin: 10, txPin: 11, where: 'nano-1 PMS' });
    const failed = once(port, 'error');
    fb.io.emit('close');
    const [error] = await failed;
    expect((error as Error).message).toBe('nano-1 PMS: the Firmata link to the board closed');
  });
});
