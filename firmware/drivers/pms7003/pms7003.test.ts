import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Reading } from '../../contract.js';
import { duplexPair } from '../../buses/serial.js';
import { FakeI2cBus } from '../../buses/i2c.js';
import { NodeRuntime } from '../../node/runtime.js';
import { pms5003 } from '../pms5003/definition.js';
import type { PartEnv, PartSample } from '../types.js';
import { bytesOf, FIXTURES } from './fixtures.js';
import { decodeChunks, pms7003Definition, pms7003Part } from './index.js';

/** A station env whose serial port is an in-process pair; the test plays the sensor on `device`. */
function pairEnv(simulate: boolean) {
  const { host, device } = duplexPair();
  const stops: Array<() => void> = [];
  const env: Omit<PartEnv, 'latest' | 'bus'> = {
    simulate,
    log: pino({ level: 'silent' }),
    async serial(_opts, attachDevice) {
      // A real port has no simulator behind it: only a simulated station attaches one.
      if (simulate) {
        const sim = attachDevice(device);
        stops.push(() => sim.stop());
      }
      return {
        stream: host,
        where: 'test pair',
        async close() {
          for (const s of stops) s();
          host.end();
          device.end();
        },
      };
    },
    i2c: async () => new FakeI2cBus(),
  };
  return { env, device };
}

describe('pms7003 definition', () => {
  it('is its own part with the PMS5003 quantities', () => {
    expect(pms7003Definition.id).toBe('pms7003');
    expect(pms7003Definition.bus).toBe('uart');
    expect(pms7003Definition.quantities.map((q) => q.name)).toEqual(pms5003.quantities.map((q) => q.name));
    expect(pms7003Part.definition).toBe(pms7003Definition);
  });
});

describe('pms7003 decodeChunks', () => {
  it.each(FIXTURES)('decodes $name exactly', async (f) => {
    const out = [];
    for await (const d of decodeChunks([bytesOf(f.hex)])) out.push(d);
    expect(out).toEqual([{ kind: 'reading', values: f.values, hex: f.hex, version: f.version, errorCode: f.errorCode }]);
  });

  it('refuses the G7 frame with one PM2.5 byte flipped, giving the reason', async () => {
    const bad = FIXTURES[0]!.hex.replace('00 62 00 6b', '00 63 00 6b');
    const out = [];
    for await (const d of decodeChunks([bytesOf(bad)])) out.push(d);
    expect(out).toEqual([{ kind: 'error', code: 'checksum', reason: 'checksum 0x059d != sum 0x059e', hex: bad }]);
  });
});

describe('pms7003Part', () => {
  it('decodes a real PMS7003 capture arriving on the serial line', async () => {
    const { env, device } = pairEnv(false);
    const handle = await pms7003Part.open(pms7003Part.options.parse({}), { ...env, bus: { type: 'uart', path: '/dev/ttyAMA0' }, latest: () => undefined });
    const samples: PartSample[] = [];
    const errors: string[] = [];
    handle.stream?.((s) => samples.push(s), (e) => errors.push(e), (e) => errors.push(`lost: ${e}`));
    // Split mid-frame, as a UART read would.
    const frame = bytesOf(FIXTURES[0]!.hex);
    device.write(frame.subarray(0, 13));
    device.write(frame.subarray(13));
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(errors).toEqual([]);
    expect(samples.map((s) => s.values)).toEqual([FIXTURES[0]!.values]);
    expect(samples[0]?.flags).toEqual(['warmup']); // just opened: inside the 30 s warm-up
    await handle.close();
  });

  it('readings from the node runtime carry part "pms7003", not the frame layout name', async () => {
    const { env } = pairEnv(true);
    const readings: Reading[] = [];
    let got!: () => void;
    const first = new Promise<void>((r) => (got = r));
    const runtime = new NodeRuntime(
      {
        site: 'test',
        id: 'kerb-1',
        clock: 'ntp',
        parts: [
          {
            part: 'pms7003',
            bus: { type: 'uart', path: '/dev/ttyAMA0' },
            where: '/dev/ttyAMA0',
            every_s: 10,
            average_s: 0, // every frame is a reading
            duty_cycle: false,
            // No warm-up: the runtime discards readings flagged `warmup`.
            options: pms7003Part.options.parse({ sim_interval_ms: 50, warmup_s: 0 }),
          },
        ],
      },
      {
        log: pino({ level: 'silent' }),
        modules: new Map([[pms7003Definition.id, pms7003Part]]),
        env: { simulate: env.simulate, log: env.log, serialFor: (_bus, _part, baud, attach) => env.serial(baud, attach), i2cFor: () => env.i2c() },
        emit: (r) => {
          readings.push(r);
          got();
        },
      },
    );
    await runtime.start();
    await first;
    await runtime.stop();
    expect(readings[0]?.part).toBe('pms7003');
    expect(Object.keys(readings[0]?.values ?? {}).sort()).toEqual(pms7003Definition.quantities.map((q) => q.name).sort());
  });

});

