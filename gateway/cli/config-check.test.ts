import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = new URL('../../bin/airlane.mjs', import.meta.url).pathname;
const demo = new URL('../../hardware/stations/demo.yaml', import.meta.url).pathname;
const airlane = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, AIRLANE_INFLUX_URL: '' } });

describe('airlane config check', () => {
  it('accepts the demo station, as JSON for programs', () => {
    const r = airlane('config', 'check', demo, '--json');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ ok: true, file: demo, site: 'demo-street', nodes: 2, parts: 9, counters: 1, warnings: [] });
  });

  it('exits 1 and names file, line, key path and fix for a bad station', () => {
    const dir = mkdtempSync(join(tmpdir(), 'airlane-cfg-'));
    const file = join(dir, 'station.yaml');
    writeFileSync(file, 'site: rue\nhttp:\n  prot: 8080\n');
    const r = airlane('config', 'check', file);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `${file}: 1 problem in the station config:\n  line 3: http: unknown key "prot" — check the spelling or remove it (README, "Station file" lists every key)\n`,
    );
  });

  it('catches an I2C address clash and a pin conflict, with line, key path and fix', () => {
    const dir = mkdtempSync(join(tmpdir(), 'airlane-cfg-'));
    const file = join(dir, 'station.yaml');
    writeFileSync(
      file,
      `site: rue
nodes:
  - id: pole-1
    parts:
      - { part: sht3x, bus: { type: i2c, bus: 1 } }
      - { part: sht4x, bus: { type: i2c, bus: 1 } }
  - id: nano
    board: { type: firmata, port: /dev/ttyUSB0 }
    parts:
      - { part: pms5003, bus: { type: firmata-serial, port_id: 8, rx_pin: 10, tx_pin: 11, level_shifted: true } }
counters:
  - id: loops
    type: firmata
    node: nano
    counter: { detectors: [{ detector: d1, pin: 10 }] }
`,
    );
    const r = airlane('config', 'check', file);
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n').slice(1).map((l) => l.trim());
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('line 5: nodes.0.parts.0.options.address: sht3x at 0x44 clashes with sht4x (nodes.0.parts.1) on i2c-1; set address: 0x45 (ADDR pin high) or move one to another bus');
    expect(lines[1]).toMatch(/^line \d+: counters\.0\.counter\.detectors\.0\.pin: D10 on nano is already pms5003's RX .*; use a free pin/);
  });

  it('exits 1 with what to do when the file is missing', () => {
    const r = airlane('config', 'check', '/nonexistent/station.yaml');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('cannot read the file (ENOENT) — check the path');
  });

  it('prints a JSON Schema editors can use', () => {
    const r = airlane('config', 'schema');
    expect(r.status).toBe(0);
    const schema = JSON.parse(r.stdout) as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['site', 'nodes', 'counters', 'influxdb', 'mqtt', 'windows', 'qc', 'outbox', 'self_report']));
    expect(schema.required).toEqual(['site']);
  });
});
