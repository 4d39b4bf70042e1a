// A UART part whose cable is pulled and plugged back in mid-run: the port closes under the driver, the runtime
// reopens it with backoff, readings resume without a restart, and the gap shows in the part's status.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SerialPort } from 'serialport';
import { openPtyPair, type PtyPair } from '../../firmware/buses/pty-pair.js';
import { closeSerialPort, openSerialPort } from '../../firmware/buses/serial.js';
import { Pms5003Simulator } from '../../firmware/drivers/pms5003/simulator.js';
import { parseStation } from '../../gateway/config/load.js';
import { startStation, type Station } from '../../gateway/station.js';
import { silentLogger } from '../../gateway/core/log.js';
import { until } from '../fakes/until.js';

describe('a serial part unplugged and plugged back in', () => {
  const dir = mkdtempSync(join(tmpdir(), 'airlane-reopen-'));
  let station: Station | undefined;
  let line: { pty: PtyPair; port: SerialPort; sim: Pms5003Simulator } | undefined;

  async function plugIn() {
    const pty = await openPtyPair(5000, dir);
    const port = await openSerialPort(pty.devicePath, 9600);
    const sim = new Pms5003Simulator(port, { intervalMs: 200 });
    sim.start();
    line = { pty, port, sim };
  }
  async function unplug() {
    line!.sim.stop();
    await closeSerialPort(line!.port);
    await line!.pty.close();
    line = undefined;
  }

  afterAll(async () => {
    await station?.stop();
    if (line) await unplug();
    rmSync(dir, { recursive: true, force: true });
  });

  it('resumes readings after the port comes back and reports the gap', async () => {
    await plugIn();
    const config = parseStation(
      JSON.stringify({
        site: 'reopen',
        data_dir: join(dir, 'data'),
        http: { port: 0 },
        embedded_broker_port: 0,
        nodes: [{ id: 'pole-1', parts: [{ part: 'pms5003', bus: { type: 'uart', path: join(dir, 'host') }, options: { warmup_s: 0 } }] }],
      }),
      'reopen.test',
      {},
    );
    station = await startStation(config, silentLogger);
    const status = () => (station!.statusSnapshot().nodes['pole-1'] as Record<string, any> | undefined)?.pms5003;
    const readings = () => station!.pipeline.stats.accepted;

    await until('first readings', () => (readings() >= 3 ? true : undefined));
    await unplug();
    await until('the part to notice', () => (status()?.state === 'faulted' ? true : undefined));
    expect(status().last_error).toMatch(/serial line .*host (closed|failed)/);
    const before = readings();
    await new Promise((r) => setTimeout(r, 1500));
    expect(readings()).toBe(before);

    await plugIn();
    await until('readings to resume', () => (readings() >= before + 3 ? true : undefined));
    expect(status()).toMatchObject({ state: 'ok', reopened: 1 });
    expect(status().last_gap_s).toBeGreaterThanOrEqual(1.5);
  });
});
