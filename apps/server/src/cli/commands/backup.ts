import path from 'node:path';
import { formatTokyoDateTime } from '@mamori/policy';
import { createBackup } from '../../platform/backup/index.js';
import { AppError } from '../../platform/errors.js';
import { parseOptions } from '../args.js';
import { UsageError, type Command } from '../command.js';

/** `mamori-backup-YYYYMMDD-HHMMSS.tar.gz`, the time in JST. */
export function defaultBackupName(at: Date): string {
  const stamp = formatTokyoDateTime(at).replace(/-|:/g, '').replace(' ', '-');
  return `mamori-backup-${stamp}.tar.gz`;
}

/**
 * std-7.1.2 (backups), std-10.1.6 (audit evidence kept safely): one archive
 * of the database, the checkpoint file and the public key, with a manifest
 * of SHA-256 digests. The signing private key is never included.
 */
export const backupCommand: Command = {
  name: 'backup',
  summary: 'Write a backup archive (database, checkpoints, public key; never the signing key)',
  usage:
    'backup [--out FILE]   (default: ./mamori-backup-<YYYYMMDD-HHMMSS JST>.tar.gz; never overwrites)',
  needsDatabase: true,
  run: async (args, ctx) => {
    const options = parseOptions(args, { out: { type: 'string' } });
    if (typeof options.out === 'string' && options.out.trim() === '') {
      throw new UsageError('--out needs a file name');
    }
    const out = path.resolve(
      typeof options.out === 'string' ? options.out : defaultBackupName(new Date()),
    );
    const result = await createBackup({
      ownerUrl: await ctx.ownerUrl(),
      logKeyDir: ctx.config.logKeyDir,
      out,
    });
    const m = result.manifest;
    const rows = m.tables.reduce((n, t) => n + t.rows, 0);
    const keys = m.parts.filter((p) => p.path.startsWith('keys/')).map((p) => p.path.slice(5));
    ctx.out(`wrote ${result.file}`);
    ctx.out(`  ${result.bytes} bytes, sha256 ${result.sha256}`);
    ctx.out(
      `  migrations: ${m.migrations.last ?? '(none)'} (hash ${m.migrations.hash}); ${m.tables.length} tables, ${rows} rows`,
    );
    ctx.out(
      `  key folder: ${keys.length > 0 ? keys.join(', ') : 'no checkpoint file or public key found'} (the signing key log-signing.key is never in the archive: keep it apart)`,
    );
    for (const t of m.tenants) {
      const log = t.operationLog;
      ctx.out(
        `  ${t.code} ${t.name}: operation log ${log.size} entries, head ${log.headHash ?? '(empty)'}`,
      );
    }
    const broken = m.tenants.filter((t) => t.operationLog.problem);
    if (broken.length > 0) {
      // The archive is kept (it preserves the evidence as found), but the operator must look.
      throw new AppError(
        'conflict',
        `the archive was written, but the operation log of ${broken.map((t) => t.code).join(', ')} does not verify: run \`npm run cli -- verify-log\``,
        {
          problems: broken.map((t) => ({ tenant: t.code, ...t.operationLog.problem })),
        },
      );
    }
  },
};
