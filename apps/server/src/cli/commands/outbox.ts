import { formatTokyoDateTime } from '@mamori/policy';
import { inSystem, inTenant, tenantScope } from '../../platform/db/database.js';
import { createNotificationService } from '../../platform/notifications/notifications.service.js';
import type { UndeliveredEmail } from '../../platform/notifications/notifications.service.js';
import {
  findTenantByCode,
  listTenants,
  type TenantRow,
} from '../../platform/tenancy/tenancy.repository.js';
import { parseOptions } from '../args.js';
import { UsageError, type Command } from '../command.js';

function formatTime(at: Date | null): string {
  return at ? formatTokyoDateTime(at, 'minute') : '-';
}

function describe(mail: UndeliveredEmail): string {
  const why = mail.reason ?? '-';
  const error = mail.lastError ? `  last error: ${mail.lastError.replace(/\s+/g, ' ')}` : '';
  const next =
    mail.status === 'pending' && mail.nextAttemptAt
      ? `  next: ${formatTime(mail.nextAttemptAt)}`
      : '';
  return [
    `${formatTime(mail.createdAt)}  ${mail.status.padEnd(7)}  ${why}  attempts ${mail.attempts}${next}`,
    `    to: ${mail.recipientEmail ?? '(no address)'}  subject: ${mail.subject}  [${mail.source.module}]  id ${mail.id}${error}`,
  ].join('\n');
}

/** Resolves `--tenant CODE`, or the only tenant when there is one. */
async function resolveTenant(
  code: string | undefined,
  lookup: { byCode(code: string): Promise<TenantRow | null>; all(): Promise<TenantRow[]> },
): Promise<TenantRow> {
  if (code !== undefined) {
    if (!/^\d{6}$/.test(code)) {
      throw new UsageError(`--tenant must be a 6-digit 全国地方公共団体コード, got "${code}"`);
    }
    const tenant = await lookup.byCode(code);
    if (!tenant)
      throw new UsageError(`no tenant with code ${code} (see \`npm run cli -- tenants\`)`);
    return tenant;
  }
  const all = await lookup.all();
  const only = all[0];
  if (all.length === 1 && only) return only;
  if (all.length === 0) throw new UsageError('no tenants yet: run `npm run cli -- init` first');
  throw new UsageError(
    `there are ${all.length} tenants: choose one with --tenant CODE (${all.map((t) => t.code).join(', ')})`,
  );
}

/**
 * The tenant_admin's view of undelivered mail (pending and failed), until the
 * web UI has it behind login.
 */
export const outboxCommand: Command = {
  name: 'outbox',
  summary: 'List undelivered notification email (pending or failed) of a tenant',
  usage: 'outbox [--tenant CODE] [--limit N]   (--tenant is optional when there is one tenant)',
  needsDatabase: true,
  run: async (args, ctx) => {
    const options = parseOptions(args, {
      tenant: { type: 'string' },
      limit: { type: 'string' },
    });
    const limitText = typeof options.limit === 'string' ? options.limit : undefined;
    const limit = limitText === undefined ? 200 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new UsageError(
        `--limit must be a whole number from 1 to 1000, got "${limitText ?? ''}"`,
      );
    }
    const db = await ctx.database();
    const tenant = await resolveTenant(
      typeof options.tenant === 'string' ? options.tenant : undefined,
      {
        byCode: (code) => inSystem(db, (tx) => findTenantByCode(tx, code)),
        all: () => inSystem(db, (tx) => listTenants(tx)),
      },
    );
    // Listing needs no job runner: nothing is queued.
    const service = createNotificationService({
      jobs: {
        sendInTransaction: () => Promise.reject(new Error('the outbox command does not send')),
      },
      smtpConfigured: ctx.config.smtpUrl !== undefined,
    });
    const mails = await inTenant(db, tenantScope(tenant.id), (tx) =>
      service.listUndelivered(tx, { limit }),
    );
    const smtp = ctx.config.smtpUrl ? 'SMTP configured' : 'SMTP not configured (SMTP_URL unset)';
    ctx.out(`${tenant.code} ${tenant.name}: ${mails.length} undelivered email(s); ${smtp}`);
    for (const mail of mails) ctx.out(describe(mail));
  },
};
