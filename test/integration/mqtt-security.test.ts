// MQTT security against a real Mosquitto 2: a password_file made with mosquitto_passwd -b and the acl_file that
// gateway/security/acl.ts generates — a node publishes under its own topics and the gateway gets it, a node
// speaking for another node is refused (MQTT 5 PUBACK 0x87; never delivered on 3.1.1), a wrong password is refused
// with a plain error; then TLS with a CA and a server certificate made with openssl at test time.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findExecutable, freePort, makeServiceDir, requireExecutable, startDaemon, withPortRetry, type RunningService } from '../services/daemon.js';
import { startMosquitto } from '../services/mosquitto.js';
import { until } from '../fakes/until.js';
import { aclUsers, renderAcl } from '../../gateway/security/acl.js';
import { MqttInput } from '../../gateway/inputs/mqtt/mqtt.js';
import { mqttInputOptions } from '../../gateway/inputs/mqtt/options.js';
import { MqttOutput } from '../../gateway/outputs/mqtt/mqtt.js';
import { mqttOutputOptions } from '../../gateway/outputs/mqtt/options.js';
import { createLogger } from '../../gateway/core/log.js';
import type { Metric } from '../../gateway/core/metric.js';
import type { Sink } from '../../gateway/core/plugin.js';

const PASSWORDS = { 'rue.gw': 'gw-secret-Q7', 'rue.n1': 'n1-secret-K4', 'rue.n2': 'n2-secret-P9' } as const;

// MQTT 3.1.1 CONNECT without credentials: any CONNACK (accepted or "not authorised") proves the broker is up.
const CONNECT = Buffer.from([0x10, 0x11, 0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0x02, 0x00, 0x0a, 0x00, 0x05, 0x72, 0x65, 0x61, 0x64, 0x79]);
function answersConnack(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write(CONNECT));
    socket.once('data', (d: Buffer) => done(d[0] === 0x20));
  });
}

/** Mosquitto with anonymous access off, our password_file and acl_file (startMosquitto's check needs anonymous). */
async function startSecuredMosquitto(passwordFile: string, aclFile: string): Promise<RunningService> {
  const mosquitto = requireExecutable('mosquitto');
  return withPortRetry(async () => {
    const dir = makeServiceDir('mosquitto-auth');
    const port = await freePort();
    const lines = [`listener ${port} 127.0.0.1`, 'allow_anonymous false', `password_file ${passwordFile}`, `acl_file ${aclFile}`, 'persistence false', 'log_dest stderr', 'log_type error', 'log_type warning'];
    if (process.getuid?.() === 0) lines.push('user root');
    const conf = join(dir, 'mosquitto.conf');
    writeFileSync(conf, `${lines.join('\n')}\n`);
    const daemon = await startDaemon({ name: 'mosquitto', command: mosquitto, args: ['-c', conf], dir, ready: () => answersConnack(port) });
    return { url: `mqtt://127.0.0.1:${port}`, pid: daemon.pid, stop: daemon.stop };
  });
}

function collectingSink() {
  const pushed: Metric[] = [];
  const rejected: { reason: string; code?: string }[] = [];
  const sink: Sink = { push: (m) => void pushed.push(m), reject: (_w, reason, code) => void rejected.push({ reason, ...(code ? { code } : {}) }), flush: () => true };
  return { sink, pushed, rejected };
}

function capturedLog() {
  const lines: string[] = [];
  return { lines, log: createLogger('warn', { write: (s: string) => void lines.push(s) }) };
}

const air = (node: string, ms: number): Metric => ({ measurement: 'air', tags: { site: 'rue', node, part: 'sht3x' }, fields: { temperature_c: 20 + ms / 1000 }, time: Date.UTC(2026, 10, 25, 8, 0, 0, ms), meta: { clock: 'ntp' } });
const readingJson = (node: string, ms: number) => JSON.stringify({ v: 1, site: 'rue', node, part: 'sht3x', time: new Date(Date.UTC(2026, 10, 25, 8, 0, 0, ms)).toISOString(), clock: 'ntp', values: { temperature_c: 20 } });
const stamp = (m: Metric) => `${m.tags.node}@${m.time}`;

