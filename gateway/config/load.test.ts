import { describe, expect, it } from 'vitest';
import { ConfigError, loadStation, parseStation } from './load.js';
import { resolveTarget } from '../outputs/influxdb/options.js';

const demo = new URL('../../hardware/stations/demo.yaml', import.meta.url).pathname;

function problems(text: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseStation(text, 'station.yaml', env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected the config to be refused');
}

const minimal = `site: rue
nodes:
  - id: n1
    parts:
      - part: bme280
        bus: { type: i2c, bus: 1 }
`;

describe('station config', () => {
  it('loads the demo station with its defaults applied', () => {
    const c = loadStation(demo, {});
    expect(c.site).toBe('demo-street');
    expect(c.simulate).toBe(true);
    expect(c.http).toEqual({ host: '127.0.0.1', port: 8080, public: false, stall_after_s: 600 });
    expect(c.nodes[0]?.parts.map((p) => p.part)).toEqual(['pms5003', 'bme280', 'sds011', 'sps30', 'pmsa003i', 'sht3x', 'no2-b43f']);
    expect(c.nodes[1]?.board).toEqual({ type: 'firmata', port: '/dev/ttyACM1', baud_rate: 115_200, analog_reference_mv: 5000 });
    expect(c.nodes[0]?.parts[1]?.options).toEqual({ address: 0x76, oversampling: 1, max_status_polls: 50 });
    expect(c.counters[0]?.counter.detectors).toHaveLength(2);
    expect(c.influxdb).toBeUndefined();
  });

  it('applies the environment overrides, database from the URL or airlane', () => {
    const c = parseStation(minimal, 'station.yaml', {
      AIRLANE_INFLUX_URL: 'http://127.0.0.1:8086',
      AIRLANE_MQTT_URL: 'mqtt://broker.local:1883',
      AIRLANE_HTTP_PORT: '9090',
      AIRLANE_DATA_DIR: '/var/lib/airlane',
    });
    expect(resolveTarget(c.influxdb!).database).toBe('airlane');
    expect(c.mqtt?.url).toBe('mqtt://broker.local:1883');
    expect(c.http.port).toBe(9090);
    expect(c.data_dir).toBe('/var/lib/airlane');
    const named = parseStation(minimal, 'station.yaml', { AIRLANE_INFLUX_URL: 'http://db:8086/city_air' });
    expect(resolveTarget(named.influxdb!).database).toBe('city_air');
  });

  it('names the line, key path and fix of a misspelt key', () => {
    expect(problems(minimal.replace('bus: { type: i2c, bus: 1 }', 'bus: { type: i2c, bus: 1 }\n        optoins: {}'))).toEqual([
      'line 7: nodes.0.parts.0: unknown key "optoins" — check the spelling or remove it (README, "Station file" lists every key)',
    ]);
  });

  it('checks part options with the part\'s own schema', () => {
    const [p] = problems(minimal.replace('bus: { type: i2c, bus: 1 }', 'bus: { type: i2c, bus: 1 }\n        options: { address: 0x40 }'));
    expect(p).toMatch(/^line 7: nodes\.0\.parts\.0\.options\.address: /);
    expect(p).toMatch(/118|0x76|119/);
  });

  it('lists the known parts for an unknown one', () => {
    const [p] = problems(minimal.replace('part: bme280', 'part: bme680'));
    expect(p).toBe('line 5: nodes.0.parts.0.part: unknown part "bme680"; known parts: pms5003, pms5003t, pms7003, pmsa003i, sds011, sps30, bme280, sht3x, sht4x, no2-b43f, analog');
  });

  it('reports every problem at once, a bad env value included', () => {
    const list = problems(minimal.replace('site: rue', 'site: "a/b"'), { AIRLANE_HTTP_PORT: 'eighty' });
    expect(list).toHaveLength(2);
    expect(list[0]).toMatch(/site: must not contain "\+", "#", "\/" or control characters/);
    expect(list[1]).toMatch(/^http\.port \(set by AIRLANE_HTTP_PORT\): .*set it to a number — fix the environment variable$/);
  });

  it('says where YAML syntax breaks', () => {
    expect(problems('site: rue\nnodes: [\n')[0]).toMatch(/^line \d+: .* — fix the YAML\/JSON syntax there$/);
  });

  it('refuses a file that is not a mapping', () => {
    expect(problems('- 1\n- 2\n')).toEqual(['the file must hold one mapping (site, nodes, …), see the example in the README']);
  });
});
