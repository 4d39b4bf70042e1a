// Property test of parseMessage over 100 000+ generated payloads (seeded, so a failure replays): mutations of
// valid readings and counts — bit flips, truncation, type swaps, key injection, nesting, topic changes. Whatever
// comes in: parseMessage never throws, whatever it accepts re-validates against the contract and agrees with its
// topic, and Object.prototype is never touched.
import { describe, expect, it } from 'vitest';
import { parseMessage } from './mqtt.js';
import { ReadingSchema, TrafficCountSchema } from '../../core/reading.js';
import { metricToReading, metricToTraffic } from '../../core/metric.js';
import { mulberry32 } from '../../../firmware/sim/random.js';


const RUNS = 100_000;
const SEED = 0x5eed_a1a5;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function fuzz(seed: number, runs: number) {
  const rand = mulberry32(seed);
  const int = (n: number) => Math.floor(rand() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;

  const sites = ['rue', 'elm', 'a', '__proto__', 'r+e', 'x'.repeat(65)];
  const nodes = ['n1', 'n2', 'constructor', 'traffic'];
  const weird: Json[] = [
    null, true, false, 0, -0, 1e308, -1e308, 12.5, -3, 2 ** 53 + 1, '', '12', 'NaN', 'Infinity', [], {}, [12], { pm25_ugm3: 1 },
    '\u0000', '\ud800', 'é'.repeat(10), '2026-11-25T08:00:01.250Z', '2026-13-45T99:00:00.000Z',
  ];
  const injectedKeys = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'polluted', 'pm25_ugm3', 'v', 'site', 'PM25', 'x y', ''];
  const numbersRaw = ['1e309', '-1e309', '-0', '9'.repeat(330), '0.0000000000000000000001', '1E2', '-', '01', '.5', '1e', 'NaN', 'Infinity'];

  const validReading = (): { topic: string; body: Record<string, Json> } => {
    const site = pick(['rue', 'elm']);
    const node = pick(['n1', 'n2', 'pi-3']);
    const values: Record<string, Json> = {};
    for (const q of ['pm25_ugm3', 'pm10_ugm3', 'no2_ppb', 'temperature_c'].slice(0, 1 + int(4))) values[q] = Math.round((rand() * 200 - 20) * 100) / 100;
    const body: Record<string, Json> = { v: 1, site, node, part: pick(['pms5003', 'sds011', 'bme280']), time: new Date(1_764_000_000_000 + int(1e9)).toISOString(), clock: pick(['ntp', 'rtc', 'free']), values };
    if (rand() < 0.3) body.flags = ['warmup'];
    return { topic: `airlane/v1/${site}/${node}/reading`, body };
  };
  const validCount = (): { topic: string; body: Record<string, Json> } => {
    const site = pick(['rue', 'elm']);
    const detector = pick(['loop-1', 'loop-2']);
    const values: Record<string, Json> = { vehicles: int(100) };
    if (rand() < 0.5) values.speed_kmh = Math.round(rand() * 900) / 10;
    const body: Record<string, Json> = { v: 1, site, detector, time: new Date(1_764_000_000_000 + int(1e9) * 1000).toISOString(), interval_s: pick([30, 60, 900]), values };
    if (rand() < 0.3) body.lane = '1';
    return { topic: `airlane/v1/${site}/traffic/${detector}`, body };
  };

  /** A random path into the object (root or values) to mutate. */
  const target = (body: Record<string, Json>): Record<string, Json> => {
    const values = body.values;
    return rand() < 0.5 && values && typeof values === 'object' && !Array.isArray(values) ? values : body;
  };

  const nest = (v: Json, depth: number): Json => {
    let out = v;
    for (let i = 0; i < depth; i++) out = rand() < 0.5 ? [out] : { a: out };
    return out;
  };

  const mutate = (): { topic: string; payload: Buffer; retained: boolean } => {
    const { topic: validTopic, body } = rand() < 0.7 ? validReading() : validCount();
    let topic = validTopic;
    let text: string | undefined;
    let bytes: Buffer | undefined;
    const kind = int(9);
    switch (kind) {
      case 0: {
        // type swap
        const t = target(body);
        const keys = Object.keys(t);
        if (keys.length) t[pick(keys)] = pick(weird);
        break;
      }
      case 1: {
        // key injection (written as raw JSON so "__proto__" stays a key)
        const key = pick(injectedKeys);
        const value = JSON.stringify(rand() < 0.5 ? pick(weird) : { polluted: 1, prototype: { polluted: 1 } });
        text = JSON.stringify(body);
        const at = rand() < 0.5 && text.includes('"values":{') ? text.indexOf('"values":{') + 10 : 1;
        text = `${text.slice(0, at)}${JSON.stringify(key)}:${value},${text.slice(at)}`;
        break;
      }
      case 2: {
        // nesting
        const t = target(body);
        const keys = Object.keys(t);
        if (!keys.length) break;
        if (rand() < 0.05) {
          // Deep nesting spliced in as text (JSON.stringify would recurse as deep as the value).
          const depth = 1000 + int(9000);
          t[pick(keys)] = '@DEEP@';
          text = JSON.stringify(body).replace('"@DEEP@"', '['.repeat(depth) + '1' + ']'.repeat(depth));
        } else t[pick(keys)] = nest(pick(weird), 1 + int(20));
        break;
      }
      case 3:
        // topic swap: another site/node/leaf, wildcards, reserved names
        topic = pick([
          `airlane/v1/${pick(sites)}/${pick(nodes)}/reading`,
          `airlane/v1/${pick(sites)}/traffic/${pick(['loop-1', 'loop-9', '__proto__'])}`,
          `airlane/v1/rue/n1/${pick(['status', 'cmd', 'reading/x', ''])}`,
          pick(['', '/', 'airlane', 'airlane/v2/rue/n1/reading', '#', 'airlane/v1/+/+/reading']),
        ]);
        break;
      case 4:
        // raw number spliced in
        text = JSON.stringify(body).replace(/(":)(-?\d+(\.\d+)?)/, `$1${pick(numbersRaw)}`);
        break;
      case 5:
        // remove a key
        {
          const t = target(body);
          const keys = Object.keys(t);
          if (keys.length) delete t[pick(keys)];
        }
        break;
      default:
        break;
    }
    bytes = Buffer.from(text ?? JSON.stringify(body), 'utf8');
    // Byte-level damage on top, often: bit flips, truncation, garbage, BOM.
    const damage = int(6);
    if (damage === 0) {
      for (let i = 1 + int(3); i > 0; i--) {
        const at = int(bytes.length);
        bytes[at] = bytes[at]! ^ (1 << int(8));
      }
    } else if (damage === 1) {
      bytes = bytes.subarray(0, int(bytes.length));
    } else if (damage === 2) {
      const at = int(bytes.length);
      const junk = Buffer.from(Array.from({ length: 1 + int(4) }, () => int(256)));
      bytes = Buffer.concat([bytes.subarray(0, at), junk, bytes.subarray(at)]);
    } else if (damage === 3 && rand() < 0.2) {
      bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
    }
    return { topic, payload: bytes, retained: rand() < 0.01 };
  };

  const codes: Record<string, number> = {};
  let accepted = 0;
  const problems: string[] = [];
  for (let i = 0; i < runs; i++) {
    const { topic, payload, retained } = mutate();
    let r: ReturnType<typeof parseMessage>;
    try {
      r = parseMessage(topic, payload, 65_536, retained);
    } catch (e) {
      problems.push(`#${i} threw ${(e as Error).message} on ${topic} ${payload.toString('hex').slice(0, 200)}`);
      continue;
    }
    if (!r.ok) {
      codes[r.code] = (codes[r.code] ?? 0) + 1;
      continue;
    }
    accepted++;
    const m = r.metric;
    const [, , site, second, third] = topic.split('/');
    if (m.measurement === 'air') {
      const back = ReadingSchema.safeParse(metricToReading(m));
      if (!back.success || back.data.site !== site || back.data.node !== second || third !== 'reading') problems.push(`#${i} accepted a reading that does not re-validate or match ${topic}: ${JSON.stringify(m)}`);
    } else if (m.measurement === 'traffic') {
      const back = TrafficCountSchema.safeParse(metricToTraffic(m));
      if (!back.success || back.data.site !== site || second !== 'traffic' || back.data.detector !== third) problems.push(`#${i} accepted a count that does not re-validate or match ${topic}: ${JSON.stringify(m)}`);
    } else problems.push(`#${i} accepted measurement ${m.measurement}`);
    if (problems.length > 20) break;
  }
  return { accepted, codes, problems };
}

describe('parseMessage under fuzzing', () => {
  it(`never throws, accepts only valid readings that match their topic, and leaves Object.prototype alone (${RUNS} payloads)`, () => {
    const protoBefore = Object.getOwnPropertyNames(Object.prototype).sort();
    const { accepted, codes, problems } = fuzz(SEED, RUNS);
    expect(problems).toEqual([]);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const rejected = Object.values(codes).reduce((a, b) => a + b, 0);
    expect(accepted + rejected).toBe(RUNS);
    // The generator reaches every refusal a payload or topic can earn, and still lets valid ones through.
    for (const code of ['topic', 'not_utf8', 'not_json', 'schema', 'mismatch', 'retained']) expect(codes[code], code).toBeGreaterThan(0);
    expect(accepted).toBeGreaterThan(RUNS / 20);
    // A bound for a slow shared machine, not a performance assertion (about 5 s on a laptop core).
  }, 120_000);
});
