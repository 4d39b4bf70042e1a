// SHT3x replies with their source and what they must decode to. Expected values are the source's own numbers;
// the raw words were worked out by hand from the bytes (big-endian, §4.4).

export interface Sht3xReplyFixture {
  name: string;
  source: string;
  /** The 6 bytes read after a single-shot measurement command: T MSB, T LSB, CRC, RH MSB, RH LSB, CRC. */
  hex: string;
  rawTemperature: number;
  rawHumidity: number;
  /** The source's expected values, at the two decimals it prints them with. */
  temperature_c: number;
  humidity_pct: number;
}

export const bytesOf = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex.replace(/\s+/g, ''), 'hex'));

/** Datasheet SHT3x-DIS V5 §4.12, Table 20: "CRC (0xBEEF) = 0x92". */
export const DATASHEET_CRC_EXAMPLE = { word: 0xbeef, crc: 0x92, hex: 'be ef 92' } as const;

const SENLIB =
  'github.com/lexruee/senlib tests/test_shtx.py (commit 1af14d8b1309e1162700d2cf744374e2657e8c18), I2C_DATA_IN ' +
  'for SHT31 with test_measure_sht31 expectations: three consecutive replies replayed through the library\'s ' +
  'MockBus, by their values and valid CRCs recorded from a real SHT31';

export const SENLIB_SHT31: Sht3xReplyFixture[] = [
  {
    name: 'senlib-sht31-1',
    source: `${SENLIB}: [98, 60, 181, 109, 223, 190] → 22.15 °C, 42.92 %`,
    hex: '62 3c b5 6d df be',
    rawTemperature: 0x623c,
    rawHumidity: 0x6ddf,
    temperature_c: 22.15,
    humidity_pct: 42.92,
  },
  {
    name: 'senlib-sht31-2',
    source: `${SENLIB}: [98, 44, 246, 110, 48, 124] → 22.11 °C, 43.04 %`,
    hex: '62 2c f6 6e 30 7c',
    rawTemperature: 0x622c,
    rawHumidity: 0x6e30,
    temperature_c: 22.11,
    humidity_pct: 43.04,
  },
  {
    name: 'senlib-sht31-3',
    // 22.1267 °C: the test's 22.12 truncates; rounded it is 22.13.
    source: `${SENLIB}: [98, 50, 170, 110, 68, 64] → 22.12 °C (22.1267, truncated), 43.07 %`,
    hex: '62 32 aa 6e 44 40',
    rawTemperature: 0x6232,
    rawHumidity: 0x6e44,
    temperature_c: 22.13,
    humidity_pct: 43.07,
  },
];
