import { describe, expect, it } from 'vitest';
import { listCandidatePorts } from './ports.js';

/** A fake /dev: directory listings plus symlinks (name → target). */
function fakeFs(dirs: Record<string, string[]>, links: Record<string, string>, nodes: string[]) {
  return {
    readdir: (dir: string) => dirs[dir] ?? [],
    realpath: (p: string) => {
      const target = links[p] ?? p;
      if (!nodes.includes(target)) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
      return target;
    },
  };
}

describe('listCandidatePorts', () => {
  it('merges by-id links, /dev nodes and the udev list, one entry per device node', async () => {
    const fs = fakeFs(
      {
        '/dev/serial/by-id': ['usb-1a86_USB_Serial-if00-port0', 'usb-Arduino__www.arduino.cc__0043_7573-if00'],
        '/dev': ['ttyUSB0', 'ttyACM0', 'ttyAMA0', 'serial0', 'tty1', 'ttyS0', 'i2c-1', 'null'],
      },
      {
        '/dev/serial/by-id/usb-1a86_USB_Serial-if00-port0': '/dev/ttyUSB0',
        '/dev/serial/by-id/usb-Arduino__www.arduino.cc__0043_7573-if00': '/dev/ttyACM0',
        '/dev/serial0': '/dev/ttyAMA0',
      },
      ['/dev/ttyUSB0', '/dev/ttyACM0', '/dev/ttyAMA0'],
    );
    const ports = await listCandidatePorts({ ...fs, list: async () => [{ path: '/dev/ttyUSB0' }] });
    expect(ports).toEqual([
      { path: '/dev/ttyACM0', by_id: '/dev/serial/by-id/usb-Arduino__www.arduino.cc__0043_7573-if00' },
      { path: '/dev/ttyAMA0', aliases: ['/dev/serial0'] },
      { path: '/dev/ttyUSB0', by_id: '/dev/serial/by-id/usb-1a86_USB_Serial-if00-port0' },
    ]);
  });

  it('without udev (serialport list rejects) still finds the nodes', async () => {
    const fs = fakeFs({ '/dev': ['ttyUSB1'] }, {}, ['/dev/ttyUSB1']);
    const ports = await listCandidatePorts({ ...fs, list: async () => Promise.reject(new Error('spawn udevadm ENOENT')) });
    expect(ports).toEqual([{ path: '/dev/ttyUSB1' }]);
  });

  it('is an empty list on a machine with nothing attached, and skips dangling links', async () => {
    const fs = fakeFs({ '/dev/serial/by-id': ['usb-gone-if00'], '/dev': ['tty0', 'null'] }, { '/dev/serial/by-id/usb-gone-if00': '/dev/ttyUSB9' }, []);
    expect(await listCandidatePorts({ ...fs, list: async () => [] })).toEqual([]);
  });
});
