import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedBroker, type EmbeddedBroker } from '../broker/embedded.js';
import { silentLogger } from '../core/log.js';
import { ReadingSchema, TrafficCountSchema, type Reading, type TrafficCount } from '../core/reading.js';
import { urbanConditions } from '../../firmware/sim/urban-day.js';
import { fleetCount, fleetPlan, fleetReading, nodeId, readingTime, siteId } from './plan.js';
import { checkLoopbackUrl, simulateFleet } from './simulate.js';

const START = Date.parse('2026-11-26T08:00:00.000Z');

describe('fleet plan', () => {
  const plan = fleetPlan({ nodes: 45, rate: 2, startMs: START, seed: 3 });

  it('spreads nodes 20 per site with ids unique across sites', () => {
    expect(plan.sites).toBe(3);
    expect([siteId(plan, 0), siteId(plan, 19), siteId(plan, 20), siteId(plan, 44)]).toEqual(['fleet-000', 'fleet-000', 'fleet-001', 'fleet-002']);
    expect(nodeId(44)).toBe('node-00044');
  });

  it('gives each node increasing times one period apart, offset within the period, and valid readings', () => {
    for (let i = 0; i < plan.nodes; i++) {
      const t0 = readingTime(plan, i, 0);
      expect(t0 - START).toBeGreaterThanOrEqual(0);
      expect(t0 - START).toBeLessThan(500);
      expect(readingTime(plan, i, 1) - t0).toBe(500);
      const r = fleetReading(plan, i, 1);
      expect(ReadingSchema.parse(r)).toEqual(r);
    }
  });

  it('takes its values from the urban day, scaled per node, and repeats them for the same seed', () => {
    const r = fleetReading(plan, 7, 4);
    const c = urbanConditions(new Date(r.time));
    const scale = r.values.pm25_ugm3! / c.pm25_ugm3;
    expect(scale).toBeGreaterThan(0.69);
    expect(scale).toBeLessThan(1.31);
    expect(r.values.pm10_ugm3).toBeCloseTo(c.pm10_ugm3 * scale, 0);
    expect(fleetReading(fleetPlan({ nodes: 45, rate: 2, startMs: START, seed: 3 }), 7, 4)).toEqual(r);
    expect(fleetReading(fleetPlan({ nodes: 45, rate: 2, startMs: START, seed: 4 }), 7, 4).values).not.toEqual(r.values);
  });
});

describe('checkLoopbackUrl', () => {
  it.each(['mqtt://127.0.0.1:1883', 'mqtt://localhost', 'mqtt://[::1]:1883', 'ws://127.0.0.2:8080/mqtt'])('accepts %s', (url) => {
    expect(checkLoopbackUrl(url).href).toBe(new URL(url).href);
  });
  it.each([
    ['mqtt://10.0.0.5:1883', 'never to 10.0.0.5'],
    ['mqtts://127.0.0.1:8883', 'give an mqtt:// or ws:// URL'],
    ['mqtt://127.0.0.1.example.com', 'never to 127.0.0.1.example.com'],
    ['not a url', 'is not a URL'],
  ])('refuses %s', (url, message) => {
    expect(() => checkLoopbackUrl(url)).toThrow(message);
  });
});

let broker: EmbeddedBroker | undefined;
let sub: mqtt.MqttClient | undefined;
afterEach(async () => {
  await sub?.endAsync(true);
  await broker?.close();
});

describe('simulateFleet', () => {
  it('publishes every planned reading once on its topic and sums them up', async () => {
    broker = await startEmbeddedBroker(0, silentLogger);
    sub = await mqtt.connectAsync(broker.url, { clientId: 'fleet-test-sub' });
    const got: { topic: string; reading: Reading }[] = [];
    sub.on('message', (topic, payload) => got.push({ topic, reading: JSON.parse(payload.toString()) as Reading }));
    await sub.subscribeAsync('airlane/v1/+/+/reading', { qos: 1 });
    const summary = await simulateFleet({ url: broker.url, nodes: 30, rate: 5, durationS: 1, seed: 9, startMs: START, qos: 1 });
    const plan = fleetPlan({ nodes: 30, rate: 5, startMs: START, seed: 9 });
    const expected = Array.from({ length: 5 }, (_, k) => Array.from({ length: 30 }, (_, i) => fleetReading(plan, i, k))).flat();
    for (let n = 0; n < 100 && got.length < expected.length; n++) await new Promise((r) => setTimeout(r, 20));
    expect(summary).toMatchObject({ nodes: 30, sites: 2, sent: 150, acked: 150 });
    const times = expected.map((r) => Date.parse(r.time));
    expect(summary.first).toBe(new Date(Math.min(...times)).toISOString());
    expect(summary.last).toBe(new Date(Math.max(...times)).toISOString());
    const key = (r: Reading) => `${r.node}@${r.time}`;
    expect(new Map(got.map((g) => [key(g.reading), g.reading]))).toEqual(new Map(expected.map((r) => [key(r), r])));
    expect(got).toHaveLength(150);
    for (const g of got) expect(g.topic).toBe(`airlane/v1/${g.reading.site}/${g.reading.node}/reading`);
  });

  it('publishes each site\'s traffic count for every interval that ended, valid against the contract', async () => {
    broker = await startEmbeddedBroker(0, silentLogger);
    sub = await mqtt.connectAsync(broker.url, { clientId: 'fleet-test-counts' });
    const got: TrafficCount[] = [];
    sub.on('message', (_topic, payload) => got.push(TrafficCountSchema.parse(JSON.parse(payload.toString()))));
    await sub.subscribeAsync('airlane/v1/+/traffic/+', { qos: 1 });
    // 2.2 s of readings at 5 Hz with a 1 s count interval: the intervals [0, 1 s) and [1 s, 2 s) end, for 2 sites.
    const summary = await simulateFleet({ url: broker.url, nodes: 30, rate: 5, durationS: 2.2, seed: 9, startMs: START, countIntervalS: 1, qos: 1 });
    for (let n = 0; n < 100 && got.length < 4; n++) await new Promise((r) => setTimeout(r, 20));
    expect(summary).toMatchObject({ counts: 4, counts_acked: 4 });
    const plan = fleetPlan({ nodes: 30, rate: 5, startMs: START, seed: 9 });
    const expected = [0, 1].flatMap((k) => [0, 1].map((site) => fleetCount(plan, site, START + k * 1000, 1)));
    expect(got.sort((a, b) => a.time.localeCompare(b.time) || a.site.localeCompare(b.site))).toEqual(expected);
    // The vehicles follow the simulated street: a minute's share of urbanConditions(), scaled per site.
    expect(expected[0]!.values.vehicles).toBeLessThanOrEqual(Math.round(urbanConditions(new Date(START)).vehiclesPerMin * 1.5 / 60) + 1);
  });
});
