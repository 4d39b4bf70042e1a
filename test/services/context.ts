// What the integration project's global setup hands to tests, typed; import these helpers instead of
// calling inject() with bare strings.
import { inject } from 'vitest';

declare module 'vitest' {
  interface ProvidedContext {
    /** Base URL of the private influxd, e.g. http://127.0.0.1:40791 (no database in the path). */
    influxUrl: string;
    /** URL of the private Mosquitto, e.g. mqtt://127.0.0.1:35103. */
    mqttUrl: string;
  }
}

export const influxUrl = (): string => inject('influxUrl');
export const mqttUrl = (): string => inject('mqttUrl');
