import { describe, expect, it } from 'vitest';
import { aclUsers, renderAcl, passwdCommands, specFromStation, usernameFor, AclError } from './acl.js';
import { parseStation } from '../config/load.js';

const station = (yaml: string) => parseStation(yaml, 'st.yaml', {}, { checkWiring: false });
const gatewayStation = station(`site: rue
gateway: gw
mqtt: { url: "mqtt://broker:1883" }
nodes:
  - id: n1
    parts: [{ part: sht3x, bus: { type: i2c } }]
`);
const remotePi = station(`site: rue
gateway: n7
mqtt: { url: "mqtt://broker:1883", subscribe: false }
nodes:
  - id: n7
    parts: [{ part: sht3x, bus: { type: i2c } }]
counters:
  - id: loops
    type: firmata
    counter: { detectors: [{ detector: d1, pin: 2 }, { detector: d2, pin: 3 }] }
`);

describe('Mosquitto ACL generator', () => {
  it('gives a subscribing station its site to write and every site to read', () => {
    expect(aclUsers(specFromStation(gatewayStation, 'st.yaml'))).toEqual([
      { username: 'rue.gw', role: 'gateway', site: 'rue', id: 'gw', write: ['airlane/v1/rue/#'], read: ['airlane/v1/#'], from: 'st.yaml' },
    ]);
  });

  it("gives a publishing station (subscribe: false) only its nodes', detectors' and status topics", () => {
    expect(aclUsers(specFromStation(remotePi, 'pi.yaml'))).toEqual([
      {
        username: 'rue.n7',
        role: 'publisher',
        site: 'rue',
        id: 'n7',
        write: ['airlane/v1/rue/n7/#', 'airlane/v1/rue/traffic/d1', 'airlane/v1/rue/traffic/d2'],
        read: ['airlane/v1/rue/n7/cmd'],
        from: 'pi.yaml',
      },
    ]);
  });

  it("writes a publishing station's own status when no node of its id covers it", () => {
    const [u] = aclUsers({ publishers: [{ site: 'rue', gateway: 'pi', nodes: ['n7'], detectors: [] }] });
    expect(u?.write).toEqual(['airlane/v1/rue/pi/status', 'airlane/v1/rue/n7/#']);
  });

  it('renders a Mosquitto acl_file with user sections and the password commands as comments only', () => {
    const users = aclUsers({ gateways: [{ site: 'rue', gateway: 'gw' }], nodes: [{ site: 'rue', node: 'n1' }], counters: [{ site: 'elm', id: 'telraam', detectors: ['t1'] }] });
    const text = renderAcl(users, { sources: ['st.yaml'] });
    const rules = text.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(rules).toEqual([
      'user rue.gw',
      'topic write airlane/v1/rue/#',
      'topic read airlane/v1/#',
      'user rue.n1',
      'topic write airlane/v1/rue/n1/#',
      'topic read airlane/v1/rue/n1/cmd',
      'user elm.telraam',
      'topic write airlane/v1/elm/traffic/t1',
    ]);
    expect(text).toContain('#   mosquitto_passwd -b /etc/mosquitto/passwd rue.n1 "$(cat rue.n1.password)"');
    expect(passwdCommands(users, '/p')).toEqual([
      'touch /p',
      'mosquitto_passwd -b /p rue.gw "$(cat rue.gw.password)"',
      'mosquitto_passwd -b /p rue.n1 "$(cat rue.n1.password)"',
      'mosquitto_passwd -b /p elm.telraam "$(cat elm.telraam.password)"',
    ]);
  });

  it.each([
    ['a "." in a site', { nodes: [{ site: 'a.b', node: 'c' }] }, /site "a\.b" holds "\.", ":" or whitespace/],
    ['a "." in a node', { nodes: [{ site: 'a', node: 'b.c' }] }, /node "b\.c"/],
    ['a ":" in a gateway id', { gateways: [{ site: 'a', gateway: 'g:1' }] }, /gateway "g:1"/],
    ['a space in a detector', { counters: [{ site: 'a', id: 'c', detectors: ['d 1'] }] }, /detector "d 1"/],
    ['a wildcard in a node', { nodes: [{ site: 'a', node: 'n#' }] }, /must not contain "\+", "#"/],
    ['a node named traffic', { nodes: [{ site: 'a', node: 'traffic' }] }, /would own every counter's topics/],
    ['a gateway and a node with one username', { gateways: [{ site: 'rue', gateway: 'n1' }], nodes: [{ site: 'rue', node: 'n1' }] }, /username rue\.n1 would belong to a gateway \(gateways\) and a node \(nodes\)/],
  ])('refuses %s', (_name, spec, reason) => {
    expect(() => aclUsers(spec)).toThrow(AclError);
    expect(() => aclUsers(spec)).toThrow(reason);
  });

  it('takes the same station twice as one user', () => {
    const users = aclUsers({ gateways: [{ site: 'rue', gateway: 'gw' }, { site: 'rue', gateway: 'gw' }] });
    expect(users.map((u) => u.username)).toEqual(['rue.gw']);
    expect(usernameFor('rue', 'n1')).toBe('rue.n1');
  });
});
