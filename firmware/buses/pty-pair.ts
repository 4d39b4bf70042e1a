// A pair of connected pseudo-terminals made by socat: the device simulator writes into one end, the driver
// opens the other with serialport exactly as it would open /dev/ttyAMA0. Used by tests and by the demo
// (which falls back to an in-process stream when socat is missing).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PtyPair {
  /** The end the host/driver opens. */
  hostPath: string;
  /** The end the device simulator opens. */
  devicePath: string;
  close(): Promise<void>;
}

export function socatAvailable(): boolean {
  return spawnSync('socat', ['-V'], { stdio: 'ignore' }).status === 0;
}

/**
 * `dir`: where the two links are made (default: a new temporary directory, removed on close). Given a directory,
 * the same paths can be made again after close — a cable unplugged and plugged back in.
 */
export async function openPtyPair(timeoutMs = 5000, dir?: string): Promise<PtyPair> {
  const ownDir = dir === undefined;
  dir ??= mkdtempSync(join(tmpdir(), 'airlane-pty-'));
  const hostPath = join(dir, 'host');
  const devicePath = join(dir, 'device');
  const child: ChildProcess = spawn(
    'socat',
    [`pty,raw,echo=0,link=${hostPath}`, `pty,raw,echo=0,link=${devicePath}`],
    // Own process group: a Ctrl-C in the terminal must not kill the line before the station closes its ports.
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  // ...but never outlive this process.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (e) => reject(new Error(`cannot start socat (${e.message}); install it with: apt-get install socat`))),
  );
  const deadline = Date.now() + timeoutMs;
  const ready = (async () => {
    while (!(existsSync(hostPath) && existsSync(devicePath))) {
      if (child.exitCode !== null) throw new Error(`socat exited with code ${child.exitCode}: ${stderr.trim()}`);
      if (Date.now() > deadline) throw new Error(`socat made no pty pair within ${timeoutMs} ms: ${stderr.trim()}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  try {
    await Promise.race([ready, spawnError]);
  } catch (e) {
    child.kill('SIGKILL');
    process.off('exit', killOnExit);
    if (ownDir) rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    hostPath,
    devicePath,
    async close() {
      process.off('exit', killOnExit);
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
