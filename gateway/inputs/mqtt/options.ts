import { z } from 'zod';
import { mqttConnectionShape } from '../../core/mqtt-connect.js';

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
    /** username, password, password_file, tls: see gateway/core/mqtt-connect.ts and the README. */
    ...mqttConnectionShape,
  })
  .strict();
export type MqttInputOptions = z.infer<typeof mqttInputOptions>;
