import { describe, expect, it } from 'vitest';
import { sensirionCrc8 } from '../../protocols/sensirion-crc8.js';
import { SensirionWordError } from '../../protocols/sensirion-words.js';
import { bytesOf, DATASHEET_CRC_EXAMPLE, SENLIB_SHT31 } from './fixtures.js';
import {
  decodeMeasurement, decodeSerial, decodeStatus, humidityFromRaw, rawFromHumidity, rawFromTemperature, temperatureFromRaw,
} from './protocol.js';

const round2 = (x: number) => Math.round(x * 100) / 100;

describe('SHT3x conversions (datasheet §4.13)', () => {
  it('CRC of the datasheet example 0xBEEF is 0x92 (§4.12 Table 20)', () => {
    expect(sensirionCrc8(bytesOf(DATASHEET_CRC_EXAMPLE.hex), 0, 2)).toBe(DATASHEET_CRC_EXAMPLE.crc);
  });

  it('maps the ends of the 16-bit range to −45…130 °C and 0…100 %RH', () => {
    expect(temperatureFromRaw(0)).toBe(-45);
    expect(temperatureFromRaw(0xffff)).toBe(130);
    expect(humidityFromRaw(0)).toBe(0);
    expect(humidityFromRaw(0xffff)).toBe(100);
  });

  it('inverts exactly to the nearest raw word', () => {
    for (const raw of [0, 1, 0x623c, 0x8000, 0xfffe, 0xffff]) {
      expect(rawFromTemperature(temperatureFromRaw(raw))).toBe(raw);
      expect(rawFromHumidity(humidityFromRaw(raw))).toBe(raw);
    }
    expect(rawFromTemperature(-60)).toBe(0);
    expect(rawFromHumidity(120)).toBe(0xffff);
  });
});

describe('SHT3x replies — real SHT31 readings (lexruee/senlib)', () => {
  it.each(SENLIB_SHT31)('$name decodes to the published values', (f) => {
    const m = decodeMeasurement(bytesOf(f.hex));
    expect(m.rawTemperature).toBe(f.rawTemperature);
    expect(m.rawHumidity).toBe(f.rawHumidity);
    expect(m.temperature_c).toBe(-45 + (175 * f.rawTemperature) / 65535);
    expect(round2(m.temperature_c)).toBe(f.temperature_c);
    expect(round2(m.humidity_pct)).toBe(f.humidity_pct);
  });

  it('rejects a flipped bit in the temperature word, naming it', () => {
    const reply = bytesOf('62 3d b5 6d df be');
    expect(() => decodeMeasurement(reply)).toThrow(SensirionWordError);
    expect(() => decodeMeasurement(reply)).toThrow(
      'CRC mismatch on the temperature word (bytes 0–2: 62 3d b5): received 0xb5, computed 0x84',
    );
  });

  it('rejects a bad humidity CRC, naming the humidity word', () => {
    expect(() => decodeMeasurement(bytesOf('62 3c b5 6d df bf'))).toThrow(/CRC mismatch on the humidity word .* received 0xbf, computed 0xbe/);
  });

  it('rejects a short read', () => {
    expect(() => decodeMeasurement(bytesOf('62 3c b5'))).toThrow(/reply is 3 bytes, expected 6/);
  });
});

describe('SHT3x status register (§4.11 Table 18)', () => {
  it('decodes the bits', () => {
    // 0x8010: alert pending + reset detected; CRC computed with the datasheet's algorithm.
    const word = Uint8Array.of(0x80, 0x10);
    const s = decodeStatus(Uint8Array.of(0x80, 0x10, sensirionCrc8(word)));
    expect(s).toEqual({
      raw: 0x8010, alertPending: true, heaterOn: false, humidityAlert: false, temperatureAlert: false,
      resetDetected: true, commandFailed: false, writeChecksumFailed: false,
    });
  });

  it('joins the two serial-number words', () => {
    // Two words with valid CRCs (a real SHT4x serial reply, elixir-sensors/sht4x test/sht4x/comm_test.exs).
    expect(decodeSerial(bytesOf('0f ba 7c f9 8f 0e'))).toBe(263_911_823);
  });
});
