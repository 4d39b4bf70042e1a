// SDS011 frames with where they came from and what they must decode to: the Control Protocol's own examples,
// and frames captured from real sensors and published. Expected values were worked out by hand from the bytes
// and, where the source publishes its own decoding, checked against it.
import type { Values } from '../types.js';
import type { SdsErrorCode, SdsReply } from './protocol.js';

export type FixtureExpectation =
  | { kind: 'reading'; values: Values; deviceId: number }
  | { kind: 'reply'; reply: SdsReply }
  | { kind: 'error'; code: SdsErrorCode; reason: string };

export interface FrameFixture {
  name: string;
  /** Document and section, or repository + path (+ commit) or issue URL, and what the capture is. */
  source: string;
  /** true: bytes captured from a sensor; false: a document's example or a deliberate corruption of one. */
  captured: boolean;
  hex: string;
  expected: FixtureExpectation;
}

export const bytesOf = (hex: string): Buffer => Buffer.from(hex.replace(/[\s-]+/g, ''), 'hex');

const CONTROL_PROTOCOL = 'Nova Fitness "Laser Dust Sensor Control Protocol V1.3"';
const DATASHEET_DATA = 'AA C0 D4 04 3A 0A A1 60 1D AB';

export const FIXTURES: FrameFixture[] = [
  {
    name: 'datasheet-a160',
    source:
      `${CONTROL_PROTOCOL}, query-data example (sensor ID A160): "PM2.5 data is 04D4 … 123.6 μg/m3, PM10 data is ` +
      '0A3A … 261.8 μg/m3"; protocols.md §2 DS example.',
    captured: false,
    hex: DATASHEET_DATA,
    expected: { kind: 'reading', values: { pm25_ugm3: 123.6, pm10_ugm3: 261.8 }, deviceId: 0xa160 },
  },
  {
    name: 'datasheet-a160-checksum-1e',
    source: 'protocols.md §2: "The same frame with CS 1E must fail" (the bytes sum to 0x1D).',
    captured: false,
    hex: 'AA C0 D4 04 3A 0A A1 60 1E AB',
    expected: { kind: 'error', code: 'checksum', reason: 'checksum 0x1e != sum 0x1d' },
  },
  {
    name: 'datasheet-a160-tail-ff',
    source: 'The datasheet frame with its AB tail replaced by FF, as a lost byte shifts it; checksum still valid.',
    captured: false,
    hex: 'AA C0 D4 04 3A 0A A1 60 1D FF',
    expected: { kind: 'error', code: 'tail', reason: 'tail 0xff != 0xab' },
  },
  {
    name: 'pypms-sds01x-0',
    source:
      'avaldebe/PyPMS tests/captured_data/SDS01x.hexdump line 0x00 (commit d569192f), decoded in ' +
      'tests/captured_data/SDS01x.csv row 1601230280: pm25 0.6, pm10 0.6 (commit ac9c7de0).',
    captured: true,
    hex: 'aa c0 06 00 06 00 58 d9 3d ab',
    expected: { kind: 'reading', values: { pm25_ugm3: 0.6, pm10_ugm3: 0.6 }, deviceId: 0x58d9 },
  },
  {
    name: 'pypms-sds01x-1',
    source: 'avaldebe/PyPMS tests/captured_data/SDS01x.hexdump line 0x0a (commit d569192f); SDS01x.csv row 1601230290: 0.9, 0.9.',
    captured: true,
    hex: 'aa c0 09 00 09 00 58 d9 43 ab',
    expected: { kind: 'reading', values: { pm25_ugm3: 0.9, pm10_ugm3: 0.9 }, deviceId: 0x58d9 },
  },
  {
    name: 'pypms-sds01x-7',
    source: 'avaldebe/PyPMS tests/captured_data/SDS01x.hexdump line 0x46 (commit d569192f); SDS01x.csv row 1601230350: 0.8, 0.8.',
    captured: true,
    hex: 'aa c0 08 00 08 00 58 d9 41 ab',
    expected: { kind: 'reading', values: { pm25_ugm3: 0.8, pm10_ugm3: 0.8 }, deviceId: 0x58d9 },
  },
  {
    name: 'esphome-issue-4572',
    source:
      'https://github.com/esphome/issues/issues/4572 (2023-06-10, ESPHome 2023.5.5): a frame ESPHome refused with ' +
      '"Checksum doesn\'t match"; its bytes sum to 260 and 260 & 0xFF = 0x04 = CS, as the reporter showed — valid.',
    captured: true,
    hex: 'AA-C0-2C-00-37-00-7E-23-04-AB',
    expected: { kind: 'reading', values: { pm25_ugm3: 4.4, pm10_ugm3: 5.5 }, deviceId: 0x7e23 },
  },
  {
    name: 'airrohr-197-firmware-reply',
    source:
      'https://github.com/opendata-stuttgart/sensors-software/issues/197 (2018-03-27): airrohr debug log of the ' +
      'reply to "firmware version", one byte a line, decoded there as "SDS version date : 17-8-21", ' +
      '"SDS device ID: 9822", "Checksum is: 239 - should: 239".',
    captured: true,
    hex: 'aa c5 07 11 08 15 98 22 ef ab',
    expected: { kind: 'reply', reply: { command: 'firmware_version', year: 2017, month: 8, day: 21, deviceId: 0x9822 } },
  },
  {
    name: 'datasheet-reply-firmware',
    source: `${CONTROL_PROTOCOL}, firmware-version example: "AA C5 07 0F 07 0A A1 60 28 AB … firmware version is 0F070A (15-7-10)".`,
    captured: false,
    hex: 'AA C5 07 0F 07 0A A1 60 28 AB',
    expected: { kind: 'reply', reply: { command: 'firmware_version', year: 2015, month: 7, day: 10, deviceId: 0xa160 } },
  },
  {
    name: 'datasheet-reply-get-mode-active',
    source: `${CONTROL_PROTOCOL}, reporting-mode example: "AA C5 02 00 00 00 A1 60 03 AB … the sensor is in report active mode".`,
    captured: false,
    hex: 'AA C5 02 00 00 00 A1 60 03 AB',
    expected: { kind: 'reply', reply: { command: 'reporting_mode', set: false, mode: 'active', deviceId: 0xa160 } },
  },
  {
    name: 'datasheet-reply-set-mode-query',
    source: `${CONTROL_PROTOCOL}, reporting-mode example: "AA C5 02 01 01 00 A1 60 05 AB … set to report query mode".`,
    captured: false,
    hex: 'AA C5 02 01 01 00 A1 60 05 AB',
    expected: { kind: 'reply', reply: { command: 'reporting_mode', set: true, mode: 'query', deviceId: 0xa160 } },
  },
  {
    name: 'datasheet-reply-set-id',
    source: `${CONTROL_PROTOCOL}, set-device-ID example (A160 → A001): reply "AA C5 05 00 00 00 A0 01 A6 AB", under the new ID.`,
    captured: false,
    hex: 'AA C5 05 00 00 00 A0 01 A6 AB',
    expected: { kind: 'reply', reply: { command: 'device_id', deviceId: 0xa001 } },
  },
  {
    name: 'datasheet-reply-sleep',
    source: `${CONTROL_PROTOCOL}, sleep/work example (1): reply to sleep "AA C5 06 01 00 00 A1 60 08 AB".`,
    captured: false,
    hex: 'AA C5 06 01 00 00 A1 60 08 AB',
    expected: { kind: 'reply', reply: { command: 'sleep_work', set: true, working: false, deviceId: 0xa160 } },
  },
  {
    name: 'datasheet-reply-work',
    source: `${CONTROL_PROTOCOL}, sleep/work example (2): reply to work "AA C5 06 01 01 00 A1 60 09 AB".`,
    captured: false,
    hex: 'AA C5 06 01 01 00 A1 60 09 AB',
    expected: { kind: 'reply', reply: { command: 'sleep_work', set: true, working: true, deviceId: 0xa160 } },
  },
  {
    name: 'datasheet-reply-period-1',
    source: `${CONTROL_PROTOCOL}, working-period example (1): "AA C5 08 01 01 00 A1 60 0B AB … update data in 1 minute".`,
    captured: false,
    hex: 'AA C5 08 01 01 00 A1 60 0B AB',
    expected: { kind: 'reply', reply: { command: 'working_period', set: true, minutes: 1, deviceId: 0xa160 } },
  },
  {
    name: 'datasheet-reply-get-period-2',
    source: `${CONTROL_PROTOCOL}, working-period example (3): "AA C5 08 00 02 00 A1 60 0B AB … working period is 2 minute".`,
    captured: false,
    hex: 'AA C5 08 00 02 00 A1 60 0B AB',
    expected: { kind: 'reply', reply: { command: 'working_period', set: false, minutes: 2, deviceId: 0xa160 } },
  },
];

