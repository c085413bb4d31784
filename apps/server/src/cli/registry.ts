import type { Command } from './command.js';
import { demoCommand } from './commands/demo.js';
import { initCommand } from './commands/init.js';
import { migrateCommand } from './commands/migrate.js';
import { outboxCommand } from './commands/outbox.js';
import { tenantsCommand } from './commands/tenants.js';

/** Every CLI command; later issues add theirs here. */
export const commands: readonly Command[] = [
  migrateCommand,
  initCommand,
  tenantsCommand,
  outboxCommand,
  demoCommand,
];
