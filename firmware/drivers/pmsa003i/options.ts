// The PMSA003I's options: this schema is the only place their types and defaults live (STYLE.md).
import { z } from 'zod';

export const pmsa003iOptionsSchema = z.strictObject({
  /**
   * 7-bit I2C address. The PMSA003I has only one (adafruit/Adafruit_PM25AQI: "PMSA003I has only one I2C address",
   * 0x12); the key exists so a station file can say it explicitly.
   */
  address: z.literal(0x12).default(0x12),
  /** Readings within this many seconds of opening the part are flagged `warmup` (fan spin-up, protocols.md §1). */
  warmup_s: z.number().min(0).max(600).default(30),
});

/** What a config file may give (defaults not yet applied). */
export type Pmsa003iOptionsInput = z.input<typeof pmsa003iOptionsSchema>;
/** The options after parsing, defaults applied. */
export type Pmsa003iOptions = z.output<typeof pmsa003iOptionsSchema>;
