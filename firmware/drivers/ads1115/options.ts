// The ADS1115's options: this schema is the only place their types and defaults live (STYLE.md).
import { z } from 'zod';
import { FSR_VALUES, SPS_VALUES } from './config.js';

export const ads1115OptionsSchema = z.strictObject({
  /** ADDR pin to GND 0x48, VDD 0x49, SDA 0x4A, SCL 0x4B (TI SBAS444 §9.5.1.1). */
  address: z.literal([0x48, 0x49, 0x4a, 0x4b]).default(0x48),
  /** Full-scale range in volts used when a read does not name one; ±2.048 V is the chip's reset value. */
  fsr_v: z.literal([...FSR_VALUES]).default(2.048),
  /** Data rate used when a read does not name one; 128 SPS is the chip's reset value. */
  sps: z.literal([...SPS_VALUES]).default(128),
  /** Config-register polls after the nominal conversion time before a conversion counts as lost. */
  max_polls: z.number().int().min(1).max(1000).default(20),
});

export type Ads1115OptionsInput = z.input<typeof ads1115OptionsSchema>;
export type Ads1115Options = z.output<typeof ads1115OptionsSchema>;
