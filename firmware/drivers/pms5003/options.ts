// The PMS5003 family's options: this schema is the only place their types and defaults live (STYLE.md).
import { z } from 'zod';
import { PMS_ACTIVE_INTERVAL_MS } from './simulator.js';

export const pmsOptionsSchema = z.strictObject({
  /** Readings within this many seconds of power-up or wake are flagged `warmup` (manual V2.3: stable ≥ 30 s). */
  warmup_s: z.number().min(0).max(600).default(30),
  /** No frame for this long in active mode → the link is `stale` (AirGradient uses 3 s; protocols.md §9). */
  stale_after_ms: z.number().int().min(500).max(60_000).default(3000),
  /** Simulated stations only: how often the simulated sensor sends a frame (a real one: every 2.3 s). */
  sim_interval_ms: z.number().int().min(50).max(60_000).default(PMS_ACTIVE_INTERVAL_MS),
});
export type PmsOptions = z.output<typeof pmsOptionsSchema>;
