/** The PostgreSQL error behind an error (drizzle wraps driver errors in `cause`). */
export interface PgError {
  code: string;
  message: string;
  constraint?: string;
}

export function pgErrorOf(err: unknown): PgError | null {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e && typeof e === 'object'; depth++) {
    const candidate = e as {
      code?: unknown;
      message?: unknown;
      constraint?: unknown;
      cause?: unknown;
    };
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      return {
        code: candidate.code,
        message: typeof candidate.message === 'string' ? candidate.message : '',
        ...(typeof candidate.constraint === 'string' ? { constraint: candidate.constraint } : {}),
      };
    }
    e = candidate.cause;
  }
  return null;
}

export const PG = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  insufficientPrivilege: '42501',
  checkViolation: '23514',
} as const;
