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
import { clientOptions, connectErrorLogger } from '../../core/mqtt-connect.js';

export interface MqttInputDeps {
  log: Logger;
  /** Topics this gateway publishes itself (its own nodes and detectors): not taken back in. */
  isLocal?: (kind: 'reading' | 'traffic', site: string, id: string) => boolean;
}

/** Why a message was refused: the counters' category (Sink.reject's `code`). */
export type RejectCode = 'topic' | 'too_large' | 'not_utf8' | 'not_json' | 'schema' | 'mismatch' | 'retained' | 'not_commissioned';

export type ParsedMessage = { ok: true; metric: Metric } | { ok: false; where: string; reason: string; code: RejectCode };

// fatal: invalid UTF-8 is refused instead of being turned into U+FFFD and passed on. A leading BOM is dropped
// (the decoder's default): RFC 8259 §8.1 lets a JSON parser ignore one rather than treat it as an error.
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The payload as text, or undefined when it is not valid UTF-8 (RFC 8259 §8.1: JSON exchanged between systems is UTF-8). */
export function decodeUtf8(payload: Uint8Array): string | undefined {
  try {
    return utf8.decode(payload);
  } catch {
    return undefined;
  }
}

const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The path of a "__proto__", "constructor" or "prototype" key at the root or one object down (where the
 * contracts have objects: the root and `values`). zod's record silently drops a "__proto__" key, which would
 * accept the payload minus that key; refusing the whole payload is the honest answer. Deeper objects are refused
 * by the schemas anyway (no contract field holds one).
 */
function reservedKey(data: unknown): string | undefined {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
  for (const [k, v] of Object.entries(data)) {
    if (RESERVED_KEYS.has(k)) return k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const k2 of Object.keys(v)) if (RESERVED_KEYS.has(k2)) return `${k}.${k2}`;
    }
  }
  return undefined;
}

/**
 * Parses one message; pure, so it can be tested and fuzzed without a broker. `retained` is the delivered
 * packet's retain flag: a broker sets it only on a stored retained message replayed to a new subscription
 * (MQTT 3.1.1 §3.3.1.3), i.e. a repeat of something already delivered live, so a retained reading is refused.
 */
export function parseMessage(topic: string, payload: Uint8Array, maxBytes = 65_536, retained = false): ParsedMessage {
  // A refusal needs no stack trace, and capturing one for every SyntaxError and ZodError roughly doubles the cost
  // of a refused payload: a flood of hostile messages must stay cheap. Synchronous, so restoring it is safe.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return parse(topic, payload, maxBytes, retained);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function parse(topic: string, payload: Uint8Array, maxBytes: number, retained: boolean): ParsedMessage {
  const parts = topic.split('/');
  // Counted under one key per input (a publisher inventing node ids must not grow the stats); the topic goes
  // into the logged reason.
  const where = 'mqtt';
  // Bounded: a hostile payload with thousands of bad keys must not make a 64 KB log line.
  const bad = (code: RejectCode, reason: string): ParsedMessage => ({
    ok: false,
    where,
    code,
    reason: `${reason.length > 400 ? `${reason.slice(0, 400)}…` : reason} (topic ${topic.slice(0, 200)})`,
  });
  if (parts.length !== 5 || parts[0] !== 'airlane' || parts[1] !== 'v1') return bad('topic', 'topic is not airlane/v1/<site>/<node>/reading or airlane/v1/<site>/traffic/<detector>');
  const [, , site, second, third] = parts as [string, string, string, string, string];
  const isTraffic = second === 'traffic';
  if (!isTraffic && third !== 'reading') return bad('topic', `unexpected topic leaf "${third.slice(0, 64)}"`);
  if (payload.length > maxBytes) return bad('too_large', `payload of ${payload.length} bytes exceeds ${maxBytes}`);
  if (retained) return bad('retained', 'retained message: a stored repeat, not a new reading — publish readings with retain off');
  if (payload.length === 0) return bad('not_json', 'payload is empty');
  const text = decodeUtf8(payload);
  if (text === undefined) return bad('not_utf8', 'payload is not valid UTF-8');
  let data: unknown;
  try {
    // JSON.parse makes "__proto__" an own key, never the prototype; the strict schemas then refuse it.
    data = JSON.parse(text);
  } catch (e) {
    return bad('not_json', `payload is not JSON (${(e as Error).message.slice(0, 120)})`);
  }
  const reserved = reservedKey(data);
  if (reserved) return bad('schema', `${reserved}: key not allowed (prototype-pollution attempt)`);
  if (isTraffic) {
    const r = TrafficCountSchema.safeParse(data);
    if (!r.success) return bad('schema', describeIssues(r.error));
    if (r.data.site !== site || r.data.detector !== third) return bad('mismatch', `payload names site "${r.data.site}" detector "${r.data.detector}", topic names "${site}" "${third}"`);
    return { ok: true, metric: trafficToMetric(r.data) };
  }
  const r = ReadingSchema.safeParse(data);
  if (!r.success) return bad('schema', describeIssues(r.error));
  if (r.data.site !== site || r.data.node !== second) return bad('mismatch', `payload names site "${r.data.site}" node "${r.data.node}", topic names "${site}" "${second}"`);
  return { ok: true, metric: readingToMetric(r.data) };
}

