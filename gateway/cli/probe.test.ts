import { describe, expect, it } from 'vitest';
import { runProbe, type ProbeDeps, type ProbeReport } from './probe.js';
import type { SerialProbeResult } from '../../firmware/installer/probe/identify-serial.js';
import { FakeI2cBus } from '../../firmware/buses/i2c.js';
import { Bme280Simulator } from '../../firmware/drivers/bme280/simulator.js';
import { Sht3xSimulator } from '../../firmware/drivers/sht3x/simulator.js';
import { scanI2cBus } from '../../firmware/installer/probe/scan-i2c.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

const deps: ProbeDeps = {
  listPorts: async () => [{ path: '/dev/ttyUSB0', by_id: '/dev/serial/by-id/usb-1a86_USB_Serial-if00-port0' }, { path: '/dev/ttyAMA0' }],
  identify: async (p): Promise<SerialProbeResult> =>
    p.path === '/dev/ttyUSB0'
      ? { path: p.path, by_id: p.by_id!, found: 'sds011', detail: { device_id: 'A160', firmware: '2018-11-16' }, baud: 9600, evidence: 'aa c0' }
      : { path: p.path, found: null, detail: {} },
  probeI2c: async (bus) => {
    if (bus === 3) return { bus, found: [], error: 'I2C bus 3 not enabled: raspi-config → Interface → I2C' };
    const fake = new FakeI2cBus().attach(0x44, new Sht3xSimulator()).attach(0x76, new Bme280Simulator());
    return { bus, found: await scanI2cBus(fake, bus, async () => undefined) };
  },
};

describe('runProbe', () => {
  it('prints one JSON object {serial, i2c} with --json', async () => {
    const c = capture();
    expect(await runProbe({ json: true, i2cBuses: ['1', 3] }, c.io, deps)).toBe(0);
    expect(c.err).toEqual([]);
    const report = JSON.parse(c.out.join('')) as ProbeReport;
    expect(report.serial.map((s) => [s.path, s.found])).toEqual([
      ['/dev/ttyUSB0', 'sds011'],
      ['/dev/ttyAMA0', null],
    ]);
    expect(report.i2c).toEqual([
      { bus: 1, address: '0x44', candidates: ['SHT3x'], confirmed: true, detail: { status: '0x0010' } },
      { bus: 1, address: '0x76', candidates: ['BME280'], confirmed: true, detail: { chip_id: '0x60' } },
      { bus: 3, error: 'I2C bus 3 not enabled: raspi-config → Interface → I2C' },
    ]);
  });

  it('prints two tables for people', async () => {
    const c = capture();
    expect(await runProbe({ i2cBuses: [1] }, c.io, deps)).toBe(0);
    expect(c.out).toEqual([
      'PORT'.padEnd(63) + '  ' + 'FOUND'.padEnd(13) + '  DETAIL',
      '/dev/ttyUSB0 (/dev/serial/by-id/usb-1a86_USB_Serial-if00-port0)  sds011 @ 9600  device_id=A160 firmware=2018-11-16',
      '/dev/ttyAMA0'.padEnd(63) + '  ' + '-'.padEnd(13) + '  nothing answered (PMS5003, SDS011, SPS30, Firmata tried)',
      '',
      'I2C BUS  ADDRESS  CANDIDATES',
      '1        0x44     SHT3x status=0x0010',
      '1        0x76     BME280 chip_id=0x60',
    ]);
  });

  it('exits 0 and says so when nothing is attached', async () => {
    const c = capture();
    const empty: ProbeDeps = { listPorts: async () => [], probeI2c: async (bus) => ({ bus, found: [] }) };
    expect(await runProbe({}, c.io, empty)).toBe(0);
    expect(c.out).toContain('(no serial ports found: nothing on /dev/ttyUSB*, ttyACM*, ttyAMA*, serial0)');
    expect(c.out).toContain('(no device answered at the known I2C addresses)');
  });

  it('probes only the ports given with --port', async () => {
    const c = capture();
    const seen: string[] = [];
    await runProbe({ json: true, ports: ['/tmp/x'] }, c.io, { ...deps, identify: async (p) => (seen.push(p.path), { path: p.path, found: null, detail: {} }) });
    expect(seen).toEqual(['/tmp/x']);
  });

  it('refuses a bus number that is not one (exit 2, one line)', async () => {
    const c = capture();
    expect(await runProbe({ i2cBuses: ['one'] }, c.io, deps)).toBe(2);
    expect(c.err).toEqual(['airlane probe: --i2c-bus "one" is not a bus number; give a whole number such as 1 (/dev/i2c-1)']);
  });

  it('exits 1 with one line when probing itself breaks', async () => {
    const c = capture();
    expect(await runProbe({}, c.io, { ...deps, listPorts: async () => Promise.reject(new Error('EACCES /dev')) })).toBe(1);
    expect(c.err).toEqual(['airlane probe: probing failed: EACCES /dev']);
    expect(c.out).toEqual([]);
  });
});
