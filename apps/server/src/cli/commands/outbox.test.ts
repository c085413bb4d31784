import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';
import { commandContext } from '../../../test/cli.js';
import { createAccount, createTenant, type TestTenant } from '../../../test/factories.js';
import { inTenant, tenantScope } from '../../platform/db/database.js';
import { createNotificationService } from '../../platform/notifications/notifications.service.js';
import { UsageError } from '../command.js';
import { outboxCommand } from './outbox.js';

let db: TestDatabase;
let first: TestTenant;
const context = (env: NodeJS.ProcessEnv = {}) => commandContext(db, env);

async function notifyByEmail(tenant: TestTenant, email: string | undefined, subject: string) {
  const account = await createAccount(db.ownerUrl, tenant.id, email ? { email } : {});
  const service = createNotificationService({
    jobs: { sendInTransaction: () => Promise.resolve(null) },
    smtpConfigured: false,
  });
  return inTenant(db.app, tenantScope(tenant.id), (tx) =>
    service.notify(tx, {
      recipient: { accountId: account.id },
      channels: ['email'],
      subject,
      body: '本文',
      source: { module: 'incidents' },
      dedupeKey: `outbox:${subject}`,
    }),
  );
}

beforeAll(async () => {
  db = await createTestDatabase();
  first = await createTenant(db.ownerUrl, { name: '送信箱市' });
});
afterAll(async () => {
  await db.drop();
});

describe('outbox command', () => {
  it('lists the only tenant’s undelivered mail without --tenant', async () => {
    await notifyByEmail(first, 'kakari@outbox.example', 'インシデント報告の受付');
    await notifyByEmail(first, undefined, '宛先なしの通知');
    const { ctx, lines } = context();
    await outboxCommand.run([], ctx);
    const text = lines.join('\n');
    expect(lines[0]).toBe(
      `${first.code} 送信箱市: 2 undelivered email(s); SMTP not configured (SMTP_URL unset)`,
    );
    expect(text).toMatch(/pending\s+smtp_not_configured\s+attempts 0/);
    expect(text).toContain(
      'to: kakari@outbox.example  subject: インシデント報告の受付  [incidents]',
    );
    expect(text).toMatch(/failed\s+no_email_address/);
    expect(text).toContain('to: (no address)  subject: 宛先なしの通知');
  });

  it('needs --tenant once there are several tenants, and lists only that tenant', async () => {
    const second = await createTenant(db.ownerUrl, { name: '第二市' });
    await notifyByEmail(second, 'other@outbox.example', '第二市の通知');
    await expect(outboxCommand.run([], context().ctx)).rejects.toThrow(UsageError);
    await expect(outboxCommand.run([], context().ctx)).rejects.toThrow(/--tenant CODE/);

    const { ctx, lines } = context({ SMTP_URL: 'smtp://127.0.0.1:2525' });
    await outboxCommand.run(['--tenant', second.code], ctx);
    expect(lines[0]).toBe(`${second.code} 第二市: 1 undelivered email(s); SMTP configured`);
    expect(lines.join('\n')).not.toContain('インシデント報告の受付');
  });

  it('rejects bad arguments with a usage error (exit code 2)', async () => {
    const run = (args: string[]) => outboxCommand.run(args, context().ctx);
    await expect(run(['--tenant', 'abc'])).rejects.toThrow(/6-digit/);
    await expect(run(['--tenant', '999999'])).rejects.toThrow(/no tenant with code 999999/);
    await expect(run(['--limit', '0', '--tenant', first.code])).rejects.toThrow(/--limit/);
    await expect(run(['--bogus'])).rejects.toThrow(UsageError);
    await expect(run(['stray'])).rejects.toThrow(UsageError);
  });
});
