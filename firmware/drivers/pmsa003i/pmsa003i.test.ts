import { describe, expect, it } from 'vitest';
import { FakeI2cBus, I2cError, type I2cBus, type I2cDeviceSim } from '../../buses/i2c.js';
import { urbanConditions } from '../../sim/urban-day.js';
import { encodeFrame, valuesFromConditions } from '../pms5003/simulator.js';
import { ALL_0X42, bytesOf, PYPMS_PMSX003_3 } from './fixtures.js';
import { decodeChunks } from './index.js';
import { Pmsa003i, Pmsa003iFrameError } from './pmsa003i.js';
import { decodeBlock } from './protocol.js';
import { Pmsa003iSimulator } from './simulator.js';

/** Answers every read with fixed bytes. */
class Replay implements I2cDeviceSim {
  constructor(private readonly block: Uint8Array) {}
  onWrite(): void {}
  onRead(length: number): Uint8Array {
    return this.block.slice(0, length);
  }
}

class RecordingBus implements I2cBus {
  readonly log: string[] = [];
  constructor(private readonly inner: I2cBus) {}
  async write(address: number, data: Uint8Array) {
    this.log.push(`w ${address.toString(16)} ${Buffer.from(data).toString('hex')}`);
    return this.inner.write(address, data);
  }
  async read(address: number, length: number) {
    this.log.push(`r ${address.toString(16)} ${length}`);
    return this.inner.read(address, length);
  }
  async readRegister(address: number, register: number, length: number) {
    this.log.push(`rr ${address.toString(16)} ${register} ${length}`);
    return this.inner.readRegister(address, register, length);
  }
}

const settled = { warmup_s: 0 }; // no warm-up flag unless a test wants one
const corrupt = (hex: string, byte: number, value: number) => {
  const b = bytesOf(hex);
  b[byte] = value;
  return b;
};

describe('decodeBlock (PMS5003 checks and layout, imported)', () => {
  it('decodes the PyPMS PMSx003 capture exactly', () => {
    expect(decodeBlock(bytesOf(PYPMS_PMSX003_3.hex))).toEqual({
      ok: true,
      values: PYPMS_PMSX003_3.values,
      version: 0x97,
      errorCode: 0,
    });
  });

  it('refuses a wrong checksum with the PMS5003 scanner\'s reason', () => {
    const b = corrupt(PYPMS_PMSX003_3.hex, 13, 0x08); // PM2.5 atmospheric 7 → 8
    expect(decodeBlock(b)).toMatchObject({ ok: false, code: 'checksum', reason: 'checksum 0x028d != sum 0x028e' });
  });

  it('refuses a block that does not start with 42 4D', () => {
    expect(decodeBlock(bytesOf(ALL_0X42.hex))).toMatchObject({ ok: false, code: 'header', reason: 'block starts with 42 42, expected 42 4d' });
  });

  it('refuses a wrong length field, including an ACK\'s and a 24-byte frame\'s', () => {
    for (const [len, text] of [[0x0004, '0x0004'], [0x0014, '0x0014'], [0x00ff, '0x00ff']] as const) {
      const b = corrupt(PYPMS_PMSX003_3.hex, 3, len);
      expect(decodeBlock(b)).toMatchObject({ ok: false, code: 'length', reason: `length field ${text}, expected 0x001c` });
    }
  });

  it('refuses a short read', () => {
    expect(decodeBlock(bytesOf(PYPMS_PMSX003_3.hex).slice(0, 31))).toMatchObject({ ok: false, code: 'truncated', reason: 'read 31 bytes, expected 32' });
  });
});

