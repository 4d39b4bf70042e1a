// The Reading and TrafficCount contracts (DESIGN.md §3), shared by firmware and gateway. It lives in firmware/
// because firmware never imports the gateway; gateway/core/reading.ts re-exports it. One zod schema each: the single
// source of the TypeScript types and of the validation run at every boundary (node → gateway, MQTT → gateway).
import { z } from 'zod';

/** Names that would reach Object.prototype if used as a key: never valid as an id or a quantity. */
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);
const notReserved = (s: string) => !RESERVED.has(s);

/** A topic segment / tag value that is safe in an MQTT topic: no wildcards, no separators, no control chars. */
export const segment = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .refine((s) => !/[+#/\u0000-\u001f\u007f]/.test(s), {
    message: 'must not contain "+", "#", "/" or control characters',
  })
  .refine(notReserved, { message: 'must not be "__proto__", "constructor" or "prototype"' });

/** ISO 8601 UTC with milliseconds, as produced by Date#toISOString(). */
export const isoTime = z.iso.datetime({ offset: false, precision: 3 });

/** A finite number: NaN and ±Infinity cannot be written to InfluxDB and mean a broken sensor. */
const finite = z.number().refine(Number.isFinite, { message: 'must be a finite number' });

/** Canonical quantity names: snake_case with the unit in the name (DESIGN.md §3). */
export const quantityName = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'must be a snake_case quantity name')
  .refine(notReserved, { message: 'must not be "constructor" or "prototype"' });

export const ReadingSchema = z
  .object({
    v: z.literal(1),
    site: segment,
    node: segment,
    part: segment,
    time: isoTime,
    clock: z.enum(['ntp', 'rtc', 'free']),
    values: z.record(quantityName, finite).refine((v) => Object.keys(v).length > 0, {
      message: 'must hold at least one quantity',
    }),
    flags: z.array(z.string().regex(/^[a-z][a-z0-9_]*$/)).optional(),
  })
  .strict();
export type Reading = z.infer<typeof ReadingSchema>;

/** Counts from one detector (and lane) over one interval; `time` is the interval START (traffic.md §3). */
export const TrafficCountSchema = z
  .object({
    v: z.literal(1),
    site: segment,
    detector: segment,
    lane: segment.default('all'),
    direction: segment.default('all'),
    time: isoTime,
    interval_s: z.number().int().positive().max(86_400),
    values: z
      .object({
        vehicles: z.number().int().nonnegative(),
        heavy_vehicles: z.number().int().nonnegative().optional(),
        occupancy_pct: finite.pipe(z.number().min(0).max(100)).optional(),
        speed_kmh: finite.pipe(z.number().min(0).max(300)).optional(),
      })
      .strict(),
  })
  .strict();
export type TrafficCount = z.infer<typeof TrafficCountSchema>;
export type TrafficCountInput = z.input<typeof TrafficCountSchema>;

/** Renders a zod error as one plain line: "values.pm25_ugm3: must be a finite number; time: ...". */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}