const COMMISSIONING = /^airlane\/v1\/([^/]+)\/([^/]+)\/commissioning$/;

/**
 * The topic filters to subscribe: with a group, `$share/<group>/<filter>` (OASIS MQTT 5.0 §4.8.2) so the broker
 * gives each message to one member. Commissioning filters stay unshared: their records are retained, and a
 * broker sends no retained messages on a shared subscription (§4.8.2), and every member needs every record.
 */
export function subscriptionTopics(topics: readonly string[], group: string | undefined): string[] {
  if (group === undefined) return [...topics];
  return topics.map((t) => (t.endsWith('/commissioning') ? t : `$share/${group}/${t}`));
}

export class MqttInput implements Input {
  readonly name = 'mqtt';
  /** site/node pairs whose latest commissioning record passed. */
  readonly commissioned = new Set<string>();
  private client: MqttClient | undefined;
  private holding = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private sink: Sink | undefined;
  /** The last commit failed: take nothing more until the outbox accepts writes again. */
  private outboxDown = false;

  constructor(
    private readonly options: MqttInputOptions,
    private readonly deps: MqttInputDeps,
  ) {}

  async start(sink: Sink): Promise<void> {
    this.sink = sink;
    const { log, isLocal } = this.deps;
    // Files (password_file, tls.*) are read here, once; an unreadable one fails start with the option's name.
    const auth = clientOptions(this.options);
    const errors = connectErrorLogger(this.options, (message) => log.error(message));
    const client = mqtt.connect(this.options.url, {
      ...auth,
      clientId: this.options.client_id,
      clean: false,
      reconnectPeriod: 2000,
      connectTimeout: 10_000,
      // Shared subscriptions are MQTT 5 (OASIS MQTT 5.0 §4.8.2). In MQTT 5 `clean: false` alone keeps nothing:
      // the session ends at disconnect unless a Session Expiry Interval is given (§3.1.2.11.2); 0xFFFFFFFF means
      // it never expires, as a 3.1.1 persistent session, so a killed instance finds its unacknowledged messages.
      ...(this.options.shared_group === undefined ? {} : { protocolVersion: 5 as const, properties: { sessionExpiryInterval: 0xffff_ffff } }),
    });
    this.client = client;
    client.handleMessage = (packet, done) => {
      const topic = packet.topic;
      const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
      const commissioning = COMMISSIONING.exec(topic);
      if (commissioning) {
        this.noteCommissioning(commissioning[1]!, commissioning[2]!, payload);
        this.holdAcks(client, sink, log);
        return done();
      }
      const parsed = parseMessage(topic, payload, this.options.max_payload_bytes, packet.retain);
      if (!parsed.ok) {
        sink.reject(parsed.where, parsed.reason, parsed.code);
      } else {
        const m = parsed.metric;
        const id = m.measurement === 'traffic' ? m.tags.detector : m.tags.node;
        const kind = m.measurement === 'traffic' ? 'traffic' : 'reading';
        if (isLocal?.(kind, m.tags.site ?? '', id ?? '')) {
          // our own data echoed by the broker
        } else if (kind === 'reading' && this.options.require_commissioning && !this.commissioned.has(`${m.tags.site}/${m.tags.node}`)) {
          sink.reject('mqtt', `node ${m.tags.node} at ${m.tags.site} is not commissioned: run airlane commission for it (topic ${topic})`, 'not_commissioned');
        } else {
          m.meta = { ...m.meta, remote: true };
          sink.push(m);
        }
      }
      this.holdAcks(client, sink, log);
      done();
    };
    client.on('error', (e) => errors.error(e));
    client.on('connect', () => errors.connected());
    let online = false;
    client.on('connect', () => (online = true));
    // Once per lost connection, not on every failed retry.
    client.on('offline', () => {
      if (online) log.warn({ url: redact(this.options.url) }, 'MQTT input offline; reconnecting');
      online = false;
    });
    await new Promise<void>((resolve) => {
      // Do not block start-up on a broker that is away: the client keeps reconnecting.
      const t = setTimeout(resolve, 3000);
      client.once('connect', () => {
        clearTimeout(t);
        resolve();
      });
    });
    const topics = subscriptionTopics(this.options.topics, this.options.shared_group);
    client.on('connect', () => client.subscribe(topics, { qos: 1 }));
    if (client.connected) await client.subscribeAsync(topics, { qos: 1 });
  }

