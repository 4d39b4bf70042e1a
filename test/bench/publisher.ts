// A remote-node load for the gateway benchmark, run as its own process so it does not share the gateway's
// event loop: publishes N readings (QoS 1) on airlane/v1/<site>/<node>/reading, each its own series and
// millisecond so nothing merges in InfluxDB, then prints {"published":N,"seconds":s} and exits.
import mqtt from 'mqtt';

const [url, countArg, t0Arg] = process.argv.slice(2);
if (!url || !countArg || !t0Arg) {
  console.error('usage: publisher.ts <mqtt-url> <count> <t0-ms>');
  process.exit(2);
}
const count = Number(countArg);
const t0 = Number(t0Arg);
const client = await mqtt.connectAsync(url, { clientId: `bench-pub-${process.pid}`, clean: true });
const started = performance.now();
const WINDOW = 2000;
let sent = 0;
let acked = 0;
await new Promise<void>((resolve, reject) => {
  const pump = () => {
    while (sent < count && sent - acked < WINDOW) {
      const i = sent++;
      const site = `bench-${Math.floor((i % 100) / 10)}`;
      const node = `n${i % 10}`;
      const reading = {
        v: 1,
        site,
        node,
        part: 'pms5003',
        time: new Date(t0 + i).toISOString(),
        clock: 'ntp',
        values: { pm25_ugm3: ((i * 7) % 500) / 10, pm10_ugm3: Number(((((i * 7) % 500) / 10) * 1.4).toFixed(2)), no2_ppb: ((i * 13) % 900) / 10 },
      };
      client.publish(`airlane/v1/${site}/${node}/reading`, JSON.stringify(reading), { qos: 1 }, (e) => {
        if (e) return reject(e);
        if (++acked === count) resolve();
        else pump();
      });
    }
  };
  pump();
});
const seconds = (performance.now() - started) / 1000;
await client.endAsync();
console.log(JSON.stringify({ published: count, seconds }));
