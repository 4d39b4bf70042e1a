// Sensirion SHT4x command set and conversions (Datasheet SHT4x, Version 6, February 2023; section numbers as
// quoted by the robjwells/sht4x-rjw and sirhcel/sht4x drivers). One-byte commands, 6-byte replies of two
// CRC-protected words (§4.4–4.5). The driver and the simulator share these.
import { decodeWords } from '../../protocols/sensirion-words.js';

export type Sht4xPrecision = 'high' | 'medium' | 'low';

/** Measure T & RH at high / medium / low precision (repeatability), no heater (§4.5 command table). */
export const MEASURE_COMMAND: Record<Sht4xPrecision, number> = { high: 0xfd, medium: 0xf6, low: 0xe0 };

/**
 * Maximum measurement duration, rounded up to whole ms: 8.3 / 4.5 / 1.6 ms (§3.2 system timing; "Table 4" in
 * older versions). sirhcel/sht4x src/commands.rs waits 9 / 5 / 2 ms for the same reason.
 */
export const MEASURE_MS: Record<Sht4xPrecision, number> = { high: 9, medium: 5, low: 2 };

/** Soft reset (§4.5). sirhcel/sht4x waits 1 ms after it; 2 ms leaves margin (§3.2 soft-reset time not re-read [U]). */
export const SOFT_RESET = 0x94;
export const SOFT_RESET_MS = 2;
/**
 * Read the 32-bit serial number (§4.5). The datasheet gives no duration; reading at once is NACKed
 * (sirhcel/sht4x src/commands.rs), so the driver waits 1 ms.
 */
export const READ_SERIAL = 0x89;
export const READ_SERIAL_MS = 1;

/** §4.6: T = −45 + 175 · S_T / (2^16 − 1) °C. */
export const temperatureFromRaw = (raw: number): number => -45 + (175 * raw) / 65535;
/**
 * §4.6: RH = −6 + 125 · S_RH / (2^16 − 1) %RH. The datasheet notes that values outside 0…100 %RH can occur at
 * the measurement boundaries and are not physical, and recommends cropping them (the first note in §4.6, as
 * robjwells/sht4x-rjw src/conversions.rs quotes it).
 */
export const humidityFromRaw = (raw: number): number => Math.min(100, Math.max(0, -6 + (125 * raw) / 65535));
/** The same without the crop, for the simulator's inverse and for tests of the boundary. */
export const unclampedHumidityFromRaw = (raw: number): number => -6 + (125 * raw) / 65535;

const clampWord = (x: number) => Math.min(0xffff, Math.max(0, Math.round(x)));
export const rawFromTemperature = (c: number): number => clampWord(((c + 45) * 65535) / 175);
export const rawFromHumidity = (pct: number): number => clampWord(((pct + 6) * 65535) / 125);

/**
 * Both words 0x8000 (≈ 40.0 °C, 56.5 %RH) is the pattern Sensirion describes for a sensor possibly damaged by
 * ESD; such a reading should not be trusted (elixir-sensors/sht4x issue #29, "Ignore 0x8000, 0x8000 reports").
 */
export const ESD_SUSPECT_WORD = 0x8000;

export interface Sht4xMeasurement {
  temperature_c: number;
  humidity_pct: number;
  rawTemperature: number;
  rawHumidity: number;
}

/** Decodes the 6-byte measurement reply (T word + CRC, RH word + CRC). Throws on a CRC mismatch. */
export function decodeMeasurement(reply: Uint8Array): Sht4xMeasurement {
  const [rawTemperature = 0, rawHumidity = 0] = decodeWords(reply, ['temperature', 'humidity']);
  return {
    temperature_c: temperatureFromRaw(rawTemperature),
    humidity_pct: humidityFromRaw(rawHumidity),
    rawTemperature,
    rawHumidity,
  };
}

/** The serial number: two words, most significant first (§4.5). */
export function decodeSerial(reply: Uint8Array): number {
  const [hi = 0, lo = 0] = decodeWords(reply, ['serial number high', 'serial number low']);
  return hi * 0x10000 + lo;
}
