// How the gateway authenticates to an MQTT broker and checks it: username/password (in the options, in a file
// kept out of the station file, or in the URL) and TLS (CA, client certificate). One zod fragment merged into the
// MQTT input's and output's options, one function turning it into MQTT.js client options, one function saying
// in plain words what a connection error means. Secrets read here are registered with redact.ts so no log line
// can carry them.
import { readFileSync } from 'node:fs';
import type { IClientOptions } from 'mqtt';
import { z } from 'zod';
import { redactUrl, registerSecret } from './redact.js';

const tlsOptions = z
  .object({
    /** PEM file of the CA that signed the broker's certificate (a private CA); the system CAs otherwise. */
    ca: z.string().min(1).optional(),
    /** PEM client certificate and its key, for brokers with `require_certificate true`. */
    cert: z.string().min(1).optional(),
    key: z.string().min(1).optional(),
    /** Refuse a broker whose certificate does not verify. Turn off only to diagnose, never in the field. */
    reject_unauthorized: z.boolean().default(true),
  })
  .strict()
  .refine((t) => (t.cert === undefined) === (t.key === undefined), { message: 'tls.cert and tls.key go together: give both or neither' });

/** Shape merged into mqttInputOptions and mqttOutputOptions (so it appears under `mqtt:` in the station file). */
export const mqttConnectionShape = {
  username: z.string().min(1).optional(),
  /** Better kept out of the station file: use password_file, or the URL from AIRLANE_MQTT_URL. */
  password: z.string().min(1).optional(),
  /** A file holding the password (trailing newline ignored), read once at start. */
  password_file: z.string().min(1).optional(),
  /** TLS to the broker; needs an mqtts:// or wss:// url. */
  tls: tlsOptions.optional(),
};
export const mqttConnectionOptions = z.object(mqttConnectionShape).strict();
export type MqttConnectionOptions = z.infer<typeof mqttConnectionOptions>;

/** Option problems found at start (a file that cannot be read, conflicting options): say which option and what to do. */
export class MqttOptionError extends Error {
  override name = 'MqttOptionError';
}

function readOptionFile(option: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new MqttOptionError(`mqtt ${option}: cannot read ${path} (${code}) — check the path and that the gateway's user may read it`);
  }
}

/** MQTT.js options for `url` and the connection options; files are read here, once. */
export function clientOptions(opts: MqttConnectionOptions & { url: string }): IClientOptions {
  const out: IClientOptions = {};
  let urlHasUser = false;
  let secure = false;
  try {
    const u = new URL(opts.url);
    urlHasUser = u.username !== '' || u.password !== '';
    secure = u.protocol === 'mqtts:' || u.protocol === 'wss:';
    if (u.password) registerSecret(decodeURIComponent(u.password));
  } catch {
    // the schema checked the URL; a bad one fails in mqtt.connect with its own message
  }
  if (opts.password !== undefined && opts.password_file !== undefined) {
    throw new MqttOptionError('mqtt: give either password or password_file, not both');
  }
  // MQTT.js lets the URL's user win over the options silently; two sources for one credential is a mistake.
  if (urlHasUser && (opts.username !== undefined || opts.password !== undefined || opts.password_file !== undefined)) {
    throw new MqttOptionError(`mqtt: the url ${redactUrl(opts.url)} carries credentials and username/password options are set too — keep one of them`);
  }
  if (opts.username !== undefined) out.username = opts.username;
  let password = opts.password;
  if (opts.password_file !== undefined) {
    password = readOptionFile('password_file', opts.password_file).replace(/\r?\n$/, '');
    if (!password) throw new MqttOptionError(`mqtt password_file: ${opts.password_file} is empty — write the password into it`);
  }
  if (password !== undefined) {
    if (opts.username === undefined) throw new MqttOptionError('mqtt: a password needs a username — set username too');
    registerSecret(password);
    out.password = password;
  }
  if (opts.tls) {
    if (!secure) throw new MqttOptionError(`mqtt tls: the url ${redactUrl(opts.url)} is not mqtts:// or wss:// — change the scheme (and the port, usually 8883) to use TLS`);
    if (opts.tls.ca !== undefined) out.ca = readOptionFile('tls.ca', opts.tls.ca);
    if (opts.tls.cert !== undefined) out.cert = readOptionFile('tls.cert', opts.tls.cert);
    if (opts.tls.key !== undefined) out.key = readOptionFile('tls.key', opts.tls.key);
    out.rejectUnauthorized = opts.tls.reject_unauthorized;
  }
  return out;
}

// MQTT 3.1.1 CONNACK return codes (OASIS MQTT 3.1.1, §3.2.2.3) and MQTT 5 CONNACK reason codes (OASIS MQTT 5.0,
// §3.2.2.2) that mean "your credentials or rights": MQTT.js puts them in err.code.
const AUTH_CODES = new Set([4, 5, 134, 135]);

/**
 * One plain sentence about a connection error: the error as MQTT.js or Node says it, plus what to check.
 * Never includes a password (the URL is redacted).
 */
export function describeConnectError(err: Error & { code?: string | number }, opts: MqttConnectionOptions & { url: string }, everConnected = false): string {
  const url = redactUrl(opts.url);
  const code = err.code;
  let hint: string;
  if (typeof code === 'number' && AUTH_CODES.has(code)) {
    hint = `the broker refused the credentials: check username and password (or password_file) against the broker's password_file, and that the ACL knows the user`;
  } else if (code === 'SELF_SIGNED_CERT_IN_CHAIN' || code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' || code === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' || code === 'CERT_SIGNATURE_FAILURE') {
    hint = opts.tls?.ca
      ? `the broker's certificate is not signed by the CA in tls.ca (${opts.tls.ca}): check that tls.ca is the CA that signed the broker's certificate`
      : `the broker's certificate is not signed by a CA this machine trusts: set tls.ca to the CA file that signed it`;
  } else if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    hint = `the broker's certificate does not name the host in the url: connect with a host name the certificate lists (its subjectAltName)`;
  } else if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    hint = `the broker's certificate is outside its validity dates: renew it, and check this machine's clock`;
  } else if (code === 'ECONNREFUSED') {
    hint = `nothing listens there: check the url's host and port and that the broker runs`;
  } else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    hint = `the host name does not resolve: check the url`;
  } else if (everConnected && /ECONNRESET|EPIPE/.test(`${code} ${err.message}`)) {
    // A link that worked before and dropped: a broker restart or the network, not a setup mistake.
    hint = `the connection dropped (broker restarted or network lost): reconnecting; nothing acknowledged is lost`;
  } else if (/wrong version number|packet length too long|ECONNRESET/i.test(`${code} ${err.message}`)) {
    hint = `TLS and plain MQTT mixed up: mqtts:// needs a TLS listener on the broker (usually port 8883), mqtt:// a plain one (1883)`;
  } else {
    hint = `check the url, credentials and TLS options`;
  }
  return `MQTT broker ${url}: ${err.message}${code !== undefined && !err.message.includes(String(code)) ? ` (${code})` : ''} — ${hint}`;
}

/**
 * Logs each distinct connection error once (MQTT.js retries every few seconds and would repeat it forever); a
 * successful connect resets it so the next failure is logged again.
 */
export function connectErrorLogger(opts: MqttConnectionOptions & { url: string }, log: (message: string) => void): { error(err: Error): void; connected(): void } {
  let last: string | undefined;
  let everConnected = false;
  return {
    error(err) {
      const message = describeConnectError(err, opts, everConnected);
      if (message === last) return;
      last = message;
      log(message);
    },
    connected() {
      everConnected = true;
      last = undefined;
    },
  };
}
