// Frames for the SPS30 tests, each with where it came from. "Real" means bytes captured from a sensor and
// published; "Sensirion example" means a vector from Sensirion's own test suite; "CALC" means computed from the
// documented rule (protocols.md §3); "built" means assembled here from a documented value and labelled so.
import type { Values } from '../types.js';
import { SPS30_QUANTITIES } from './measurement.js';

export const bytesOf = (hex: string): Buffer => Buffer.from(hex.replace(/\s+/g, ''), 'hex');

// ---- Sensirion's SHDLC examples ----

/**
 * MOSI frames from Sensirion/python-shdlc-driver tests/serial_frame_builder/test_mosi_frame_builder.py
 * (commit 3eb72da2), test_to_bytes. The stuffing example is the one quoted in protocols.md §3.
 */
export const SENSIRION_MOSI: Array<{ name: string; address: number; command: number; data: number[]; hex: string }> = [
  { name: 'all_zeros_nodata', address: 0x00, command: 0x00, data: [], hex: '7e 00 00 00 ff 7e' },
  { name: 'all_zeros_withdata', address: 0x00, command: 0x00, data: Array(255).fill(0x00), hex: '7e 00 00 ff' + ' 00'.repeat(255) + ' 00 7e' },
  { name: 'all_0xFF_withdata', address: 0xff, command: 0xff, data: Array(255).fill(0xff), hex: '7e ff ff ff' + ' ff'.repeat(255) + ' 01 7e' },
  {
    name: 'byte_stuffing_in_address_command_and_data',
    address: 0x7e,
    command: 0x7d,
    data: [0x11, 0x12, 0x13, 0x14],
    hex: '7e 7d 5e 7d 5d 04 7d 31 12 7d 33 14 b6 7e',
  },
  { name: 'byte_stuffing_in_data_and_checksum', address: 0x00, command: 0x01, data: Array(255).fill(0x7e), hex: '7e 00 01 ff' + ' 7d 5e'.repeat(255) + ' 7d 5d 7e' },
];

/**
 * MISO frames from Sensirion/python-shdlc-driver tests/serial_frame_builder/test_miso_frame_builder.py
 * (commit 0b74fce2), test_interpret_data_valid.
 */
export const SENSIRION_MISO_VALID: Array<{ name: string; address: number; command: number; state: number; data: number[]; hex: string }> = [
  { name: 'all_zeros_nodata', address: 0x00, command: 0x00, state: 0x00, data: [], hex: '7e 00 00 00 00 ff 7e' },
  { name: 'all_zeros_withdata', address: 0x00, command: 0x00, state: 0x00, data: Array(255).fill(0x00), hex: '7e 00 00 00 ff' + ' 00'.repeat(255) + ' 00 7e' },
  { name: 'all_0xFF_withdata', address: 0xff, command: 0xff, state: 0xff, data: Array(255).fill(0xff), hex: '7e ff ff ff ff' + ' ff'.repeat(255) + ' 02 7e' },
  {
    name: 'byte_stuffing_in_address_command_state_and_data',
    address: 0x7e,
    command: 0x7d,
    state: 0x11,
    data: [0x12, 0x13, 0x14],
    hex: '7e 7d 5e 7d 5d 7d 31 03 12 7d 33 14 b7 7e',
  },
  { name: 'byte_stuffing_in_data_and_checksum', address: 0x00, command: 0x01, state: 0x00, data: Array(255).fill(0x7e), hex: '7e 00 01 00 ff' + ' 7d 5e'.repeat(255) + ' 7d 5d 7e' },
];

/**
 * Same file, test_interpret_data_invalid: frames Sensirion's decoder refuses, with the reason code ours gives.
 * ("empty", `7e 7e`, is left out: in a stream two adjacent flags are a resync, not a frame — see shdlc.ts.)
 */
export const SENSIRION_MISO_INVALID: Array<{ name: string; hex: string; code: 'length' | 'checksum' }> = [
  { name: 'too_short', hex: '7e 00 00 00 ff 7e', code: 'length' },
  { name: 'too_long', hex: '7e 00 00 00 ff' + ' 00'.repeat(256) + ' 00 7e', code: 'length' },
  { name: 'too_less_data', hex: '7e 00 00 00 01 fe 7e', code: 'length' },
  { name: 'too_much_data', hex: '7e 00 00 00 00 00 ff 7e', code: 'length' },
  { name: 'nodata_wrong_checksum', hex: '7e 00 00 00 00 fe 7e', code: 'checksum' },
  { name: 'all_0xFF_wrong_checksum', hex: '7e ff ff ff ff' + ' ff'.repeat(255) + ' 00 7e', code: 'checksum' },
];

// ---- SPS30 command frames ----

/**
 * Every MOSI frame of protocols.md §3's table (CALC from the documented rule; start/stop/read also in the SPS30
 * datasheet v1.0 §5 (UART)). Wake has CMD 0x11 stuffed; the auto-clean read has its CHK (0x7E) stuffed.
 */
