// The SHT3x's options: this schema is the only place their types and defaults live (STYLE.md).
import { z } from 'zod';

export const sht3xOptionsSchema = z.strictObject({
  /**
   * 7-bit I2C address: 0x44 with the ADDR pin low, 0x45 with it high (datasheet SHT3x-DIS V5 §3: ADDR must be tied
   * to a logic level, never left floating; the Linux hwmon sht3x documentation lists the same two addresses).
   */
  address: z.literal([0x44, 0x45]).default(0x44),
  /**
   * Repeatability of the single-shot measurement (§4.3, Table 9). High is the most repeatable and takes the longest
   * (15 ms max, §2.2); at one sample every few seconds its energy cost is negligible.
   */
  repeatability: z.enum(['high', 'medium', 'low']).default('high'),
  /** How many times to try the read after the nominal measurement time while the sensor still NACKs it (§4.4). */
  max_read_attempts: z.number().int().min(1).max(100).default(5),
});

/** What a config file may give (defaults not yet applied). */
export type Sht3xOptionsInput = z.input<typeof sht3xOptionsSchema>;
/** The options after parsing, defaults applied. */
export type Sht3xOptions = z.output<typeof sht3xOptionsSchema>;
