// Sensirion SHT3x-DIS command set and conversions (Datasheet SHT3x-DIS, Version 5, May 2018). The driver and
// the simulator share these so they cannot disagree on a code, a delay or a formula.
import { decodeWords } from '../../protocols/sensirion-words.js';

export type Sht3xRepeatability = 'high' | 'medium' | 'low';

/**
 * Single-shot measurement with clock stretching disabled (§4.3, Table 9: 0x2400 / 0x240B / 0x2416). Without
 * clock stretching the sensor NACKs the read header until the result is ready, which every I2C adapter handles;
 * a stretched clock is not something the Pi's I2C controller copes with reliably.
 */
export const MEASURE_COMMAND: Record<Sht3xRepeatability, number> = { high: 0x2400, medium: 0x240b, low: 0x2416 };

/**
 * Maximum measurement duration in ms per repeatability (§2.2 timing table, tMEAS max 15 / 6 / 4 ms; "Table 4" in
 * datasheet v0.93); the same figures as the Linux driver's SHT3X_SINGLE_WAIT_TIME_HPM/MPM/LPM (drivers/hwmon/sht3x.c).
 */
export const MEASURE_MS: Record<Sht3xRepeatability, number> = { high: 15, medium: 6, low: 4 };

/** Soft reset (§4.9). */
export const SOFT_RESET = 0x30a2;
/**
 * Wait after the soft reset before the next command. The datasheet's timing table (§2.2) lists the soft-reset time;
 * 2 ms is our reading of its maximum plus margin, not re-checked against V5 [U].
 */
export const SOFT_RESET_MS = 2;
/** Read out of the status register (§4.11, Table 17); clear status (Table 19). */
export const READ_STATUS = 0xf32d;
export const CLEAR_STATUS = 0x3041;
/**
 * Read the 32-bit serial number (two words + CRC). Not in the V5 datasheet's command tables; the Linux driver
 * sends it (drivers/hwmon/sht3x.c, sht3x_cmd_read_serial_number = { 0x37, 0x80 }).
 */
export const READ_SERIAL = 0x3780;

/** The 16-bit command as the two bytes the sensor expects, MSB first (§4: commands carry no separate CRC). */
export const commandBytes = (command: number): Uint8Array => Uint8Array.of(command >> 8, command & 0xff);

/** §4.13: T = −45 + 175 · S_T / (2^16 − 1) °C. */
export const temperatureFromRaw = (raw: number): number => -45 + (175 * raw) / 65535;
/** §4.13: RH = 100 · S_RH / (2^16 − 1) %RH. */
export const humidityFromRaw = (raw: number): number => (100 * raw) / 65535;

const clampWord = (x: number) => Math.min(0xffff, Math.max(0, Math.round(x)));
/** The inverse of §4.13, for the simulator: the raw word a sensor would report at temperature `c`. */
export const rawFromTemperature = (c: number): number => clampWord(((c + 45) * 65535) / 175);
export const rawFromHumidity = (pct: number): number => clampWord((pct * 65535) / 100);

export interface Sht3xMeasurement {
  temperature_c: number;
  humidity_pct: number;
  rawTemperature: number;
  rawHumidity: number;
}

/** Decodes the 6-byte single-shot reply (§4.4: T word + CRC, then RH word + CRC). Throws on a CRC mismatch. */
export function decodeMeasurement(reply: Uint8Array): Sht3xMeasurement {
  const [rawTemperature = 0, rawHumidity = 0] = decodeWords(reply, ['temperature', 'humidity']);
  return {
    temperature_c: temperatureFromRaw(rawTemperature),
    humidity_pct: humidityFromRaw(rawHumidity),
    rawTemperature,
    rawHumidity,
  };
}

export interface Sht3xStatus {
  raw: number;
  /** Bit 15: at least one pending alert. */
  alertPending: boolean;
  /** Bit 13: the heater is on (it skews temperature and humidity). */
  heaterOn: boolean;
  /** Bits 11 / 10: RH / T tracking alert. */
  humidityAlert: boolean;
  temperatureAlert: boolean;
  /** Bit 4: a hard reset, soft reset or supply fail happened since the last clear. */
  resetDetected: boolean;
  /** Bit 1: the last command was not processed (invalid or failed its checksum). */
  commandFailed: boolean;
  /** Bit 0: the checksum of the last write transfer failed. */
  writeChecksumFailed: boolean;
}

/** The status register's fields (§4.11, Table 18). */
export function decodeStatus(reply: Uint8Array): Sht3xStatus {
  const [raw = 0] = decodeWords(reply, ['status']);
  const bit = (n: number) => (raw & (1 << n)) !== 0;
  return {
    raw,
    alertPending: bit(15),
    heaterOn: bit(13),
    humidityAlert: bit(11),
    temperatureAlert: bit(10),
    resetDetected: bit(4),
    commandFailed: bit(1),
    writeChecksumFailed: bit(0),
  };
}

/** The serial number: two words, most significant first. */
export function decodeSerial(reply: Uint8Array): number {
  const [hi = 0, lo = 0] = decodeWords(reply, ['serial number high', 'serial number low']);
  return hi * 0x10000 + lo;
}