describe('Pmsa003i driver', () => {
  it('reads one 32-byte block from 0x12 without writing a register pointer', async () => {
    const bus = new RecordingBus(new FakeI2cBus().attach(0x12, new Replay(bytesOf(PYPMS_PMSX003_3.hex))));
    const r = await new Pmsa003i(bus, settled).read();
    expect(bus.log).toEqual(['r 12 32']);
    expect(r).toEqual({ values: PYPMS_PMSX003_3.values, flags: [], version: 0x97, errorCode: 0 });
  });

  it('drops a corrupted block with an error that names the check, the address and the bytes', async () => {
    const bad = corrupt(PYPMS_PMSX003_3.hex, 13, 0x08);
    const bus = new FakeI2cBus().attach(0x12, new Replay(bad));
    const err = await new Pmsa003i(bus, settled).read().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Pmsa003iFrameError);
    expect(err).toBeInstanceOf(I2cError);
    expect((err as Pmsa003iFrameError).code).toBe('checksum');
    expect((err as Pmsa003iFrameError).hex).toBe(Buffer.from(bad).toString('hex').replace(/(..)(?!$)/g, '$1 '));
    expect((err as Error).message).toBe(
      'PMSA003I at I2C address 0x12: checksum check failed (checksum 0x028d != sum 0x028e); block dropped',
    );
  });

  it('flags warm-up for warmup_s after opening, then not', async () => {
    let t = 0;
    const bus = new FakeI2cBus().attach(0x12, new Replay(bytesOf(PYPMS_PMSX003_3.hex)));
    const driver = new Pmsa003i(bus, { warmup_s: 30 }, { now: () => t });
    t = 29_999;
    expect((await driver.read()).flags).toEqual(['warmup']);
    t = 30_000;
    expect((await driver.read()).flags).toEqual([]);
  });

  it('flags a non-zero error byte as sensor_error', async () => {
    const bus = new FakeI2cBus().attach(0x12, new Pmsa003iSimulator({ errorCode: 0x02 }));
    const r = await new Pmsa003i(bus, settled).read();
    expect(r.errorCode).toBe(2);
    expect(r.flags).toEqual(['sensor_error']);
  });

  it('reports a missing device at 0x12', async () => {
    await expect(new Pmsa003i(new FakeI2cBus(), settled).read()).rejects.toThrow(/no device answered at I2C address 0x12/);
  });

  it('rejects any other address', () => {
    expect(() => new Pmsa003i(new FakeI2cBus(), { address: 0x13 as 0x12 })).toThrow();
  });
});

describe('Pmsa003iSimulator ↔ driver round trip', () => {
  it('returns what encodeFrame builds from the urban scenario, and the driver decodes it back', async () => {
    const at = new Date('2024-05-14T08:00:00Z');
    const sim = new Pmsa003iSimulator({ clock: () => at });
    const expected = valuesFromConditions(urbanConditions(at), 'pms5003');
    expect(Buffer.from(sim.block())).toEqual(encodeFrame(expected, 'pms5003'));
    const r = await new Pmsa003i(new FakeI2cBus().attach(0x12, sim), settled).read();
    expect(r.values).toEqual(expected);
    expect(sim.reads).toBe(1);
  });

  it('follows given values', async () => {
    // PM2.5 ≤ PM10 and the counts stay ordered, or the PMS parser refuses the block as implausible.
    const values = { ...PYPMS_PMSX003_3.values, pm25_ugm3: 123, pm10_ugm3: 150, n0_3_per_dl: 40000 };
    const r = await new Pmsa003i(new FakeI2cBus().attach(0x12, new Pmsa003iSimulator({ values: () => values })), settled).read();
    expect(r.values).toEqual(values);
  });
});

describe('pmsa003i decodeChunks', () => {
  it('decodes captured blocks back to back like a PMS5003 stream', async () => {
    const out = [];
    for await (const d of decodeChunks([Buffer.from(bytesOf(PYPMS_PMSX003_3.hex))])) out.push(d);
    expect(out).toEqual([{ kind: 'reading', values: PYPMS_PMSX003_3.values, hex: PYPMS_PMSX003_3.hex, version: 0x97, errorCode: 0 }]);
  });
});
