// Hostile MQTT traffic for the gateway's subscriptions. Every payload here is invalid under the Reading /
// TrafficCount contract (firmware/contract.ts) or sits on a topic that disagrees with it, so none of it may
// reach InfluxDB: anything stored that a simulator did not produce is counted as corrupted_accepted. Shapes
// that look valid carry the marker value 777777 so a leak is obvious in the database.
import type { Rng } from './rng.js';

export interface FuzzMessage {
  topic: string;
  payload: Buffer;
  kind: string;
}

const MARK = 777_777;
/** Fuzz times sit in 2001, far from anything a simulator produces. */
const FUZZ_EPOCH = Date.UTC(2001, 0, 1);

export function fuzzer(r: Rng, site: string, nodes: readonly string[]) {
  let n = 0;
  const time = () => new Date(FUZZ_EPOCH + n * 7).toISOString();
  const node = () => r.pick(nodes);
  const reading = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
    v: 1,
    site,
    node: 'fz',
    part: 'fuzz',
    time: time(),
    clock: 'ntp',
    values: { pm25_ugm3: MARK },
    ...over,
  });
  const topicOf = (s: string, nd: string) => `airlane/v1/${s}/${nd}/reading`;
  const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));
  const nest = (depth: number, open: string, close: string, inner = '1'): string => open.repeat(depth) + inner + close.repeat(depth);

  // Each generator returns [topic, payload]; `kind` names it in the counts.
  const gens: Array<[string, () => [string, Buffer]]> = [
    ['random_bytes', () => [topicOf(site, node()), r.bytes(r.int(0, 300))]],
    ['random_json_scalar', () => [topicOf(site, node()), Buffer.from(r.pick(['null', 'true', '0', '""', '[]', '{}', '"reading"', '-1e999', '1e999']))]],
    ['truncated_json', () => {
      const s = JSON.stringify(reading({ node: node() }));
      return [topicOf(site, node()), Buffer.from(s.slice(0, r.int(0, s.length - 1)))];
    }],
    ['wrong_type', () => {
      const nd = node();
      const field = r.pick(['v', 'site', 'node', 'part', 'time', 'clock', 'values', 'flags']);
      const bad = r.pick<unknown>([null, 1, '1', true, [], {}, [1, 2], { A: 1 }, -0, 1e308]);
      const rd = reading({ node: nd, [field]: bad });
      // A few of these stay valid by accident (flags: [] / node "1"…): make them wrong for sure.
      if (field === 'flags' && Array.isArray(bad) && bad.length === 0) rd.flags = [1];
      if (field === 'v' && bad === 1) rd.v = 2;
      if ((field === 'node' || field === 'site' || field === 'part') && typeof bad === 'string') rd[field] = 1;
      return [topicOf(site, nd), json(rd)];
    }],
    ['wrong_value_type', () => {
      const nd = node();
      const v = r.pick<unknown>(['12', null, [], {}, true, { x: 1 }, '1e999']);
      return [topicOf(site, nd), json(reading({ node: nd, values: { pm25_ugm3: v } }))];
    }],
    ['non_finite', () => {
      const nd = node();
      // JSON.parse turns 1e999 into Infinity; the contract refuses non-finite numbers.
      const s = JSON.stringify(reading({ node: nd })).replace(`${MARK}`, r.pick(['1e999', '-1e999']));
      return [topicOf(site, nd), Buffer.from(s)];
    }],
    ['bad_time', () => {
      const nd = node();
      const t = r.pick(['2024-01-01', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00.000+02:00', 'yesterday', '', '2024-13-45T99:99:99.999Z', '1700000000000']);
      return [topicOf(site, nd), json(reading({ node: nd, time: t }))];
    }],
    ['bad_quantity_name', () => {
      const nd = node();
      const k = r.pick(['PM25', 'pm2.5', '', '1abc', 'pm 25', 'time\n', 'ümlaut', 'prototype', 'constructor']);
      return [topicOf(site, nd), json(reading({ node: nd, values: { [k]: MARK } }))];
    }],
    ['empty_values', () => {
      const nd = node();
      return [topicOf(site, nd), json(reading({ node: nd, values: {} }))];
    }],
    ['extra_key', () => {
      const nd = node();
      return [topicOf(site, nd), json(reading({ node: nd, [r.pick(['id', 'extra', 'Values', 'tags'])]: 1 }))];
    }],
    ['wrong_version', () => {
      const nd = node();
      return [topicOf(site, nd), json(reading({ node: nd, v: r.pick([0, 2, '1', 1.5]) }))];
    }],
    ['proto_keys', () => {
      const nd = node();
      const body = JSON.stringify(reading({ node: nd }));
      const variants = [
        body.replace('{', '{"__proto__":{"polluted":1},'),
        body.replace('"values":{', '"values":{"__proto__":1,'),
        body.replace('"values":{', '"values":{"constructor":{"prototype":{"polluted":1}},'),
        body.replace('{', '{"constructor":{"prototype":{"polluted":1}},'),
        JSON.stringify(reading({ node: '__proto__' })),
      ];
      const i = r.int(0, variants.length - 1);
      return [i === 4 ? topicOf(site, '__proto__') : topicOf(site, nd), Buffer.from(variants[i]!)];
    }],
    ['proto_topic', () => {
      const seg = r.pick(['__proto__', 'constructor', 'prototype']);
      return [topicOf(seg, seg), json(reading({ site: seg, node: seg }))];
    }],
    ['deeply_nested', () => {
      const nd = node();
      const depth = r.pick([100, 1000, 10_000, 50_000]);
      const inner = r.next() < 0.5 ? nest(depth, '[', ']') : nest(depth, '{"a":', '}');
      const s = r.next() < 0.5 ? inner : JSON.stringify(reading({ node: nd })).replace(`${MARK}`, inner);
      return [topicOf(site, nd), Buffer.from(s)];
    }],
    ['huge', () => {
      const nd = node();
      // Just over the default 64 KiB limit, or far over it.
      const size = r.pick([65_537, 70_000, 200_000, 1_000_000]);
      const rd = reading({ node: nd, part: 'x' });
      return [topicOf(site, nd), Buffer.from(JSON.stringify(rd).replace('"x"', JSON.stringify('x'.repeat(size))))];
    }],
    ['long_strings', () => {
      const nd = node();
      const field = r.pick(['site', 'node', 'part']);
      return [topicOf(site, nd), json(reading({ node: nd, [field]: 'a'.repeat(r.int(65, 5000)) }))];
    }],
    ['invalid_utf8', () => {
      // Bytes that are not UTF-8 in the JSON (RFC 8259 §8.1: JSON text exchanged between systems MUST be
      // UTF-8). A lenient decoder turns them into U+FFFD and may then accept the result.
      const nd = node();
      const bad = r.pick([Buffer.from([0xff]), Buffer.from([0xc3, 0x28]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]), Buffer.from([0xc0, 0xaf])]);
      const where = r.pick(['part', 'node', 'raw']);
      if (where === 'raw') return [topicOf(site, nd), Buffer.concat([Buffer.from('{"v":1,'), bad, Buffer.from('}')])];
      const [pre, post] = JSON.stringify(reading({ node: nd, part: 'pm', [where]: '@@' })).split('@@') as [string, string];
      const payload = Buffer.concat([Buffer.from(pre), Buffer.from(where === 'node' ? 'n' : 'p'), bad, Buffer.from(post)]);
      // For a bad node name the topic carries what a lenient decoder makes of it, so only the bytes are wrong.
      const decodedNode = `n${bad.toString('utf8')}`;
      return [where === 'node' ? topicOf(site, decodedNode) : topicOf(site, nd), payload];
    }],
    ['topic_payload_mismatch', () => {
      const a = node();
      const others = nodes.filter((x) => x !== a);
      const b = others.length ? r.pick(others) : `${a}-x`;
      const s = r.pick([site, 'elsewhere']);
      return [topicOf(s, b), json(reading({ node: a }))];
    }],
    ['other_site_wrong_body', () => {
      const s = r.pick(['elsewhere', 'other-site', 'x']);
      const body = r.pick<unknown>([{ hello: 'world' }, [1, 2, 3], { v: 1, site: s }, 'reading', { ...reading(), site: s, node: undefined }]);
      return [topicOf(s, r.pick(['n1', 'gateway', 'traffic'])), json(body)];
    }],
    ['traffic_wrong_body', () => {
      const s = r.pick([site, 'elsewhere']);
      const det = r.pick(['d1', 'loop-1', '__proto__']);
      const body = r.pick<unknown>([
        reading(),
        { v: 1, site: s, detector: det, time: time(), interval_s: 60, values: { vehicles: -1 } },
        { v: 1, site: s, detector: det, time: time(), interval_s: 0, values: { vehicles: MARK } },
        { v: 1, site: s, detector: `${det}x`, time: time(), interval_s: 60, values: { vehicles: MARK } },
        { v: 1, site: s, detector: det, time: time(), interval_s: 60, values: { vehicles: 1.5 } },
        { v: 1, site: s, detector: det, time: time(), interval_s: 60, values: { vehicles: MARK, occupancy_pct: 101 } },
      ]);
      return [`airlane/v1/${s}/traffic/${det}`, json(body)];
    }],
    ['wrong_topic_shape', () => {
      const nd = node();
      const t = r.pick([
        `airlane/v1/${site}/${nd}/reading/extra`,
        `airlane/v1/${site}/${nd}/readings`,
        `airlane/v2/${site}/${nd}/reading`,
        `airlane/v1/${site}//reading`,
        `airlane/v1//${nd}/reading`,
        `airlane/v1/${site}/${nd}/status`,
      ]);
      return [t, json(reading({ node: nd }))];
    }],
  ];

  return {
    kinds: gens.map(([k]) => k),
    next(): FuzzMessage {
      n++;
      let [kind, gen] = gens[n % gens.length]!;
      // Big payloads cost the broker and the gateway real bandwidth: one in five turns of 'huge' is huge.
      if (kind === 'huge' && n % 5 !== 0) [kind, gen] = gens[0]!;
      const [topic, payload] = gen();
      return { topic, payload, kind };
    },
  };
}