const dir = mkdtempSync(join(tmpdir(), 'airlane-mqtt-sec-'));
const stops: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const s of stops.reverse()) await s().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('MQTT with password_file and the generated ACL', () => {
  let broker: RunningService;
  const gw = collectingSink();

  beforeAll(async () => {
    const passwordFile = join(dir, 'passwd');
    writeFileSync(passwordFile, '');
    const passwd = findExecutable('mosquitto_passwd') ?? requireExecutable('mosquitto_passwd');
    for (const [user, pw] of Object.entries(PASSWORDS)) execFileSync(passwd, ['-b', passwordFile, user, pw]);
    for (const [user, pw] of Object.entries(PASSWORDS)) writeFileSync(join(dir, `${user}.password`), `${pw}\n`);
    const users = aclUsers({ gateways: [{ site: 'rue', gateway: 'gw' }], nodes: [{ site: 'rue', node: 'n1' }, { site: 'rue', node: 'n2' }] });
    const aclFile = join(dir, 'acl');
    writeFileSync(aclFile, renderAcl(users));
    broker = await startSecuredMosquitto(passwordFile, aclFile);
    stops.push(() => broker.stop());
    // The gateway: credentials in the url.
    const input = new MqttInput(mqttInputOptions.parse({ url: broker.url.replace('mqtt://', `mqtt://rue.gw:${PASSWORDS['rue.gw']}@`), client_id: `sec-gw-${Date.now()}` }), { log: capturedLog().log });
    await input.start(gw.sink);
    stops.push(() => input.stop());
  });

  it("delivers a node's reading under its own topic, and never one it publishes under another node's topic", async () => {
    // Node n1 as a publishing station: credentials from a password_file, status under its own id.
    const out = new MqttOutput(mqttOutputOptions.parse({ url: broker.url, username: 'rue.n1', password_file: join(dir, 'rue.n1.password'), gateway: 'n1', client_id: 'sec-n1-out' }), 'rue', capturedLog().log);
    await out.start();
    stops.push(() => out.stop());
    await until('n1 output connected', () => (out as unknown as { client?: { connected: boolean } }).client?.connected || undefined, 10_000);
    // MQTT 3.1.1: the broker acknowledges the forbidden publish but drops it.
    await out.write([air('n1', 1), air('n2', 2), air('n1', 3)]);
    await until('n1 readings at the gateway', () => (gw.pushed.filter((m) => m.tags.node === 'n1').length >= 2 ? true : undefined), 10_000);

    // MQTT 5: the broker says why (PUBACK reason code 0x87, Not authorized; OASIS MQTT 5.0 §3.4.2.1).
    const v5 = await mqtt.connectAsync(broker.url, { protocolVersion: 5, username: 'rue.n1', password: PASSWORDS['rue.n1'], clientId: 'sec-n1-v5' });
    stops.push(() => v5.endAsync(true));
    const denied = await v5.publishAsync('airlane/v1/rue/n2/reading', readingJson('n2', 4), { qos: 1 }).then(
      () => undefined,
      (e: Error & { code?: number }) => e,
    );
    expect(denied?.code).toBe(0x87);
    // A marker from the same connection after it: once it is in, the forbidden message would have been too.
    await v5.publishAsync('airlane/v1/rue/n1/reading', readingJson('n1', 5), { qos: 1 });
    await until('marker at the gateway', () => (gw.pushed.some((m) => stamp(m) === `n1@${Date.UTC(2026, 10, 25, 8, 0, 0, 5)}`) ? true : undefined), 10_000);

    expect(gw.pushed.map(stamp).sort()).toEqual([1, 3, 5].map((ms) => `n1@${Date.UTC(2026, 10, 25, 8, 0, 0, ms)}`));
    expect(gw.rejected).toEqual([]);
  });

  it('lets a node read nothing but its own cmd topic', async () => {
    const n2 = await mqtt.connectAsync(broker.url, { protocolVersion: 5, username: 'rue.n2', password: PASSWORDS['rue.n2'], clientId: 'sec-n2-sub' });
    stops.push(() => n2.endAsync(true));
    const seen: string[] = [];
    n2.on('message', (topic) => seen.push(topic));
    // Mosquitto grants the wildcard subscription and checks read access per message on delivery.
    await n2.subscribeAsync('airlane/v1/#', { qos: 1 });
    const gwClient = await mqtt.connectAsync(broker.url, { protocolVersion: 5, username: 'rue.gw', password: PASSWORDS['rue.gw'], clientId: 'sec-gw-pub' });
    stops.push(() => gwClient.endAsync(true));
    await gwClient.publishAsync('airlane/v1/rue/n1/reading', readingJson('n1', 6), { qos: 1 });
    await gwClient.publishAsync('airlane/v1/rue/n2/status', 'online', { qos: 1 });
    await gwClient.publishAsync('airlane/v1/rue/n2/cmd', '{"cmd":"ping"}', { qos: 1 });
    await until('the cmd at n2', () => (seen.includes('airlane/v1/rue/n2/cmd') ? true : undefined), 10_000);
    expect(seen).toEqual(['airlane/v1/rue/n2/cmd']);
  });

  it('refuses a wrong password with an error that says what to check, without the password', async () => {
    const { lines, log } = capturedLog();
    const out = new MqttOutput(mqttOutputOptions.parse({ url: broker.url, username: 'rue.n1', password: 'not-the-password', client_id: 'sec-wrong' }), 'rue', log);
    await out.start();
    stops.push(() => out.stop());
    const line = await until('the refusal logged', () => lines.find((l) => l.includes('Connection refused')), 10_000);
    expect(JSON.parse(line).msg).toMatch(/^MQTT broker mqtt:\/\/127\.0\.0\.1:\d+: Connection refused: Not authorized \(5\) — the broker refused the credentials: check username and password/);
    await expect(out.write([air('n1', 9)])).rejects.toThrow(/not connected/);
    expect(lines.join('')).not.toContain('not-the-password');
  });
});

