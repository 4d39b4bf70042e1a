// Real frames captured from Plantower sensors and published, each with where it came from and what it must
// decode to. Expected values were worked out by hand from the bytes and, where the source publishes its own
// decoding, checked against it.
import type { Values } from '../types.js';
import type { PmsErrorCode, PmsVariant } from './protocol.js';

export type FixtureExpectation =
  | { kind: 'reading'; values: Values; version?: number; errorCode?: number }
  | { kind: 'ack'; command: number; data: number }
  | { kind: 'error'; code: PmsErrorCode; reason: string };

export interface FrameFixture {
  name: string;
  /** Repository + path (+ commit), or issue URL, and what the capture is. */
  source: string;
  variant: PmsVariant;
  hex: string;
  expected: FixtureExpectation;
}

export const bytesOf = (hex: string): Buffer => Buffer.from(hex.replace(/\s+/g, ''), 'hex');

const pms5003Values = (w: number[]): Values => ({
  pm1_cf1_ugm3: w[0]!,
  pm25_cf1_ugm3: w[1]!,
  pm10_cf1_ugm3: w[2]!,
  pm1_ugm3: w[3]!,
  pm25_ugm3: w[4]!,
  pm10_ugm3: w[5]!,
  n0_3_per_dl: w[6]!,
  n0_5_per_dl: w[7]!,
  n1_0_per_dl: w[8]!,
  n2_5_per_dl: w[9]!,
  n5_0_per_dl: w[10]!,
  n10_per_dl: w[11]!,
});

/** PyPMS captured PMS5003T frame 1 (first line of the hexdump). */
const PMS5003T_0 = '42 4d 00 1c 00 17 00 27 00 29 00 16 00 23 00 29 10 08 04 a9 01 16 00 0c 00 d4 00 e0 9a 00 04 aa';

export const FIXTURES: FrameFixture[] = [
  {
    name: 'pypms-pmsx003-0',
    source:
      'avaldebe/PyPMS tests/captured_data/PMSx003.hexdump line 0x00 (commit d569192f), decoded in ' +
      'tests/captured_data/PMSx003.csv row 1601219770: raw 0/8/8, pm 0/8/8, n 2.10/0.70/0.45/0.30/0/0 per cm³. ' +
      'PM1 = 0 and n5.0 = n10 = 0: zeros are valid readings (protocols.md §9).',
    variant: 'pms5003',
    hex: '42 4d 00 1c 00 00 00 08 00 08 00 00 00 08 00 08 00 d2 00 46 00 2d 00 1e 00 00 00 00 97 00 02 c5',
    expected: { kind: 'reading', values: pms5003Values([0, 8, 8, 0, 8, 8, 210, 70, 45, 30, 0, 0]), version: 0x97, errorCode: 0 },
  },
  {
    name: 'pypms-pmsx003-9',
    source:
      'avaldebe/PyPMS tests/captured_data/PMSx003.hexdump line 0x120 (commit d569192f); PMSx003.csv row ' +
      '1601219860: raw 0/5/5, pm 0/5/5, n 1.38/0.46/0.23/0.15/0/0 per cm³.',
    variant: 'pms5003',
    hex: '42 4d 00 1c 00 00 00 05 00 05 00 00 00 05 00 05 00 8a 00 2e 00 17 00 0f 00 00 00 00 97 00 02 34',
    expected: { kind: 'reading', values: pms5003Values([0, 5, 5, 0, 5, 5, 138, 46, 23, 15, 0, 0]), version: 0x97, errorCode: 0 },
  },
  {
    name: 'rtt-pmsxx-readme',
    source:
      'luhuadong/rtt-pmsxx README.md §4.1 "原始响应数据" (raw response data). Decoded here from the ' +
      'bytes; the table printed above it in that README comes from a different frame (its 0.3 µm count is 1065).',
    variant: 'pms5003',
    hex: '42 4d 00 1c 00 03 00 04 00 07 00 04 00 05 00 08 03 1b 00 f9 00 1b 00 06 00 03 00 03 9a 00 02 a2',
    expected: { kind: 'reading', values: pms5003Values([3, 4, 7, 4, 5, 8, 795, 249, 27, 6, 3, 3]), version: 0x9a, errorCode: 0 },
  },
  {
    name: 'pypms-pms5003t-0',
    source:
      'avaldebe/PyPMS tests/captured_data/PMS5003T.hexdump line 0x00 (commit f665002f), decoded in ' +
      'tests/captured_data/PMS5003T.csv row 1612247277: raw 23/39/41, pm 22/35/41, n 41.04/11.93/2.78/0.12 ' +
      'per cm³, temp 21.2, rhum 22.4.',
    variant: 'pms5003t',
    hex: PMS5003T_0,
    expected: {
      kind: 'reading',
      values: {
        pm1_cf1_ugm3: 23,
        pm25_cf1_ugm3: 39,
        pm10_cf1_ugm3: 41,
        pm1_ugm3: 22,
        pm25_ugm3: 35,
        pm10_ugm3: 41,
        n0_3_per_dl: 4104,
        n0_5_per_dl: 1193,
        n1_0_per_dl: 278,
        n2_5_per_dl: 12,
        temperature_c: 21.2,
        humidity_pct: 22.4,
      },
      version: 0x9a,
      errorCode: 0,
    },
  },
  {
    name: 'pypms-pms5003t-7',
    source:
      'avaldebe/PyPMS tests/captured_data/PMS5003T.hexdump line 0xe0 (commit f665002f); PMS5003T.csv row ' +
      '1612247347: raw 23/37/45, pm 22/34/45, n 38.37/11.35/2.92/0.22 per cm³, temp 21.3, rhum 22.2.',
    variant: 'pms5003t',
    hex: '42 4d 00 1c 00 17 00 25 00 2d 00 16 00 22 00 2d 0e fd 04 6f 01 24 00 16 00 d5 00 de 9a 00 05 7f',
    expected: {
      kind: 'reading',
      values: {
        pm1_cf1_ugm3: 23,
        pm25_cf1_ugm3: 37,
        pm10_cf1_ugm3: 45,
        pm1_ugm3: 22,
        pm25_ugm3: 34,
        pm10_ugm3: 45,
        n0_3_per_dl: 3837,
        n0_5_per_dl: 1135,
        n1_0_per_dl: 292,
        n2_5_per_dl: 22,
        temperature_c: 21.3,
        humidity_pct: 22.2,
      },
      version: 0x9a,
      errorCode: 0,
    },
  },
  {
    name: 'pypms-pms3003-24byte',
    source:
      'avaldebe/PyPMS tests/cli/captured_data/PMS3003.hexdump line 0x60 (commit b1a979f6): a 24-byte PMS3003 ' +
      'frame, length 0x0014; tests/captured_data/PMS3003.csv row 1601219810: raw 1/1/1, pm 1/1/1.',
    variant: 'pms5003',
    hex: '42 4d 00 14 00 01 00 01 00 01 00 01 00 01 00 01 00 00 00 00 00 51 00 fa',
    expected: {
      kind: 'reading',
      values: { pm1_cf1_ugm3: 1, pm25_cf1_ugm3: 1, pm10_cf1_ugm3: 1, pm1_ugm3: 1, pm25_ugm3: 1, pm10_ugm3: 1 },
    },
  },
  {
    name: 'airrohr-730-ack',
    source:
      'https://github.com/opendata-stuttgart/sensors-software/issues/730 (debug log of a PMS7003, 2020-06-06): ' +
      'airrohr read this 8-byte ACK as a data frame ("Checksum is: 375, Checksum should: 0"). Its bytes echo ' +
      'CMD E4 / DATAL 00, i.e. the ACK a sensor sends for the sleep command.',
    variant: 'pms5003',
    hex: '42 4d 00 04 e4 00 01 77',
    expected: { kind: 'ack', command: 0xe4, data: 0x00 },
  },
  {
    name: 'pypms-pms5003t-0-corrupted',
    source:
      'pypms-pms5003t-0 with byte 13 (PM2.5 atmospheric low byte) changed 0x23 → 0x24, as a flipped bit on the ' +
      'wire would: the stored checksum 0x04aa no longer matches the sum 0x04ab.',
    variant: 'pms5003t',
    hex: PMS5003T_0.replace('00 16 00 23 00 29', '00 16 00 24 00 29'),
    expected: { kind: 'error', code: 'checksum', reason: 'checksum 0x04aa != sum 0x04ab' },
  },
];

