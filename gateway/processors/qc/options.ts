// Options of the `qc` processor (station file key `qc:`). The single place their types and defaults live.
// Why each default is what it is: README.md beside this file.
import { z } from 'zod';

export const spikeOptions = z
  .object({
    /** Recent values of a series the check compares with (the median and MAD are taken over these). */
    values: z.number().int().min(3).max(240).default(20),
    /** Only values measured at most this long before the reading count as its neighbours. */
    lookback_s: z.number().int().positive().max(86_400).default(600),
    /** Fewer neighbours than this: no spike verdict (never a false one at start-up or after a gap). */
    min_values: z.number().int().min(3).max(240).default(8),
    /** How many robust standard deviations (1.4826 × MAD) from the median make a spike. */
    k: z.number().positive().default(6),
    /**
     * Absolute floor per quantity family, in the family's unit: a jump must also exceed this, so the MAD of a
     * quiet, integer-valued low-concentration series (often 0 or 1 µg/m³) never turns noise into a spike.
     * A family absent here is not spike-checked.
     */
    floor: z
      .object({
        pm_ugm3: z.number().positive().default(35),
        no2_ppb: z.number().positive().default(50),
        no2_ugm3: z.number().positive().default(95),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .refine((s) => s.min_values <= s.values, { message: 'spike.min_values must not exceed spike.values', path: ['min_values'] });

export const qcOptions = z
  .object({
    spike: spikeOptions.prefault({}),
    disagreement: z
      .object({
        /** |A − B| must exceed this (µg/m³) … (PurpleAirQC_hourly_AB_03: 5) */
        abs_ugm3: z.number().nonnegative().default(5),
        /** … and |A − B| / mean(A, B) must exceed this fraction (PurpleAirQC_hourly_AB_03: 0.7). */
        rel: z.number().nonnegative().default(0.7),
      })
      .strict()
      .prefault({}),
    /** Series (site, node, part, quantity) kept for the spike check; the least recently seen go first. */
    max_series: z.number().int().positive().max(1_000_000).default(4096),
    /** Sites kept for the disagreement check (each holds at most 120 minutes of per-part PM2.5 means). */
    max_sites: z.number().int().positive().max(100_000).default(1024),
    /** A series or site not seen for this long (gateway clock) is forgotten. */
    idle_s: z.number().int().positive().default(3600),
  })
  .strict();

export type QcOptions = z.output<typeof qcOptions>;
