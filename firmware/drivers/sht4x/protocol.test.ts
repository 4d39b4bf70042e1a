import { describe, expect, it } from 'vitest';
import { sensirionCrc8 } from '../../protocols/sensirion-crc8.js';
import { SensirionWordError } from '../../protocols/sensirion-words.js';
import { bytesOf, DATASHEET_CRC_EXAMPLE, ELIXIR_MEASUREMENT, SCALE_ENDS, SERIAL_REPLIES } from './fixtures.js';
import {
  decodeMeasurement, decodeSerial, humidityFromRaw, rawFromHumidity, rawFromTemperature, temperatureFromRaw,
  unclampedHumidityFromRaw,
} from './protocol.js';

const round2 = (x: number) => Math.round(x * 100) / 100;

describe('SHT4x conversions (datasheet §4.6)', () => {
  it('shares the Sensirion CRC: 0xBEEF → 0x92', () => {
    expect(sensirionCrc8(bytesOf(DATASHEET_CRC_EXAMPLE.hex), 0, 2)).toBe(0x92);
  });

  it.each(SCALE_ENDS)('raw $raw → $temperature_c °C, $unclampedHumidity %RH unclamped, $humidity_pct %RH cropped', (f) => {
    expect(temperatureFromRaw(f.raw)).toBe(f.temperature_c);
    expect(unclampedHumidityFromRaw(f.raw)).toBe(f.unclampedHumidity);
    expect(humidityFromRaw(f.raw)).toBe(f.humidity_pct);
  });

  it('crops only outside 0…100 %RH (raw 3145 and 55574 are the first words outside)', () => {
    expect(humidityFromRaw(3145)).toBe(0);
    expect(humidityFromRaw(3146)).toBeGreaterThan(0);
    expect(humidityFromRaw(55573)).toBeLessThan(100);
    expect(humidityFromRaw(55574)).toBe(100);
  });

  it('inverts to the nearest raw word', () => {
    for (const raw of [0, 3146, 26_089, 28_133, 0xffff]) {
      expect(rawFromTemperature(temperatureFromRaw(raw))).toBe(raw);
      expect(rawFromHumidity(unclampedHumidityFromRaw(raw))).toBe(raw);
    }
  });
});

describe('SHT4x replies — real captures', () => {
  it('decodes the elixir-sensors/sht4x measurement exactly', () => {
    const m = decodeMeasurement(bytesOf(ELIXIR_MEASUREMENT.hex));
    expect(m.rawTemperature).toBe(ELIXIR_MEASUREMENT.rawTemperature);
    expect(m.rawHumidity).toBe(ELIXIR_MEASUREMENT.rawHumidity);
    expect(m.temperature_c).toBe(-45 + (175 * 26_089) / 65535);
    expect(m.humidity_pct).toBe(-6 + (125 * 28_133) / 65535);
    expect(round2(m.temperature_c)).toBe(ELIXIR_MEASUREMENT.temperature_c);
    expect(round2(m.humidity_pct)).toBe(ELIXIR_MEASUREMENT.humidity_pct);
  });

  it.each(SERIAL_REPLIES)('decodes serial reply $name', (f) => {
    expect(decodeSerial(bytesOf(f.hex))).toBe(f.serial);
  });

  it('rejects a flipped bit in the temperature word, naming it', () => {
    expect(() => decodeMeasurement(bytesOf('65 e8 ea 6d e5 a0'))).toThrow(SensirionWordError);
    expect(() => decodeMeasurement(bytesOf('65 e8 ea 6d e5 a0'))).toThrow(
      /^CRC mismatch on the temperature word \(bytes 0–2: 65 e8 ea\): received 0xea, computed 0x[0-9a-f]{2}$/,
    );
  });

  it('rejects a bad CRC in the second serial word, naming it', () => {
    expect(() => decodeSerial(bytesOf('0e d8 51 ad e0 fe'))).toThrow(/CRC mismatch on the serial number low word .* received 0xfe, computed 0xff/);
  });
});
