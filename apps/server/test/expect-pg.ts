import { expect } from 'vitest';
import { pgErrorOf } from '../src/platform/db/pg-error.js';

/** Asserts that `promise` rejects with the PostgreSQL error `code` (and message match). */
export async function expectPgError(promise: Promise<unknown>, code: string, message?: RegExp) {
  let caught: unknown = null;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  const pgError = pgErrorOf(caught);
  expect(pgError?.code, `expected PostgreSQL error ${code}, got ${String(caught)}`).toBe(code);
  if (message) expect(pgError?.message).toMatch(message);
}
