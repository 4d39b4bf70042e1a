// BME280 register map (Bosch BST-BME280-DS002 §5.3 "Memory map", §4.2.2 "Trimming parameter
// readout"). The driver and the simulator share these so they cannot disagree on an address.

export const REG = {
  /** Calibration block 1: T1..T3, P1..P9 (24 bytes, little-endian words), §4.2.2. */
  CALIB_TP: 0x88,
  /** H1, u8. */
  CALIB_H1: 0xa1,
  /** Calibration block 2: H2..H6 (7 bytes, H4/H5 share 0xE5), §4.2.2. */
  CALIB_H: 0xe1,
  CHIP_ID: 0xd0,
  RESET: 0xe0,
  CTRL_HUM: 0xf2,
  STATUS: 0xf3,
  CTRL_MEAS: 0xf4,
  CONFIG: 0xf5,
  /** press_msb..hum_lsb, 8 bytes, §5.4.7–5.4.9; read in one burst so the three values belong together. */
  DATA: 0xf7,
} as const;

export const CALIB_TP_LENGTH = 24;
export const CALIB_H_LENGTH = 7;
export const DATA_LENGTH = 8;

/** §5.4.1: 0x60 for the BME280; the BMP280 (no humidity) answers 0x58 (BMP280 datasheet, register 0xD0 "id"). */
export const CHIP_ID_BME280 = 0x60;
export const CHIP_ID_BMP280 = 0x58;
/** §5.4.2: writing 0xB6 to 0xE0 performs a power-on reset. */
export const RESET_COMMAND = 0xb6;

/** status register (§5.4.4): bit 3 set while a conversion runs, bit 0 while NVM is copied to the image. */
export const STATUS_MEASURING = 0x08;
export const STATUS_IM_UPDATE = 0x01;

/** ctrl_meas mode bits (§5.4.5): 01 and 10 both start a forced (single) measurement. */
export const MODE_SLEEP = 0b00;
export const MODE_FORCED = 0b01;
export const MODE_NORMAL = 0b11;

/** osrs_x field codes (§5.4.3, §5.4.5): 0 skips the measurement. */
export const OVERSAMPLING_CODE = { 1: 0b001, 2: 0b010, 4: 0b011, 8: 0b100, 16: 0b101 } as const;
export type Oversampling = keyof typeof OVERSAMPLING_CODE;
