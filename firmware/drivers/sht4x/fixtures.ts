// SHT4x replies with their source and what they must decode to. Expected values are the source's own numbers;
// raw words were worked out by hand from the bytes (big-endian, §4.4).

export const bytesOf = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex.replace(/\s+/g, ''), 'hex'));

/** The CRC example the SHT3x datasheet gives (§4.12) and the SHT4x shares (§4.4; robjwells/sht4x-rjw src/crc.rs tests it). */
export const DATASHEET_CRC_EXAMPLE = { hex: 'be ef 92' } as const;

/**
 * A real measurement reply: elixir-sensors/sht4x test/sht4x/measurement_test.exs (commit
 * 5e7d55ea8119499de03b40d27a38d1771b00fc87), "converts raw measurement": <<101, 233, 234, 109, 229, 160>> →
 * raw T 26089, raw RH 28133, 24.67 °C, 47.66 %RH (asserted to ±0.01).
 */
export const ELIXIR_MEASUREMENT = {
  hex: '65 e9 ea 6d e5 a0',
  rawTemperature: 26_089,
  rawHumidity: 28_133,
  temperature_c: 24.67,
  humidity_pct: 47.66,
} as const;

/**
 * Serial-number replies (command 0x89).
 * - elixir-sensors/sht4x test/sht4x/comm_test.exs (commit b832641fd6fdaf9de945e98f31df42e757fdd11d):
 *   <<15, 186, 124, 249, 143, 14>> → 263_911_823.
 * - https://github.com/Sensirion/embedded-i2c-sht4x/issues/2 (SHT41-AD1B-R2 on an nRF52840, bus captured with a
 *   Total Phase Aardvark): "When sending a 0x89 - we're seeing this consistently from the sensor: 0ED8 51 ADE0 FF".
 *   Both CRCs check; the reporter's CRC errors were in the nRF TWI driver, not in these bytes. Serial 0x0ED8ADE0.
 */
export const SERIAL_REPLIES = [
  { name: 'elixir-comm-test', hex: '0f ba 7c f9 8f 0e', serial: 263_911_823 },
  { name: 'embedded-i2c-sht4x-issue-2', hex: '0e d8 51 ad e0 ff', serial: 0x0ed8ade0 },
] as const;

/**
 * The ends of the scale, from sirhcel/sht4x tests/measurement.rs (commit 520847af03aef981d2539de83693aeaf1ba01ab1):
 * raw 0/0 → −45 °C, −6 %RH; raw 0xFFFF/0xFFFF → 130 °C, 119 %RH. Those are the unclamped formula; the
 * datasheet's recommended crop (§4.6) turns the humidity into 0 and 100 %RH.
 */
export const SCALE_ENDS = [
  { raw: 0x0000, temperature_c: -45, unclampedHumidity: -6, humidity_pct: 0 },
  { raw: 0xffff, temperature_c: 130, unclampedHumidity: 119, humidity_pct: 100 },
] as const;
