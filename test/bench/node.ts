// The node runtime's own cost: a station process (the `airlane gateway` command, as on a pole) running a station
// profile with every part sampled at 1 Hz, measured from outside through /proc: CPU time over a steady window as a
// share of one core, and resident memory. Simulators run in the same process (they stand in for the hardware and
// are counted too, so this is an upper bound); socat ptys are separate processes and not counted.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;
const TICK = 100; // USER_HZ on Linux

function sample(pid: number): { cpuS: number; rssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { cpuS: (utime + stime) / TICK, rssMb: rssKb / 1024 };
}

export async function benchNode(profile: string, opts: { warmupS?: number; measureS?: number; env?: NodeJS.ProcessEnv } = {}) {
  const warmupS = opts.warmupS ?? 15;
  const measureS = opts.measureS ?? 30;
  const child = spawn(process.execPath, [join(root, 'bin/airlane.mjs'), 'gateway', '--config', profile], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, AIRLANE_HTTP_PORT: '0', ...opts.env },
  });
  try {
    await new Promise((r) => setTimeout(r, warmupS * 1000));
    if (child.exitCode !== null) throw new Error(`the station exited with ${child.exitCode} before the measurement`);
    const a = sample(child.pid!);
    const t0 = performance.now();
    let peakRss = a.rssMb;
    for (let i = 0; i < measureS; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      peakRss = Math.max(peakRss, sample(child.pid!).rssMb);
    }
    const b = sample(child.pid!);
    const seconds = (performance.now() - t0) / 1000;
    return { cpuPctOfOneCore: (100 * (b.cpuS - a.cpuS)) / seconds, rssMb: b.rssMb, peakRssMb: peakRss, seconds };
  } finally {
    // A station that already exited (a config error) would never emit 'exit' again.
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      await exited;
    }
  }
}
