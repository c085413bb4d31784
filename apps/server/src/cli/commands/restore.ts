import pg from 'pg';
import { restoreBackup, type KeyFileOutcome } from '../../platform/backup/index.js';
import { provisionDatabase } from '../../platform/db/provision.js';
import { AppError } from '../../platform/errors.js';
import { parseOptions, requireOption } from '../args.js';
import type { Command } from '../command.js';

const KEY_OUTCOMES: Record<KeyFileOutcome, string> = {
  restored: 'restored (was absent)',
  identical: 'already present, identical',
  'kept-existing': 'already present and DIFFERENT from the archive copy: kept the existing file',
  'not-in-archive': 'not in the archive',
};

/** Whether a server is connected to the database (then an embedded cluster keeps running). */
async function serverConnected(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'mamori-server'`,
    );
    return (r.rows[0]?.n ?? 0) > 0;
  } finally {
    await c.end();
  }
}

/**
 * std-7.1.2 (backups), std-10.1.6 (audit evidence kept safely): restores an
 * archive into an empty database and ends by verifying every tenant's
 * operation log against the head recorded at backup time.
 *
 * It opens the database itself rather than through the CLI runtime, which
 * would first migrate it to this version: an older archive is loaded at its
 * own migration level and migrated forward afterwards.
 */
export const restoreCommand: Command = {
  name: 'restore',
  summary: 'Restore a backup archive into an empty database and verify the operation log',
  usage: 'restore --from FILE [--force-nonempty]',
  needsDatabase: true,
  run: async (args, ctx) => {
    const options = parseOptions(args, {
      from: { type: 'string' },
      'force-nonempty': { type: 'boolean' },
    });
    const from = requireOption(options.from, 'from');
    const target = await provisionDatabase(ctx.config, (m) => {
      ctx.logger.info(m);
    });
    let result;
    try {
      result = await restoreBackup({
        ownerUrl: target.ownerUrl,
        appUrl: target.appUrl,
        logKeyDir: ctx.config.logKeyDir,
        from,
        allowNonEmpty: options['force-nonempty'] === true,
      });
    } finally {
      if (target.embedded?.startedHere && !(await serverConnected(target.ownerUrl))) {
        await target.embedded.stop();
      }
    }
    const m = result.manifest;
    ctx.out(
      `verified ${from}: made ${m.createdAt} by Mamori ${m.mamoriVersion} at migration ${m.migrations.last ?? '(none)'}, ${m.parts.length} parts`,
    );
    ctx.out(
      `loaded ${result.tables.length} tables, ${result.tables.reduce((n, t) => n + t.rows, 0)} rows`,
    );
    if (result.migratedForwardFrom) {
      ctx.out(`migrated forward from ${result.migratedForwardFrom} to this version`);
    }
    for (const k of result.keyFiles) ctx.out(`${k.file}: ${KEY_OUTCOMES[k.outcome]}`);
    for (const t of result.tenants) {
      const state = t.matches
        ? 'matches the backup'
        : `DIFFERS from the backup (${t.expected.size} entries, head ${t.expected.headHash ?? '(empty)'})`;
      const problem = t.problem ? `; verify: seq ${t.problem.seq} ${t.problem.message}` : '';
      ctx.out(
        `${t.code} ${t.name}: operation log ${t.size} entries, head ${t.headHash ?? '(empty)'} — ${state}${problem}`,
      );
    }
    const differing = result.tenants.filter((t) => !t.matches);
    if (differing.length > 0) {
      throw new AppError(
        'conflict',
        `restored, but the operation log of ${differing.map((t) => t.code).join(', ')} does not match the backup`,
      );
    }
  },
};
