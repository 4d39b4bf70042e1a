// End to end through a real Node-RED 4.1 and a private Mosquitto: mqtt in → airlane-in → airlane-aqi →
// airlane-alert → mqtt out. The package is installed the way a user would (a link in the userDir's node_modules);
// readings carry their own time, so five "minutes" of PM2.5 take milliseconds and the result is exact.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../services/daemon.js';
import { startMosquitto, type MosquittoService } from '../services/mosquitto.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const pkgDir = join(root, 'dashboards/node-red');
const redJs = join(root, 'node_modules/node-red/red.js');

const SITE = 'rue-test';
const T0 = Date.parse('2026-03-02T08:00:00.000Z');
const at = (min: number): string => new Date(T0 + min * 60_000).toISOString();

type FlowNode = Record<string, unknown> & { id: string; type: string };

/** An example flow as shipped, pointed at the test broker; its broker node is dropped (the test flow has one). */
function example(name: string): FlowNode[] {
  const nodes = JSON.parse(readFileSync(join(pkgDir, 'examples', name), 'utf8')) as FlowNode[];
  return nodes.filter((n) => n.type !== 'mqtt-broker').map((n) => ('broker' in n ? { ...n, broker: 'broker' } : n));
}

function flow(brokerPort: number): object[] {
  const out = (id: string, topic: string) => ({ id, type: 'mqtt out', z: 'tab', name: '', topic, qos: '1', retain: 'false', broker: 'broker', wires: [] });
  return [
    { id: 'tab', type: 'tab', label: 'airlane test' },
    { id: 'broker', type: 'mqtt-broker', name: 'test broker', broker: '127.0.0.1', port: String(brokerPort), clientid: '', autoConnect: true, usetls: false, protocolVersion: '4', keepalive: '15', cleansession: true },
    { id: 'in', type: 'mqtt in', z: 'tab', name: '', topic: 'airlane/v1/+/+/reading', qos: '1', datatype: 'auto-detect', broker: 'broker', nl: false, rap: true, rh: 0, inputs: 0, wires: [['check']] },
    { id: 'check', type: 'airlane-in', z: 'tab', name: '', sites: '', checkTopic: true, wires: [['aqi'], ['out-invalid']] },
    { id: 'aqi', type: 'airlane-aqi', z: 'tab', name: '', scheme: 'atmo', window: '5', wires: [['alert', 'out-aqi']] },
    { id: 'alert', type: 'airlane-alert', z: 'tab', name: '', mode: 'level', raiseAt: '4', clearAt: '3', raiseFor: '5', clearFor: '5', topic: 'airlane/test/alerts/{site}', wires: [['out-alert']] },
    out('out-alert', ''),
    out('out-invalid', 'airlane/test/invalid'),
    out('out-aqi', 'airlane/test/aqi'),
    ...example('alert-on-mauvais.json'),
    ...example('hourly-summary.json'),
  ];
}

/** Messages by topic, and a way to wait for the next one matching a test. */
class Inbox {
  private readonly got: { topic: string; payload: Record<string, unknown> }[] = [];
  private waiters: (() => void)[] = [];
  push(topic: string, payload: Buffer): void {
    this.got.push({ topic, payload: JSON.parse(payload.toString('utf8')) as Record<string, unknown> });
    for (const w of this.waiters.splice(0)) w();
  }
  all(topic: string): Record<string, unknown>[] {
    return this.got.filter((m) => m.topic === topic).map((m) => m.payload);
  }
  async waitFor(topic: string, count: number, timeoutMs = 10_000): Promise<Record<string, unknown>[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.all(topic).length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} message(s) on ${topic}, got ${this.all(topic).length}; Node-RED said:\n${redLog.slice(-3000)}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, 100);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
    return this.all(topic);
  }
}

let broker: MosquittoService;
let red: ChildProcess | undefined;
let redLog = '';
let userDir: string;
let adminUrl: string;
let client: MqttClient;
const inbox = new Inbox();

