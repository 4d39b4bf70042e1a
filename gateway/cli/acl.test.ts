import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAcl } from './acl.js';

function files(entries: Record<string, string>): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'airlane-acl-'));
  return Object.entries(entries).map(([name, text]) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  });
}

function run(options: Parameters<typeof runAcl>[0]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runAcl(options, { out: (l) => out.push(l), err: (l) => err.push(l) }, {});
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const gw = 'site: rue\ngateway: gw\nmqtt: { url: "mqtt://broker:1883", password_file: /etc/airlane/mqtt.password }\n';
const pi = 'site: rue\ngateway: n7\nmqtt: { url: "mqtt://broker:1883", subscribe: false }\nnodes:\n  - id: n7\n    parts: [{ part: sht3x, bus: { type: i2c } }]\n';

describe('airlane acl', () => {
  it('prints the acl_file for several stations and extra nodes', () => {
    const [a, b] = files({ 'gw.yaml': gw, 'pi.yaml': pi });
    const r = run({ stations: [a!, b!], nodes: ['elm/n3'] });
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out.split('\n').filter((l) => l.startsWith('user '))).toEqual(['user rue.gw', 'user rue.n7', 'user elm.n3']);
    expect(r.out).toContain('topic write airlane/v1/elm/n3/#');
  });

  it('prints JSON with --json', () => {
    const [a] = files({ 'gw.yaml': gw });
    const r = run({ stations: [a!], json: true, passwordFile: '/srv/passwd' });
    expect(r.code).toBe(0);
    const parsed = JSON.parse(r.out) as { users: unknown[]; acl: string; passwd: string[] };
    expect(parsed.users).toEqual([{ username: 'rue.gw', role: 'gateway', site: 'rue', id: 'gw', write: ['airlane/v1/rue/#'], read: ['airlane/v1/#'] }]);
    expect(parsed.passwd).toEqual(['touch /srv/passwd', 'mosquitto_passwd -b /srv/passwd rue.gw "$(cat rue.gw.password)"']);
    expect(parsed.acl).toMatch(/^# Mosquitto acl_file/);
  });

  it('exits 1 naming the clash when two stations would share a username', () => {
    const [a, b] = files({ 'gw.yaml': gw, 'other.yaml': 'site: rue\ngateway: gw\nmqtt: { url: "mqtt://b:1883", subscribe: false }\n' });
    const r = run({ stations: [a!, b!] });
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/username rue\.gw would belong to a gateway \(.*gw\.yaml\) and a publisher \(.*other\.yaml\)/);
  });

  it('exits 1 with the config problem for an invalid station file', () => {
    const [a] = files({ 'bad.yaml': 'site: rue\nnodes: 3\n' });
    const r = run({ stations: [a!] });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/bad\.yaml: 1 problem/);
  });

  it('exits 2 without stations, or with a malformed --node', () => {
    expect(run({ stations: [] }).code).toBe(2);
    const r = run({ stations: [], nodes: ['rue-n1'] });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/give nodes as <site>\/<node>/);
  });
});
