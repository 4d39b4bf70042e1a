import { z } from 'zod';
import { mqttConnectionShape } from '../../core/mqtt-connect.js';
import { segment } from '../../core/reading.js';

export const mqttInputOptions = z
  .object({
    url: z.url({ protocol: /^mqtts?$|^wss?$/, error: 'must be an mqtt://, mqtts://, ws:// or wss:// URL' }),
    client_id: z.string().min(1).default('airlane-gateway'),
    /** Subscriptions: remote nodes' readings and external counters' counts (DESIGN.md §3). */
    topics: z.array(z.string().min(1)).default(['airlane/v1/+/+/reading', 'airlane/v1/+/traffic/+', 'airlane/v1/+/+/commissioning']),
    /** Bigger payloads are refused before parsing. */
    max_payload_bytes: z.number().int().positive().default(65_536),
    /**
     * Take a remote node's readings only once a passing commissioning record for it is on the broker
     * (`airlane commission` publishes it retained on airlane/v1/<site>/<node>/commissioning).
     */
    require_commissioning: z.boolean().default(false),
    /**
     * Central ingest: subscribe as a member of this MQTT 5 shared-subscription group (`$share/<group>/<topic>`),
     * so the broker hands each reading to one instance of the group and any number of instances split the
     * stream. Connects with MQTT 5 then. Commissioning records stay unshared: every instance needs all of them.
     */
    shared_group: segment.optional(),
    /** username, password, password_file, tls: see gateway/core/mqtt-connect.ts and the README. */
    ...mqttConnectionShape,
  })
  .strict();
export type MqttInputOptions = z.infer<typeof mqttInputOptions>;
