import { pino } from 'pino';
import type { Command, CommandContext } from '../src/cli/command.js';
import { exitCodeFor } from '../src/cli/exit-code.js';
import { loadConfig } from '../src/platform/config.js';
import type { TestDatabase } from './database.js';

/** A command context on a test database that collects the command's output lines. */
export function commandContext(
  db: TestDatabase,
  env: NodeJS.ProcessEnv = {},
): { ctx: CommandContext; lines: string[] } {
  const lines: string[] = [];
  const ctx: CommandContext = {
    config: loadConfig(env),
    logger: pino({ level: 'silent' }),
    database: () => Promise.resolve(db.app),
    ownerUrl: () => Promise.resolve(db.ownerUrl),
    packs: () => Promise.reject(new Error('not needed')),
    out: (line) => lines.push(line),
  };
  return { ctx, lines };
}

/** Runs a command and returns the exit code the CLI (cli/main.ts) would give. */
export async function runCommand(
  command: Command,
  args: readonly string[],
  ctx: CommandContext,
): Promise<number> {
  try {
    await command.run(args, ctx);
    return 0;
  } catch (err) {
    const code = exitCodeFor(err);
    if (code === null) throw err;
    return code;
  }
}
