// Structured logs (pino), quiet by default: warnings and errors only unless AIRLANE_LOG_LEVEL says otherwise.
// Secrets never reach a log line: keys that hold them are censored by pino's redaction, URLs lose their password,
// and any secret the gateway has read (redact.ts registerSecret) is masked inside every string, the message too.
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { redactUrl, scrubDeep, scrubSecrets } from './redact.js';

/** Keys censored wherever they appear (top level or one level down, as pino's redaction paths allow). */
const SECRET_KEYS = ['password', 'token', 'secret', 'authorization', 'api_token', 'passwd'];
const URL_KEYS = ['url', 'broker', 'mqttUrl', 'influxUrl'];

export const logRedaction: NonNullable<LoggerOptions['redact']> = {
  paths: [
    ...SECRET_KEYS.flatMap((k) => [k, `*.${k}`]),
    'headers.authorization',
    '*.headers.authorization',
    ...URL_KEYS.flatMap((k) => [k, `*.${k}`]),
  ],
  censor: (value: unknown, path: string[]) => {
    const key = path[path.length - 1] ?? '';
    if (URL_KEYS.includes(key)) return typeof value === 'string' ? redactUrl(value) : value;
    return '***';
  },
};

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: logRedaction,
    formatters: {
      log: (obj) => scrubDeep(obj),
      bindings: (bindings) => scrubDeep(bindings),
    },
    hooks: {
      logMethod(args, method) {
        const clean = args.map((a: unknown) => (typeof a === 'string' ? scrubSecrets(a) : a)) as Parameters<typeof method>;
        method.apply(this, clean);
      },
    },
  };
}

/** `destination` defaults to stderr; tests pass a stream to read the lines back. */
export function createLogger(level = process.env.AIRLANE_LOG_LEVEL ?? 'warn', destination: DestinationStream = pino.destination(2)): Logger {
  return pino(loggerOptions(level), destination);
}

export const silentLogger: Logger = pino({ level: 'silent' });
