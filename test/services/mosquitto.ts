// A private Mosquitto 2.x for the tests: one loopback listener, anonymous access, logs to its own file
// (toolchain.md §4; influxdb-mqtt.md §6 on allow_anonymous). By default a free port and no persistence; with
// `port` and `dataDir` the same broker can be stopped and started again (a restart), keeping the persistent
// sessions and their queued QoS 1 messages on disk.
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort, makeServiceDir, requireExecutable, startDaemon, withPortRetry, type RunningService } from './daemon.js';

// MQTT 3.1.1 CONNECT (clean session, keep-alive 10 s, client id "ready"): the broker must answer CONNACK
// (0x20) with return code 0, which a bare TCP accept does not prove.
const CONNECT = Buffer.from([0x10, 0x11, 0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0x02, 0x00, 0x0a, 0x00, 0x05, 0x72, 0x65, 0x61, 0x64, 0x79]);

function brokerAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write(CONNECT));
    socket.once('data', (d: Buffer) => done(d[0] === 0x20 && d[3] === 0x00));
  });
}

export interface MosquittoOptions {
  /** Extra mosquitto.conf lines, e.g. `max_queued_messages 0` for a load test. */
  extraConfig?: string[];
  /** Listen on this port (a restart reuses the port of the first start); a free port when absent. */
  port?: number;
  /**
   * Persistence on, with mosquitto.db in this dir (created if missing, never removed by stop()): start again
   * with the same port and dataDir and the persistent sessions and their queued messages are back.
   */
  dataDir?: string;
}

export interface MosquittoService extends RunningService {
  port: number;
  /** SIGKILL and wait for the exit: a crash. What was not autosaved yet (≤ 1 s) is lost, as on a real crash. */
  kill(): Promise<void>;
}

export async function startMosquitto(options: MosquittoOptions = {}): Promise<MosquittoService> {
  const mosquitto = requireExecutable('mosquitto');
  const attempt = async (): Promise<MosquittoService> => {
    const dir = makeServiceDir('mosquitto');
    const port = options.port ?? (await freePort());
    const configFile = join(dir, 'mosquitto.conf');
    const persistence: string[] = [];
    if (options.dataDir !== undefined) {
      mkdirSync(options.dataDir, { recursive: true });
      // Mosquitto writes its db on a clean exit (SIGTERM) and every autosave_interval seconds; 1 s keeps a
      // crash close to a real broker's. The location must end with a slash: Mosquitto appends the file name.
      persistence.push(
        'persistence true',
        `persistence_location ${options.dataDir.endsWith('/') ? options.dataDir : `${options.dataDir}/`}`,
        'persistence_file mosquitto.db',
        'autosave_interval 1',
      );
    } else {
      persistence.push('persistence false');
    }
    const lines = [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      ...persistence,
      'log_dest stderr',
      'log_type error',
      'log_type warning',
      ...(options.extraConfig ?? []),
    ];
    // As root Mosquitto would switch to the "mosquitto" user; staying root keeps it independent of that account.
    if (process.getuid?.() === 0) lines.push('user root');
    writeFileSync(configFile, `${lines.join('\n')}\n`);
    const daemon = await startDaemon({
      name: 'mosquitto',
      command: mosquitto,
      args: ['-c', configFile],
      dir,
      ready: () => brokerAnswers(port),
    });
    const kill = async (): Promise<void> => {
      try {
        process.kill(daemon.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      // stop() then only waits for the exit and removes the config/log dir (never dataDir).
      await daemon.stop();
    };
    return { url: `mqtt://127.0.0.1:${port}`, port, pid: daemon.pid, stop: daemon.stop, kill };
  };
  // A fixed port cannot be swapped for another one, so only a free port is worth retrying.
  return options.port === undefined ? withPortRetry(attempt) : attempt();
}
