import { z } from 'zod';

/** Window lengths the aggregator knows; the `window` tag of `air_traffic` is the name itself (DESIGN.md §3). */
export const WINDOW_MS = { '1m': 60_000, '15m': 900_000, '1h': 3_600_000 } as const;
export type WindowName = keyof typeof WINDOW_MS;

export const windowsOptions = z
  .object({
    /** How long after a window ends it waits for data still on its way before its first emission (s). */
    grace_s: z.number().nonnegative().default(10),
    /** Which clock-aligned windows to emit into `air_traffic`. Indices need '1h'. */
    windows: z
      .array(z.enum(['1m', '15m', '1h']))
      .min(1)
      .default(['1m', '15m', '1h'])
      .refine((w) => new Set(w).size === w.length, 'each window once'),
    /**
     * How long raw readings and counts are kept for recomputation (h). Data older than this is refused: its
     * window could no longer be recomputed whole. 26 h covers a Europe/Paris day (25 h at most) for ATMO.
     */
    retention_h: z.number().positive().max(24 * 14).default(26),
    /** ATMO assumes background stations (arrêté du 10 juillet 2020, art. 1): a kerbside site gets `indicative = 1`. */
    site_type: z.enum(['kerbside', 'background']).default('kerbside'),
    /** Which per-site indices to emit into `aqi` (computed from the site's hourly windows). */
    indices: z.array(z.enum(['atmo', 'eaqi', 'us-epa'])).default(['atmo', 'eaqi', 'us-epa']),
  })
  .strict();
export type WindowsOptions = z.infer<typeof windowsOptions>;
