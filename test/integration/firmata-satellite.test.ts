// A satellite Arduino end to end over a real tty: the simulated ConfigurableFirmata board on the device end of a
// socat pty pair carries a PMS5003 on software serial 0x08 (pins 10/11), a BME280 on I2C (0x76) and a loop detector
// on pin 2. The host end runs what a station runs: openFirmataBoard (johnny-five + firmata.js), firmataSerialPort
// under the PMS5003 driver, firmataI2cBus under the BME280 driver and the VehicleCounter on the board, all at once
// over the one link.
import { once } from 'node:events';
import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import type { TrafficCount } from '../../firmware/contract.js';
import { openFirmataBoard, FIRMATA_BAUD, type FirmataBoard } from '../../firmware/buses/firmata.js';
import { firmataI2cBus } from '../../firmware/buses/firmata-i2c.js';
import { firmataSerialPort } from '../../firmware/buses/firmata-serial.js';
import { openPtyPair, socatAvailable, type PtyPair } from '../../firmware/buses/pty-pair.js';
import { duplexPair } from '../../firmware/buses/serial.js';
import { Bme280 } from '../../firmware/drivers/bme280/bme280.js';
import { bme280Definition } from '../../firmware/drivers/bme280/definition.js';
import { Bme280Simulator } from '../../firmware/drivers/bme280/simulator.js';
import { Pms5003, type PmsDriverReading } from '../../firmware/drivers/pms5003/driver.js';
import { Pms5003Simulator } from '../../firmware/drivers/pms5003/simulator.js';
import type { Values } from '../../firmware/drivers/types.js';
import { VehicleCounter } from '../../firmware/drivers/vehicle-counter/counter.js';
import { parseVehicleCounterOptions } from '../../firmware/drivers/vehicle-counter/options.js';
import { FirmataBoardSimulator } from '../../firmware/sim/firmata-board.js';

const inCi = process.env.CI === 'true';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

