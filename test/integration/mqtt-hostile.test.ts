// Hostile publishers against the MQTT input on a real Mosquitto: invalid UTF-8, prototype-pollution keys, deep
// nesting, oversize payloads, topic/payload mismatches, a retained repeat, an empty payload and random bytes.
// Each is refused with its reason code, the input keeps running, and only the valid readings come through.
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { mqttUrl } from '../services/context.js';
import { until } from '../fakes/until.js';
import { MqttInput } from '../../gateway/inputs/mqtt/mqtt.js';
import { mqttInputOptions } from '../../gateway/inputs/mqtt/options.js';
import { silentLogger } from '../../gateway/core/log.js';
import type { Metric } from '../../gateway/core/metric.js';
import type { Sink } from '../../gateway/core/plugin.js';

const stops: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const s of stops.reverse()) await s().catch(() => undefined);
});

describe('MQTT input against hostile publishers', () => {
  it('refuses every hostile message with its code and takes the valid ones, in one connection', async () => {
    const site = `hostile${Date.now()}`;
    const T = `airlane/v1/${site}/n1/reading`;
    const reading = (ms: number, extra: Record<string, unknown> = {}) => ({ v: 1, site, node: 'n1', part: 'pms5003', time: new Date(Date.UTC(2026, 10, 25, 8, 0, 0, ms)).toISOString(), clock: 'ntp', values: { pm25_ugm3: 12 }, ...extra });
    const json = (o: unknown) => Buffer.from(JSON.stringify(o));
    const protoBefore = Object.getOwnPropertyNames(Object.prototype).sort();

    const publisher = await mqtt.connectAsync(mqttUrl(), { clientId: `hostile-pub-${site}` });
    stops.push(() => publisher.endAsync(true));
    // A retained reading left on the broker before the gateway subscribes: replayed with the retain flag.
    const retainedTopic = `airlane/v1/${site}/n9/reading`;
    await publisher.publishAsync(retainedTopic, JSON.stringify({ ...reading(0), node: 'n9' }), { qos: 1, retain: true });
    stops.push(() => publisher.publishAsync(retainedTopic, '', { qos: 1, retain: true }));

    const pushed: Metric[] = [];
    const codes: string[] = [];
    const sink: Sink = { push: (m) => void pushed.push(m), reject: (_w, _r, code) => void codes.push(code ?? '?'), flush: () => true };
    const input = new MqttInput(mqttInputOptions.parse({ url: mqttUrl(), client_id: `hostile-in-${site}`, topics: [`airlane/v1/${site}/+/reading`, `airlane/v1/${site}/traffic/+`] }), { log: silentLogger });
    await input.start(sink);
    stops.push(() => input.stop());
    await until('the retained repeat refused', () => (codes.includes('retained') ? true : undefined), 10_000);

    const good = JSON.stringify(reading(1));
    const hostile: [string, Buffer, string][] = [
      ['invalid UTF-8', Buffer.concat([Buffer.from(good.slice(0, 40)), Buffer.from([0xc3, 0x28]), Buffer.from(good.slice(42))]), 'not_utf8'],
      ['__proto__ at the root', Buffer.from(`{"__proto__":{"polluted":1},${JSON.stringify(reading(2)).slice(1)}`), 'schema'],
      ['__proto__ in values', Buffer.from(JSON.stringify(reading(3)).replace('"pm25_ugm3":12', '"pm25_ugm3":12,"__proto__":5')), 'schema'],
      ['constructor.prototype in values', Buffer.from(JSON.stringify(reading(4)).replace('"pm25_ugm3":12', '"constructor":{"prototype":{"polluted":1}}')), 'schema'],
      // Replace the value itself: a bare '12' also matches digits of the site name (it holds Date.now()).
      ['deep nesting', Buffer.from(JSON.stringify(reading(5)).replace('"pm25_ugm3":12', `"pm25_ugm3":${'['.repeat(20_000)}${']'.repeat(20_000)}`)), 'schema'],
      ['1e309', Buffer.from(JSON.stringify(reading(6)).replace('"pm25_ugm3":12', '"pm25_ugm3":1e309')), 'schema'],
      ['a string value', json(reading(7, { values: { pm25_ugm3: '12' } })), 'schema'],
      ['too large', Buffer.alloc(70_000, 0x20), 'too_large'],
      ['another node in the payload', json({ ...reading(8), node: 'n2' }), 'mismatch'],
      ['empty', Buffer.alloc(0), 'not_json'],
      ['random bytes', Buffer.from([0x7b, 0x00, 0xff, 0x10, 0x22, 0x7d]), 'not_utf8'],
      ['truncated JSON', Buffer.from(good.slice(0, 30)), 'not_json'],
    ];
    for (const [, payload] of hostile) await publisher.publishAsync(T, payload, { qos: 1 });
    await publisher.publishAsync(T, good, { qos: 1 });
    await publisher.publishAsync(`airlane/v1/${site}/traffic/d1`, JSON.stringify({ v: 1, site, detector: 'd2', time: '2026-11-25T08:00:00.000Z', interval_s: 60, values: { vehicles: 3 } }), { qos: 1 });
    await publisher.publishAsync(T, JSON.stringify(reading(9)), { qos: 1 });

    await until('the last valid reading', () => (pushed.length >= 2 ? true : undefined), 10_000);
    expect(pushed.map((m) => m.time)).toEqual([Date.UTC(2026, 10, 25, 8, 0, 0, 1), Date.UTC(2026, 10, 25, 8, 0, 0, 9)]);
    expect(codes).toEqual(['retained', ...hostile.map(([, , code]) => code), 'mismatch']);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
