// Options of the vehicle counter: one zod schema, the single source of its types, defaults and JSON Schema.
// Kept free of object-level refinements so the station schema can .omit({ site }) it (zod 4 forbids omit on
// refined objects); the cross-detector checks sit on the `detectors` array.
import { z } from 'zod';
import { describeIssues, segment } from '../../contract.js';

const detector = z
  .object({
    /** Series key with lane and direction (DESIGN.md §3 `traffic` tags): one loop or tube. */
    detector: segment,
    lane: segment.default('all'),
    direction: segment.default('all'),
    /** Arduino digital pin; 0 and 1 carry the USB serial link to the Pi. */
    pin: z
      .number()
      .int()
      .min(2, 'pins 0 and 1 carry the serial link to the host; use pin 2 or higher')
      .max(127, 'Firmata addresses at most 128 pins'),
    /**
     * Level while a vehicle is detected. "low" (default): a relay contact or optocoupler closing to GND, read with
     * the Arduino's internal pull-up. "high": a push-pull 5 V logic output, pin read without pull-up.
     */
    active: z.enum(['low', 'high']).default('low'),
  })
  .strict();

export const vehicleCounterOptions = z
  .object({
    site: segment,
    /**
     * Count interval. Intervals are aligned to the UTC clock (12:01:00, 12:02:00 … for 60 s), so it must divide a
     * day; traffic.md §3: loop systems report 30 s, signal controllers and Telraam 15 min or 1 h.
     */
    interval_s: z
      .number()
      .int()
      .positive()
      .max(86_400)
      .refine((s) => 86_400 % s === 0, { message: 'must divide 86400 so intervals align to the clock (e.g. 30, 60, 300, 900)' })
      .default(60),
    /**
     * Pulses at least this long count as heavy vehicles. Project choice, not a standard: on-time = (vehicle length +
     * loop length) / speed, so at 40 km/h with a 2 m loop 1000 ms means a vehicle of about 9 m (buses, large
     * trucks). Single-loop on-time only classifies free-flowing traffic: in a queue every car looks long.
     */
    heavy_min_pulse_ms: z.number().int().positive().max(10_000).default(1000),
    /**
     * A gap shorter than this between two pulses on one detector is contact bounce, not a second vehicle. Project
     * choice: relay contacts settle within a few ms, and 30 ms is far below any real headway.
     */
    debounce_ms: z.number().int().min(0).max(500).default(30),
    detectors: z
      .array(detector)
      .min(1, 'a counter needs at least one detector')
      .superRefine((list, ctx) => {
        const pins = new Map<number, number>();
        const series = new Map<string, number>();
        list.forEach((d, i) => {
          const p = pins.get(d.pin);
          if (p !== undefined) ctx.addIssue({ code: 'custom', path: [i, 'pin'], message: `pin ${d.pin} is already used by detectors[${p}]` });
          else pins.set(d.pin, i);
          // traffic.md §3: two counts must never share series and timestamp, or InfluxDB merges them.
          const key = `${d.detector}\u0000${d.lane}\u0000${d.direction}`;
          const s = series.get(key);
          if (s !== undefined) {
            ctx.addIssue({
              code: 'custom',
              path: [i, 'detector'],
              message: `detector "${d.detector}" lane "${d.lane}" direction "${d.direction}" repeats detectors[${s}]; give each its own lane or direction`,
            });
          } else series.set(key, i);
        });
      }),
  })
  .strict();

export type VehicleCounterOptions = z.infer<typeof vehicleCounterOptions>;
export type VehicleCounterOptionsInput = z.input<typeof vehicleCounterOptions>;
export type DetectorOptions = VehicleCounterOptions['detectors'][number];

/** Parses options, throwing one plain line that says where (`where`, e.g. "station.yaml counters[0]") and what. */
export function parseVehicleCounterOptions(raw: unknown, where = 'vehicle-counter options'): VehicleCounterOptions {
  const r = vehicleCounterOptions.safeParse(raw);
  if (!r.success) throw new Error(`${where}: ${describeIssues(r.error)}`);
  return r.data;
}
