// The SDS011's options: this schema is the only place their types and defaults live (STYLE.md).
import { z } from 'zod';
import { SDS_ACTIVE_INTERVAL_MS } from './simulator.js';

export const sdsOptionsSchema = z.strictObject({
  /**
   * Talk to this sensor only (4 hex digits, as printed in its data frames: "A160"). Unset: commands go to
   * FF FF, which every SDS011 obeys (Control Protocol V1.3) — right for the one sensor on a UART.
   */
  device_id: z
    .string()
    .regex(/^[0-9a-fA-F]{4}$/, 'device_id is the sensor ID as 4 hex digits, e.g. "A160"')
    .optional(),
  /**
   * 'active': the sensor sends a frame every second and the part streams them. 'query': the sensor stays quiet
   * and the part asks for one reading every `every_s`. Stored in the sensor's flash (ESPEasy PR #668), so the
   * part only writes it when the sensor reports a different mode.
   */
  reporting_mode: z.enum(['active', 'query']).default('active'),
  /**
   * 0: measure continuously. 1–30: the sensor itself works 30 s and sleeps n·60−30 s, one frame per period
   * (Control Protocol V1.3, command 8; protocols.md §2). Also kept in flash, written only when it differs.
   */
  working_period_min: z.number().int().min(0).max(30).default(0),
  /** Readings within this many seconds of power-up or wake are flagged `warmup` (air-quality.md §7: 15 s). */
  warmup_s: z.number().min(0).max(600).default(15),
  /**
   * Active mode: no frame for this long → the link is `stale` (protocols.md §9, 3 s after AirGradient). With a
   * working period the sensor is silent by design between frames; the period is added to this.
   */
  stale_after_ms: z.number().int().min(500).max(60_000).default(3000),
  /** Simulated stations only: how often the simulated sensor sends a frame (a real one: every second). */
  sim_interval_ms: z.number().int().min(50).max(60_000).default(SDS_ACTIVE_INTERVAL_MS),
});
export type SdsOptions = z.output<typeof sdsOptionsSchema>;
