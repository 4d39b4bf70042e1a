// The vehicle counter end to end over a real tty: the simulated StandardFirmata board on the device end of a socat
// pty pair, johnny-five + firmata.js on the host end (openFirmataBoard), detector pulses on pins 2 and 3.
import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import type { TrafficCount } from '../../gateway/core/reading.js';
import { openFirmataBoard, FIRMATA_BAUD, type FirmataBoard } from '../../firmware/buses/firmata.js';
import { openPtyPair, socatAvailable, type PtyPair } from '../../firmware/buses/pty-pair.js';
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

describe.skipIf(!socatAvailable() && !inCi)('vehicle counter on a simulated Arduino over a socat pty', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('counts known pulses on pins 2 and 3 into interval-start-stamped counts', async () => {
    const pair: PtyPair = await openPtyPair();
    cleanups.push(() => pair.close());
    const devicePort = await openDevicePort(pair.devicePath);
    cleanups.push(() => new Promise<void>((r) => (devicePort.isOpen ? devicePort.close(() => r()) : r())));
    // It announces itself into a pty nobody reads yet; the host flushes that and asks (reportVersionTimeout).
    const sim = new FirmataBoardSimulator(devicePort).start();
    cleanups.push(() => sim.stop());

    const fb: FirmataBoard = await openFirmataBoard({ path: pair.hostPath }, { timeoutMs: 10_000, reportVersionTimeoutMs: 200 });
    cleanups.push(() => fb.close());
    expect(fb.io.firmware.name).toBe('StandardFirmata.ino');

    const intervalMs = 4_000;
    const options = parseVehicleCounterOptions({
      site: 'itest',
      interval_s: intervalMs / 1000,
      heavy_min_pulse_ms: 400,
      debounce_ms: 20,
      detectors: [
        { detector: 'loop-n', lane: '1', direction: 'northbound', pin: 2 },
        { detector: 'loop-n', lane: '2', direction: 'northbound', pin: 3 },
      ],
    });
    const counts: TrafficCount[] = [];
    const errors: Error[] = [];
    const counter = new VehicleCounter(fb.board, options, { onError: (e) => errors.push(e) });
    counter.start((c) => counts.push(c));
    cleanups.push(() => counter.stop()); // cleanups run in reverse: counting stops before the ports close

    // The host's pin modes have crossed the tty: the loops idle HIGH on their pull-ups, a vehicle pulls LOW.
    await waitFor('pins 2 and 3 in PULLUP mode', () => sim.pinMode(2) === 0x0b && sim.pinMode(3) === 0x0b);

    // The next boundary at least 50 ms away is the start of a full interval for the counter too.
    const start = (Math.floor((Date.now() + 50) / intervalMs) + 1) * intervalMs;
    await sleep(start + 100 - Date.now());
    const lane = async (pin: number, pulsesMs: number[]) => {
      for (const ms of pulsesMs) {
        await sim.pulse(pin, ms);
        await sleep(150);
      }
    };
    // Cars 100 ms, heavy vehicles 800 ms (threshold 400 ms); both lanes done ~2.3 s into the 4 s interval.
    await Promise.all([lane(2, [100, 100, 100, 800]), lane(3, [100, 800, 800])]);
    const startIso = new Date(start).toISOString();
    await waitFor('the counts of the pulsed interval', () => counts.filter((c) => c.time === startIso).length === 2);

    const pulsed = counts.filter((c) => c.time === startIso);
    expect(pulsed.map(({ values, ...rest }) => ({ ...rest, vehicles: values.vehicles, heavy: values.heavy_vehicles }))).toEqual([
      { v: 1, site: 'itest', detector: 'loop-n', lane: '1', direction: 'northbound', time: startIso, interval_s: 4, vehicles: 4, heavy: 1 },
      { v: 1, site: 'itest', detector: 'loop-n', lane: '2', direction: 'northbound', time: startIso, interval_s: 4, vehicles: 3, heavy: 2 },
    ]);
    // Occupancy from host arrival times of the edges: (3 × 100 + 800) / 4000 and (100 + 2 × 800) / 4000, within
    // a tolerance for tty and event-loop jitter.
    expect(Math.abs(pulsed[0]!.values.occupancy_pct! - 27.5)).toBeLessThan(5);
    expect(Math.abs(pulsed[1]!.values.occupancy_pct! - 42.5)).toBeLessThan(5);
    // Earlier full intervals (if any) saw no vehicle; the partial one at start was never emitted.
    for (const c of counts.filter((c) => c.time < startIso)) expect(c.values.vehicles).toBe(0);
    expect(counts.every((c) => Date.parse(c.time) % intervalMs === 0)).toBe(true);
    expect(errors).toEqual([]);
  });
});
