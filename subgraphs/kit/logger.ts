/** Structured logs. Never log personal data or tokens: only ids, codes and counts. */
import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name: service,
    level,
    base: { service },
    redact: { paths: ['*.authorization', '*.headers.authorization', 'token', '*.token'], censor: '[redacted]' },
  });
}
