// Hostile payloads on the MQTT input: each is refused with a reason code, never throws, never reaches
// Object.prototype. The payloads are hand-made attacks (no public capture applies); the reading itself follows
// DESIGN.md §3.
import { afterEach, describe, expect, it } from 'vitest';
import { parseMessage } from './mqtt.js';

const reading = { v: 1, site: 'rue', node: 'n1', part: 'pms5003', time: '2026-11-25T08:00:01.250Z', clock: 'ntp', values: { pm25_ugm3: 12 } };
const count = { v: 1, site: 'rue', detector: 'loop-3', time: '2026-11-25T08:00:00.000Z', interval_s: 60, values: { vehicles: 14 } };
const T = 'airlane/v1/rue/n1/reading';
const TT = 'airlane/v1/rue/traffic/loop-3';
const text = (s: string) => Buffer.from(s, 'utf8');
const buf = (o: unknown) => Buffer.from(JSON.stringify(o));
/** JSON of `reading` with `raw` spliced in for the pm25 value (so values JSON.stringify cannot express get in). */
const withValue = (raw: string) => text(JSON.stringify(reading).replace('"pm25_ugm3":12', `"pm25_ugm3":${raw}`));

const protoKeys = Object.getOwnPropertyNames(Object.prototype).sort();
afterEach(() => {
  // Nothing may have been added to (or changed on) Object.prototype by any case.
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoKeys);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

function refused(topic: string, payload: Buffer, retained = false) {
  const r = parseMessage(topic, payload, 65_536, retained);
  if (r.ok) throw new Error(`accepted: ${payload.toString('utf8').slice(0, 200)}`);
  return r;
}

describe('MQTT input against hostile payloads', () => {
  it('refuses invalid UTF-8 instead of passing U+FFFD on', () => {
    const good = JSON.stringify({ ...reading, part: 'pmsX' });
    const i = good.indexOf('pmsX') + 3;
    // 0xC3 0x28: a two-byte lead followed by a non-continuation byte (invalid sequence).
    const bytes = Buffer.concat([text(good.slice(0, i)), Buffer.from([0xc3, 0x28]), text(good.slice(i + 1))]);
    expect(refused(T, bytes)).toMatchObject({ code: 'not_utf8', reason: expect.stringMatching(/not valid UTF-8/) });
    // An overlong encoding of "/" (0xC0 0xAF) and a lone surrogate (0xED 0xA0 0x80) are invalid too.
    expect(refused(T, Buffer.from([0x7b, 0xc0, 0xaf, 0x7d])).code).toBe('not_utf8');
    expect(refused(T, Buffer.from([0x7b, 0xed, 0xa0, 0x80, 0x7d])).code).toBe('not_utf8');
  });

  it('accepts a payload with a UTF-8 BOM (RFC 8259 §8.1 lets a parser ignore it) and reads the same reading', () => {
    const r = parseMessage(T, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), buf(reading)]));
    expect(r.ok && r.metric.fields).toEqual({ pm25_ugm3: 12 });
  });

  it('refuses an empty payload (a cleared retained topic) as not JSON', () => {
    expect(refused(T, Buffer.alloc(0))).toMatchObject({ code: 'not_json', reason: expect.stringMatching(/payload is empty/) });
  });

  it('refuses a retained reading: a stored repeat of something already delivered live', () => {
    expect(refused(T, buf(reading), true)).toMatchObject({ code: 'retained' });
    expect(parseMessage(T, buf(reading), 65_536, false).ok).toBe(true);
  });

  it('refuses deeply nested JSON within the size limit without overflowing the stack', () => {
    const depth = 30_000;
    const nested = '['.repeat(depth) + ']'.repeat(depth);
    expect(refused(T, text(nested)).code).toBe('schema');
    expect(refused(T, withValue(nested)).code).toBe('schema');
    const objects = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
    expect(refused(T, text(JSON.stringify(reading).replace('"clock":"ntp"', `"clock":${objects}`))).code).toBe('schema');
  });

  it.each([
    ['1e309 (parses to Infinity)', '1e309', /values\.pm25_ugm3: .*Infinity/],
    ['-1e309', '-1e309', /values\.pm25_ugm3: .*Infinity/],
    ['a 400-digit integer', '9'.repeat(400), /values\.pm25_ugm3: .*Infinity/],
    ['a string', '"12"', /values\.pm25_ugm3/],
    ['null', 'null', /values\.pm25_ugm3/],
    ['an array', '[12]', /values\.pm25_ugm3/],
    ['an object', '{"valueOf":12}', /values\.pm25_ugm3/],
    ['true', 'true', /values\.pm25_ugm3/],
  ])('refuses a value of %s', (_name, raw, reason) => {
    expect(refused(T, withValue(raw))).toMatchObject({ code: 'schema', reason: expect.stringMatching(reason) });
  });

  it('takes -0 and huge-but-finite numbers as the numbers they are', () => {
    // -0 is a legal JSON number equal to 0; line protocol and JSON both write it as "0".
    const r = parseMessage(T, withValue('-0'));
    expect(r.ok && r.metric.fields.pm25_ugm3 === 0).toBe(true);
    expect(r.ok && JSON.stringify(r.metric.fields)).toBe('{"pm25_ugm3":0}');
    const big = parseMessage(T, withValue('1.7976931348623157e308'));
    expect(big.ok && big.metric.fields.pm25_ugm3).toBe(Number.MAX_VALUE);
  });

  it.each([
    ['a type swap on v', { ...reading, v: '1' }, /v:/],
    ['site as a number', { ...reading, site: 7 }, /site/],
    ['values as an array', { ...reading, values: [12] }, /values/],
    ['a wrong clock', { ...reading, clock: 'gps' }, /clock/],
    ['flags as a string', { ...reading, flags: 'x' }, /flags/],
    ['the root as an array', [reading], /\(root\)/],
    ['the root as a number', 42, /\(root\)/],
  ])('refuses %s', (_name, payload, reason) => {
    expect(refused(T, buf(payload))).toMatchObject({ code: 'schema', reason: expect.stringMatching(reason) });
  });

  describe('prototype-pollution keys', () => {
    // Written as raw JSON: an object literal with __proto__ would set the prototype instead of a key.
    const base = JSON.stringify(reading).slice(1, -1);
    const cases: [string, string, string][] = [
      ['__proto__ at the root', `{"__proto__":{"polluted":1},${base}}`, T],
      ['constructor at the root', `{"constructor":{"prototype":{"polluted":1}},${base}}`, T],
      ['prototype at the root', `{"prototype":{"polluted":1},${base}}`, T],
      ['__proto__ in values', JSON.stringify(reading).replace('"pm25_ugm3":12', '"__proto__":{"polluted":1}'), T],
      ['__proto__ as a quantity with a number', JSON.stringify(reading).replace('"pm25_ugm3":12', '"pm25_ugm3":12,"__proto__":5'), T],
      ['constructor in values', JSON.stringify(reading).replace('"pm25_ugm3":12', '"constructor":1'), T],
      ['prototype in values', JSON.stringify(reading).replace('"pm25_ugm3":12', '"prototype":1'), T],
      ['__proto__ as site and in the topic', JSON.stringify({ ...reading, site: '__proto__' }), 'airlane/v1/__proto__/n1/reading'],
      ['constructor as node and in the topic', JSON.stringify({ ...reading, node: 'constructor' }), 'airlane/v1/rue/constructor/reading'],
      ['__proto__ in a nested traffic values object', JSON.stringify(count).replace('"vehicles":14', '"vehicles":14,"__proto__":{"polluted":1}'), TT],
      ['constructor.prototype nested in traffic values', JSON.stringify(count).replace('"vehicles":14', '"vehicles":14,"constructor":{"prototype":{"polluted":1}}'), TT],
      ['__proto__ as a detector', JSON.stringify({ ...count, detector: '__proto__' }), 'airlane/v1/rue/traffic/__proto__'],
      ['__proto__ in a flags entry', JSON.stringify({ ...reading, flags: ['__proto__'] }), T],
    ];
    it.each(cases)('refuses %s', (_name, payload, topic) => {
      const r = refused(topic, text(payload));
      expect(r.code).toBe('schema');
    });
  });

  it.each([
    ['another site', 'airlane/v1/other/n1/reading', buf(reading)],
    ['another node', 'airlane/v1/rue/n2/reading', buf(reading)],
    ['another detector', 'airlane/v1/rue/traffic/loop-4', buf(count)],
    ['another site for a count', 'airlane/v1/elm/traffic/loop-3', buf(count)],
  ])('refuses a topic/payload mismatch: %s', (_name, topic, payload) => {
    expect(refused(topic, payload).code).toBe('mismatch');
  });

  it.each([
    ['a reading on a traffic topic', TT, buf(reading), 'schema'],
    ['a count on a reading topic', T, buf(count), 'schema'],
    ['a status topic', 'airlane/v1/rue/n1/status', buf(reading), 'topic'],
    ['a topic with an extra level', 'airlane/v1/rue/n1/reading/x', buf(reading), 'topic'],
    ['an empty topic', '', buf(reading), 'topic'],
    ['airlane/v2', 'airlane/v2/rue/n1/reading', buf(reading), 'topic'],
  ])('refuses %s', (_name, topic, payload, code) => {
    expect(refused(topic, payload).code).toBe(code);
  });

  it('never lets a hostile payload make an unbounded reason', () => {
    const keys = Array.from({ length: 3000 }, (_, i) => `"k${i}":1`).join(',');
    const r = refused(T, text(`{${keys}}`));
    expect(r.reason.length).toBeLessThan(700);
  });
});
