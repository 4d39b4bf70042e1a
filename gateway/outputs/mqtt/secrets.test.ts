// Secrets never appear in logs: an MqttInput and an MqttOutput with passwords (in the url, in the options, in a
// password_file) against a broker that is not there log their connection errors — and none of the passwords.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/log.js';
import { MqttOutput } from './mqtt.js';
import { mqttOutputOptions } from './options.js';
import { MqttInput } from '../../inputs/mqtt/mqtt.js';
import { mqttInputOptions } from '../../inputs/mqtt/options.js';
import type { Sink } from '../../core/plugin.js';

const URL_PW = 'urlPw-9f3kq';
const OPT_PW = 'optPw-m2x8z';
const FILE_PW = 'filePw-c7v1n';

/** A port nobody listens on: bound, then closed. */
function deadPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const sink: Sink = { push: () => undefined, reject: () => undefined, flush: () => true };

describe('secrets in logs', () => {
  it('logs connection errors of the MQTT input and output without any password', async () => {
    const lines: string[] = [];
    const log = createLogger('trace', { write: (s: string) => void lines.push(s) });
    const port = await deadPort();
    const pwFile = join(mkdtempSync(join(tmpdir(), 'airlane-secrets-')), 'mqtt.password');
    writeFileSync(pwFile, `${FILE_PW}\n`);

    const input = new MqttInput(mqttInputOptions.parse({ url: `mqtt://rue.gw:${URL_PW}@127.0.0.1:${port}` }), { log: log.child({ input: 'mqtt' }) });
    const output = new MqttOutput(mqttOutputOptions.parse({ url: `mqtt://127.0.0.1:${port}`, username: 'rue.gw', password: OPT_PW }), 'rue', log.child({ output: 'mqtt' }));
    const output2 = new MqttOutput(mqttOutputOptions.parse({ url: `mqtt://127.0.0.1:${port}`, username: 'rue.gw', password_file: pwFile, client_id: 'o2' }), 'rue', log.child({ output: 'mqtt2' }));
    await Promise.all([input.start(sink), output.start(), output2.start()]);
    const writeError = await output.write([{ measurement: 'air', tags: { site: 'rue', node: 'n1', part: 'p' }, fields: { pm25_ugm3: 1 }, time: 0 }]).catch((e: Error) => e);
    // Things a careless caller might log: the options themselves, a url, an error carrying the url.
    log.error({ options: { url: `mqtt://rue.gw:${URL_PW}@h`, password: OPT_PW }, password: FILE_PW }, 'options');
    log.warn(`connecting to mqtt://rue.gw:${URL_PW}@h failed`);
    log.error({ err: new Error(`bad ${FILE_PW}`) }, 'with an error');
    await Promise.all([input.stop(), output.stop(), output2.stop()]);

    const text = lines.join('');
    // The errors were logged (ECONNREFUSED with what to check)…
    expect(text).toMatch(/MQTT broker mqtt:\/\/rue\.gw:\*\*\*@127\.0\.0\.1:\d+: .*nothing listens there/);
    expect(text).toMatch(/"msg":"MQTT broker mqtt:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/);
    expect(writeError).toBeInstanceOf(Error);
    expect((writeError as Error).message).not.toContain(URL_PW);
    expect(text).toContain('"msg":"options"');
    expect(text).toContain('connecting to mqtt://rue.gw:***@h failed');
    // …and no password anywhere.
    for (const pw of [URL_PW, OPT_PW, FILE_PW]) expect(text).not.toContain(pw);
  }, 20_000);
});
