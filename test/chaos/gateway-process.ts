// The real gateway as a child process (`node bin/airlane.mjs gateway -c <station file> --json`), as systemd
// would run it: SIGKILLed on purpose, restarted on the same data dir, and restarted as well if it ever exits on
// its own — which is then counted as a crash. Its pino log (stderr) is read line by line: the "rejected input"
// lines give the rejected-by-reason counts across every incarnation (pino writes synchronously, so a line is
// out before the counter it describes could be lost by a SIGKILL).
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;

export interface CrashRecord {
  at_s: number;
  code: number | null;
  signal: string | null;
  log_tail: string[];
}

export interface GatewayStats {
  accepted: number;
  rejected: Record<string, number>;
  rejected_by_reason: Record<string, number>;
  written: Record<string, number>;
  queued: Record<string, number>;
}

export class GatewayProcess {
  /** Rejections by reason code and by where, summed over every incarnation (from the log). */
  readonly rejectedByReason: Record<string, number> = {};
  readonly rejectedByWhere: Record<string, number> = {};
  readonly crashes: CrashRecord[] = [];
  /** The last /api/v1/stats seen from each incarnation (a cross-check of the log counts). */
  readonly lastStats: GatewayStats[] = [];
  kills = 0;
  starts = 0;
  errorLines = 0;
  /** Error-level log lines by message (what went wrong while faults were injected, for the report). */
  readonly errorsByMsg: Record<string, number> = {};
  httpUrl: string | undefined;
  private child: ChildProcess | undefined;
  private expectExit = false;
  private tail: string[] = [];
  private readonly t0 = Date.now();
  private incarnation = -1;
  private stopped = false;

  constructor(
    private readonly stationFile: string,
    private readonly onLine: (line: string) => void = () => undefined,
  ) {}

  get running(): boolean {
    return this.child !== undefined;
  }

  /** Starts it and resolves once its HTTP API answers (so its MQTT subscriptions are in place). */
  async start(timeoutMs = 60_000): Promise<void> {
    if (this.child) return;
    this.stopped = false;
    this.expectExit = false;
    this.httpUrl = undefined;
    this.starts++;
    this.incarnation++;
    const child = spawn(process.execPath, [join(root, 'bin/airlane.mjs'), 'gateway', '-c', this.stationFile, '--json'], {
      cwd: root,
      env: { ...process.env, AIRLANE_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const summary = JSON.parse(line) as { page?: string };
        if (summary.page) this.httpUrl = summary.page;
      } catch {
        // not the summary
      }
    });
    createInterface({ input: child.stderr! }).on('line', (line) => this.onStderr(line));
    child.once('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      if (this.expectExit) return;
      this.crashes.push({ at_s: Math.round((Date.now() - this.t0) / 1000), code, signal, log_tail: this.tail.slice(-20) });
      this.onLine(`gateway exited on its own (code ${code}, signal ${signal}): counted as a crash; restarting`);
      if (!this.stopped) setTimeout(() => void this.start().catch(() => undefined), 500);
    });
    const deadline = Date.now() + timeoutMs;
    while (!(await this.stats())) {
      if (this.child !== child) throw new Error(`gateway exited during start-up:\n${this.tail.slice(-20).join('\n')}`);
      if (Date.now() > deadline) throw new Error(`gateway did not answer within ${timeoutMs} ms:\n${this.tail.slice(-20).join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private onStderr(line: string): void {
    this.tail.push(line.length > 500 ? `${line.slice(0, 500)}…` : line);
    if (this.tail.length > 100) this.tail.splice(0, 50);
    if (!line.startsWith('{')) return;
    let entry: { level?: number; msg?: string; code?: string; where?: string };
    try {
      entry = JSON.parse(line);
    } catch {
      return;
    }
    if (entry.msg === 'rejected input') {
      const code = entry.code ?? 'unknown';
      const where = entry.where ?? 'unknown';
      this.rejectedByReason[code] = (this.rejectedByReason[code] ?? 0) + 1;
      this.rejectedByWhere[where] = (this.rejectedByWhere[where] ?? 0) + 1;
    } else if ((entry.level ?? 0) >= 50) {
      this.errorLines++;
      const msg = String(entry.msg ?? '').slice(0, 120);
      this.errorsByMsg[msg] = (this.errorsByMsg[msg] ?? 0) + 1;
    }
  }

  /** GET /api/v1/stats, or undefined when it does not answer. Kept as this incarnation's last snapshot. */
  async stats(): Promise<GatewayStats | undefined> {
    const url = this.httpUrl;
    if (!url) return undefined;
    const incarnation = this.incarnation;
    try {
      const res = await fetch(`${url}api/v1/stats`, { signal: AbortSignal.timeout(2000) });
      if (!res.ok) return undefined;
      const s = (await res.json()) as GatewayStats;
      this.lastStats[incarnation] = s;
      return s;
    } catch {
      return undefined;
    }
  }

  /** kill -9, then wait for it to be gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.expectExit = true;
    this.kills++;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGKILL');
    await exited;
  }

  /** SIGTERM and wait; a non-zero exit is a crash of the shutdown path. */
  async stop(): Promise<void> {
    this.stopped = true;
    const child = this.child;
    if (!child) return;
    this.expectExit = true;
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const code = await exited;
    clearTimeout(timer);
    if (code !== 0) this.crashes.push({ at_s: Math.round((Date.now() - this.t0) / 1000), code, signal: null, log_tail: this.tail.slice(-20) });
  }
}
