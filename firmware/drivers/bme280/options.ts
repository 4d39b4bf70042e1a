// The BME280's options: this schema is the only place their types and defaults live (STYLE.md).
import { z } from 'zod';

export const bme280OptionsSchema = z.strictObject({
  /** 7-bit I2C address: 0x76 with SDO tied to GND, 0x77 with SDO tied to VDDIO (BST-BME280-DS002 §6.2). */
  address: z.literal([0x76, 0x77]).default(0x76),
  /**
   * Oversampling for temperature, pressure and humidity alike (§3.4, §5.4.3, §5.4.5). ×1 is the datasheet's
   * "weather monitoring" setting (§3.5.1): one forced measurement per reading keeps self-heating negligible.
   */
  oversampling: z.literal([1, 2, 4, 8, 16]).default(1),
  /** How many times to re-read the status register after the nominal measurement time before giving up. */
  max_status_polls: z.number().int().min(1).max(1000).default(50),
});

/** What a config file may give (defaults not yet applied). */
export type Bme280OptionsInput = z.input<typeof bme280OptionsSchema>;
/** The options after parsing, defaults applied. */
export type Bme280Options = z.output<typeof bme280OptionsSchema>;