  private noteCommissioning(site: string, node: string, payload: Buffer): void {
    let pass = false;
    try {
      const text = payload.length <= this.options.max_payload_bytes ? decodeUtf8(payload) : undefined;
      const record = (text === undefined ? undefined : JSON.parse(text)) as { pass?: unknown; site?: unknown; node?: unknown } | null | undefined;
      pass = typeof record === 'object' && record !== null && record.pass === true && record.site === site && record.node === node;
    } catch {
      // an unreadable record commissions nothing
    }
    if (pass) this.commissioned.add(`${site}/${node}`);
    else this.commissioned.delete(`${site}/${node}`);
  }

  async stop(): Promise<void> {
    const client = this.client;
    if (!client) return;
    clearTimeout(this.retryTimer);
    // Messages handled in this tick are not committed yet: commit them and send their PUBACKs now, so the broker
    // does not deliver them again at the next start (harmless for InfluxDB, but a row twice in the outbox).
    if (this.holding && this.sink?.flush()) client.stream.uncork();
    // Give the PUBACKs a moment to leave with a clean DISCONNECT; a dead broker must not hold the shutdown.
    let timer: NodeJS.Timeout | undefined;
    const graceful = await Promise.race([
      client.endAsync(false).then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), 2000))),
    ]);
    clearTimeout(timer);
    if (!graceful) await client.endAsync(true);
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
    const release = (): void => {
      this.retryTimer = undefined;
      if (sink.flush()) {
        this.holding = false;
        if (this.outboxDown) log.warn({ url: redact(this.options.url) }, 'outbox writable again; acknowledging what was held');
        this.outboxDown = false;
        stream.uncork();
        return;
      }
      // The outbox cannot be written (disk full): keep the PUBACKs corked and try again. The broker stops sending
      // once its in-flight window is full of unacknowledged messages, so memory stays bounded; dropping the
      // connection instead would have the broker deliver again what is already pending here (a duplicate).
      if (!this.outboxDown) log.error({ url: redact(this.options.url) }, 'outbox not writable: holding acknowledgements until it is; the broker keeps the messages');
      this.outboxDown = true;
      this.retryTimer = setTimeout(release, 1000);
    };
    setImmediate(release);
  }

}
