#!/usr/bin/env node
import { loadConfig } from '../platform/config.js';
import { AppError } from '../platform/errors.js';
import { isStartupProblem, openRuntime, type Runtime } from '../platform/lifecycle.js';
import { createLogger } from '../platform/logging.js';
import { loadPolicyPackRegistry } from '../platform/policy-pack-registry.js';
import { UsageError, type Command, type CommandContext } from './command.js';
import { exitCodeFor } from './exit-code.js';
import { commands } from './registry.js';

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'usage: npm run cli -- <command> [options]   (or: mamori <command> [options])',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run `npm run cli -- <command> --help` for a command's options.",
  ].join('\n');
}

/**
 * With the embedded database, a command uses the cluster the server started
 * (adopting it through postmaster.pid), never a second postmaster on the same
 * folder; a cluster the command had to start itself is stopped afterwards,
 * unless a server connected to it meanwhile.
 */
async function closeRuntime(runtime: Runtime): Promise<void> {
  let stopEmbedded = runtime.target.embedded?.startedHere ?? false;
  if (stopEmbedded) {
    const r = await runtime.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'mamori-server'`,
    );
    if ((r.rows[0]?.n ?? 0) > 0) stopEmbedded = false;
  }
  await runtime.close({ stopEmbedded });
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(usage() + '\n');
    return name ? 0 : 2;
  }
  const command: Command | undefined = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`mamori: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`usage: npm run cli -- ${command.usage}\n`);
    return 0;
  }
  const state: { runtime: Runtime | null } = { runtime: null };
  try {
    const config = loadConfig();
    // Commands print their own results; the log only carries warnings.
    const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
    const open = async (): Promise<Runtime> => {
      state.runtime ??= await openRuntime({ applicationName: 'mamori-cli', logger, config });
      return state.runtime;
    };
    const ctx: CommandContext = {
      config,
      logger,
      database: async () => (await open()).db,
      ownerUrl: async () => (await open()).target.ownerUrl,
      packs: async () =>
        state.runtime
          ? state.runtime.packs
          : loadPolicyPackRegistry(config.policyPacksDir, config.defaultPack),
      out: (line) => {
        process.stdout.write(line + '\n');
      },
    };
    await command.run(args, ctx);
    return 0;
  } catch (err) {
    const code = exitCodeFor(err);
    if (err instanceof UsageError) {
      process.stderr.write(
        `mamori ${command.name}: ${err.message}\nusage: npm run cli -- ${command.usage}\n`,
      );
    } else if (err instanceof AppError) {
      const details = err.details ? `\n${JSON.stringify(err.details, null, 2)}` : '';
      process.stderr.write(`mamori ${command.name}: ${err.message}${details}\n`);
    }
    if (code !== null) return code;
    if (isStartupProblem(err)) {
      process.stderr.write(`mamori: ${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    if (state.runtime) await closeRuntime(state.runtime);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(
      `mamori: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exitCode = 1;
  },
);