/**
 * The bytes airrohr printed in https://github.com/opendata-stuttgart/sensors-software/issues/197 while waiting
 * for the firmware reply: five stray bytes (the tail of whatever was on the line) and then the reply. Must
 * yield exactly that reply and no error: none of the stray bytes is an `AA`.
 */
export const AIRROHR_197_CAPTURE = {
  source: 'https://github.com/opendata-stuttgart/sensors-software/issues/197 (airrohr debug log, bytes 4d 28 10 92 fa before the reply)',
  hex: '4d 28 10 92 fa aa c5 07 11 08 15 98 22 ef ab',
} as const;

/**
 * The whole PyPMS SDS01x capture (avaldebe/PyPMS tests/captured_data/SDS01x.hexdump, commit d569192f): ten
 * consecutive frames from one sensor, and the PM2.5 values of SDS01x.csv (commit ac9c7de0) they decode to
 * (PM10 equal to PM2.5 in every row).
 */
export const PYPMS_SDS01X_CAPTURE = {
  source: 'avaldebe/PyPMS tests/captured_data/SDS01x.hexdump (commit d569192f) and SDS01x.csv (commit ac9c7de0)',
  hex: [
    'aa c0 06 00 06 00 58 d9 3d ab',
    ...Array<string>(6).fill('aa c0 09 00 09 00 58 d9 43 ab'),
    ...Array<string>(3).fill('aa c0 08 00 08 00 58 d9 41 ab'),
  ].join(' '),
  pm25: [0.6, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.8, 0.8, 0.8],
} as const;

