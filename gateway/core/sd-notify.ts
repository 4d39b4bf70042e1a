// systemd readiness and watchdog for the gateway, without a native module. Node's dgram cannot send to a Unix
// datagram socket, so each message goes through `systemd-notify` (systemd ≥ 246): it waits on a BARRIER until
// PID 1 has read the message, which removes the race that drops notifications from short-lived helpers
// (systemd-notify(1), DESCRIPTION). The helper is not the main PID, hence NotifyAccess=all in the unit.
// Inactive (every call a no-op) when NOTIFY_SOCKET is unset: a gateway run by hand behaves as before.
import { execFile } from 'node:child_process';

/** Sends one notification (`READY=1`, `WATCHDOG=1`, …); rejects when it could not be delivered. */
export type NotifySend = (assignments: string[]) => Promise<void>;

export interface SystemdNotifier {
  /** True when systemd asked for notifications (NOTIFY_SOCKET set). */
  readonly enabled: boolean;
  /** Ping interval, half of WatchdogSec= as sd_watchdog_enabled(3) advises; undefined without a watchdog. */
  readonly watchdogIntervalMs: number | undefined;
  /** Start-up done: READY=1 with a status line, then the watchdog pings begin. */
  ready(status?: string): Promise<void>;
  /** Shutting down: STOPPING=1, pings end (systemd stops the watchdog clock while stopping). */
  stopping(): Promise<void>;
  /** Stops the pings without telling systemd anything (tests, failed start-up). */
  close(): void;
}

export interface NotifierOptions {
  env?: NodeJS.ProcessEnv;
  /** The pid WATCHDOG_PID must name for the watchdog to be ours (sd_watchdog_enabled(3)). */
  pid?: number;
  send?: NotifySend;
  /**
   * Extra liveness condition for a ping (default: always). A ping is only sent from the event loop, so a
   * blocked loop already stops it; return false only for states a restart can fix (outbox not writable).
   */
  alive?: () => boolean;
  /** Where a failed delivery is reported (once per kind of failure). */
  warn?: (message: string) => void;
}

export function systemdNotifySend(env: NodeJS.ProcessEnv = process.env): NotifySend {
  return (assignments) =>
    new Promise((resolve, reject) => {
      execFile('systemd-notify', assignments, { env, timeout: 30_000 }, (err, _stdout, stderr) => {
        if (err) reject(new Error(`systemd-notify ${assignments.join(' ')} failed: ${String(stderr).trim() || err.message}`));
        else resolve();
      });
    });
}

/** Watchdog interval in ms from WATCHDOG_USEC / WATCHDOG_PID, undefined when there is no watchdog for us. */
export function watchdogIntervalMs(env: NodeJS.ProcessEnv, pid: number): number | undefined {
  const usec = Number(env.WATCHDOG_USEC);
  if (!Number.isFinite(usec) || usec <= 0) return undefined;
  if (env.WATCHDOG_PID !== undefined && Number(env.WATCHDOG_PID) !== pid) return undefined;
  return Math.max(1, Math.floor(usec / 2 / 1000));
}

export function systemdNotifier(opts: NotifierOptions = {}): SystemdNotifier {
  const env = opts.env ?? process.env;
  const enabled = Boolean(env.NOTIFY_SOCKET);
  const interval = enabled ? watchdogIntervalMs(env, opts.pid ?? process.pid) : undefined;
  const send = opts.send ?? systemdNotifySend(env);
  const alive = opts.alive ?? (() => true);
  const warned = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let pinging = false;

  const deliver = async (assignments: string[]): Promise<void> => {
    try {
      await send(assignments);
    } catch (err) {
      const kind = assignments[0] ?? '';
      if (!warned.has(kind)) {
        warned.add(kind);
        opts.warn?.((err as Error).message);
      }
    }
  };

  const ping = () => {
    // One ping at a time: a slow systemd-notify must not pile up helpers on a loaded Pi.
    if (pinging || !alive()) return;
    pinging = true;
    void deliver(['WATCHDOG=1']).finally(() => {
      pinging = false;
    });
  };

  const close = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };

  return {
    enabled,
    watchdogIntervalMs: interval,
    async ready(status) {
      if (!enabled) return;
      await deliver(['READY=1', ...(status ? [`STATUS=${status}`] : [])]);
      if (interval !== undefined && !timer) {
        timer = setInterval(ping, interval);
        timer.unref();
      }
    },
    async stopping() {
      close();
      if (enabled) await deliver(['STOPPING=1']);
    },
    close,
  };
}
