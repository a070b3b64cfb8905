/** The service logger. Redaction is the safety net; the code logs no request data in the first place. */
import { pino, type Logger } from 'pino';

/** Paths that could carry personal data if anyone ever logs an object containing them. */
export const REDACT = ['*.text', '*.turns', '*.caller', '*.phone', '*.name', '*.address', '*.value', '*.token', 'req.body', 'req.query'];

/** A pino logger with PII redaction; silent in tests. */
export function createLogger(): Logger {
  return pino({
    level: process.env.LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info'),
    redact: { paths: REDACT, censor: '[redacted]' },
  });
}
