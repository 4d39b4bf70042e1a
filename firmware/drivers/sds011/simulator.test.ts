import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { duplexPair } from '../../buses/serial.js';
import { urbanConditions } from '../../sim/urban-day.js';
import { encodeCommand, sdsCommands } from './commands.js';
import { bytesOf, FIXTURES } from './fixtures.js';
import { eventSink, SdsScanner, type SdsEvent } from './protocol.js';
import { encodeDataFrame, Sds011Simulator, valuesFromConditions } from './simulator.js';

const AT = new Date('2024-05-14T08:00:00Z'); // morning rush in the urban scenario
const fixtureHex = (name: string) => bytesOf(FIXTURES.find((f) => f.name === name)!.hex).toString('hex');

const decodeAll = (buf: Buffer) => {
  const out: SdsEvent[] = [];
  new SdsScanner(eventSink((e) => out.push(e))).push(buf);
  return out;
};

describe('encodeDataFrame', () => {
  it('reproduces the datasheet example and round-trips through the parser', () => {
    expect(encodeDataFrame({ pm25_ugm3: 123.6, pm10_ugm3: 261.8 }, 0xa160).toString('hex')).toBe(fixtureHex('datasheet-a160'));
    const values = valuesFromConditions(urbanConditions(AT));
    const events = decodeAll(encodeDataFrame(values, 0x58d9));
    expect(events).toHaveLength(1);
    expect(events[0]!.kind === 'reading' && events[0]!.values).toEqual(values);
  });

  it('clamps to the 0–999.9 range instead of wrapping, and throws on a missing quantity', () => {
    const e = decodeAll(encodeDataFrame({ pm25_ugm3: 1500, pm10_ugm3: -3 }, 1))[0]!;
    expect(e.kind === 'reading' && e.values).toEqual({ pm25_ugm3: 999.9, pm10_ugm3: 0 });
    expect(() => encodeDataFrame({ pm25_ugm3: 3 }, 1)).toThrow(/values.pm10_ugm3 must be a finite number/);
  });
});

describe('valuesFromConditions', () => {
  it('takes PM from urbanConditions at the sensor resolution', () => {
    const c = urbanConditions(AT);
    const v = valuesFromConditions(c);
    expect(v.pm25_ugm3).toBe(Math.round(c.pm25_ugm3 * 10) / 10);
    expect(v.pm10_ugm3).toBe(Math.round(c.pm10_ugm3 * 10) / 10);
    expect(Object.keys(v).sort()).toEqual(['pm10_ugm3', 'pm25_ugm3']);
  });
});

