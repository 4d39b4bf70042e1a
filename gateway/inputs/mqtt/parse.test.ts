import { describe, expect, it } from 'vitest';
import { parseMessage } from './mqtt.js';

const reading = { v: 1, site: 'rue', node: 'n1', part: 'pms5003', time: '2026-11-25T08:00:01.250Z', clock: 'ntp', values: { pm25_ugm3: 12 } };
const buf = (o: unknown) => Buffer.from(JSON.stringify(o));

describe('MQTT payload parsing', () => {
  it('accepts a reading whose topic agrees with its payload', () => {
    const r = parseMessage('airlane/v1/rue/n1/reading', buf(reading));
    expect(r).toEqual({
      ok: true,
      metric: { measurement: 'air', tags: { site: 'rue', node: 'n1', part: 'pms5003' }, fields: { pm25_ugm3: 12 }, time: Date.parse(reading.time), meta: { clock: 'ntp' } },
    });
  });

  it('accepts a traffic count and fills lane and direction defaults', () => {
    const r = parseMessage('airlane/v1/rue/traffic/loop-3', buf({ v: 1, site: 'rue', detector: 'loop-3', time: '2026-11-25T08:00:00.000Z', interval_s: 60, values: { vehicles: 14 } }));
    expect(r.ok && r.metric).toEqual({
      measurement: 'traffic', tags: { site: 'rue', detector: 'loop-3', lane: 'all', direction: 'all' }, fields: { interval_s: 60, vehicles: 14 }, time: Date.parse('2026-11-25T08:00:00.000Z'),
    });
  });

  it.each([
    ['not JSON', 'airlane/v1/rue/n1/reading', Buffer.from('{"v":1,'), /payload is not JSON/],
    ['a topic/payload mismatch', 'airlane/v1/other/n1/reading', buf(reading), /payload names site "rue" node "n1", topic names "other" "n1"/],
    ['a NaN-like value', 'airlane/v1/rue/n1/reading', Buffer.from(JSON.stringify(reading).replace('12', '"12"')), /values\.pm25_ugm3/],
    ['an extra key', 'airlane/v1/rue/n1/reading', buf({ ...reading, __proto__x: 1 }), /Unrecognized key/],
    ['a time without milliseconds', 'airlane/v1/rue/n1/reading', buf({ ...reading, time: '2026-11-25T08:00:01Z' }), /time/],
    ['a foreign topic', 'sensors/rue/n1', buf(reading), /topic is not/],
    ['a "__proto__" part (would reach Object.prototype)', 'airlane/v1/rue/n1/reading', buf({ ...reading, part: '__proto__' }), /part: must not be "__proto__"/],
    ['a "constructor" quantity', 'airlane/v1/rue/n1/reading', buf({ ...reading, values: { constructor: 1 } }), /values\.constructor/],
    ['a negative vehicle count', 'airlane/v1/rue/traffic/d', buf({ v: 1, site: 'rue', detector: 'd', time: '2026-11-25T08:00:00.000Z', interval_s: 60, values: { vehicles: -1 } }), /values\.vehicles/],
  ])('refuses %s with the reason', (_name, topic, payload, reason) => {
    const r = parseMessage(topic, payload);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it('refuses oversize payloads before parsing them', () => {
    const r = parseMessage('airlane/v1/rue/n1/reading', Buffer.alloc(70_000, 0x20), 65_536);
    expect(r).toEqual({ ok: false, where: 'mqtt', code: 'too_large', reason: 'payload of 70000 bytes exceeds 65536 (topic airlane/v1/rue/n1/reading)' });
  });
});
