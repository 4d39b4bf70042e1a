// The Pi deployment (deploy/): the systemd unit passes `systemd-analyze verify` (and a broken one does not),
// install.sh installs into a scratch root, a second run changes nothing, an upgrade keeps the config and the
// outbox, and the sd_notify helper speaks the real protocol through systemd-notify.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  accessSync, chmodSync, constants, copyFileSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync,
  readFileSync, readlinkSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { loadStation } from '../../gateway/config/load.js';
import { systemdNotifier, systemdNotifySend, watchdogIntervalMs } from '../../gateway/core/sd-notify.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const unitSource = join(repo, 'deploy', 'systemd', 'airlane.service');
const ci = process.env.CI === 'true';

function which(name: string): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin'].filter(Boolean)) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // keep looking
    }
  }
  return undefined;
}

const scratch: string[] = [];
function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  scratch.push(d);
  return d;
}
afterAll(() => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

/** `Key=value` lines of a unit, every value of repeated keys kept in order. */
function unitKeys(text: string): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (m) keys.set(m[1]!, [...(keys.get(m[1]!) ?? []), m[2]!]);
  }
  return keys;
}

describe('airlane.service', () => {
  const keys = unitKeys(readFileSync(unitSource, 'utf8'));
  const one = (k: string) => keys.get(k)?.[0];

  it('restarts, watches and stores where the deployment says', () => {
    expect(one('Type')).toBe('notify');
    expect(one('NotifyAccess')).toBe('all');
    expect(one('WatchdogSec')).toBe('60');
    expect(one('Restart')).toBe('always');
    expect(one('StartLimitIntervalSec')).toBe('0');
    expect(one('ExecStart')).toBe('/usr/bin/node /opt/airlane/bin/airlane.mjs gateway --config /etc/airlane/station.yaml --json');
    expect(one('EnvironmentFile')).toBe('-/etc/airlane/airlane.env');
    expect(one('StateDirectory')).toBe('airlane');
    expect(one('User')).toBe('airlane');
    expect(one('SupplementaryGroups')?.split(' ')).toEqual(['dialout', 'i2c', 'gpio']);
    expect(one('DevicePolicy')).toBe('closed');
    expect(keys.get('DeviceAllow')).toEqual(['char-ttyAMA rw', 'char-ttyS rw', 'char-ttyUSB rw', 'char-ttyACM rw', 'char-i2c rw', 'char-gpiochip rw']);
    // PrivateDevices would hide the serial ports and I2C buses the station reads.
    expect(keys.has('PrivateDevices')).toBe(false);
    expect(keys.has('MemoryDenyWriteExecute')).toBe(false);
  });

  // The station's data_dir must be the unit's StateDirectory, or the outbox lands where the service cannot write.
  it('keeps the reference station\'s data_dir in its StateDirectory', () => {
    const station = readFileSync(join(repo, 'hardware', 'stations', 'kerbside-pi.yaml'), 'utf8');
    expect(/^data_dir: (.*)$/m.exec(station)?.[1]).toBe(`/var/lib/${one('StateDirectory')}`);
  });

  const analyze = which('systemd-analyze');
  describe.skipIf(!analyze && !ci)('systemd-analyze verify', () => {
    /** A root holding the unit, the targets it names and an executable /usr/bin/node. */
    function verifyRoot(unitText: string): { code: number; output: string } {
      const root = tempDir('airlane-verify-');
      const system = join(root, 'etc', 'systemd', 'system');
      mkdirSync(system, { recursive: true });
      writeFileSync(join(system, 'airlane.service'), unitText);
      const hostUnits = ['/usr/lib/systemd/system', '/lib/systemd/system'].find((d) => existsSync(join(d, 'multi-user.target')));
      if (!hostUnits) throw new Error('no systemd unit directory with multi-user.target on this machine');
      const units = join(root, 'usr', 'lib', 'systemd', 'system');
      mkdirSync(units, { recursive: true });
      for (const f of readdirSync(hostUnits).filter((f) => f.endsWith('.target') || f.endsWith('.slice'))) {
        copyFileSync(join(hostUnits, f), join(units, f)); // follows links: a root must not point outside itself
      }
      mkdirSync(join(root, 'usr', 'bin'), { recursive: true });
      writeFileSync(join(root, 'usr', 'bin', 'node'), '#!/bin/sh\n');
      chmodSync(join(root, 'usr', 'bin', 'node'), 0o755);
      const r = spawnSync(analyze!, ['verify', `--root=${root}`, '/etc/systemd/system/airlane.service'], { encoding: 'utf8' });
      return { code: r.status ?? -1, output: `${r.stdout}${r.stderr}`.trim() };
    }
    const good = readFileSync(unitSource, 'utf8');

    it('passes with no warning at all', () => {
      expect(verifyRoot(good)).toEqual({ code: 0, output: '' });
    });

    it('reports a misspelt key', () => {
      const r = verifyRoot(good.replace('WatchdogSec=60', 'WatchdogSecs=60'));
      expect(r.output).toMatch(/Unknown key 'WatchdogSecs' in section \[Service\]/);
    });

    it('fails on a program that is not there', () => {
      const r = verifyRoot(good.replace('ExecStart=/usr/bin/node ', 'ExecStart=/usr/bin/nodejs '));
      expect(r.code).not.toBe(0);
      expect(r.output).toMatch(/\/usr\/bin\/nodejs is not executable/);
    });
  });
});

