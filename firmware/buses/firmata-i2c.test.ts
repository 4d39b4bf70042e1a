// firmataI2cBus end to end in-process: firmata.js (openFirmataBoard) → duplexPair → the simulated Arduino →
// chip simulators on its I2C bus. The pty version is test/integration/firmata-satellite.test.ts.
import { EventEmitter } from 'node:events';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Bme280 } from '../drivers/bme280/bme280.js';
import { bme280Definition } from '../drivers/bme280/definition.js';
import { bme280Part } from '../drivers/bme280/part.js';
import { Bme280Simulator } from '../drivers/bme280/simulator.js';
import type { PartEnv } from '../drivers/types.js';
import { FirmataBoardSimulator } from '../sim/firmata-board.js';
import { openFirmataBoard } from './firmata.js';
import { firmataI2cBus, SimulatedFirmataI2cBus, type FirmataI2cIo } from './firmata-i2c.js';
import { FakeI2cBus, I2cError, type I2cDeviceSim } from './i2c.js';
import { duplexPair } from './serial.js';

const open: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of open.splice(0).reverse()) await close();
});

const noSleep = async () => undefined;
const target = { temperature_c: 21.5, humidity_pct: 48.2, pressure_hpa: 1013.2 };
const precisionOf = (q: string) => 10 ** -bme280Definition.quantities.find((s) => s.name === q)!.precision;

async function satellite() {
  const { host, device } = duplexPair();
  const sim = new FirmataBoardSimulator(device, { announce: false, firmwareName: 'ConfigurableFirmata' }).start();
  open.push(() => sim.stop());
  const fb = await openFirmataBoard({ port: host }, { timeoutMs: 5_000, reportVersionTimeoutMs: 10 });
  open.push(() => fb.close());
  // Host → board bytes after the handshake, as the board receives them.
  const sent: number[] = [];
  device.on('data', (chunk: Buffer) => sent.push(...chunk));
  return { sim, fb, sent };
}

/** Logs the transfers a chip sees, so a Firmata bus and a local bus can be compared. */
function logged(chip: I2cDeviceSim, log: string[]): I2cDeviceSim {
  return {
    onWrite: (d) => (log.push(`w ${Buffer.from(d).toString('hex')}`), chip.onWrite(d)),
    onRead: (n) => (log.push(`r ${n}`), chip.onRead(n)),
  };
}

