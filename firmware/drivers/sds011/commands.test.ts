import { describe, expect, it } from 'vitest';
import { commandName, encodeCommand, encodeReply, SdsCommandScanner, sdsCommands, type SdsCommandFrame } from './commands.js';
import { bytesOf, CALC_CHECKSUMS, DATASHEET_COMMANDS, FIXTURES } from './fixtures.js';

const A160 = 0xa160;
const hexOf = (b: Buffer) => b.toString('hex');

describe('SDS011 commands: the bytes on the wire', () => {
  it('match every command example of the Control Protocol V1.3', () => {
    const built: Record<keyof typeof DATASHEET_COMMANDS, Buffer> = {
      getReportingModeAll: sdsCommands.getReportingMode(),
      setQueryModeA160: sdsCommands.setReportingMode('query', A160),
      queryDataAll: sdsCommands.queryData(),
      queryDataA160: sdsCommands.queryData(A160),
      setIdA160ToA001: sdsCommands.setDeviceId(0xa001, A160),
      sleepA160: sdsCommands.sleep(A160),
      workA160: sdsCommands.work(A160),
      getSleepWorkA160: sdsCommands.getSleepWork(A160),
      period1A160: sdsCommands.setWorkingPeriod(1, A160),
      period0A160: sdsCommands.setWorkingPeriod(0, A160),
      getPeriodA160: sdsCommands.getWorkingPeriod(A160),
      firmwareA160: sdsCommands.firmwareVersion(A160),
    };
    for (const [name, bytes] of Object.entries(built)) {
      expect(hexOf(bytes), name).toBe(hexOf(bytesOf(DATASHEET_COMMANDS[name as keyof typeof DATASHEET_COMMANDS])));
      expect(bytes).toHaveLength(19);
    }
  });

  it('carry every CALC checksum of protocols.md §2 (ID FF FF, and A160 for sleep/work)', () => {
    const cs = (b: Buffer) => b[17];
    const all = CALC_CHECKSUMS.all;
    expect(cs(sdsCommands.setReportingMode('active'))).toBe(all.setModeActive);
    expect(cs(sdsCommands.setReportingMode('query'))).toBe(all.setModeQuery);
    expect(cs(sdsCommands.getReportingMode())).toBe(all.getMode);
    expect(cs(sdsCommands.queryData())).toBe(all.queryData);
    expect(cs(sdsCommands.sleep())).toBe(all.sleep);
    expect(cs(sdsCommands.work())).toBe(all.work);
    expect(cs(sdsCommands.firmwareVersion())).toBe(all.firmware);
    expect(cs(sdsCommands.setWorkingPeriod(0))).toBe(all.period0);
    expect(cs(sdsCommands.setWorkingPeriod(1))).toBe(all.period1);
    expect(cs(sdsCommands.setWorkingPeriod(5))).toBe(all.period5);
    // the public sketch that sends 08 for "work" to A160 is wrong: work is 09 (protocols.md §2)
    expect(cs(sdsCommands.sleep(A160))).toBe(CALC_CHECKSUMS.a160.sleep);
    expect(cs(sdsCommands.work(A160))).toBe(CALC_CHECKSUMS.a160.work);
    expect(hexOf(sdsCommands.sleep())).toBe('aab406010000000000000000000000ffff05ab');
  });

  it('refuse what cannot be sent, with a TypeError that says what is allowed', () => {
    expect(() => sdsCommands.setWorkingPeriod(31)).toThrow(/0–30/);
    expect(() => sdsCommands.setWorkingPeriod(1.5)).toThrow(TypeError);
    expect(() => sdsCommands.setReportingMode('passive' as 'query')).toThrow(/'active' or 'query'/);
    expect(() => sdsCommands.queryData(0x10000)).toThrow(/deviceId/);
    expect(() => sdsCommands.setDeviceId(-1)).toThrow(/newId/);
    expect(() => encodeCommand(4, new Array(13).fill(0))).toThrow(/at most 12/);
  });

  it('names commands by CMD and their first data bytes', () => {
    expect(commandName(2, 1, 0)).toBe('set_mode_active');
    expect(commandName(2, 1, 1)).toBe('set_mode_query');
    expect(commandName(2, 0, 0)).toBe('get_mode');
    expect(commandName(6, 1, 0)).toBe('sleep');
    expect(commandName(6, 1, 1)).toBe('work');
    expect(commandName(6, 0, 0)).toBe('get_sleep_work');
    expect(commandName(8, 1, 5)).toBe('set_working_period');
    expect(commandName(0x0b, 0, 0)).toBeUndefined();
  });
});

describe('encodeReply', () => {
  it('reproduces every reply fixture byte for byte', () => {
    for (const f of FIXTURES) {
      if (f.expected.kind !== 'reply') continue;
      const b = bytesOf(f.hex);
      expect(hexOf(encodeReply(b[2]!, [b[3]!, b[4]!, b[5]!], (b[6]! << 8) | b[7]!)), f.name).toBe(hexOf(b));
    }
  });
});

describe('SdsCommandScanner (the sensor side)', () => {
  const stream = Buffer.concat([
    Buffer.from([0x00, 0xaa, 0xb4]), // a lone header fragment
    sdsCommands.sleep(A160),
    sdsCommands.setDeviceId(0xa001, A160),
    sdsCommands.firmwareVersion(),
  ]);

  it('finds each command at every split offset', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const got: SdsCommandFrame[] = [];
      const s = new SdsCommandScanner((f) => got.push(f));
      s.push(stream.subarray(0, cut));
      s.push(stream.subarray(cut));
      expect(got.map((f) => [f.name, f.deviceId]), `cut ${cut}`).toEqual([
        ['sleep', A160],
        ['set_device_id', A160],
        ['firmware_version', 0xffff],
      ]);
      expect(got[1]!.data[10]! * 256 + got[1]!.data[11]!).toBe(0xa001);
    }
  });

  it('drops commands with a bad checksum or tail, as the sensor does', () => {
    const badSum = sdsCommands.work(A160);
    badSum[17] = 0x08; // the wrong checksum a public sketch sends for "work" (protocols.md §2)
    const badTail = sdsCommands.sleep();
    badTail[18] = 0x00;
    const got: SdsCommandFrame[] = [];
    const s = new SdsCommandScanner((f) => got.push(f));
    s.push(Buffer.concat([badSum, badTail, sdsCommands.queryData()]));
    expect(got.map((f) => f.name)).toEqual(['query_data']);
    expect(s.rejected).toBe(2);
  });
});
