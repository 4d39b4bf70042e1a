// MQTT output: publishes this station's own readings and counts on the DESIGN.md §3 topics (QoS 1, JSON in the
// Reading/TrafficCount contract) and a retained status with a Last Will, so dashboards and other gateways see
// the station. Data that came in from the broker is not echoed back to it.
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import type { Output } from '../../core/plugin.js';
import { metricToReading, metricToTraffic, type Metric } from '../../core/metric.js';
import type { MqttOutputOptions } from './options.js';
import { redactUrl as redact } from '../../core/redact.js';
import { clientOptions, connectErrorLogger } from '../../core/mqtt-connect.js';

const WRITE_TIMEOUT_MS = 10_000;

export function topicFor(m: Metric): string | undefined {
  if (m.meta?.remote) return undefined;
  if (m.measurement === 'air') return `airlane/v1/${m.tags.site}/${m.tags.node}/reading`;
  if (m.measurement === 'traffic') return `airlane/v1/${m.tags.site}/traffic/${m.tags.detector}`;
  return undefined;
}

export class MqttOutput implements Output {
  readonly name = 'mqtt';
  /** Data from the broker is never echoed back to it. */
  readonly localOnly = true;
  private client: MqttClient | undefined;
  private readonly statusTopic: string;
  private readonly retained = new Map<string, string>();

  constructor(
    private readonly options: MqttOutputOptions,
    private readonly site: string,
    private readonly log: Logger,
  ) {
    this.statusTopic = `airlane/v1/${site}/${options.gateway}/status`;
  }

  async start(): Promise<void> {
    // Files (password_file, tls.*) are read here, once; an unreadable one fails start with the option's name.
    const auth = clientOptions(this.options);
    const errors = connectErrorLogger(this.options, (message) => this.log.error(message));
    const client = mqtt.connect(this.options.url, {
      ...auth,
      clientId: this.options.client_id,
      reconnectPeriod: 2000,
      will: { topic: this.statusTopic, payload: Buffer.from('offline'), qos: 1, retain: true },
    });
    this.client = client;
    client.on('connect', () => {
      errors.connected();
      client.publish(this.statusTopic, 'online', { qos: 1, retain: true });
      for (const [topic, payload] of this.retained) client.publish(topic, payload, { qos: 1, retain: true });
    });
    client.on('error', (e) => errors.error(e));
  }

  async write(batch: Metric[]): Promise<void> {
    const client = this.client;
    if (!client?.connected) throw Object.assign(new Error(`MQTT broker ${redact(this.options.url)} not connected`), { kind: 'retry' as const });
    const sends: Promise<unknown>[] = [];
    for (const m of batch) {
      const topic = topicFor(m);
      if (!topic) continue;
      const body = m.measurement === 'air' ? metricToReading(m) : metricToTraffic(m);
      sends.push(client.publishAsync(topic, JSON.stringify(body), { qos: 1 }));
    }
    // A broker that stops acknowledging must not hold the batch (and a shutdown) forever: give up and retry.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(Object.assign(new Error(`MQTT broker ${redact(this.options.url)} did not acknowledge ${sends.length} messages within ${WRITE_TIMEOUT_MS} ms`), { kind: 'retry' as const })),
        WRITE_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([Promise.all(sends), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Publishes a retained status (per-node part status). Only the latest matters, so it is not queued in the
   * outbox: while the broker is away the newest value waits here and goes out on reconnect.
   */
  publishRetained(topic: string, payload: string): void {
    this.retained.set(topic, payload);
    if (this.client?.connected) this.client.publish(topic, payload, { qos: 1, retain: true });
  }

  async stop(): Promise<void> {
    const client = this.client;
    if (!client) return;
    // A clean DISCONNECT suppresses the Will, so say offline ourselves (influxdb-mqtt.md §6) — briefly: a broker
    // that does not answer must not hold the shutdown. Unacknowledged data stays in the outbox for next time.
    if (client.connected) {
      const offline = client.publishAsync(this.statusTopic, 'offline', { qos: 1, retain: true }).catch(() => undefined);
      await Promise.race([offline, new Promise((r) => setTimeout(r, 2000).unref())]);
    }
    await client.endAsync(true);
  }
}
