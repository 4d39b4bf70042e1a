// `airlane probe` against three simulated devices on socat pty pairs: the probe opens the host ends through the
// real serialport stack, exactly as it would open /dev/ttyUSB0, and must name each device with its detail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SerialPort } from 'serialport';
import { closeSerialPort, openSerialPort } from '../../firmware/buses/serial.js';
import { openPtyPair, type PtyPair } from '../../firmware/buses/pty-pair.js';
import { Pms5003Simulator } from '../../firmware/drivers/pms5003/index.js';
import { Sds011Simulator } from '../../firmware/drivers/sds011/index.js';
import { FirmataBoardSimulator } from '../../firmware/sim/firmata-board.js';
import { runProbe, type ProbeReport } from '../../gateway/cli/probe.js';

describe('airlane probe over socat ptys', () => {
  const pairs: PtyPair[] = [];
  const devices: SerialPort[] = [];
  const stops: Array<() => void> = [];

  beforeAll(async () => {
    for (const baud of [9600, 9600, 57600]) {
      const pair = await openPtyPair();
      pairs.push(pair);
      devices.push(await openSerialPort(pair.devicePath, baud));
    }
    const [pmsEnd, sdsEnd, firmataEnd] = devices as [SerialPort, SerialPort, SerialPort];
    const pms = new Pms5003Simulator(pmsEnd);
    const sds = new Sds011Simulator(sdsEnd, { deviceId: 0xa160, firmware: { year: 2018, month: 11, day: 16 } });
    const board = new FirmataBoardSimulator(firmataEnd, { firmwareName: 'StandardFirmata.ino', firmwareVersion: [2, 5] });
    pms.start();
    sds.start();
    board.start();
    stops.push(() => pms.stop(), () => sds.stop(), () => board.stop());
  });

  afterAll(async () => {
    for (const s of stops) s();
    for (const d of devices) await closeSerialPort(d);
    for (const p of pairs) await p.close();
  });

  it('identifies a PMS5003, an SDS011 and a Firmata board with their details', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const ports = pairs.map((p) => p.hostPath);
    const code = await runProbe({ json: true, ports }, { out: (l) => out.push(l), err: (l) => err.push(l) }, {
      // No real I2C bus here; the serial side is what this test is about.
      probeI2c: async (bus) => ({ bus, found: [] }),
    });
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out).toHaveLength(1);
    const report = JSON.parse(out[0] as string) as ProbeReport;
    const byPath = new Map(report.serial.map((s) => [s.path, s]));

    const pms = byPath.get(ports[0] as string);
    expect(pms?.found).toBe('pms5003');
    expect(pms?.baud).toBe(9600);
    expect(pms?.detail.frame_bytes).toBe(32);
    expect(pms?.evidence?.startsWith('42 4d 00 1c')).toBe(true);

    const sds = byPath.get(ports[1] as string);
    expect(sds?.found).toBe('sds011');
    expect(sds?.baud).toBe(9600);
    expect(sds?.detail).toEqual({ device_id: 'A160', firmware: '2018-11-16' });

    const firmata = byPath.get(ports[2] as string);
    expect(firmata?.found).toBe('firmata');
    expect(firmata?.baud).toBe(57600);
    expect(firmata?.detail).toEqual({ firmware: 'StandardFirmata.ino', version: '2.5', protocol: '2.5' });
    expect(report.i2c).toEqual([]);
  }, 60_000);
});
