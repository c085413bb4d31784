import type { Logger } from 'pino';
import type { Config } from '../platform/config.js';
import type { Database } from '../platform/db/database.js';
import type { PolicyPackRegistry } from '../platform/policy-pack-registry.js';

/** What a command gets: configuration, the app-role database, the owner URL, output. */
export interface CommandContext {
  readonly config: Config;
  readonly logger: Logger;
  /** Opens (once) and returns the app-role database; migrations have been applied. */
  database(): Promise<Database>;
  /** The owner role's URL (migrations, tenant creation). */
  ownerUrl(): Promise<string>;
  packs(): Promise<PolicyPackRegistry>;
  out(line: string): void;
}

/** Thrown for bad arguments: the CLI prints the message and the usage and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Full usage, e.g. `init --code 192091 --name 北杜市 --prefecture 山梨県 --admin LOGIN`. */
  readonly usage: string;
  /** Whether the command needs the database (migrated). */
  readonly needsDatabase: boolean;
  run(args: readonly string[], ctx: CommandContext): Promise<void>;
}
