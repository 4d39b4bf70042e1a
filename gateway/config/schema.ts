// The station file, as one zod schema composed from the plugins' and parts' own schemas: the single source of
// config types, defaults and the JSON Schema editors get (`airlane config schema`). snake_case keys throughout.
import { z } from 'zod';
import { segment } from '../core/reading.js';
import type { PartModule } from '../../firmware/drivers/types.js';
import { InfluxOutputOptionsSchema as influxOutputOptions } from '../outputs/influxdb/options.js';
import { mqttOutputOptions } from '../outputs/mqtt/options.js';
import { windowsOptions } from '../aggregators/windows/options.js';
import { correctionsOptions } from '../processors/correct/index.js';
import { qcOptions } from '../processors/qc/index.js';
import { vehicleCounterOptions } from '../../firmware/drivers/vehicle-counter/options.js';
import { httpOptions } from '../http/options.js';
import { selfInputOptions } from '../inputs/self/options.js';
import { partFaultOptions } from '../../firmware/node/options.js';
import { outboxOptions } from '../outbox/options.js';

const pin = z.number().int().min(2, 'pins 0 and 1 carry the USB serial link; use pin 2 or higher').max(69);
const busSchema = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('uart'), path: z.string().min(1), baud_rate: z.number().int().positive().optional() }).strict(),
    z.object({ type: z.literal('i2c'), bus: z.number().int().min(0).max(31).default(1) }).strict(),
    // An Arduino satellite's software serial port (ConfigurableFirmata SW_SERIAL0–3 = 0x08–0x0B; the Uno/Nano's
    // only hardware serial is its USB link to the Pi).
    z
      .object({
        type: z.literal('firmata-serial'),
        port_id: z.number().int().min(8, 'port_id 8–11 (software serial 0–3): the hardware port is the USB link').max(11),
        rx_pin: pin,
        tx_pin: pin,
        baud_rate: z.number().int().positive().optional(),
        /** A level shifter sits between the 5 V Arduino and a 3.3 V part (silences the wiring check's warning). */
        level_shifted: z.boolean().default(false),
      })
      .strict(),
    z.object({ type: z.literal('firmata-i2c'), level_shifted: z.boolean().default(false) }).strict(),
    // An Arduino satellite's analog input A0–A5 (10-bit ADC).
    z.object({ type: z.literal('firmata-analog'), channel: z.number().int().min(0).max(5, 'an Uno/Nano has analog inputs A0–A5') }).strict(),
  ],
  { error: 'bus.type must be "uart" (with path), "i2c" (with bus number), or on an Arduino satellite "firmata-serial", "firmata-i2c" or "firmata-analog"' },
);

export type BusEntry = z.output<typeof busSchema>;

/** One part on a node; `options` is validated by the part's own schema (typed where the part is opened). */
export interface PartEntry {
  part: string;
  bus: BusEntry;
  every_s: number;
  average_s: number;
  duty_cycle: boolean;
  /** Flag readings `stuck` after this many seconds of identical values (0: never). */
  stuck_after_s: number;
  /** Corrected values written beside the raw ones (gateway/processors/correct). */
  corrections?: z.output<typeof correctionsOptions>;
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
          ...partFaultOptions,
          corrections: correctionsOptions.optional(),
          options: (m.options as z.ZodType).prefault({}),
        })
        .strict(),
    ) as unknown as [z.ZodObject, ...z.ZodObject[]],
    { error: (iss) => `unknown part ${JSON.stringify((iss.input as { part?: unknown })?.part)}; known parts: ${ids.join(', ')}` },
  ) as unknown as z.ZodType<PartEntry>;
}

/** The station's broker: where it publishes, and whether it takes remote nodes' data from there. */
export const stationMqttOptions = mqttOutputOptions.extend({
  subscribe: z.boolean().default(true),
  /** Take remote nodes' readings only after `airlane commission` passed for them (record on the broker). */
  require_commissioning: z.boolean().default(false),
  /**
   * Central ingest: instances with the same group split the readings and counts between them (MQTT 5 shared
   * subscription `$share/<group>/…`); give each its own `gateway:` id (gateway/fleet/README.md).
   */
  shared_group: segment.optional(),
});

export function buildStationSchema(modules: readonly PartModule<any>[]) {
  const node = z
    .object({
      id: segment,
      /** An Arduino satellite running ConfigurableFirmata that carries this node's firmata-* buses. */
      board: z
        .object({
          type: z.literal('firmata'),
          port: z.string().min(1),
          /** ConfigurableFirmata 2.10+ talks at 115200; StandardFirmata at 57600. */
          baud_rate: z.number().int().positive().default(115_200),
          /** Full-scale voltage of the analog inputs (AREF): 5000 mV on a 5 V Uno/Nano by default. */
          analog_reference_mv: z.number().positive().max(5500).default(5000),
        })
        .strict()
        .optional(),
      parts: z.array(partEntry(modules)).min(1, 'a node needs at least one part'),
    })
    .strict()
    .superRefine((n, ctx) => {
      n.parts.forEach((p, i) => {
        if (p.bus.type.startsWith('firmata') && !n.board) {
          ctx.addIssue({ code: 'custom', path: ['parts', i, 'bus'], message: `a ${p.bus.type} bus needs the node to have board: { type: firmata, port: /dev/ttyACM0 }` });
        }
      });
    });

  const counter = z
    .object({
      id: segment,
      type: z.literal('firmata', { error: 'counters[].type must be "firmata" (vehicle pulses on an Arduino running Firmata)' }),
      /** Serial port of the Arduino; ignored when the station is simulated or when `node` names a satellite. */
      port: z.string().min(1).default('/dev/ttyACM0'),
      /** The detectors are wired to this satellite node's Arduino (its `board:`) instead of one of their own. */
      node: segment.optional(),
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
      /** The local page and API; a token is required when it is reachable from a network. */
      http: httpOptions.prefault({}),
      /** The gateway's own figures (queues, drops, rejections, part states) into the `gateway` measurement. */
      self_report: selfInputOptions.prefault({}),
      nodes: z.array(node).default([]),
      counters: z.array(counter).default([]),
      /** Broker for this station's readings and for remote nodes; without it an in-process broker is started. */
      mqtt: stationMqttOptions.optional(),
      /** Port of the in-process broker used when `mqtt` is not set (0 = any free port). */
      embedded_broker_port: z.number().int().min(0).max(65535).default(1883),
      influxdb: influxOutputOptions.optional(),
      /** The on-disk store-and-forward queue in front of InfluxDB and MQTT (gateway/outbox/README.md). */
      outbox: outboxOptions.prefault({}),
      /** Windows of 1 min, 15 min and 1 h into `air_traffic`, and the per-site indices into `aqi`. */
      windows: windowsOptions.prefault({}),
      /** Quality checks that set the `qc` bit mask of every `air` point. */
      qc: qcOptions.prefault({}),
    })
    .strict()
    .superRefine((st, ctx) => {
      st.counters.forEach((c, i) => {
        if (c.node === undefined) return;
        const n = st.nodes.find((x) => x.id === c.node);
        if (!n) ctx.addIssue({ code: 'custom', path: ['counters', i, 'node'], message: `no node "${c.node}" in nodes; name a satellite node or give the counter its own port` });
        else if (!n.board) ctx.addIssue({ code: 'custom', path: ['counters', i, 'node'], message: `node "${c.node}" has no board: to share; add board: { type: firmata, port: … } to it` });
      });
    });
}

export type StationConfig = z.infer<ReturnType<typeof buildStationSchema>>;
