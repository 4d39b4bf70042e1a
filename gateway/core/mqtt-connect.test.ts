import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientOptions, connectErrorLogger, describeConnectError, mqttConnectionOptions, MqttOptionError } from './mqtt-connect.js';
import { scrubSecrets } from './redact.js';

const dir = mkdtempSync(join(tmpdir(), 'airlane-mqtt-connect-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('MQTT connection options', () => {
  it('passes username and password, and reads password_file once without its newline', () => {
    expect(clientOptions({ url: 'mqtt://b:1883', username: 'rue.gw', password: 'pw-opt-1' })).toEqual({ username: 'rue.gw', password: 'pw-opt-1' });
    const pf = file('pw', 'pw-from-file-2\n');
    expect(clientOptions({ url: 'mqtt://b:1883', username: 'rue.gw', password_file: pf })).toEqual({ username: 'rue.gw', password: 'pw-from-file-2' });
    // Read secrets are masked in anything logged afterwards.
    expect(scrubSecrets('x pw-from-file-2 y')).toBe('x *** y');
  });

  it('leaves credentials in the url to MQTT.js (adds nothing)', () => {
    expect(clientOptions({ url: 'mqtt://rue.gw:pw-url-3@b:1883' })).toEqual({});
    expect(scrubSecrets('pw-url-3')).toBe('***');
  });

  it('reads the TLS files and keeps reject_unauthorized on by default', () => {
    const ca = file('ca.pem', 'CA PEM');
    const cert = file('c.pem', 'CERT PEM');
    const key = file('k.pem', 'KEY PEM');
    const tls = mqttConnectionOptions.parse({ tls: { ca, cert, key } }).tls;
    expect(clientOptions({ url: 'mqtts://b:8883', tls })).toEqual({ ca: 'CA PEM', cert: 'CERT PEM', key: 'KEY PEM', rejectUnauthorized: true });
  });

  it.each([
    ['an unreadable password_file', { url: 'mqtt://b', username: 'u', password_file: '/nonexistent/pw' }, /mqtt password_file: cannot read \/nonexistent\/pw \(ENOENT\) — check the path/],
    ['an unreadable tls.ca', { url: 'mqtts://b', tls: { ca: '/nonexistent/ca.pem', reject_unauthorized: true } }, /mqtt tls\.ca: cannot read \/nonexistent\/ca\.pem \(ENOENT\)/],
    ['tls with an mqtt:// url', { url: 'mqtt://b:1883', tls: { reject_unauthorized: true } }, /not mqtts:\/\/ or wss:\/\/ — change the scheme/],
    ['password and password_file', { url: 'mqtt://b', username: 'u', password: 'p', password_file: '/x' }, /either password or password_file/],
    ['a password without username', { url: 'mqtt://b', password: 'secret-4' }, /a password needs a username/],
    ['credentials in url and options', { url: 'mqtt://u:secret-5@b', username: 'u' }, /carries credentials and username\/password options are set too/],
  ])('refuses %s with the option and what to do', (_name, opts, reason) => {
    expect(() => clientOptions(opts)).toThrow(MqttOptionError);
    expect(() => clientOptions(opts)).toThrow(reason);
  });

  it('never names the url password in its errors', () => {
    try {
      clientOptions({ url: 'mqtt://u:secret-5@b', username: 'u' });
    } catch (e) {
      expect((e as Error).message).not.toContain('secret-5');
    }
  });

  it('refuses cert without key in the schema', () => {
    const r = mqttConnectionOptions.safeParse({ tls: { cert: '/c.pem' } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe('tls.cert and tls.key go together: give both or neither');
  });

  it.each([
    [Object.assign(new Error('Connection refused: Not authorized'), { code: 5 }), /check username and password/],
    [Object.assign(new Error('Connection refused: Bad User Name or Password'), { code: 134 }), /check username and password/],
    [Object.assign(new Error('self-signed certificate in certificate chain'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' }), /not signed by the CA in tls\.ca \(\/etc\/ca\.pem\)/],
    [Object.assign(new Error("Hostname/IP does not match certificate's altnames"), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' }), /does not name the host/],
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), /nothing listens there/],
  ])('explains %s', (err, hint) => {
    const text = describeConnectError(err, { url: 'mqtts://u:pw-6@b:8883', tls: { ca: '/etc/ca.pem', reject_unauthorized: true } });
    expect(text).toMatch(/^MQTT broker mqtts:\/\/u:\*\*\*@b:8883: /);
    expect(text).toMatch(hint);
    expect(text).not.toContain('pw-6');
  });

  it('calls a reset on a link that worked before a dropped connection, not a TLS mix-up', () => {
    const lines: string[] = [];
    const log = connectErrorLogger({ url: 'mqtt://b:1883' }, (m) => lines.push(m));
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    log.error(reset);
    log.connected();
    log.error(reset);
    expect(lines[0]).toMatch(/TLS and plain MQTT mixed up/);
    expect(lines[1]).toMatch(/the connection dropped \(broker restarted or network lost\)/);
  });

  it('logs a repeated connection error once until the next connect', () => {
    const lines: string[] = [];
    const log = connectErrorLogger({ url: 'mqtt://b:1' }, (m) => lines.push(m));
    const err = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    log.error(err);
    log.error(err);
    log.connected();
    log.error(err);
    expect(lines).toHaveLength(2);
  });
});