/**
 * A PMS5003T read with the wrong line settings, as published in https://github.com/avaldebe/PyPMS/issues/19
 * (comment by pczolee, 2021-02-02, `xxd -g1 -c32 /dev/ttyAMA0`, the nine lines shown). Bytes look like frames
 * (`42 00 4d`, `42 4d 00 1c …` truncated into zeros) but none is whole: it must yield no reading and exactly
 * one checksum rejection (the `42 4d 00 1c 00 12 …` at offset 0x4f).
 */
export const NOISY_CAPTURE = {
  source: 'https://github.com/avaldebe/PyPMS/issues/19 (xxd dump in a comment, lines 0x00–0x100)',
  hex: [
    '00 00 00 00 00 80 80 00 00 fe 00 80 80 00 00 fe 78 1e 80 78 00 00 80 80 00 00 1e 80 78 00 00 78',
    '00 00 00 00 1e 80 78 00 00 78 00 00 00 00 42 00 4d 00 1c 00 11 00 1c 00 1c 00 11 00 1c 00 1c 0b',
    'af 03 73 00 c4 00 08 00 ca 00 e3 9a 00 05 80 42 4d 00 1c 00 12 00 1d 00 1d 00 12 00 1d 00 1d c8',
    '00 08 00 ca 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00',
    '00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 80 80 00 78 fe 00 78 fe 00 80 80 00 78 fe 00 78',
    'fe 78 80 80 00 80 00 00 80 00 1e 80 78 00 00 80 80 00 00 00 1e 80 78 00 00 80 80 00 00 1e 80 78',
    '00 00 80 80 00 00 1e 80 78 00 00 80 80 00 f8 f8 1e 80 78 00 00 80 80 00 f8 f8 1e 80 78 00 00 80',
    '80 00 f8 f8 1e 80 78 00 00 80 80 00 80 f8 1e 80 78 00 00 80 80 00 80 f8 1e 80 78 00 00 80 80 00',
    '80 f8 1e 80 78 00 00 80 80 00 80 f8 1e 80 78 00 00 80 80 00 80 f8 1e 80 78 00 00 80 80 00 80 f8',
  ].join(' '),
  expectedReadings: 0,
  expectedChecksumErrors: 1,
} as const;

/** The five commands as protocols.md §1 prints them (CALC there from airrohr PMS_cmd / Smart Citizen Sck_PMS). */
export const COMMAND_BYTES = {
  passive: '42 4d e1 00 00 01 70',
  active: '42 4d e1 00 01 01 71',
  read: '42 4d e2 00 00 01 71',
  sleep: '42 4d e4 00 00 01 73',
  wake: '42 4d e4 00 01 01 74',
} as const;
