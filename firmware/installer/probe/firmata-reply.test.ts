import { describe, expect, it } from 'vitest';
import { FIRMATA_QUERY, FirmataReplyScanner } from './firmata-reply.js';

// firmata/firmata.js test/unit/firmata.test.js, "QUERY_FIRMWARE": the firmware report of StandardFirmata 2.3.
const STANDARD_FIRMATA_2_3 = [
  0xf0, 0x79, 2, 3, 83, 0, 116, 0, 97, 0, 110, 0, 100, 0, 97, 0, 114, 0, 100, 0, 70, 0, 105, 0, 114, 0, 109, 0, 97, 0, 116, 0, 97, 0, 0xf7,
];
// Same file, "must parse a command from the middle of a data packet": an analog report, REPORT_VERSION 2.5, then
// the start of a firmware report cut off after "Stand".
const MID_PACKET = [0xe0, 0x07, 0x07, 0xf9, 0x02, 0x05, 0xf0, 0x79, 0x02, 0x05, 0x53, 0x00, 0x74, 0x00, 0x61, 0x00, 0x6e, 0x00, 0x64, 0x00];

describe('FirmataReplyScanner', () => {
  it('reads the firmware name and version from a captured report', () => {
    const s = new FirmataReplyScanner();
    s.push(Buffer.from(STANDARD_FIRMATA_2_3));
    expect(s.identity).toEqual({ firmware: 'StandardFirmata', version: '2.3' });
  });

  it('finds REPORT_VERSION after an analog message and waits for the rest of a split firmware report', () => {
    const updates: string[] = [];
    const s = new FirmataReplyScanner((id) => updates.push(JSON.stringify(id)));
    s.push(Buffer.from(MID_PACKET));
    expect(s.identity).toEqual({ protocol: '2.5' });
    s.push(Buffer.from([0x61, 0x00, 0x72, 0x00, 0x64, 0x00, 0xf7]));
    expect(s.identity).toEqual({ protocol: '2.5', firmware: 'Standard', version: '2.5' });
    expect(updates).toHaveLength(2);
  });

  it('drops a sysex interrupted by a command byte', () => {
    const s = new FirmataReplyScanner();
    s.push(Buffer.from([0xf0, 0x79, 0x02, 0xf9, 0x02, 0x06, 0xf7]));
    expect(s.identity).toEqual({ protocol: '2.6' });
  });

  it('asks with REPORT_VERSION and the firmware query (protocol.md)', () => {
    expect([...FIRMATA_QUERY]).toEqual([0xf9, 0xf0, 0x79, 0xf7]);
  });
});
