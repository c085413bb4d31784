import { AppError } from '../platform/errors.js';
import { UsageError } from './command.js';

/**
 * The exit code for a command's failure: 2 for bad arguments or input
 * (UsageError, validation_failed), 1 for any other reported problem; null
 * for an unexpected error (a bug: the runner rethrows it).
 */
export function exitCodeFor(err: unknown): 1 | 2 | null {
  if (err instanceof UsageError) return 2;
  if (err instanceof AppError) return err.code === 'validation_failed' ? 2 : 1;
  return null;
}
