// Structured logs (pino), quiet by default: warnings and errors only unless AIRLANE_LOG_LEVEL says otherwise.
import { pino, type Logger } from 'pino';

export function createLogger(level = process.env.AIRLANE_LOG_LEVEL ?? 'warn'): Logger {
  return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination(2));
}

export const silentLogger: Logger = pino({ level: 'silent' });
