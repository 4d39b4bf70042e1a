// The SPS30's options: this schema is the only place their types and defaults live (STYLE.md). Whether it is
// read over UART or I2C comes from the station file's `bus`, not from here.
import { z } from 'zod';
import { SPS30_WARMUP_LOW_COUNT_S, SPS30_WARMUP_S } from './definition.js';

export const sps30OptionsSchema = z
  .strictObject({
    /**
     * Fan auto-cleaning interval written at open, in seconds; 0 switches it off. Unset: leave the sensor's own
     * setting (factory default 604 800 s = one week, protocols.md §3).
     */
    auto_clean_interval_s: z.number().int().min(0).max(0xffffffff).optional(),
    /** Readings within this many seconds of the measurement start are flagged `warmup` (protocols.md §3: 16 s). */
    warmup_s: z.number().min(0).max(600).default(SPS30_WARMUP_S),
    /** ...and within this many while nc4.0 < 300 #/cm³ (protocols.md §3: 30 s). */
    warmup_low_count_s: z.number().min(0).max(600).default(SPS30_WARMUP_LOW_COUNT_S),
    /** UART: how long to wait for the MISO reply to one command. */
    command_timeout_ms: z.number().int().min(50).max(10_000).default(1000),
    /**
     * How long one read waits for a new measurement (the sensor makes one per second, datasheet §1.1) before the
     * link counts as stale and the read fails.
     */
    ready_timeout_ms: z.number().int().min(100).max(60_000).default(3000),
    /** Simulated stations only: how often the simulated sensor makes a new measurement (a real one: 1000 ms). */
    sim_interval_ms: z.number().int().min(0).max(60_000).default(1000),
  })
  .refine((o) => o.warmup_low_count_s >= o.warmup_s, {
    message: 'warmup_low_count_s must be at least warmup_s',
    path: ['warmup_low_count_s'],
  });

export type Sps30OptionsInput = z.input<typeof sps30OptionsSchema>;
export type Sps30Options = z.output<typeof sps30OptionsSchema>;
