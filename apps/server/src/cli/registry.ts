import type { Command } from './command.js';
import { backupCommand } from './commands/backup.js';
import { demoCommand } from './commands/demo.js';
import { exportCheckpointsCommand } from './commands/export-checkpoints.js';
import { initCommand } from './commands/init.js';
import { migrateCommand } from './commands/migrate.js';
import { outboxCommand } from './commands/outbox.js';
import { restoreCommand } from './commands/restore.js';
import { tenantsCommand } from './commands/tenants.js';
import { verifyLogCommand } from './commands/verify-log.js';

/** Every CLI command; later issues add theirs here. */
export const commands: readonly Command[] = [
  migrateCommand,
  initCommand,
  tenantsCommand,
  outboxCommand,
  verifyLogCommand,
  exportCheckpointsCommand,
  demoCommand,
  backupCommand,
  restoreCommand,
];