export const SPS30_MOSI_TABLE: Array<{ name: string; command: number; data: number[]; hex: string }> = [
  { name: 'start (float)', command: 0x00, data: [0x01, 0x03], hex: '7e 00 00 02 01 03 f9 7e' },
  { name: 'start (u16)', command: 0x00, data: [0x01, 0x05], hex: '7e 00 00 02 01 05 f7 7e' },
  { name: 'stop', command: 0x01, data: [], hex: '7e 00 01 00 fe 7e' },
  { name: 'read measured values', command: 0x03, data: [], hex: '7e 00 03 00 fc 7e' },
  { name: 'sleep', command: 0x10, data: [], hex: '7e 00 10 00 ef 7e' },
  { name: 'wake-up', command: 0x11, data: [], hex: '7e 00 7d 31 00 ee 7e' },
  { name: 'fan cleaning', command: 0x56, data: [], hex: '7e 00 56 00 a9 7e' },
  { name: 'read auto-cleaning interval', command: 0x80, data: [0x00], hex: '7e 00 80 01 00 7d 5e 7e' },
  { name: 'device info: serial', command: 0xd0, data: [0x03], hex: '7e 00 d0 01 03 2b 7e' },
  { name: 'device reset', command: 0xd3, data: [], hex: '7e 00 d3 00 2c 7e' },
];

// ---- real captures ----

const valuesOf = (v: number[]): Values => Object.fromEntries(SPS30_QUANTITIES.map((q, i) => [q, v[i]!]));

export interface CapturedReading {
  hex: string;
  /** Unix time of the capture, from the CSV. */
  time: number;
  /** PyPMS's own decoding: mass and size to 1 decimal, numbers to 2 (its CSV format). */
  expected: Values;
}

const pypms = (hex: string, time: number, v: number[]): CapturedReading => ({ hex, time, expected: valuesOf(v) });

/**
 * Ten read-measured-values replies captured from a real SPS30 over UART, as published by PyPMS:
 * avaldebe/PyPMS tests/captured_data/SPS30.hexdump (one reply per line; the line offsets there are not byte
 * offsets) and, for the expected values, tests/captured_data/SPS30.csv (both at commit c217ddde). They include
 * stuffed data bytes (7d 33, 7d 31, 7d 5e, 7d 5d) and a stuffed 0x7d.
 */
export const PYPMS_CAPTURE: CapturedReading[] = [
  pypms('7e 00 03 00 28 40 a7 83 20 41 17 77 bb 41 4a 5f 83 41 54 8d dd 41 d2 83 3e 42 7d 33 fc 85 42 26 17 22 42 29 a4 d9 42 2a 29 bc 3f 55 b7 e7 9e 7e', 1630991100, [5.2, 9.5, 12.6, 13.3, 26.31, 37.00, 41.52, 42.41, 42.54, 0.8]),
  pypms('7e 00 03 00 28 40 b9 c6 7f 41 03 6c 8b 41 1e 4a e2 41 23 aa 92 42 0c 5b 7c 42 2e fd ba 42 38 ca b3 42 3a b2 c9 42 3a fd e9 3f 4a 10 25 d6 7e', 1630991110, [5.8, 8.2, 9.9, 10.2, 35.09, 43.75, 46.20, 46.67, 46.75, 0.8]),
  pypms('7e 00 03 00 28 40 df 03 da 41 7d 31 62 ae 41 27 9e 32 41 2c 10 7d 5e 42 30 7d 5e d3 42 55 c0 4c 42 5e 09 08 42 5f a2 8a 42 5f e4 43 3f 40 fa 1f ff 7e', 1630991120, [7.0, 9.1, 10.5, 10.8, 44.12, 53.44, 55.51, 55.91, 55.97, 0.8]),
  pypms('7e 00 03 00 28 40 fa 9f ee 41 1e 6a 7d 33 41 33 60 81 41 37 91 cd 42 49 8e c8 42 71 b1 18 42 79 9a b4 42 7b 20 1b 42 7b 60 21 3f 3c a4 c4 87 7e', 1630991130, [7.8, 9.9, 11.2, 11.5, 50.39, 60.42, 62.40, 62.78, 62.84, 0.7]),
  pypms('7e 00 03 00 28 41 05 1c 4c 41 27 8b 14 41 3d 38 59 41 41 8e 35 42 56 92 6c 42 80 79 7c 42 84 93 12 42 85 5c b2 42 85 7d 5d fb 3f 3e 67 ea 31 7e', 1630991140, [8.3, 10.5, 11.8, 12.1, 53.64, 64.24, 66.29, 66.68, 66.75, 0.7]),
  pypms('7e 00 03 00 28 41 03 9f 9e 41 23 7d 5e 0b 41 37 29 dc 41 3b 18 f8 42 55 95 4a 42 7d 5e ba 00 42 83 1c 73 42 83 d4 4c 42 83 f3 10 3f 3e 00 79 76 7e', 1630991150, [8.2, 10.2, 11.4, 11.7, 53.40, 63.68, 65.56, 65.91, 65.97, 0.7]),
  pypms('7e 00 03 00 28 41 06 b1 47 41 26 09 7d 5d 41 39 24 19 41 3c f6 37 42 5b 61 d6 42 82 85 77 42 86 2d ad 42 86 e0 ca 42 86 ff 03 3f 3d 19 e5 5b 7e', 1630991200, [8.4, 10.4, 11.6, 11.8, 54.85, 65.26, 67.09, 67.44, 67.50, 0.7]),
  pypms('7e 00 03 00 28 41 07 d4 61 41 26 1c 2a 41 38 4c cf 41 3b f0 1a 42 5e 17 d0 42 83 d2 21 42 87 52 70 42 87 fd 97 42 88 1a c2 3f 3e 47 c7 38 7e', 1630991210, [8.5, 10.4, 11.5, 11.7, 55.52, 65.91, 67.66, 68.00, 68.05, 0.7]),
  pypms('7e 00 03 00 28 41 0c 43 87 41 2b 1e da 41 3d 92 1e 41 41 42 bc 42 65 9c 10 42 88 2f 76 42 8b be 32 42 8c 6c 00 42 8c 89 b8 3f 3e 5a 83 89 7e', 1630991220, [8.8, 10.7, 11.8, 12.1, 57.40, 68.09, 69.87, 70.21, 70.27, 0.7]),
  pypms('7e 00 03 00 28 41 07 9f e5 41 24 a7 bf 41 35 d7 db 41 39 47 db 42 5e 89 35 42 83 cd 07 42 87 20 a7 42 87 c2 f8 42 87 de e9 3f 3d be a6 ff 7e', 1630991230, [8.5, 10.3, 11.4, 11.6, 55.63, 65.90, 67.56, 67.88, 67.94, 0.7]),
]

