// MQTT input: readings from remote nodes on airlane/v1/<site>/<node>/reading and counts from external counters
// on airlane/v1/<site>/traffic/<detector>. Every payload is validated (size, JSON, zod schema, topic agrees with
// payload); a refusal is counted and logged with topic and reason, never a crash. QoS 1 with a stable client id
// and a persistent session, so messages sent while the gateway was away are delivered when it returns.
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import type { Input, Sink } from '../../core/plugin.js';
import { ReadingSchema, TrafficCountSchema, describeIssues } from '../../core/reading.js';
import { readingToMetric, trafficToMetric, type Metric } from '../../core/metric.js';
import type { MqttInputOptions } from './options.js';
import { redactUrl as redact } from '../../core/redact.js';

export interface MqttInputDeps {
  log: Logger;
  /** Topics this gateway publishes itself (its own nodes and detectors): not taken back in. */
  isLocal?: (kind: 'reading' | 'traffic', site: string, id: string) => boolean;
}

export type ParsedMessage = { ok: true; metric: Metric } | { ok: false; where: string; reason: string };

/** Parses one message; pure, so it can be tested and fuzzed without a broker. */
export function parseMessage(topic: string, payload: Buffer, maxBytes = 65_536): ParsedMessage {
  const parts = topic.split('/');
  // Counted under one key per input (a publisher inventing node ids must not grow the stats); the topic goes
  // into the logged reason.
  const where = 'mqtt';
  const bad = (reason: string): ParsedMessage => ({ ok: false, where, reason: `${reason} (topic ${topic.slice(0, 200)})` });
  if (parts.length !== 5 || parts[0] !== 'airlane' || parts[1] !== 'v1') return bad('topic is not airlane/v1/<site>/<node>/reading or airlane/v1/<site>/traffic/<detector>');
  if (payload.length > maxBytes) return bad(`payload of ${payload.length} bytes exceeds ${maxBytes}`);
  let data: unknown;
  try {
    data = JSON.parse(payload.toString('utf8'));
  } catch (e) {
    return bad(`payload is not JSON (${(e as Error).message})`);
  }
  const [, , site, second, third] = parts as [string, string, string, string, string];
  if (second === 'traffic') {
    const r = TrafficCountSchema.safeParse(data);
    if (!r.success) return bad(describeIssues(r.error));
    if (r.data.site !== site || r.data.detector !== third) return bad(`payload names site "${r.data.site}" detector "${r.data.detector}", topic names "${site}" "${third}"`);
    return { ok: true, metric: trafficToMetric(r.data) };
  }
  if (third !== 'reading') return bad(`unexpected topic leaf "${third}"`);
  const r = ReadingSchema.safeParse(data);
  if (!r.success) return bad(describeIssues(r.error));
  if (r.data.site !== site || r.data.node !== second) return bad(`payload names site "${r.data.site}" node "${r.data.node}", topic names "${site}" "${second}"`);
  return { ok: true, metric: readingToMetric(r.data) };
}

const COMMISSIONING = /^airlane\/v1\/([^/]+)\/([^/]+)\/commissioning$/;

export class MqttInput implements Input {
  readonly name = 'mqtt';
  /** site/node pairs whose latest commissioning record passed. */
  readonly commissioned = new Set<string>();
  private client: MqttClient | undefined;
  private holding = false;
  /** The last commit failed: take nothing more until the outbox accepts writes again. */
  private outboxDown = false;

  constructor(
    private readonly options: MqttInputOptions,
    private readonly deps: MqttInputDeps,
  ) {}

  async start(sink: Sink): Promise<void> {
    const { log, isLocal } = this.deps;
    const client = mqtt.connect(this.options.url, {
      clientId: this.options.client_id,
      clean: false,
      reconnectPeriod: 2000,
      connectTimeout: 10_000,
    });
    this.client = client;
    client.handleMessage = (packet, done) => {
      if (this.outboxDown) {
        if (!sink.flush()) {
          // Still failing: leave the message unacknowledged with the broker, which delivers it again later.
          client.stream.destroy();
          return;
        }
        this.outboxDown = false;
      }
      const topic = packet.topic;
      const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
      const commissioning = COMMISSIONING.exec(topic);
      if (commissioning) {
        this.noteCommissioning(commissioning[1]!, commissioning[2]!, payload);
        this.holdAcks(client, sink, log);
        return done();
      }
      const parsed = parseMessage(topic, payload, this.options.max_payload_bytes);
      if (!parsed.ok) {
        sink.reject(parsed.where, parsed.reason);
      } else {
        const m = parsed.metric;
        const id = m.measurement === 'traffic' ? m.tags.detector : m.tags.node;
        const kind = m.measurement === 'traffic' ? 'traffic' : 'reading';
        if (isLocal?.(kind, m.tags.site ?? '', id ?? '')) {
          // our own data echoed by the broker
        } else if (kind === 'reading' && this.options.require_commissioning && !this.commissioned.has(`${m.tags.site}/${m.tags.node}`)) {
          sink.reject('mqtt', `node ${m.tags.node} at ${m.tags.site} is not commissioned: run airlane commission for it (topic ${topic})`);
        } else {
          m.meta = { ...m.meta, remote: true };
          sink.push(m);
        }
      }
      this.holdAcks(client, sink, log);
      done();
    };
    client.on('error', (e) => log.error({ url: redact(this.options.url), err: e.message }, 'MQTT input error'));
    client.on('offline', () => log.warn({ url: redact(this.options.url) }, 'MQTT input offline; reconnecting'));
    await new Promise<void>((resolve) => {
      // Do not block start-up on a broker that is away: the client keeps reconnecting.
      const t = setTimeout(resolve, 3000);
      client.once('connect', () => {
        clearTimeout(t);
        resolve();
      });
    });
    client.on('connect', () => client.subscribe(this.options.topics, { qos: 1 }));
    if (client.connected) await client.subscribeAsync(this.options.topics, { qos: 1 });
  }

  private noteCommissioning(site: string, node: string, payload: Buffer): void {
    let pass = false;
    try {
      const record = JSON.parse(payload.toString('utf8')) as { pass?: unknown; site?: unknown; node?: unknown };
      pass = record.pass === true && record.site === site && record.node === node;
    } catch {
      // an unreadable record commissions nothing
    }
    if (pass) this.commissioned.add(`${site}/${node}`);
    else this.commissioned.delete(`${site}/${node}`);
  }

  async stop(): Promise<void> {
    // Forced: nothing of ours is in flight (acks are sent with the commit), and a dead broker must not hold us.
    await this.client?.endAsync(true);
  }

  /**
   * QoS 1 acknowledgements leave only once the readings they acknowledge are on disk: the socket is corked while
   * the messages of one network read are handled (MQTT.js handles them one per tick), then the outbox commits
   * them in one transaction and the socket is uncorked, sending their PUBACKs together. A gateway killed before
   * the commit has acknowledged nothing, so the broker delivers those messages again. Grouping also saves one
   * write syscall per message.
   */
  private holdAcks(client: MqttClient, sink: Sink, log: Logger): void {
    if (this.holding) return;
    const stream = client.stream;
    this.holding = true;
    stream.cork();
    setImmediate(() => {
      this.holding = false;
      if (sink.flush()) {
        stream.uncork();
        return;
      }
      // The outbox could not be written: drop the connection unacknowledged so the broker redelivers later.
      this.outboxDown = true;
      log.error({ url: redact(this.options.url) }, 'outbox not writable; disconnecting without acknowledging so the broker keeps the messages');
      stream.destroy();
    });
  }
}
