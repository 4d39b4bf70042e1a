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

/** Identifies a batch the outbox hands over again after a failed attempt (same rows, same order). */
function batchKey(batch: readonly Metric[]): string {
  const first = batch[0];
  const last = batch[batch.length - 1];
  const id = (m: Metric | undefined) => (m ? `${m.measurement}/${m.tags.site}/${m.tags.node ?? m.tags.detector}/${m.time}` : '');
  return `${batch.length}|${id(first)}|${id(last)}`;
}

export class MqttOutput implements Output {
  readonly name = 'mqtt';
  /** Data from the broker is never echoed back to it. */
  readonly localOnly = true;
  private client: MqttClient | undefined;
  private readonly statusTopic: string;
  private readonly retained = new Map<string, string>();
  /** Batches published and not yet acknowledged, by batchKey. */
  private readonly inflight = new Map<string, { count: number; done: Promise<unknown> }>();

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
    const key = batchKey(batch);
    // The same batch again after a timeout: MQTT.js still holds its unacknowledged messages and resends them
    // itself on reconnect, so publishing them again would send each twice, the copy after newer readings.
    const earlier = this.inflight.get(key);
    if (earlier) return this.settle(key, earlier);
    const client = this.client;
    if (!client?.connected) throw Object.assign(new Error(`MQTT broker ${redact(this.options.url)} not connected`), { kind: 'retry' as const });
    const sends: Promise<unknown>[] = [];
    for (const m of batch) {
      const topic = topicFor(m);
      if (!topic) continue;
      const body = m.measurement === 'air' ? metricToReading(m) : metricToTraffic(m);
      sends.push(client.publishAsync(topic, JSON.stringify(body), { qos: 1 }));
    }
    const all = { count: sends.length, done: Promise.all(sends) };
    // Settled later by settle(); never an unhandled rejection in between.
    all.done.catch(() => undefined);
    this.inflight.set(key, all);
    return this.settle(key, all);
  }

  /**
   * Waits for a batch's acknowledgements. A broker that stops acknowledging must not hold the drain (and a
   * shutdown) forever: after WRITE_TIMEOUT_MS the drain is told to retry, and the retry waits on the same sends.
   */
  private async settle(key: string, sends: { count: number; done: Promise<unknown> }): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), WRITE_TIMEOUT_MS)));
    try {
      const outcome = await Promise.race([sends.done, timeout]);
      if (outcome === 'timeout') {
        throw Object.assign(new Error(`MQTT broker ${redact(this.options.url)} did not acknowledge ${sends.count} messages within ${WRITE_TIMEOUT_MS} ms`), { kind: 'retry' as const });
      }
      this.inflight.delete(key);
    } catch (e) {
      // The client gave the messages up (closed): the next attempt publishes them afresh.
      if ((e as { kind?: string }).kind !== 'retry') this.inflight.delete(key);
      throw e;
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