describe('MQTT over TLS', () => {
  let broker: RunningService;
  let tlsUrl: string;
  const certs = join(dir, 'tls');

  beforeAll(async () => {
    execFileSync('mkdir', ['-p', certs]);
    const openssl = findExecutable('openssl') ?? requireExecutable('openssl');
    const ssl = (...args: string[]) => execFileSync(openssl, args, { cwd: certs, stdio: 'pipe' });
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    ssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=airlane test CA');
    ssl('req', '-x509', ...ec, '-keyout', 'other-ca.key', '-out', 'other-ca.pem', '-days', '2', '-subj', '/CN=some other CA');
    ssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
    writeFileSync(join(certs, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
    ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'san.ext');
    const tlsPort = await freePort();
    broker = await startMosquitto({ extraConfig: [`listener ${tlsPort} 127.0.0.1`, `cafile ${join(certs, 'ca.pem')}`, `certfile ${join(certs, 'server.pem')}`, `keyfile ${join(certs, 'server.key')}`] });
    stops.push(() => broker.stop());
    tlsUrl = `mqtts://127.0.0.1:${tlsPort}`;
  });

  it('connects the input and the output with tls.ca and delivers', async () => {
    const site = `tls${Date.now()}`;
    const gw = collectingSink();
    const tls = { ca: join(certs, 'ca.pem') };
    const input = new MqttInput(mqttInputOptions.parse({ url: tlsUrl, tls, client_id: `tls-in-${site}`, topics: [`airlane/v1/${site}/+/reading`] }), { log: capturedLog().log });
    await input.start(gw.sink);
    stops.push(() => input.stop());
    const out = new MqttOutput(mqttOutputOptions.parse({ url: tlsUrl, tls, client_id: `tls-out-${site}` }), site, capturedLog().log);
    await out.start();
    stops.push(() => out.stop());
    await until('TLS output connected', () => (out as unknown as { client?: { connected: boolean } }).client?.connected || undefined, 10_000);
    await out.write([{ ...air('n1', 7), tags: { site, node: 'n1', part: 'sht3x' } }]);
    const got = await until('the reading over TLS', () => gw.pushed[0], 10_000);
    expect(got).toMatchObject({ measurement: 'air', tags: { site, node: 'n1', part: 'sht3x' }, fields: { temperature_c: 20.007 } });
  });

  it('fails with a wrong CA and logs what to check', async () => {
    const { lines, log } = capturedLog();
    const other = join(certs, 'other-ca.pem');
    const out = new MqttOutput(mqttOutputOptions.parse({ url: tlsUrl, tls: { ca: other }, client_id: 'tls-wrong-ca' }), 'rue', log);
    await out.start();
    stops.push(() => out.stop());
    const line = await until('the TLS failure logged', () => lines.find((l) => l.includes('MQTT broker')), 10_000);
    expect(JSON.parse(line).msg).toContain(`the broker's certificate is not signed by the CA in tls.ca (${other}): check that tls.ca is the CA that signed the broker's certificate`);
    await expect(out.write([air('n1', 8)])).rejects.toThrow(/not connected/);
  });
});