describe('install.sh --root', () => {
  const sh = which('dash') ?? 'sh'; // Debian's /bin/sh: proves the script is POSIX, not bash

  /**
   * A frozen release tree, as a tarball or checkout would be: the live checkout changes under a running test
   * when others edit it, and install.sh would rightly see a new version. `version` overrides package.json's.
   */
  function release(version?: string): string {
    const dir = tempDir('airlane-release-');
    for (const f of ['package.json', 'package-lock.json', 'README.md', 'bin', 'firmware', 'gateway', 'hardware', 'dashboards', 'deploy']) {
      cpSync(join(repo, f), join(dir, f), { recursive: true, filter: (src) => !src.includes('node_modules') });
    }
    if (version) {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...pkg, version }, null, 2));
    }
    return dir;
  }
  const current = release();

  function install(root: string, source = current, extra: string[] = []) {
    const r = spawnSync(sh, [join(source, 'deploy', 'install.sh'), '--root', root, ...extra], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`install.sh exited ${r.status}: ${r.stderr}${r.stdout}`);
    return r.stdout;
  }

  /** Every path under a root with its type, mode and content hash (or link target). */
  function snapshot(root: string): Record<string, string> {
    const out: Record<string, string> = {};
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        const st = lstatSync(p);
        const mode = (st.mode & 0o7777).toString(8);
        if (st.isSymbolicLink()) out[relative(root, p)] = `link ${readlinkSync(p)}`;
        else if (st.isDirectory()) {
          out[relative(root, p)] = `dir ${mode} ${st.mtimeMs}`;
          walk(p);
        } else out[relative(root, p)] = `file ${mode} ${st.mtimeMs} ${createHash('sha256').update(readFileSync(p)).digest('hex')}`;
      }
    };
    walk(root);
    return out;
  }
  const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);

  const root = tempDir('airlane-root-');
  const firstOutput = install(root);

  it('installs the unit, enabled for multi-user.target', () => {
    expect(readFileSync(join(root, 'etc/systemd/system/airlane.service'), 'utf8')).toBe(readFileSync(join(current, 'deploy/systemd/airlane.service'), 'utf8'));
    expect(mode(join(root, 'etc/systemd/system/airlane.service'))).toBe('644');
    expect(readlinkSync(join(root, 'etc/systemd/system/multi-user.target.wants/airlane.service'))).toBe('../airlane.service');
  });

  it('writes the reference station as the config, readable by the service group only', () => {
    expect(readFileSync(join(root, 'etc/airlane/station.yaml'), 'utf8')).toBe(readFileSync(join(repo, 'hardware/stations/kerbside-pi.yaml'), 'utf8'));
    expect(mode(join(root, 'etc/airlane'))).toBe('750');
    expect(mode(join(root, 'etc/airlane/station.yaml'))).toBe('640');
    expect(mode(join(root, 'var/lib/airlane'))).toBe('750');
    expect(firstOutput).toContain('wrote ' + join(root, 'etc/airlane/station.yaml'));
  });

  // kerbside-pi.yaml listens on 0.0.0.0, which the schema refuses without a token: the env file supplies it.
  it('generates the API token the installed station needs to start', () => {
    const envFile = join(root, 'etc/airlane/airlane.env');
    expect(mode(envFile)).toBe('600');
    const token = /^AIRLANE_HTTP_TOKEN=([0-9a-f]+)$/m.exec(readFileSync(envFile, 'utf8'))?.[1];
    expect(token).toHaveLength(48);
    const file = join(root, 'etc/airlane/station.yaml');
    expect(() => loadStation(file, {})).toThrow(/token/);
    const station = loadStation(file, { AIRLANE_HTTP_TOKEN: token });
    expect(station.http.token).toBe(token);
    expect(station.data_dir).toBe('/var/lib/airlane');
  });

  it('copies the runtime tree without tests or node_modules', () => {
    const app = join(root, 'opt/airlane');
    for (const f of ['bin/airlane.mjs', 'package.json', 'package-lock.json', 'gateway/station.ts', 'hardware/stations/kerbside-pi.yaml', 'gateway/core/sd-notify.ts']) {
      expect(existsSync(join(app, f)), f).toBe(true);
    }
    expect(existsSync(join(app, 'node_modules'))).toBe(false);
    expect(existsSync(join(app, 'test'))).toBe(false);
    expect(Object.keys(snapshot(app)).filter((p) => p.endsWith('.test.ts'))).toEqual([]);
  });

  it('creates the service user and the groups the unit names', () => {
    const passwd = readFileSync(join(root, 'etc/passwd'), 'utf8');
    const group = readFileSync(join(root, 'etc/group'), 'utf8');
    expect(passwd).toMatch(/^airlane:x:\d+:\d+:Airlane gateway:\/var\/lib\/airlane:\/usr\/sbin\/nologin$/m);
    const gid = /^airlane:x:(\d+):$/m.exec(group)?.[1];
    expect(passwd.split(':')[3]).toBe(gid);
    for (const g of ['dialout', 'i2c', 'gpio']) expect(group).toMatch(new RegExp(`^${g}:x:\\d+:$`, 'm'));
  });

  it('changes nothing when run again', () => {
    const before = snapshot(root);
    const out = install(root);
    expect(out).toContain('nothing to do');
    expect(snapshot(root)).toEqual(before);
  });

  it('changes nothing and prints its plan under --dry-run', () => {
    const fresh = tempDir('airlane-dry-');
    const out = install(fresh, undefined, ['--dry-run']);
    expect(readdirSync(fresh)).toEqual([]);
    expect(out).toContain(`would: cp ${join(current, 'deploy/systemd/airlane.service')} ${join(fresh, 'etc/systemd/system/airlane.service')}`);
  });

  it('upgrades the application and keeps the config, the token and the outbox', () => {
    const stationFile = join(root, 'etc/airlane/station.yaml');
    const envFile = join(root, 'etc/airlane/airlane.env');
    const outbox = join(root, 'var/lib/airlane/outbox.sqlite');
    writeFileSync(stationFile, readFileSync(stationFile, 'utf8').replace('site: rue-de-la-paix', 'site: quai-nord'));
    writeFileSync(outbox, Buffer.from('SQLite format 3\0 queued readings stand-in'));
    const kept = { station: readFileSync(stationFile), env: readFileSync(envFile), outbox: readFileSync(outbox) };

    const oldVersion = (JSON.parse(readFileSync(join(current, 'package.json'), 'utf8')) as { version: string }).version;
    const out = install(root, release('99.0.0'));
    expect(out).toContain(`installed ${join(root, 'opt/airlane')}`);
    const version = (dir: string) => (JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as { version: string }).version;
    expect(version('opt/airlane')).toBe('99.0.0');
    expect(version('opt/airlane.previous')).toBe(oldVersion);
    expect(readFileSync(stationFile)).toEqual(kept.station);
    expect(readFileSync(envFile)).toEqual(kept.env);
    expect(readFileSync(outbox)).toEqual(kept.outbox);
    expect(out).toContain(`kept ${stationFile}`);
  });
});

