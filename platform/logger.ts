/** Structured logs. Never log personal data or tokens: only ids, codes and counts. */
import pino, { type DestinationStream, type Logger } from 'pino';

export type { DestinationStream, Logger };

export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info', destination?: DestinationStream): Logger {
  const options = {
    name: service,
    level,
    base: { service },
    redact: { paths: ['*.authorization', '*.headers.authorization', 'token', '*.token'], censor: '[redacted]' },
  };
  if (destination) return pino(options, destination);
  // Run by hand at a terminal: human-readable lines; under a supervisor or collector: JSON.
  if (process.stdout.isTTY)
    return pino(options, pino.transport({ target: 'pino-pretty', options: { colorize: true, singleLine: true, ignore: 'pid,hostname' } }));
  return pino(options);
}

/**
 * What a log may say about an unexpected error: its kind and where it happened. Messages
 * are left out because database errors quote the values involved (a duplicate key quotes
 * an ID number), and logs never carry personal data.
 */
export function errorDetails(error: unknown): { name: string; code?: unknown; at?: string } {
  if (!(error instanceof Error)) return { name: typeof error };
  const cause = (error as { originalError?: unknown }).originalError;
  const source = cause instanceof Error ? cause : error;
  const at = source.stack
    ?.split('\n')
    .slice(1, 6)
    .map((line) => line.trim())
    .join(' | ');
  return { name: source.name, code: (source as { code?: unknown }).code, at };
}
