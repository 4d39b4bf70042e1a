// Per-part options of the node runtime's fault handling, for the station file's part entry (gateway/config/
// schema.ts spreads this shape into each part entry). The single place their types and defaults live (STYLE.md).
import { z } from 'zod';
import { DEFAULT_STUCK_AFTER_S } from './stuck.js';

export const partFaultOptions = {
  /**
   * Flag readings `stuck` once every value of the part has stayed identical for longer than this many seconds
   * (0: never). 900 s by default: see firmware/node/stuck.ts for why live parts never trip it.
   */
  stuck_after_s: z.number().min(0).max(7 * 86_400).default(DEFAULT_STUCK_AFTER_S),
};

export const partFaultOptionsSchema = z.object(partFaultOptions);
export type PartFaultOptions = z.output<typeof partFaultOptionsSchema>;