describe('sd-notify', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads the watchdog interval as half of WATCHDOG_USEC, for our pid only', () => {
    expect(watchdogIntervalMs({ WATCHDOG_USEC: '60000000' }, 42)).toBe(30_000);
    expect(watchdogIntervalMs({ WATCHDOG_USEC: '60000000', WATCHDOG_PID: '42' }, 42)).toBe(30_000);
    expect(watchdogIntervalMs({ WATCHDOG_USEC: '60000000', WATCHDOG_PID: '7' }, 42)).toBeUndefined();
    expect(watchdogIntervalMs({}, 42)).toBeUndefined();
    expect(watchdogIntervalMs({ WATCHDOG_USEC: 'soon' }, 42)).toBeUndefined();
  });

  it('does nothing when systemd did not ask', async () => {
    const sent: string[][] = [];
    const n = systemdNotifier({ env: { WATCHDOG_USEC: '2000000' }, send: async (a) => void sent.push(a) });
    await n.ready('up');
    await n.stopping();
    expect(n.enabled).toBe(false);
    expect(sent).toEqual([]);
  });

  it('says READY, pings the watchdog from the event loop, then says STOPPING and stops pinging', async () => {
    vi.useFakeTimers();
    const sent: string[][] = [];
    let alive = true;
    const n = systemdNotifier({
      env: { NOTIFY_SOCKET: '/run/systemd/notify', WATCHDOG_USEC: '2000000', WATCHDOG_PID: '42' },
      pid: 42,
      send: async (a) => void sent.push(a),
      alive: () => alive,
    });
    expect(n.watchdogIntervalMs).toBe(1000);
    await n.ready('site rue-de-la-paix');
    expect(sent).toEqual([['READY=1', 'STATUS=site rue-de-la-paix']]);
    await vi.advanceTimersByTimeAsync(3000);
    expect(sent.slice(1)).toEqual([['WATCHDOG=1'], ['WATCHDOG=1'], ['WATCHDOG=1']]);
    alive = false;
    await vi.advanceTimersByTimeAsync(2000);
    expect(sent).toHaveLength(4);
    alive = true;
    await n.stopping();
    expect(sent.slice(4)).toEqual([['STOPPING=1']]);
    await vi.advanceTimersByTimeAsync(5000);
    expect(sent).toHaveLength(5);
  });

  it('never has two pings in flight and reports a failed delivery once', async () => {
    vi.useFakeTimers();
    const warnings: string[] = [];
    let calls = 0;
    let release: (() => void) | undefined;
    const n = systemdNotifier({
      env: { NOTIFY_SOCKET: '@/org/freedesktop/systemd1/notify', WATCHDOG_USEC: '1000000' },
      send: (a) => {
        calls++;
        if (a[0] === 'READY=1') return Promise.resolve();
        return new Promise((_, reject) => (release = () => reject(new Error('systemd-notify WATCHDOG=1 failed: gone'))));
      },
      warn: (m) => warnings.push(m),
    });
    await n.ready();
    await vi.advanceTimersByTimeAsync(5000); // ten ticks, one ping pending all along
    expect(calls).toBe(2);
    release!();
    await vi.advanceTimersByTimeAsync(500);
    release!();
    await vi.advanceTimersByTimeAsync(500);
    expect(warnings).toEqual(['systemd-notify WATCHDOG=1 failed: gone']);
    n.close();
  });

  // The real path: systemd-notify sends the datagram and waits on its BARRIER until the receiver has read it
  // (a receiver that closes the passed file descriptor, as PID 1 does).
  const python = which('python3');
  it.skipIf((!which('systemd-notify') || !python) && !ci)('delivers through systemd-notify to a NOTIFY_SOCKET', async () => {
    const dir = tempDir('airlane-notify-');
    const socketPath = join(dir, 'notify');
    const receiver = spawn(python!, ['-c', NOTIFY_RECEIVER, socketPath], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const lines: string[] = [];
      let wake: (() => void) | undefined;
      let buf = '';
      receiver.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        const parts = buf.split('\n');
        buf = parts.pop()!;
        lines.push(...parts);
        wake?.();
      });
      const waitFor = async (n: number) => {
        while (lines.length < n) await new Promise<void>((r) => (wake = r));
      };
      await waitFor(1);
      expect(lines[0]).toBe('listening');
      const send = systemdNotifySend({ ...process.env, NOTIFY_SOCKET: socketPath });
      await send(['READY=1', 'STATUS=site rue-de-la-paix']);
      await send(['WATCHDOG=1']);
      await waitFor(5);
      const messages = lines.slice(1).map((l) => JSON.parse(l) as { text: string; fds: number });
      expect(messages.filter((m) => m.text !== 'BARRIER=1').map((m) => m.text)).toEqual(['READY=1\nSTATUS=site rue-de-la-paix', 'WATCHDOG=1']);
      expect(messages.filter((m) => m.text === 'BARRIER=1').map((m) => m.fds)).toEqual([1, 1]);
    } finally {
      receiver.kill();
    }
  });
});

/** A stand-in for PID 1's notify socket: prints each datagram and closes any descriptor passed with it. */
const NOTIFY_RECEIVER = `
import array, json, os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("listening", flush=True)
while True:
    msg, anc, _flags, _addr = s.recvmsg(4096, socket.CMSG_SPACE(16 * 4))
    fds = array.array("i")
    for level, kind, data in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(data[: len(data) - len(data) % fds.itemsize])
    for fd in fds:
        os.close(fd)
    print(json.dumps({"text": msg.decode().strip(), "fds": len(fds)}), flush=True)
`;
