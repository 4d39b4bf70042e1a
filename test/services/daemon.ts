// Runs one daemon for the tests: private temp dir, output captured to a log file there, ready check polled,
// stopped by its own PID (never by name, so parallel runs and the machine's own services are left alone).
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, closeSync, constants, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface RunningService {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** Where each tool comes from on Debian; mosquitto lives in /usr/sbin, which a non-root PATH often lacks. */
export const debianPackage: Record<string, string> = { influxd: 'influxdb', mosquitto: 'mosquitto', socat: 'socat', chromium: 'chromium', prometheus: 'prometheus', promtool: 'prometheus' };

export function findExecutable(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export function requireExecutable(name: string): string {
  const found = findExecutable(name);
  if (found) return found;
  const pkg = debianPackage[name] ?? name;
  throw new Error(
    `${name} is not installed (needed by the integration tests). Install it with: sudo apt-get install -y ${pkg} ` +
      `(or run "npm test", which installs it when CI=true or AIRLANE_TEST_INSTALL=1 and root/sudo is available)`,
  );
}

/** A port the kernel just handed out; the daemon binds it right after (a retry covers the small race). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not get a free port'));
      });
    });
  });
}

export function makeServiceDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `airlane-${name}-`));
}

// Safety net: if the test process exits without teardown (crash, Ctrl-C), no daemon is left behind.
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) if (child.pid && child.exitCode === null) child.kill('SIGKILL');
});

export interface DaemonSpec {
  name: string;
  command: string;
  args: string[];
  dir: string;
  /** Resolves true once the daemon answers. */
  ready: () => Promise<boolean>;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export interface Daemon {
  pid: number;
  stop(): Promise<void>;
}

function logTail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no output)';
  }
}

/** Starts the daemon and waits until `ready()`; on failure kills it, removes its dir and says why. */
export async function startDaemon(spec: DaemonSpec): Promise<Daemon> {
  const logFile = join(spec.dir, `${spec.name}.log`);
  const fd = openSync(logFile, 'a');
  const child = spawn(spec.command, spec.args, { cwd: spec.dir, env: spec.env ?? process.env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  live.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let spawnError: Error | undefined;
  child.once('error', (e) => (spawnError = e));

  const stop = async (): Promise<void> => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(child.pid, 'SIGTERM');
      } catch {
        // exited in the meantime
      }
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    live.delete(child);
    rmSync(spec.dir, { recursive: true, force: true });
  };

  const timeoutMs = spec.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const failure = spawnError
      ? `could not be started (${spawnError.message})`
      : child.exitCode !== null || child.signalCode !== null
        ? `exited during start-up (code ${child.exitCode ?? child.signalCode})`
        : Date.now() > deadline
          ? `did not become ready within ${timeoutMs} ms`
          : undefined;
    if (failure) {
      const tail = logTail(logFile);
      await stop();
      throw new Error(`${spec.name} (${spec.command} ${spec.args.join(' ')}) ${failure}. Last output:\n${tail}`);
    }
    // Still ours? Another process may hold the port if our daemon lost the bind race and is exiting.
    if ((await spec.ready().catch(() => false)) && child.exitCode === null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  if (child.pid === undefined) throw new Error(`${spec.name} has no PID`);
  return { pid: child.pid, stop };
}

/** Retries start-up a few times: a free port can be taken between our probe and the daemon's bind. */
export async function withPortRetry<T>(attempt: () => Promise<T>, tries = 3): Promise<T> {
  let last: unknown;
  for (let i = 0; i < tries; i++) {
    try {
      return await attempt();
    } catch (e) {
      last = e;
      if (!/address already in use|EADDRINUSE/i.test(String(e))) throw e;
    }
  }
  throw last;
}
