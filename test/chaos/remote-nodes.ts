// Simulated remote nodes: one MQTT.js client each, stable client id, persistent session (clean: false), QoS 1.
// A reading counts as produced once the broker acknowledged it (MQTT.js keeps unacknowledged QoS 1 messages
// and resends them after every reconnect, so a broker restart delays them but never drops them).
import mqtt, { type MqttClient } from 'mqtt';
import type { Reading } from '../../firmware/contract.js';

export interface ProducedReading {
  node: string;
  time: number;
  values: Record<string, number>;
  /** The broker acknowledged it (PUBACK): only these count as produced. */
  acked: boolean;
}

/** The values of reading `seq` of node number `index`: exact binary fractions, unique per node. */
export function remoteValues(index: number, seq: number): Record<string, number> {
  return {
    pm1_ugm3: 2 + (seq % 30) / 4,
    pm25_ugm3: 5 + (seq % 50) / 2 + index,
    pm10_ugm3: 9 + (seq % 70) + index,
    temperature_c: (seq % 400) / 8 - 10,
    n0_3_per_dl: seq,
  };
}

export class RemoteNode {
  readonly client: MqttClient;
  /** Every reading published, acknowledged or not yet. */
  readonly readings: ProducedReading[] = [];
  acked = 0;
  errors = 0;
  private seq = 0;
  private lastTime = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    url: string,
    readonly site: string,
    readonly id: string,
    private readonly index: number,
  ) {
    this.client = mqtt.connect(url, { clientId: `chaos-sim-${site}-${id}`, clean: false, reconnectPeriod: 500, connectTimeout: 5000 });
    this.client.on('error', () => undefined);
  }

  start(ratePerS: number): void {
    this.timer = setInterval(() => this.publishOne(), 1000 / ratePerS);
  }

  /** Stops producing; what is in flight is still resent until acknowledged. */
  stopProducing(): void {
    clearInterval(this.timer);
  }

  get pending(): number {
    return this.readings.length - this.acked - this.errors;
  }

  private publishOne(): void {
    const seq = ++this.seq;
    // Distinct timestamps per node even when two ticks share a millisecond.
    const time = Math.max(Date.now(), this.lastTime + 1);
    this.lastTime = time;
    const values = remoteValues(this.index, seq);
    const reading: Reading = { v: 1, site: this.site, node: this.id, part: 'sim', time: new Date(time).toISOString(), clock: 'ntp', values };
    const record: ProducedReading = { node: this.id, time, values, acked: false };
    this.readings.push(record);
    this.client.publish(`airlane/v1/${this.site}/${this.id}/reading`, JSON.stringify(reading), { qos: 1 }, (err) => {
      if (err) this.errors++;
      else {
        record.acked = true;
        this.acked++;
      }
    });
  }

  async close(): Promise<void> {
    this.stopProducing();
    await this.client.endAsync(true);
  }
}
