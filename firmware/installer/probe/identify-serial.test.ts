// identifySerialPort against device simulators on an in-process line (duplexPair): the same bytes a real sensor
// would send, with every wait scaled down. The socat/serialport path is covered by test/integration/probe-pty.test.ts.
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { duplexPair } from '../../buses/serial.js';
import { Pms5003Simulator } from '../../drivers/pms5003/index.js';
import { Sds011Simulator } from '../../drivers/sds011/index.js';
import { Sps30UartSimulator } from '../../drivers/sps30/index.js';
import { FirmataBoardSimulator } from '../../sim/firmata-board.js';
import { identifySerialPort, type ProbeLink } from './identify-serial.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A line whose device end runs `attach`; records every baud rate the probe switched to. */
function line(attach: (device: Duplex) => void) {
  const { host, device } = duplexPair();
  attach(device);
  const bauds: number[] = [];
  const link: ProbeLink = {
    on: (e, l) => host.on(e, l),
    off: (e, l) => host.off(e, l),
    write: (c) => host.write(c),
    async setBaud(b) {
      bauds.push(b);
    },
    async close() {
      for (const end of [host, device]) {
        end.on('error', () => undefined);
        end.destroy();
      }
    },
  };
  return { open: async (_path: string, baud: number) => (bauds.push(baud), link), bauds };
}

const FAST = 0.05;

describe('identifySerialPort', () => {
  it('recognises a PMS5003 in active mode from its own frames', async () => {
    const l = line((d) => {
      const s = new Pms5003Simulator(d, { intervalMs: 10 });
      s.start();
      cleanups.push(() => s.stop());
    });
    const r = await identifySerialPort('/dev/ttyAMA0', { open: l.open, timeScale: FAST });
    expect(r.found).toBe('pms5003');
    expect(r.baud).toBe(9600);
    expect(r.detail.frame_bytes).toBe(32);
    expect(r.evidence?.slice(0, 11)).toBe('42 4d 00 1c');
  });

  it('wakes a passive-mode PMS5003 with the read command', async () => {
    let sim: Pms5003Simulator | undefined;
    const l = line((d) => {
      sim = new Pms5003Simulator(d, { intervalMs: 10 });
      sim.mode = 'passive';
      sim.start();
      cleanups.push(() => sim?.stop());
    });
    const r = await identifySerialPort('/dev/ttyAMA0', { open: l.open, timeScale: FAST });
    expect(r.found).toBe('pms5003');
    expect(sim?.commandsReceived).toContain('read');
  });

  it('asks a query-mode SDS011 for data and firmware and reports its id and firmware date', async () => {
    const l = line((d) => {
      const s = new Sds011Simulator(d, { intervalMs: 10, deviceId: 0xa160, firmware: { year: 2018, month: 11, day: 16 } });
      s.mode = 'query';
      s.start();
      cleanups.push(() => s.stop());
    });
    const r = await identifySerialPort('/dev/ttyUSB0', { open: l.open, timeScale: FAST }, '/dev/serial/by-id/usb-1a86_USB_Serial-if00-port0');
    expect(r).toMatchObject({
      path: '/dev/ttyUSB0',
      by_id: '/dev/serial/by-id/usb-1a86_USB_Serial-if00-port0',
      found: 'sds011',
      baud: 9600,
      detail: { device_id: 'A160', firmware: '2018-11-16' },
    });
  });

  it('finds an SPS30 by its product type at 115200 baud', async () => {
    const l = line((d) => {
      const s = new Sps30UartSimulator(d);
      cleanups.push(() => s.stop());
    });
    const r = await identifySerialPort('/dev/ttyUSB1', { open: l.open, timeScale: FAST });
    expect(r).toMatchObject({ found: 'sps30', baud: 115200, detail: { product_type: '00080000' } });
    expect(l.bauds).toEqual([9600, 115200]);
  });

  it('reads a Firmata board’s firmware name and version at 57600 baud', async () => {
    const l = line((d) => {
      const b = new FirmataBoardSimulator(d, { firmwareName: 'StandardFirmata.ino', firmwareVersion: [2, 5], announce: false }).start();
      cleanups.push(() => b.stop());
    });
    const r = await identifySerialPort('/dev/ttyACM0', { open: l.open, timeScale: FAST });
    expect(r).toMatchObject({ found: 'firmata', baud: 57600, detail: { firmware: 'StandardFirmata.ino', version: '2.5', protocol: '2.5' } });
  });

  it('reports a silent port as found: null after trying every protocol', async () => {
    const l = line(() => undefined);
    const r = await identifySerialPort('/dev/ttyS0', { open: l.open, timeScale: FAST });
    expect(r).toEqual({ path: '/dev/ttyS0', found: null, detail: {} });
    expect(l.bauds).toEqual([9600, 115200, 57600, 115200]);
  });

  it('turns a port that cannot be opened into an error entry', async () => {
    const r = await identifySerialPort('/dev/ttyUSB7', {
      open: async () => Promise.reject(new Error('cannot open serial port /dev/ttyUSB7 at 9600 baud: Resource busy')),
    });
    expect(r).toEqual({ path: '/dev/ttyUSB7', found: null, detail: {}, error: 'cannot open serial port /dev/ttyUSB7 at 9600 baud: Resource busy' });
  });
});
