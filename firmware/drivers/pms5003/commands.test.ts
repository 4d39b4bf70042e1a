import { describe, expect, it } from 'vitest';
import { bytesOf, COMMAND_BYTES, FIXTURES } from './fixtures.js';
import { commandName, encodeAck, encodeCommand, pmsCommand, PmsCommandScanner, PMS_COMMAND_NAMES, type PmsCommandFrame } from './commands.js';

describe('PMS commands', () => {
  for (const name of PMS_COMMAND_NAMES) {
    it(`${name} is exactly ${COMMAND_BYTES[name]} (protocols.md §1)`, () => {
      expect(pmsCommand(name)).toEqual(bytesOf(COMMAND_BYTES[name]));
    });
  }

  it('encodes the 16-bit DATA word big-endian with the LRC over the first five bytes', () => {
    expect(encodeCommand(0xe1, 0x0102).toString('hex')).toBe('424de101020173');
  });

  it('rejects an unknown command name', () => {
    expect(() => pmsCommand('reboot' as never)).toThrow(/unknown PMS command "reboot"/);
  });

  it('builds the ACK a sensor sends: the airrohr #730 bytes for sleep', () => {
    expect(encodeAck(0xe4, 0)).toEqual(bytesOf(FIXTURES.find((f) => f.name === 'airrohr-730-ack')!.hex));
    expect(encodeAck(0xe1, 0).toString('hex')).toBe('424d0004e1000174');
    expect(encodeAck(0xe1, 1).toString('hex')).toBe('424d0004e1010175');
  });

  it('names (cmd, DATAL) pairs', () => {
    expect(commandName(0xe4, 0)).toBe('sleep');
    expect(commandName(0xe4, 1)).toBe('wake');
    expect(commandName(0xe1, 0)).toBe('passive');
    expect(commandName(0xe2, 0)).toBe('read');
    expect(commandName(0x99, 0)).toBeUndefined();
  });
});

describe('PmsCommandScanner (sensor side)', () => {
  it('finds commands split anywhere, skips noise and a bad LRC', () => {
    const bad = pmsCommand('active');
    bad[6] = 0x00;
    const stream = Buffer.concat([Buffer.from([0x00, 0x42]), pmsCommand('sleep'), bad, pmsCommand('wake'), pmsCommand('read')]);
    for (let cut = 0; cut <= stream.length; cut++) {
      const got: PmsCommandFrame[] = [];
      const s = new PmsCommandScanner((f) => got.push(f));
      s.push(stream.subarray(0, cut));
      s.push(stream.subarray(cut));
      expect(got.map((f) => f.name)).toEqual(['sleep', 'wake', 'read']);
      expect(s.rejected).toBe(1);
    }
  });
});
