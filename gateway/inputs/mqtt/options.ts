import { z } from 'zod';

export const mqttInputOptions = z
  .object({
    url: z.url({ protocol: /^mqtts?$|^wss?$/, error: 'must be an mqtt://, mqtts://, ws:// or wss:// URL' }),
    client_id: z.string().min(1).default('airlane-gateway'),
    /** Subscriptions: remote nodes' readings and external counters' counts (DESIGN.md §3). */
    topics: z.array(z.string().min(1)).default(['airlane/v1/+/+/reading', 'airlane/v1/+/traffic/+']),
    /** Bigger payloads are refused before parsing. */
    max_payload_bytes: z.number().int().positive().default(65_536),
  })
  .strict();
export type MqttInputOptions = z.infer<typeof mqttInputOptions>;
