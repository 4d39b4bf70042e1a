import { z } from 'zod';

export const airTrafficOptions = z
  .object({
    /** Window length; the `window` tag is derived from it (60 → "1m", 900 → "15m", 3600 → "1h"). */
    window_s: z.number().int().positive().default(60),
    /** How long after a window ends it stays open for data still on its way (traffic counts arrive at the end). */
    grace_s: z.number().nonnegative().default(10),
  })
  .strict();
export type AirTrafficOptions = z.infer<typeof airTrafficOptions>;
