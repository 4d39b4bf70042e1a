// The QoS 1 contract of the MQTT input against a real (in-process aedes) broker: a PUBACK leaves only once the
// reading is committed, and while the outbox cannot be written (disk full) the acknowledgements are held — the
// connection is kept, so the broker does not deliver again what the gateway already holds (a duplicate).
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/log.js';
import type { Metric } from '../../core/metric.js';
import type { Sink } from '../../core/plugin.js';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../broker/embedded.js';
import { MqttInput } from './mqtt.js';
import { mqttInputOptions } from './options.js';

const reading = (n: number) =>
  JSON.stringify({ v: 1, site: 'rue-a', node: 'pole-2', part: 'sim', time: new Date(1_800_000_000_000 + n * 1000).toISOString(), clock: 'ntp', values: { pm25_ugm3: n } });

let broker: EmbeddedBroker | undefined;
let input: MqttInput | undefined;
let publisher: mqtt.MqttClient | undefined;
afterEach(async () => {
  await publisher?.endAsync(true);
  await input?.stop();
  await broker?.close();
});

describe('MQTT input acknowledgements', () => {
  it('holds PUBACKs while the outbox refuses writes and sends them once it accepts, without a redelivery', async () => {
    broker = await startEmbeddedBroker(0, silentLogger);
    const pushed: Metric[] = [];
    let writable = false;
    let flushes = 0;
    const sink: Sink = {
      push: (m) => void pushed.push(m),
      reject: () => undefined,
      flush: () => {
        flushes++;
        return writable;
      },
    };
    input = new MqttInput(mqttInputOptions.parse({ url: broker.url, client_id: 'acks-test' }), { log: silentLogger });
    await input.start(sink);
    // The gateway's PUBACK to the broker (the publisher's own PUBACK comes from the broker, whatever we do).
    let acks = 0;
    broker.aedes.on('ack', (_packet, client) => {
      if (client?.id === 'acks-test') acks++;
    });
    publisher = await mqtt.connectAsync(broker.url, { clientId: 'acks-pub' });
    await publisher.publishAsync('airlane/v1/rue-a/pole-2/reading', reading(1), { qos: 1 });

    // Delivered and pushed, but the commit fails: no PUBACK, and the flush is retried (every second).
    await new Promise((r) => setTimeout(r, 1500));
    expect(pushed.map((m) => m.fields.pm25_ugm3)).toEqual([1]);
    expect(acks).toBe(0);
    expect(flushes).toBeGreaterThanOrEqual(2);

    writable = true;
    for (let i = 0; i < 40 && acks === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(acks).toBe(1);
    // Still one copy: the connection was kept, so the broker had no reason to deliver it again.
    expect(pushed).toHaveLength(1);
  });
});
