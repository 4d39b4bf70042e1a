// Shared subscriptions (central ingest): the option and the topic filters it yields. The broker side (Mosquitto
// splitting the stream, a killed member's messages) is in test/integration/fleet.test.ts.
import { describe, expect, it } from 'vitest';
import { subscriptionTopics } from './mqtt.js';
import { mqttInputOptions } from './options.js';

describe('MQTT input shared_group', () => {
  it('is absent by default, and the subscriptions are the plain topics', () => {
    const o = mqttInputOptions.parse({ url: 'mqtt://127.0.0.1:1883' });
    expect(o.shared_group).toBeUndefined();
    expect(subscriptionTopics(o.topics, o.shared_group)).toEqual(['airlane/v1/+/+/reading', 'airlane/v1/+/traffic/+', 'airlane/v1/+/+/commissioning']);
  });

  it('prefixes readings and traffic with $share/<group>/ and keeps commissioning records unshared', () => {
    const o = mqttInputOptions.parse({ url: 'mqtt://127.0.0.1:1883', shared_group: 'central' });
    expect(subscriptionTopics(o.topics, o.shared_group)).toEqual([
      '$share/central/airlane/v1/+/+/reading',
      '$share/central/airlane/v1/+/traffic/+',
      'airlane/v1/+/+/commissioning',
    ]);
  });

  it.each([
    ['', 'must not be empty'],
    ['a/b', 'must not contain "+", "#", "/" or control characters'],
    ['#', 'must not contain "+", "#", "/" or control characters'],
    ['x+', 'must not contain "+", "#", "/" or control characters'],
  ])('refuses the group %j: it must be one topic level', (group, message) => {
    const r = mqttInputOptions.safeParse({ url: 'mqtt://127.0.0.1:1883', shared_group: group });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([`shared_group: ${message}`]);
  });
});