describe('firmataI2cBus', () => {
  it('lets the BME280 driver read the same values through the Arduino as on a local bus', async () => {
    const { sim, fb } = await satellite();
    const viaFirmata: string[] = [];
    sim.attachI2c(0x76, logged(new Bme280Simulator({ target }), viaFirmata));
    const v = await new Bme280(firmataI2cBus(fb.io), {}, { sleep: noSleep }).read();

    const local: string[] = [];
    const reference = await new Bme280(new FakeI2cBus().attach(0x76, logged(new Bme280Simulator({ target }), local)), {}, {
      sleep: noSleep,
    }).read();
    expect(v).toEqual(reference);
    expect(viaFirmata).toEqual(local);
    expect(viaFirmata.slice(0, 4)).toEqual(['w d0', 'r 1', 'w e0b6', 'w f3']); // chip id, soft reset, status poll
    for (const q of ['temperature_c', 'humidity_pct', 'pressure_hpa'] as const) {
      expect(Math.abs(v[q]! - target[q])).toBeLessThanOrEqual(precisionOf(q));
    }
  });

  it('sends I2C_CONFIG once, then requests laid out as in i2c.md', async () => {
    const { sim, fb, sent } = await satellite();
    sim.attachI2c(0x76, new Bme280Simulator({ target }));
    const bus = firmataI2cBus(fb.io);
    expect([...(await bus.readRegister(0x76, 0xd0, 1))]).toEqual([0x60]);
    await bus.write(0x76, Uint8Array.of(0xf4, 0x27));
    expect([...(await bus.read(0x76, 1))]).toEqual([0x27]); // no register: reads on from the pointer the write left
    expect(sent).toEqual([
      ...[0xf0, 0x78, 0x00, 0x00, 0xf7],
      ...[0xf0, 0x76, 0x76, 0x08, 0x50, 0x01, 0x01, 0x00, 0xf7],
      ...[0xf0, 0x76, 0x76, 0x00, 0x74, 0x01, 0x27, 0x00, 0xf7],
      ...[0xf0, 0x76, 0x76, 0x08, 0x01, 0x00, 0xf7],
    ]);
  });

  it('keeps concurrent reads of the same register apart (firmata.js keys replies by address and register)', async () => {
    const { sim, fb } = await satellite();
    let n = 0;
    sim.attachI2c(0x40, { onWrite: () => undefined, onRead: (len) => Uint8Array.from({ length: len }, () => ++n) });
    const bus = firmataI2cBus(fb.io);
    const replies = await Promise.all([1, 2, 3, 4].map(() => bus.readRegister(0x40, 0x00, 2)));
    expect(replies.map((r) => [...r])).toEqual([[1, 2], [3, 4], [5, 6], [7, 8]]);
  });

  it('names address and register when no chip answers, and refuses sizes Firmata cannot carry', async () => {
    const { fb } = await satellite();
    const bus = firmataI2cBus(fb.io, { where: 'satellite nano-1' });
    const err = await bus.readRegister(0x77, 0xd0, 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(I2cError);
    expect((err as I2cError).address).toBe(0x77);
    expect((err as Error).message).toBe(
      'no I2C device answered at 0x77 register 0xd0 via satellite nano-1 (0 of 1 bytes); check SDA on A4, SCL on A5, ' +
        'power, pull-ups and the address',
    );
    await expect(bus.read(0x77, 32)).rejects.toThrow('I2C read of 32 bytes from 0x77 via satellite nano-1: Firmata reads 1-31 bytes at a time');
    await expect(bus.write(0x77, new Uint8Array(31))).rejects.toThrow('Firmata writes 1-30 bytes at a time');
    await expect(bus.write(0x80, Uint8Array.of(1))).rejects.toThrow('I2C address must be a 7-bit address 0x00-0x7f; got 128');
    expect(() => firmataI2cBus(fb.io, { delayUs: 200 })).toThrow(/delayUs must be an integer 0-127/);
  });

  it('gives up on a board that never replies, says so, and goes on with the next request', async () => {
    // A stand-in for firmata.js whose board stays silent for register 0xF7 only.
    const board = new EventEmitter();
    const io = Object.assign(board, {
      i2cConfig: () => undefined,
      i2cWrite: () => undefined,
      i2cReadOnce(address: number, register: number, length: number, cb: (d: number[]) => void) {
        const event = `I2C-reply-${address}-${register}`;
        board.once(event, cb);
        if (register !== 0xf7) setImmediate(() => board.emit(event, new Array<number>(length).fill(7)));
      },
    }) as unknown as FirmataI2cIo;
    const bus = firmataI2cBus(io, { timeoutMs: 30, where: '/dev/ttyUSB0' });
    await expect(bus.readRegister(0x76, 0xf7, 8)).rejects.toThrow(
      'no I2C reply for 0x76 register 0xf7 from /dev/ttyUSB0 within 30 ms; check that the board runs StandardFirmata ' +
        'or ConfigurableFirmata with I2C and that its USB link is up',
    );
    expect(board.listenerCount('I2C-reply-118-247')).toBe(0);
    expect([...(await bus.readRegister(0x76, 0xd0, 2))]).toEqual([7, 7]);
  });
});

describe('SimulatedFirmataI2cBus', () => {
  it('runs the bme280 part unchanged on a simulated satellite: its simulator lands on the Arduino', async () => {
    const { sim, fb } = await satellite();
    const bus = new SimulatedFirmataI2cBus(firmataI2cBus(fb.io), sim);
    const env: PartEnv = {
      bus: { type: 'i2c', bus: 1 },
      simulate: true,
      log: pino({ level: 'silent' }),
      serial: () => Promise.reject(new Error('no serial here')),
      i2c: async () => bus,
      latest: () => undefined,
    };
    const handle = await bme280Part.open(bme280Part.options.parse({}), env);
    const { values } = await handle.read!();
    expect(Object.keys(values).sort()).toEqual(['humidity_pct', 'pressure_hpa', 'temperature_c']);
    expect(values.pressure_hpa).toBeGreaterThan(900);
    await handle.close();
    // detach went to the Arduino: the chip is gone from its bus.
    await expect(bus.readRegister(0x76, 0xd0, 1)).rejects.toThrow(/no I2C device answered at 0x76 register 0xd0/);
  });
});
