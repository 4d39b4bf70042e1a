// The bounded chaos run for CI: 45 s of load from 4 simulated remote nodes and a PMS5003 on a pty, with two
// SIGKILLs of the gateway, a 10 s InfluxDB outage, a Mosquitto restart, a serial unplug, a 1e-3 bit-error rate
// on the serial line and 20 000 fuzzed MQTT payloads — then nothing may be lost, duplicated or accepted
// corrupted, and the gateway may not have crashed. `npm run chaos` is the long form (README.md).
import { describe, expect, it } from 'vitest';
import { runChaos } from './chaos.js';
import { compare } from './verdict.js';
import { fingerprint, frameValues, type SentFrame } from './serial-line.js';
import { remoteValues, type ProducedReading } from './remote-nodes.js';
import { influxUrl } from '../services/context.js';
import { createTestDatabase } from '../services/influx-db.js';

const seed = Number(process.env.AIRLANE_CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));

describe('chaos (bounded)', () => {
  it(
    `loses, duplicates and accepts nothing under kills, outages, restarts, unplugs and fuzz (seed ${seed})`,
    async () => {
      const lines: string[] = [];
      const v = await runChaos({
        durationS: 45,
        seed,
        nodes: 4,
        rate: 10,
        fuzz: 20_000,
        kills: 2,
        influxOutages: 1,
        influxOutageS: 10,
        mosquittoRestarts: 1,
        serialUnplugs: 1,
        settleTimeoutS: 90,
        log: (l) => lines.push(l),
      });
      console.log(JSON.stringify(v));
      const context = `seed ${seed}; replay: AIRLANE_CHAOS_SEED=${seed}\n${lines.join('\n')}\n${JSON.stringify(v.examples)}`;
      expect(v.produced, context).toBeGreaterThan(0);
      expect(v.fuzzed, context).toBeGreaterThanOrEqual(20_000);
      expect(v.kills, context).toBe(2);
      expect(v.outages, context).toMatchObject({ influxdb: 1, mosquitto_restarts: 1, serial_unplugs: 1 });
      expect(v.serial.frames_stored, context).toBeGreaterThan(0);
      expect(v.stored, context).toBe(v.produced);
      expect({ lost: v.lost, duplicated: v.duplicated, corrupted_accepted: v.corrupted_accepted, crashes: v.crashes }, context).toEqual({
        lost: 0,
        duplicated: 0,
        corrupted_accepted: 0,
        crashes: 0,
      });
      // Every fuzzed payload reached the gateway and was refused (a QoS 1 redelivery after a kill may count twice).
      const rejected = Object.values(v.rejected).reduce((a, b) => a + b, 0);
      expect(rejected, context).toBeGreaterThanOrEqual(v.fuzzed * 0.9);
    },
    240_000,
  );
});

describe('chaos verdict', () => {
  it('counts lost, duplicated, corrupted and undetectable points in a database it is handed', async () => {
    const db = await createTestDatabase(influxUrl(), 'verdict');
    try {
      const t = Date.UTC(2026, 0, 1);
      const readings: ProducedReading[] = [0, 1, 2, 3].map((seq) => ({ node: 'sim-0', time: t + seq, values: remoteValues(0, seq), acked: true }));
      const line = (tags: string, values: Record<string, number>, time: number) =>
        `air,${tags} ${Object.entries(values).map(([k, v]) => `${k}=${v}`).join(',')} ${time}`;
      const sim = 'node=sim-0,part=sim,site=chaos';
      const frames = new Map<string, SentFrame>([1, 2].map((seq) => [fingerprint(frameValues(seq)), { seq, values: frameValues(seq), intact: true }]));
      const flipped = { ...frameValues(3), pm25_ugm3: frameValues(3).pm25_ugm3! + 4, pm10_ugm3: frameValues(3).pm10_ugm3! - 4 };
      const body = [
        line(sim, readings[0]!.values, t), // stored once: fine
        line(sim, readings[1]!.values, t + 1),
        line(sim, readings[1]!.values, t + 500), // the same reading again at another time: duplicated (and a wrong time)
        line(sim, { ...readings[2]!.values, pm25_ugm3: 999 }, t + 2), // values changed: corrupted, and the reading lost
        // readings[3] missing: lost
        line('node=evil,part=sim,site=chaos', { pm25_ugm3: 777777 }, t), // nobody produced this: corrupted
        line('node=pole,part=pms5003,site=chaos', frameValues(1), t),
        line('node=pole,part=pms5003,site=chaos', flipped, t + 1), // a checksum-blind corruption: undetectable
        line('node=pole,part=pms5003,site=chaos', { ...frameValues(2), pm25_ugm3: 5000 }, t + 2), // out of range: corrupted
      ].join('\n');
      const res = await fetch(`${influxUrl()}/write?db=${db.name}&precision=ms`, { method: 'POST', body });
      expect(res.status).toBe(204);
      const c = await compare({
        influxUrl: influxUrl(),
        database: db.name,
        site: 'chaos',
        localNode: 'pole',
        localPart: 'pms5003',
        remotePart: 'sim',
        readings,
        frames,
        undetectable: new Map([
          [fingerprint(flipped), { values: flipped, plausible: true }],
          [fingerprint({ ...frameValues(2), pm25_ugm3: 5000 }), { values: { ...frameValues(2), pm25_ugm3: 5000 }, plausible: false }],
        ]),
      });
      expect(c).toMatchObject({ produced: 4, stored: 2, lost: 2, duplicated: 1, corrupted_accepted: 4, serial: { frames_stored: 1, undetectable: 1, duplicated: 0 } });
    } finally {
      await db.drop();
    }
  });
});