describe('Sds011Simulator', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] }));
  afterEach(() => vi.useRealTimers());

  function rig(options: ConstructorParameters<typeof Sds011Simulator>[1] = {}) {
    const { host, device } = duplexPair();
    const received: Buffer[] = [];
    host.on('data', (c: Buffer) => received.push(c));
    const values = valuesFromConditions(urbanConditions(AT));
    const sim = new Sds011Simulator(device, { values: () => values, ...options });
    sim.start();
    /** Everything the sensor wrote since the last call. */
    const take = async () => {
      await vi.advanceTimersByTimeAsync(0);
      return Buffer.concat(received.splice(0)).toString('hex');
    };
    /** Sends a command, lets the sensor answer, and returns the answer's bytes. */
    const ask = async (cmd: Buffer) => {
      host.write(cmd);
      return take();
    };
    return { host, sim, values, take, ask };
  }

  it('answers every command with the exact reply bytes of the Control Protocol examples (ID A160)', async () => {
    const { sim, ask } = rig({ firmware: { year: 2015, month: 7, day: 10 }, intervalMs: 1000 });
    expect(await ask(sdsCommands.getReportingMode())).toBe(fixtureHex('datasheet-reply-get-mode-active'));
    expect(await ask(sdsCommands.setReportingMode('query', 0xa160))).toBe(fixtureHex('datasheet-reply-set-mode-query'));
    expect(await ask(sdsCommands.firmwareVersion(0xa160))).toBe(fixtureHex('datasheet-reply-firmware'));
    expect(await ask(sdsCommands.sleep(0xa160))).toBe(fixtureHex('datasheet-reply-sleep'));
    expect(await ask(sdsCommands.work(0xa160))).toBe(fixtureHex('datasheet-reply-work'));
    expect(await ask(sdsCommands.setWorkingPeriod(1, 0xa160))).toBe(fixtureHex('datasheet-reply-period-1'));
    await ask(sdsCommands.setWorkingPeriod(2));
    expect(await ask(sdsCommands.getWorkingPeriod(0xa160))).toBe(fixtureHex('datasheet-reply-get-period-2'));
    expect(await ask(sdsCommands.setDeviceId(0xa001, 0xa160))).toBe(fixtureHex('datasheet-reply-set-id'));
    expect(sim.deviceId).toBe(0xa001);
    expect(await ask(sdsCommands.queryData(0xa160))).toBe(''); // no longer its ID
    expect(sim.commandsReceived).toEqual([
      'get_mode',
      'set_mode_query',
      'firmware_version',
      'sleep',
      'work',
      'set_working_period',
      'set_working_period',
      'get_working_period',
      'set_device_id',
    ]);
    sim.stop();
  });

  it('reports at 1 Hz in active mode; sleep stops reports; query mode answers query-data only', async () => {
    const { sim, values, take, ask } = rig();
    const frame = encodeDataFrame(values, 0xa160).toString('hex');
    await vi.advanceTimersByTimeAsync(3000);
    expect(await take()).toBe(frame.repeat(3));

    await ask(sdsCommands.sleep());
    await vi.advanceTimersByTimeAsync(5000);
    expect(await take()).toBe('');
    expect(await ask(sdsCommands.queryData())).toBe(''); // asleep: no measurement to give
    expect(await ask(sdsCommands.getSleepWork())).toBe(encodeReplyHex(0x06, [0, 0, 0]));

    await ask(sdsCommands.work());
    await ask(sdsCommands.setReportingMode('query'));
    await vi.advanceTimersByTimeAsync(5000);
    expect(await take()).toBe('');
    expect(await ask(sdsCommands.queryData())).toBe(frame);
    expect(sim.framesSent).toBe(4);
    sim.stop();
  });

  it('with a working period of n minutes sends one frame per n·60 intervals', async () => {
    const { sim, take, ask } = rig({ intervalMs: 100 });
    await ask(sdsCommands.setWorkingPeriod(2));
    expect(sim.workingPeriodMin).toBe(2);
    await vi.advanceTimersByTimeAsync(2 * 60 * 100 - 1);
    expect(await take()).toBe('');
    await vi.advanceTimersByTimeAsync(1);
    expect(decodeAll(Buffer.from(await take(), 'hex')).map((e) => e.kind)).toEqual(['reading']);
    expect(await ask(encodeCommand(0x08, [1, 31]))).toBe(''); // beyond the documented 0–30: ignored
    expect(sim.workingPeriodMin).toBe(2);
    sim.stop();
  });

  it('ignores commands for another ID and commands with a bad checksum', async () => {
    const { sim, ask } = rig();
    expect(await ask(sdsCommands.firmwareVersion(0x1234))).toBe('');
    const bad = sdsCommands.work(0xa160);
    bad[17] = 0x08;
    expect(await ask(bad)).toBe('');
    expect(sim.commandsReceived).toEqual([]);
    sim.stop();
  });
});

function encodeReplyHex(cmd: number, r: [number, number, number], id = 0xa160): string {
  const b = Buffer.from([0xaa, 0xc5, cmd, ...r, id >> 8, id & 0xff, 0, 0xab]);
  b[8] = (cmd + r[0] + r[1] + r[2] + (id >> 8) + (id & 0xff)) & 0xff;
  return b.toString('hex');
}