/**
 * A real MISO frame with a state error: the reply to a wake-up (CMD 0x11, stuffed) sent to a sensor that was
 * not asleep — state 0x43, "command not allowed in the current state" — preceded by one junk byte 0xFE.
 * Source: raspberrypi.stackexchange.com/questions/137657 ("Having issues interfacing SPS30 with Pico"), the
 * asker's printout `b'\xfe~\x00}1C\x00\xab~'`.
 */
export const STACKEXCHANGE_WAKE_0X43 = { hex: 'fe 7e 00 7d 31 43 00 ab 7e', command: 0x11, state: 0x43 };

/**
 * Replies with no captured public copy, computed from the documented rule (CALC): start/stop acknowledged with
 * state 0 and no data; a read while no new values are ready returns an empty frame (python-uart-sps30
 * commands.py, ReadMeasurementValuesFloat docstring).
 */
export const CALC_MISO = {
  startAck: '7e 00 00 00 00 ff 7e',
  stopAck: '7e 00 01 00 00 fe 7e',
  readNoNewData: '7e 00 03 00 00 fc 7e',
};

// ---- I2C ----

/**
 * A real 60-byte I2C read of measured values (20 words + CRCs) from a failing SPS30: every mass and number value
 * zero (one of them -0, word 0x8000), typical size 0x3FD0A3D7 = 1.63 µm — "returns now 0.00 … particle size 1.63um
 * all the time". Source: github.com/Sensirion/arduino-avr-legacy-i2c-sps30/issues/14 (michapr, 2019-06-27).
 */
export const I2C_CAPTURE_ISSUE14 = {
  hex:
    '00 00 81 00 00 81 00 00 81 00 00 81 00 00 81 00 00 81 00 00 81 00 00 81 80 00 a2 00 00 81 ' +
    '00 00 81 00 00 81 00 00 81 00 00 81 00 00 81 00 00 81 00 00 81 00 00 81 3f d0 ae a3 d7 c0',
  expected: {
    pm1_ugm3: 0, pm25_ugm3: 0, pm4_ugm3: 0, pm10_ugm3: 0,
    nc0_5_per_cm3: 0, nc1_0_per_cm3: 0, nc2_5_per_cm3: 0, nc4_0_per_cm3: 0, nc10_per_cm3: 0,
    typical_size_um: 1.63,
  } satisfies Values,
};

/** The I2C start-measurement write: command 0x0010, argument 0x0300 (float), CRC 0xAC (protocols.md §3, CALC). */
export const I2C_START_FLOAT_WRITE = '00 10 03 00 ac';

/**
 * BUILT: an I2C serial-number read (0xD033, 48 bytes) for the serial a real SPS30 reported in
 * github.com/esphome/issues/issues/2735 ("Serial number : 6B19E22CD975E11A"; that log prints the data bytes
 * with the CRCs already removed, so the CRCs here are computed, and the tail is zero-padded).
 */
export const I2C_SERIAL_BUILT = { serial: '6B19E22CD975E11A' };
