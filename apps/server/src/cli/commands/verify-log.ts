import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { inSystem } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { logKeyPaths, loadVerifierKey } from '../../platform/oplog/signing-key.js';
import {
  verifyOperationLog,
  type LogProblem,
  type TenantLogReport,
} from '../../platform/oplog/verify-log.js';
import { findTenantByCode } from '../../platform/tenancy/tenancy.repository.js';
import { parseOptions } from '../args.js';
import { UsageError, type Command, type CommandContext } from '../command.js';

/** `--tenant CODE` → the tenant's id (undefined: every tenant). */
export async function tenantIdOption(
  ctx: CommandContext,
  code: string | boolean | undefined,
): Promise<string | undefined> {
  if (code === undefined) return undefined;
  if (typeof code !== 'string' || !/^\d{6}$/.test(code)) {
    throw new UsageError(
      `--tenant must be a 6-digit 全国地方公共団体コード, got "${String(code)}"`,
    );
  }
  const db = await ctx.database();
  const tenant = await inSystem(db, (tx) => findTenantByCode(tx, code));
  if (!tenant) throw new UsageError(`no tenant with code ${code} (see \`npm run cli -- tenants\`)`);
  return tenant.id;
}

function describeProblem(p: LogProblem): string {
  const where = p.checkpoint
    ? ` (${p.checkpoint.source === 'file' ? 'checkpoint file' : 'database'} checkpoint ${String(p.checkpoint.size)})`
    : p.record
      ? ` (${p.record.type} ${p.record.id})`
      : '';
  return `seq ${String(p.seq)}: ${p.kind}${where}: ${p.message}`;
}

function summary(t: TenantLogReport): string {
  return (
    `size ${String(t.size)}, head ${t.headHash ?? '(empty)'}, ` +
    `checkpoints ${String(t.checkpointsChecked)} in database, ${String(t.fileCheckpointsChecked)} in file, ` +
    `anchored records ${String(t.recordsChecked)}`
  );
}

/**
 * `verify-log`: recomputes every chain, checks every checkpoint (database and
 * external file) against the public key and the chain, and the anchored
 * records (std-7.1.4.2, std-7.1.6.1–3, std-10.1.6). Exits 1 naming the first
 * entry, checkpoint or record that does not match; 0 with a summary.
 */
export const verifyLogCommand: Command = {
  name: 'verify-log',
  summary: 'Verify the operation log: hash chains, signed checkpoints, anchored records',
  usage:
    'verify-log [--tenant CODE] [--checkpoints FILE] [--public-key FILE]   (default key: <MAMORI_LOG_KEY_DIR>/log-signing.pub)',
  needsDatabase: true,
  run: async (args, ctx) => {
    const o = parseOptions(args, {
      tenant: { type: 'string' },
      checkpoints: { type: 'string' },
      'public-key': { type: 'string' },
    });
    const keyFile =
      typeof o['public-key'] === 'string'
        ? path.resolve(o['public-key'])
        : logKeyPaths(ctx.config.logKeyDir).publicKey;
    const verifierKey = await loadVerifierKey(keyFile);
    let checkpointsText: string | undefined;
    if (typeof o.checkpoints === 'string') {
      try {
        checkpointsText = await readFile(o.checkpoints, 'utf8');
      } catch (err) {
        throw new UsageError(
          `cannot read --checkpoints ${o.checkpoints}: ${(err as Error).message}`,
        );
      }
    }
    const tenantId = await tenantIdOption(ctx, o.tenant);
    const db = await ctx.database();
    const report = await verifyOperationLog(db, {
      verifierKey,
      ...(tenantId ? { tenantId } : {}),
      ...(checkpointsText !== undefined ? { checkpointsText } : {}),
    });
    ctx.out(`verify-log: public key ${verifierKey.text}`);
    for (const t of report.tenants) {
      const first = t.problems[0];
      if (!first) {
        ctx.out(`${t.tenantCode} ${t.tenantName}: OK — ${summary(t)}`);
        continue;
      }
      ctx.out(`${t.tenantCode} ${t.tenantName}: FAILED at ${describeProblem(first)}`);
      for (const p of t.problems.slice(1)) ctx.out(`  also ${describeProblem(p)}`);
      ctx.out(`  ${summary(t)}`);
    }
    for (const p of report.fileProblems) ctx.out(`checkpoint file: FAILED: ${p}`);
    if (report.tenants.length === 0) ctx.out('no tenants yet');
    if (!report.ok) {
      const failed = report.tenants.filter((t) => t.problems.length > 0).map((t) => t.tenantCode);
      throw new AppError(
        'conflict',
        `the operation log does not verify${failed.length > 0 ? ` (tenant ${failed.join(', ')})` : ''}: see above`,
      );
    }
    ctx.out(`verify-log: OK (${String(report.tenants.length)} tenant(s))`);
  },
};
