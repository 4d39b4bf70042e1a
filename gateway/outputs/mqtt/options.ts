import { z } from 'zod';
import { mqttConnectionShape } from '../../core/mqtt-connect.js';

export const mqttOutputOptions = z
  .object({
    url: z.url({ protocol: /^mqtts?$|^wss?$/, error: 'must be an mqtt://, mqtts://, ws:// or wss:// URL' }),
    client_id: z.string().min(1).default('airlane-gateway-out'),
    /** Retained status topic id: airlane/v1/<site>/<gateway>/status. */
    gateway: z.string().min(1).default('gateway'),
    batch_size: z.number().int().positive().default(500),
    flush_interval_ms: z.number().int().positive().default(200),
    /** username, password, password_file, tls: see gateway/core/mqtt-connect.ts and the README. */
    ...mqttConnectionShape,
  })
  .strict();
export type MqttOutputOptions = z.infer<typeof mqttOutputOptions>;
