import { parseArgs } from 'node:util';
import { UsageError } from './command.js';

type Options = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/** Parses `--name value` options strictly: unknown options and stray words are usage errors. */
export function parseOptions<O extends Options>(args: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export function requireOption(value: string | boolean | undefined, name: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new UsageError(`--${name} is required`);
  return value;
}