async function waitFor(what: string, ok: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

async function openDevicePort(path: string): Promise<SerialPort> {
  const port = new SerialPort({ path, baudRate: FIRMATA_BAUD, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  // toolchain.md §3: drop whatever an earlier run left in the pty
  await new Promise<void>((resolve, reject) => port.flush((e) => (e ? reject(e) : resolve())));
  return port;
}

const PM: Values = {
  pm1_cf1_ugm3: 9, pm25_cf1_ugm3: 14, pm10_cf1_ugm3: 21, pm1_ugm3: 9, pm25_ugm3: 14, pm10_ugm3: 21,
  n0_3_per_dl: 1650, n0_5_per_dl: 495, n1_0_per_dl: 114, n2_5_per_dl: 14, n5_0_per_dl: 4, n10_per_dl: 1,
};
const AIR = { temperature_c: 17.3, humidity_pct: 63.5, pressure_hpa: 1008.4 };
const precisionOf = (q: string) => 10 ** -bme280Definition.quantities.find((s) => s.name === q)!.precision;

describe.skipIf(!socatAvailable() && !inCi)('satellite Arduino (PMS5003 on software serial, BME280 on I2C, loop) over a socat pty', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('delivers PM readings, BME280 values and exact vehicle counts over one Firmata link', async () => {
    // ---- the satellite: a virtual Arduino on the device end of the pty, its parts wired to it ----
    const pair: PtyPair = await openPtyPair();
    cleanups.push(() => pair.close());
    const devicePort = await openDevicePort(pair.devicePath);
    cleanups.push(() => new Promise<void>((r) => (devicePort.isOpen ? devicePort.close(() => r()) : r())));
    const sim = new FirmataBoardSimulator(devicePort, { firmwareName: 'ConfigurableFirmata' }).start();
    cleanups.push(() => sim.stop());

    const cable = duplexPair();
    sim.attachSerial(0x08, cable.host, { rxPin: 10, txPin: 11 });
    // Active mode, a frame every 300 ms: faster than the datasheet's 2.3 s so the test is short.
    const pms = new Pms5003Simulator(cable.device, { intervalMs: 300, values: () => PM });
    pms.start();
    cleanups.push(() => pms.stop());
    const bmeChip = new Bme280Simulator({ target: AIR });
    sim.attachI2c(0x76, bmeChip);

    // ---- the station side ----
    const fb: FirmataBoard = await openFirmataBoard({ path: pair.hostPath }, { timeoutMs: 10_000, reportVersionTimeoutMs: 200 });
    cleanups.push(() => fb.close());
    expect(fb.io.firmware.name).toBe('ConfigurableFirmata');

    const serial = firmataSerialPort(fb.io, { portId: 0x08, baud: 9600, rxPin: 10, txPin: 11 });
    expect(serial.where).toBe(`${pair.hostPath} software serial 0x08 (RX pin 10, TX pin 11)`);
    cleanups.push(() => serial.close());
    const pmsDriver = new Pms5003(serial, { awakeSince: null });
    cleanups.push(() => pmsDriver.close());
    const pmReadings: PmsDriverReading[] = [];
    const pmErrors: string[] = [];
    pmsDriver.on('reading', (r) => pmReadings.push(r));
    pmsDriver.on('frame_error', (e) => pmErrors.push(e.reason));

    const bme = new Bme280(firmataI2cBus(fb.io, { where: pair.hostPath }));

    const intervalMs = 4_000;
    const options = parseVehicleCounterOptions({
      site: 'itest',
      interval_s: intervalMs / 1000,
      heavy_min_pulse_ms: 400,
      debounce_ms: 20,
      detectors: [{ detector: 'loop-s', lane: '1', direction: 'southbound', pin: 2 }],
    });
    const counts: TrafficCount[] = [];
    const errors: Error[] = [];
    const counter = new VehicleCounter(fb.board, options, { onError: (e) => errors.push(e) });
    counter.start((c) => counts.push(c));
    cleanups.push(() => counter.stop()); // cleanups run in reverse: counting stops before the ports close

    await waitFor('pin 2 in PULLUP mode', () => sim.pinMode(2) === 0x0b);
    await waitFor('software serial 0x08 reading', () => sim.serialPort(0x08)?.reading === true);

    // ---- traffic, PM frames and BME280 reads interleaved on the link ----
    const start = (Math.floor((Date.now() + 50) / intervalMs) + 1) * intervalMs;
    await sleep(start + 100 - Date.now());
    const pulses = (async () => {
      // Cars 100 ms, heavy vehicles 800 ms (threshold 400 ms): done about 2.6 s into the 4 s interval.
      for (const ms of [100, 800, 100, 100, 800]) {
        await sim.pulse(2, ms);
        await sleep(120);
      }
    })();
    const airValues: Values[] = [];
    const reads = (async () => {
      for (let i = 0; i < 3; i++) airValues.push(await bme.read());
    })();
    await Promise.all([pulses, reads]);
    const startIso = new Date(start).toISOString();
    await waitFor('the count of the pulsed interval', () => counts.some((c) => c.time === startIso));
    await waitFor('three PM readings', () => pmReadings.length >= 3);

    const pulsed = counts.find((c) => c.time === startIso)!;
    expect({ vehicles: pulsed.values.vehicles, heavy: pulsed.values.heavy_vehicles, detector: pulsed.detector, interval_s: pulsed.interval_s }).toEqual({
      vehicles: 5,
      heavy: 2,
      detector: 'loop-s',
      interval_s: 4,
    });
    for (const c of counts.filter((c) => c.time < startIso)) expect(c.values.vehicles).toBe(0);
    expect(errors).toEqual([]);

    for (const r of pmReadings) expect(r.values).toEqual(PM);
    expect(pmErrors).toEqual([]);

    expect(airValues).toHaveLength(3);
    for (const v of airValues) {
      for (const q of ['temperature_c', 'humidity_pct', 'pressure_hpa'] as const) {
        expect(Math.abs(v[q]! - AIR[q])).toBeLessThanOrEqual(precisionOf(q));
      }
    }
    expect(bmeChip.measurements).toBe(3);

    // The driver's commands travel the other way through the same port: sleep is ACKed by the sensor.
    await pmsDriver.sleep();
    expect(pms.asleep).toBe(true);
    const framesAtSleep = pms.framesSent;
    await pmsDriver.wake();
    await once(pmsDriver, 'reading');
    expect(pms.framesSent).toBeGreaterThan(framesAtSleep);
  });
});
