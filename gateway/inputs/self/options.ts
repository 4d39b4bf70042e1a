import { z } from 'zod';

export const selfInputOptions = z
  .object({
    /** Seconds between two snapshots written to the `gateway` measurement. */
    interval_s: z.number().int().min(1).max(3600).default(60),
  })
  .strict();
export type SelfInputOptions = z.infer<typeof selfInputOptions>;