async function startNodeRed(brokerPort: number): Promise<void> {
  userDir = mkdtempSync(join(tmpdir(), 'airlane-node-red-'));
  // Installed as `npm install <path>` would: a link in the userDir's node_modules, found by Node-RED's scan.
  mkdirSync(join(userDir, 'node_modules'));
  symlinkSync(pkgDir, join(userDir, 'node_modules', 'node-red-contrib-airlane'), 'dir');
  writeFileSync(join(userDir, 'flows.json'), JSON.stringify(flow(brokerPort)));
  const settings = join(userDir, 'settings.cjs');
  writeFileSync(
    settings,
    `module.exports = ${JSON.stringify({
      uiHost: '127.0.0.1',
      flowFile: 'flows.json',
      credentialSecret: false,
      httpAdminRoot: '/admin',
      disableEditor: true,
      httpNodeRoot: false,
      diagnostics: { enabled: false },
      telemetry: { enabled: false },
      externalModules: { autoInstall: false, palette: { allowInstall: false }, modules: { allowInstall: false } },
      logging: { console: { level: 'info', metrics: false, audit: false } },
    })};\n`,
  );
  const port = await freePort();
  adminUrl = `http://127.0.0.1:${port}/admin`;
  const child = spawn(process.execPath, [redJs, '--userDir', userDir, '--port', String(port), '--settings', settings], {
    cwd: userDir,
    env: { ...process.env, NODE_RED_HOME: userDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  red = child;
  process.once('exit', () => child.kill('SIGKILL'));
  const onData = (d: Buffer) => (redLog += d.toString('utf8'));
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const deadline = Date.now() + 30_000;
  while (!/Started flows/.test(redLog)) {
    if (/Waiting for missing types/.test(redLog)) throw new Error(`Node-RED did not load the airlane nodes:\n${redLog}`);
    if (child.exitCode !== null) throw new Error(`Node-RED exited (code ${child.exitCode}):\n${redLog}`);
    if (Date.now() > deadline) throw new Error(`Node-RED did not start flows within 30 s:\n${redLog}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stopNodeRed(): Promise<void> {
  const child = red;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(killer);
}

function reading(min: number, pm25: number, topicSite = SITE): [string, string] {
  const r = { v: 1, site: SITE, node: 'gw1', part: 'pms5003', time: at(min), clock: 'ntp', values: { pm25_ugm3: pm25 } };
  return [`airlane/v1/${topicSite}/gw1/reading`, JSON.stringify(r)];
}

beforeAll(async () => {
  broker = await startMosquitto();
  await startNodeRed(broker.port);
  client = await mqtt.connectAsync(broker.url, { clientId: `node-red-test-${process.pid}` });
  client.on('message', (topic, payload) => inbox.push(topic, payload));
  await client.subscribeAsync(['airlane/test/#', 'airlane/summary/#', 'airlane/alerts/#'], { qos: 1 });
});

afterAll(async () => {
  await client?.endAsync();
  await stopNodeRed();
  if (userDir) rmSync(userDir, { recursive: true, force: true });
  await broker?.stop();
});

describe('node-red-contrib-airlane in Node-RED 4.1', () => {
  it('refuses a malformed reading on the second output, with the reason', async () => {
    const bad = JSON.stringify({ v: 1, site: SITE, node: 'gw1', part: 'pms5003', time: '2026-03-02T08:00:00Z', clock: 'ntp', values: { pm25_ugm3: '12' } });
    // Node-RED's mqtt in subscribes a moment after "Started flows": repeat until the flow answers.
    const deadline = Date.now() + 20_000;
    while (inbox.all('airlane/test/invalid').length === 0) {
      if (Date.now() > deadline) throw new Error(`no answer from the flow:\n${redLog}`);
      await client.publishAsync(`airlane/v1/${SITE}/gw1/reading`, bad, { qos: 1 });
      await inbox.waitFor('airlane/test/invalid', 1, 300).catch(() => undefined);
    }
    const [first] = inbox.all('airlane/test/invalid');
    expect(first).toEqual({
      reason: 'time: must be ISO 8601 UTC with milliseconds (2026-01-01T00:00:00.000Z); values.pm25_ugm3: must be a finite number',
      topic: `airlane/v1/${SITE}/gw1/reading`,
      received: JSON.parse(bad),
    });

    const before = inbox.all('airlane/test/invalid').length;
    const [topic, payload] = reading(0, 10, 'other-site');
    await client.publishAsync(topic, payload, { qos: 1 });
    const after = await inbox.waitFor('airlane/test/invalid', before + 1);
    expect(after.at(-1)?.reason).toBe(
      `topic "airlane/v1/other-site/gw1/reading" names site "other-site", node "gw1" but the reading says site "${SITE}", node "gw1"`,
    );
    expect(inbox.all('airlane/test/aqi')).toEqual([]);
  });

  it('raises one alert after 5 min at ATMO "Mauvais" and clears it after 5 min back at ≤ "Dégradé"', async () => {
    // PM2.5 every minute: 10 µg/m³ for 3 min, 40 for 8 min, then 10 again. The 5-min running mean (samples in
    // (t − 5 min, t]) is 10 10 10 17.5 22 28 34 40 40 40 40 34 28 22 16 10 10 10 10; ATMO PM2.5 uppers 10/20/25/50/75
    // (arrêté du 10 juillet 2020, Annexe I) make that levels 1 1 1 2 3 4 4 4 4 4 4 4 4 3 2 1 1 1 1.
    const pm25 = [10, 10, 10, 40, 40, 40, 40, 40, 40, 40, 40, 10, 10, 10, 10, 10, 10, 10, 10];
    for (const [min, v] of pm25.entries()) {
      const [topic, payload] = reading(min, v);
      await client.publishAsync(topic, payload, { qos: 1 });
    }
    const aqi = await inbox.waitFor('airlane/test/aqi', pm25.length);
    expect(aqi.map((m) => m.level)).toEqual([1, 1, 1, 2, 3, 4, 4, 4, 4, 4, 4, 4, 4, 3, 2, 1, 1, 1, 1]);
    expect(aqi[5]).toEqual({
      scheme: 'atmo',
      site: SITE,
      level: 4,
      label: 'Mauvais',
      colour: '#FF5050',
      dominant: 'pm25',
      sub: { pm25: { level: 4, label: 'Mauvais', mean_ugm3: 28, samples: 5 } },
      time: at(5),
      window_min: 5,
    });

    const alerts = await inbox.waitFor(`airlane/test/alerts/${SITE}`, 2);
    expect(alerts).toEqual([
      {
        event: 'raise',
        site: SITE,
        mode: 'level',
        scheme: 'atmo',
        level: 4,
        label: 'Mauvais',
        colour: '#FF5050',
        dominant: 'pm25',
        raise_at: 4,
        clear_at: 3,
        since: at(5),
        time: at(10),
        duration_s: 300,
        reason: `ATMO level 4 "Mauvais" ≥ 4 "Mauvais" for 5 min since ${at(5)}; dominant pm25`,
      },
      {
        event: 'clear',
        site: SITE,
        mode: 'level',
        scheme: 'atmo',
        level: 1,
        label: 'Bon',
        colour: '#50F0E6',
        dominant: 'pm25',
        raise_at: 4,
        clear_at: 3,
        since: at(13),
        time: at(18),
        duration_s: 300,
        reason: `ATMO level 1 "Bon" ≤ 3 "Dégradé" for 5 min since ${at(13)}`,
      },
    ]);
  });

  it('runs the shipped examples: no alert on a 24 h mean after 19 min; the hourly summary on its tick', async () => {
    // alert-on-mauvais.json raises only after 30 min at ≥ 4: the 19 minutes above are not enough.
    expect(inbox.all(`airlane/alerts/${SITE}`)).toEqual([]);
    // hourly-summary.json: press its inject node through the admin API instead of waiting an hour. EAQI on the
    // 60-min mean of all 19 readings: (11 × 10 + 8 × 40) / 19 = 22.6 µg/m³ PM2.5, in (15, 50] → 3 "Moderate".
    const res = await fetch(`${adminUrl}/inject/ex2-tick`, { method: 'POST' });
    expect(res.status).toBe(200);
    const [summary] = await inbox.waitFor('airlane/summary/hourly', 1);
    expect(summary).toEqual({
      time: expect.any(String),
      worst: { site: SITE, level: 3, label: 'Moderate' },
      sites: [{ site: SITE, level: 3, label: 'Moderate', colour: '#F0E641', dominant: 'pm25' }],
    });
    // Node-RED logged no error from any node (a throw in a node's input handler would show here).
    expect(redLog.split('\n').filter((l) => /\[error\]/.test(l))).toEqual([]);
  });
});
