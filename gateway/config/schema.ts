// The station file, as one zod schema composed from the plugins' and parts' own schemas: the single source of
// config types, defaults and the JSON Schema editors get (`airlane config schema`). snake_case keys throughout.
import { z } from 'zod';
import { segment } from '../core/reading.js';
import type { PartModule } from '../../firmware/drivers/types.js';
import { InfluxOutputOptionsSchema as influxOutputOptions } from '../outputs/influxdb/options.js';
import { mqttOutputOptions } from '../outputs/mqtt/options.js';
import { airTrafficOptions } from '../aggregators/air-traffic/options.js';
import { vehicleCounterOptions } from '../../firmware/drivers/vehicle-counter/options.js';

const busSchema = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('uart'), path: z.string().min(1), baud_rate: z.number().int().positive().optional() }).strict(),
    z.object({ type: z.literal('i2c'), bus: z.number().int().min(0).max(31).default(1) }).strict(),
  ],
  { error: 'bus.type must be "uart" (with path) or "i2c" (with bus number)' },
);

export type BusEntry = z.infer<typeof busSchema>;

/** One part on a node; `options` is validated by the part's own schema (typed where the part is opened). */
export interface PartEntry {
  part: string;
  bus: BusEntry;
  every_s: number;
  average_s: number;
  duty_cycle: boolean;
  options: unknown;
}

function partEntry(modules: readonly PartModule<any>[]): z.ZodType<PartEntry> {
  const ids = modules.map((m) => m.definition.id);
  return z.discriminatedUnion(
    'part',
    modules.map((m) =>
      z
        .object({
          part: z.literal(m.definition.id),
          bus: busSchema,
          /**
           * Seconds between samples. Polled parts are read this often; streaming parts report every frame unless
           * `average_s` is set, then one averaged reading per `every_s`.
           */
          every_s: z.number().positive().max(3600).default(10),
          /** Streaming parts: average the frames of this many seconds before each sample (min and max trimmed). */
          average_s: z.number().min(0).max(3600).default(0),
          /** Sleep the part (laser, fan) between samples when it can and `every_s` leaves time for its warm-up. */
          duty_cycle: z.boolean().default(true),
          options: (m.options as z.ZodType).prefault({}),
        })
        .strict(),
    ) as unknown as [z.ZodObject, ...z.ZodObject[]],
    { error: (iss) => `unknown part ${JSON.stringify((iss.input as { part?: unknown })?.part)}; known parts: ${ids.join(', ')}` },
  ) as unknown as z.ZodType<PartEntry>;
}

export function buildStationSchema(modules: readonly PartModule<any>[]) {
  const node = z
    .object({
      id: segment,
      parts: z.array(partEntry(modules)).min(1, 'a node needs at least one part'),
    })
    .strict();

  const counter = z
    .object({
      id: segment,
      type: z.literal('firmata', { error: 'counters[].type must be "firmata" (vehicle pulses on an Arduino running Firmata)' }),
      /** Serial port of the Arduino; ignored when the station is simulated. */
      port: z.string().min(1).default('/dev/ttyACM0'),
      counter: vehicleCounterOptions.omit({ site: true }),
    })
    .strict();

  return z
    .object({
      site: segment,
      gateway: segment.default('gateway'),
      /** How this Pi's clock is disciplined; carried on every Reading. */
      clock: z.enum(['ntp', 'rtc', 'free']).default('ntp'),
      /** Device simulators instead of hardware (the demo). */
      simulate: z.boolean().default(false),
      data_dir: z.string().min(1).default('.airlane'),
      http: z
        .object({ host: z.string().min(1).default('127.0.0.1'), port: z.number().int().min(0).max(65535).default(8080) })
        .strict()
        .prefault({}),
      nodes: z.array(node).default([]),
      counters: z.array(counter).default([]),
      /** Broker for this station's readings and for remote nodes; without it an in-process broker is started. */
      mqtt: mqttOutputOptions.extend({ subscribe: z.boolean().default(true) }).optional(),
      /** Port of the in-process broker used when `mqtt` is not set (0 = any free port). */
      embedded_broker_port: z.number().int().min(0).max(65535).default(1883),
      influxdb: influxOutputOptions.optional(),
      air_traffic: airTrafficOptions.prefault({}),
    })
    .strict();
}

export type StationConfig = z.infer<ReturnType<typeof buildStationSchema>>;
