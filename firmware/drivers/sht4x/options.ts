// The SHT4x's options: this schema is the only place their types and defaults live (STYLE.md).
import { z } from 'zod';

export const sht4xOptionsSchema = z.strictObject({
  /**
   * 7-bit I2C address, fixed by the part number: 0x44 for SHT40/41/45-AD1B (the default), 0x45 for SHT40-BD1B,
   * 0x46 for SHT40-CD1B (datasheet, device overview and full product list).
   */
  address: z.literal([0x44, 0x45, 0x46]).default(0x44),
  /** Measurement precision (repeatability) (§4.5): high 0xFD, medium 0xF6, low 0xE0. */
  precision: z.enum(['high', 'medium', 'low']).default('high'),
  /** How many times to try the read after the nominal measurement time while the sensor still NACKs it. */
  max_read_attempts: z.number().int().min(1).max(100).default(5),
});

/** What a config file may give (defaults not yet applied). */
export type Sht4xOptionsInput = z.input<typeof sht4xOptionsSchema>;
/** The options after parsing, defaults applied. */
export type Sht4xOptions = z.output<typeof sht4xOptionsSchema>;
