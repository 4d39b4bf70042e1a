// ADS1115 config register (TI SBAS444, §9.6.3 "Config Register"; /work/shared/reference/protocols.md §5).
//
//  15   OS         write 1: start a single-shot conversion; read 1: idle, 0: converting
//  14:12 MUX       000 AIN0−AIN1, 001 AIN0−AIN3, 010 AIN1−AIN3, 011 AIN2−AIN3, 100..111 AIN0..AIN3 vs GND
//  11:9 PGA        full-scale range ±6.144, ±4.096, ±2.048, ±1.024, ±0.512, ±0.256 V (101–111 all ±0.256)
//   8   MODE       1 single-shot / power-down, 0 continuous
//  7:5  DR         8, 16, 32, 64, 128, 250, 475, 860 SPS
//   4   COMP_MODE  0 traditional, 1 window
//   3   COMP_POL   0 active low
//   2   COMP_LAT   0 non-latching
//  1:0  COMP_QUE   00/01/10 assert after 1/2/4 conversions, 11 comparator off
// Reset value 0x8583.

export const POINTER = { CONVERSION: 0, CONFIG: 1, LO_THRESH: 2, HI_THRESH: 3 } as const;

export const MUX = {
  'ain0-ain1': 0b000,
  'ain0-ain3': 0b001,
  'ain1-ain3': 0b010,
  'ain2-ain3': 0b011,
  ain0: 0b100,
  ain1: 0b101,
  ain2: 0b110,
  ain3: 0b111,
} as const;
export type Mux = keyof typeof MUX;

/** Full-scale range in volts, indexed by PGA code. */
export const FSR_VALUES = [6.144, 4.096, 2.048, 1.024, 0.512, 0.256] as const;
export type Fsr = (typeof FSR_VALUES)[number];

/** Data rate in samples per second, indexed by DR code. */
export const SPS_VALUES = [8, 16, 32, 64, 128, 250, 475, 860] as const;
export type Sps = (typeof SPS_VALUES)[number];

export type ComparatorQueue = 'assert-after-1' | 'assert-after-2' | 'assert-after-4' | 'disabled';
const QUEUE_CODE: Record<ComparatorQueue, number> = { 'assert-after-1': 0, 'assert-after-2': 1, 'assert-after-4': 2, disabled: 3 };

export interface ConfigFields {
  /** Start a single-shot conversion (bit 15 on write). */
  start: boolean;
  mux: Mux;
  fsr: Fsr;
  sps: Sps;
  mode: 'single-shot' | 'continuous';
  comparator: { window: boolean; activeHigh: boolean; latching: boolean; queue: ComparatorQueue };
}

/** The chip's power-on settings: decodeConfig(0x8583) with start=true. */
export const RESET_FIELDS: ConfigFields = {
  start: true,
  mux: 'ain0-ain1',
  fsr: 2.048,
  sps: 128,
  mode: 'single-shot',
  comparator: { window: false, activeHigh: false, latching: false, queue: 'disabled' },
};

export function buildConfig(fields: Partial<ConfigFields> = {}): number {
  const f = { ...RESET_FIELDS, ...fields, comparator: { ...RESET_FIELDS.comparator, ...fields.comparator } };
  const pga = FSR_VALUES.indexOf(f.fsr);
  const dr = SPS_VALUES.indexOf(f.sps);
  if (pga < 0) throw new RangeError(`ADS1115 full-scale range ${f.fsr} V is not one of ${FSR_VALUES.join(', ')}`);
  if (dr < 0) throw new RangeError(`ADS1115 data rate ${f.sps} SPS is not one of ${SPS_VALUES.join(', ')}`);
  return (
    ((f.start ? 1 : 0) << 15) |
    (MUX[f.mux] << 12) |
    (pga << 9) |
    ((f.mode === 'single-shot' ? 1 : 0) << 8) |
    (dr << 5) |
    ((f.comparator.window ? 1 : 0) << 4) |
    ((f.comparator.activeHigh ? 1 : 0) << 3) |
    ((f.comparator.latching ? 1 : 0) << 2) |
    QUEUE_CODE[f.comparator.queue]
  );
}

const MUX_BY_CODE = Object.fromEntries(Object.entries(MUX).map(([k, v]) => [v, k as Mux])) as Record<number, Mux>;
const QUEUE_BY_CODE = Object.fromEntries(Object.entries(QUEUE_CODE).map(([k, v]) => [v, k as ComparatorQueue])) as Record<number, ComparatorQueue>;

/** Decode a config word; on a read-back, `start` is the OS bit and means "idle". */
export function decodeConfig(word: number): ConfigFields {
  const pga = (word >> 9) & 0x7;
  return {
    start: (word & 0x8000) !== 0,
    mux: MUX_BY_CODE[(word >> 12) & 0x7] ?? 'ain0-ain1',
    // PGA codes 101, 110 and 111 all select ±0.256 V.
    fsr: FSR_VALUES[Math.min(pga, 5)] ?? 0.256,
    sps: SPS_VALUES[(word >> 5) & 0x7] ?? 128,
    mode: word & 0x100 ? 'single-shot' : 'continuous',
    comparator: {
      window: (word & 0x10) !== 0,
      activeHigh: (word & 0x08) !== 0,
      latching: (word & 0x04) !== 0,
      queue: QUEUE_BY_CODE[word & 0x3] ?? 'disabled',
    },
  };
}

/** Channel numbers as the part wires them: single-ended AINn vs GND. */
export type Channel = 0 | 1 | 2 | 3;
export const singleEnded = (channel: Channel): Mux => (['ain0', 'ain1', 'ain2', 'ain3'] as const)[channel];

/** The two inputs a MUX setting compares; `null` is GND. */
export function muxInputs(mux: Mux): [Channel, Channel | null] {
  switch (mux) {
    case 'ain0-ain1': return [0, 1];
    case 'ain0-ain3': return [0, 3];
    case 'ain1-ain3': return [1, 3];
    case 'ain2-ain3': return [2, 3];
    case 'ain0': return [0, null];
    case 'ain1': return [1, null];
    case 'ain2': return [2, null];
    case 'ain3': return [3, null];
  }
}

/** int16 code → volts: V = code · FSR / 32768 (SBAS444 §9.3.3 "Full-Scale Range and LSB Size"). */
export const codeToVolts = (code: number, fsr: Fsr): number => (code * fsr) / 32768;

/** volts → the int16 code the chip reports, clipped at 0x7FFF / 0x8000 like the chip (§9.3.3). */
export function voltsToCode(volts: number, fsr: Fsr): number {
  return Math.max(-32768, Math.min(32767, Math.round((volts / fsr) * 32768)));
}

/** Conversion time in ms at a data rate (1/DR, §9.3.6), with the oscillator's ±10 % tolerance (§7.5). */
export const conversionMs = (sps: Sps): number => (1000 / sps) * 1.1;
