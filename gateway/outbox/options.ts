import { z } from 'zod';

/** `outbox:` in the station file: how the durable store-and-forward log in front of the outputs behaves. */
export const outboxOptions = z
  .object({
    /**
     * SQLite `synchronous` in WAL mode. 'full' (default): every group commit is fsynced before the MQTT input
     * acknowledges upstream, so an acknowledged reading survives a power cut, not only a crash. 'normal': a
     * commit survives a process crash, but a power cut can lose the last commits (acknowledged already). The
     * measured cost of 'full' is in README.md (small: one fsync per group commit, not per reading).
     */
    synchronous: z.enum(['full', 'normal']).default('full'),
    /** Rows kept at most; beyond it the oldest are dropped (counted and logged). */
    max_rows: z.number().int().positive().default(5_000_000),
    /** Rows accepted longer ago than this are dropped unsent (counted and logged). */
    max_age_days: z.number().positive().default(30),
    /**
     * false: an in-memory queue with the same behaviour, for benchmarks and tests only — everything queued is
     * LOST on a crash or restart, and the MQTT input then acknowledges readings that are not on disk.
     */
    durable: z.boolean().default(true),
  })
  .strict();
export type OutboxOptions = z.infer<typeof outboxOptions>;
