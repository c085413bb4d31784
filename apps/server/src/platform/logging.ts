import { pino, type Logger, type LoggerOptions } from 'pino';

/**
 * Paths that must never reach a log line: passwords, tokens, session ids,
 * cookies and connection strings (std-7.1.6: logs are kept, so they must not
 * become a second store of secrets).
 */
export const redactPaths = [
  'password',
  '*.password',
  'newPassword',
  '*.newPassword',
  'token',
  '*.token',
  'sessionId',
  '*.sessionId',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'connectionString',
  '*.connectionString',
  'databaseUrl',
  '*.databaseUrl',
];

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    base: { app: 'mamori' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: redactPaths, censor: '[redacted]' },
    serializers: {
      // Log the route, never the query string (it may carry a token).
      req: (req: { method?: string; url?: string; id?: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url?.split('?')[0],
      }),
    },
  };
}

export function createLogger(level: string): Logger {
  return pino(loggerOptions(level));
}

/** Removes the password from a connection string for messages. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(invalid url)';
  }
}
