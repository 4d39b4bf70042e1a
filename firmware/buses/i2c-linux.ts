// The real I2C bus on Linux (/dev/i2c-N), behind the project's own I2cBus interface. It wraps the optional
// dependency `i2c-bus`, loaded on first use so that machines without it (CI, laptops, the demo) never need it.
// Without the device node i2c-bus misleads: openPromisified() resolves (the open is lazy) and scan() resolves []
// silently (/work/shared/reference/toolchain.md §7), so the node's existence is checked first.
import { existsSync, readdirSync } from 'node:fs';
import { I2cError, type I2cBus } from './i2c.js';

/** The part of i2c-bus's PromisifiedBus this adapter uses (i2c-bus 5.x README, "PromisifiedBus"). */
interface PromisifiedBus {
  i2cWrite(addr: number, length: number, buffer: Buffer): Promise<{ bytesWritten: number; buffer: Buffer }>;
  i2cRead(addr: number, length: number, buffer: Buffer): Promise<{ bytesRead: number; buffer: Buffer }>;
  readI2cBlock(addr: number, cmd: number, length: number, buffer: Buffer): Promise<{ bytesRead: number; buffer: Buffer }>;
  close(): Promise<void>;
}

export interface I2cBusModule {
  openPromisified(busNumber: number): Promise<PromisifiedBus>;
}

export interface LinuxI2cBus extends I2cBus {
  readonly path: string;
  close(): Promise<void>;
}

/** Seams for tests; production code passes nothing. */
export interface LinuxI2cDeps {
  exists?: (path: string) => boolean;
  load?: () => Promise<I2cBusModule>;
}

/** i2c-bus limits an SMBus "I2C block read" (register write + repeated-start read) to 32 bytes. */
const BLOCK_MAX = 32;

async function loadI2cBus(): Promise<I2cBusModule> {
  // A variable specifier keeps TypeScript from demanding type declarations for this untyped optional package.
  const specifier = 'i2c-bus';
  try {
    const mod = (await import(specifier)) as { default?: I2cBusModule } & Partial<I2cBusModule>;
    const api = mod.default ?? mod;
    if (typeof api.openPromisified !== 'function') throw new Error('i2c-bus has no openPromisified()');
    return api as I2cBusModule;
  } catch (err) {
    throw new Error(
      `cannot load the optional dependency i2c-bus (${(err as Error).message}); install it on the Pi with ` +
        '`sudo apt-get install -y build-essential python3 && npm install i2c-bus` (it compiles a native addon)',
    );
  }
}

function listI2cDevices(): string[] {
  try {
    return readdirSync('/dev').filter((n) => n.startsWith('i2c-')).map((n) => `/dev/${n}`);
  } catch {
    return [];
  }
}

const hex = (n: number) => `0x${n.toString(16).padStart(2, '0')}`;

export async function openLinuxI2cBus(busNumber: number, deps: LinuxI2cDeps = {}): Promise<LinuxI2cBus> {
  if (!Number.isInteger(busNumber) || busNumber < 0) {
    throw new TypeError(`I2C bus number must be a non-negative integer (1 on a Raspberry Pi), got ${busNumber}`);
  }
  const path = `/dev/i2c-${busNumber}`;
  const exists = deps.exists ?? existsSync;
  if (!exists(path)) {
    const present = deps.exists ? [] : listI2cDevices();
    throw new Error(
      `I2C bus ${busNumber} is not available: ${path} does not exist ` +
        `(present: ${present.length ? present.join(', ') : 'no /dev/i2c-* at all'}). ` +
        'On a Raspberry Pi enable I2C with `sudo raspi-config` → Interface Options → I2C (or add dtparam=i2c_arm=on ' +
        'to /boot/firmware/config.txt) and reboot; bus 1 is the one on GPIO2 (SDA) / GPIO3 (SCL). On other Linux ' +
        'boards load the driver with `sudo modprobe i2c-dev`. The user running Airlane must be in the i2c group.',
    );
  }
  const api = await (deps.load ?? loadI2cBus)();
  const bus = await api.openPromisified(busNumber);

  const fail = (address: number, what: string, err: unknown): I2cError => {
    const e = err as NodeJS.ErrnoException;
    // EREMOTEIO / ENXIO: nobody acknowledged the address (i2c-dev, linux/Documentation/i2c/fault-codes).
    const nack = e.code === 'EREMOTEIO' || e.code === 'ENXIO' || e.errno === 121 || e.errno === 6;
    const hint = nack ? 'no device acknowledged; check wiring, power and the address pins' : e.message;
    return new I2cError(`I2C ${what} at ${hex(address)} on ${path} failed: ${hint}`, address);
  };

  const write = async (address: number, data: Uint8Array): Promise<void> => {
    let written: number;
    try {
      written = (await bus.i2cWrite(address, data.length, Buffer.from(data))).bytesWritten;
    } catch (err) {
      throw fail(address, 'write', err);
    }
    if (written !== data.length) throw new I2cError(`I2C write at ${hex(address)} on ${path} sent ${written} of ${data.length} bytes`, address);
  };

  const read = async (address: number, length: number): Promise<Uint8Array> => {
    let r: { bytesRead: number; buffer: Buffer };
    try {
      r = await bus.i2cRead(address, length, Buffer.alloc(length));
    } catch (err) {
      throw fail(address, 'read', err);
    }
    if (r.bytesRead !== length) throw new I2cError(`I2C read at ${hex(address)} on ${path} got ${r.bytesRead} of ${length} bytes`, address);
    return new Uint8Array(r.buffer.subarray(0, length));
  };

  return {
    path,
    write,
    read,
    async readRegister(address: number, register: number, length: number): Promise<Uint8Array> {
      if (length > BLOCK_MAX) {
        // Longer than one block read: pointer write and read as two transfers (fine for chips that keep the
        // pointer, such as the BME280 and ADS1115).
        await write(address, Uint8Array.of(register));
        return read(address, length);
      }
      let r: { bytesRead: number; buffer: Buffer };
      try {
        r = await bus.readI2cBlock(address, register, length, Buffer.alloc(length));
      } catch (err) {
        throw fail(address, `read of register ${hex(register)}`, err);
      }
      if (r.bytesRead !== length) {
        throw new I2cError(`I2C read of register ${hex(register)} at ${hex(address)} on ${path} got ${r.bytesRead} of ${length} bytes`, address);
      }
      return new Uint8Array(r.buffer.subarray(0, length));
    },
    close: () => bus.close(),
  };
}