/**
 * Commands as the Control Protocol V1.3 prints them in its examples (sensor ID A160, or FF FF where the example
 * uses it), and the FF FF checksums protocols.md §2 lists as CALC.
 */
export const DATASHEET_COMMANDS = {
  getReportingModeAll: 'AA B4 02 00 00 00 00 00 00 00 00 00 00 00 00 FF FF 00 AB',
  setQueryModeA160: 'AA B4 02 01 01 00 00 00 00 00 00 00 00 00 00 A1 60 05 AB',
  queryDataAll: 'AA B4 04 00 00 00 00 00 00 00 00 00 00 00 00 FF FF 02 AB',
  queryDataA160: 'AA B4 04 00 00 00 00 00 00 00 00 00 00 00 00 A1 60 05 AB',
  setIdA160ToA001: 'AA B4 05 00 00 00 00 00 00 00 00 00 00 A0 01 A1 60 A7 AB',
  sleepA160: 'AA B4 06 01 00 00 00 00 00 00 00 00 00 00 00 A1 60 08 AB',
  workA160: 'AA B4 06 01 01 00 00 00 00 00 00 00 00 00 00 A1 60 09 AB',
  getSleepWorkA160: 'AA B4 06 00 00 00 00 00 00 00 00 00 00 00 00 A1 60 07 AB',
  period1A160: 'AA B4 08 01 01 00 00 00 00 00 00 00 00 00 00 A1 60 0B AB',
  period0A160: 'AA B4 08 01 00 00 00 00 00 00 00 00 00 00 00 A1 60 0A AB',
  getPeriodA160: 'AA B4 08 00 00 00 00 00 00 00 00 00 00 00 00 A1 60 09 AB',
  firmwareA160: 'AA B4 07 00 00 00 00 00 00 00 00 00 00 00 00 A1 60 08 AB',
} as const;

/** protocols.md §2 table: checksum byte of each command sent to FF FF (CALC) — and to A160 for sleep/work. */
export const CALC_CHECKSUMS = {
  all: {
    setModeActive: 0x01,
    setModeQuery: 0x02,
    getMode: 0x00,
    queryData: 0x02,
    sleep: 0x05,
    work: 0x06,
    firmware: 0x05,
    period0: 0x07,
    period1: 0x08,
    period5: 0x0c,
  },
  a160: { sleep: 0x08, work: 0x09 },
} as const;
