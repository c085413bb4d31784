import { eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';
import { expectPgError } from '../../../test/expect-pg.js';
import {
  createAccount,
  createTenant,
  type TestAccount,
  type TestTenant,
} from '../../../test/factories.js';
import { inTenant, tenantScope, type TenantTx } from '../db/database.js';
import { PG } from '../db/pg-error.js';
import { AppError } from '../errors.js';
import { JobRunner } from '../jobs/job-runner.js';
import { installJobSchema } from '../jobs/job-schema.js';
import { classifySmtpError } from './mailer.js';
import {
  deliverEmail,
  deliverEmailJob,
  emailBackoffSeconds,
  sweepEmail,
} from './notification-jobs.js';
import {
  createNotificationService,
  decodeCursor,
  type NotificationService,
  type NotifyInput,
} from './notifications.service.js';
import { notifications } from './notifications.tables.js';

const logger = pino({ level: 'silent' });

let db: TestDatabase;
let owner: pg.Client;
let a: TestTenant;
let b: TestTenant;
let aUser: TestAccount;
let aNoEmail: TestAccount;
let bUser: TestAccount;
let runner: JobRunner;
/** As deployed without SMTP_URL. */
let noSmtp: NotificationService;
/** As deployed with SMTP_URL (the runner is not started: jobs stay queued). */
let withSmtp: NotificationService;

const inA = <T>(fn: (tx: TenantTx) => Promise<T>) => inTenant(db.app, tenantScope(a.id), fn);
const inB = <T>(fn: (tx: TenantTx) => Promise<T>) => inTenant(db.app, tenantScope(b.id), fn);

function input(overrides: Partial<NotifyInput> & { dedupeKey: string }): NotifyInput {
  return {
    recipient: { accountId: aUser.id },
    channels: ['in_app'],
    subject: '持出申請が承認されました',
    body: '申請番号 R7-0001 の持出申請が承認されました。',
    source: { module: 'approvals', subjectType: 'request', subjectId: 'R7-0001' },
    ...overrides,
  };
}

async function deliveryJobs(notificationId: string): Promise<number> {
  const r = await owner.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND singleton_key = $2',
    [deliverEmailJob.name, notificationId],
  );
  return r.rows[0]?.n ?? 0;
}

async function rowsWithKey(dedupeKey: string): Promise<number> {
  const r = await inA((tx) =>
    tx.execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM notifications WHERE dedupe_key = ${dedupeKey}`,
    ),
  );
  return r.rows[0]?.n ?? 0;
}

beforeAll(async () => {
  db = await createTestDatabase();
  await installJobSchema(db.ownerUrl);
  owner = new pg.Client({ connectionString: db.ownerUrl });
  await owner.connect();
  a = await createTenant(db.ownerUrl, { name: '通知試験市' });
  b = await createTenant(db.ownerUrl, { name: '別試験町' });
  aUser = await createAccount(db.ownerUrl, a.id, { email: 'taro@a.example' });
  aNoEmail = await createAccount(db.ownerUrl, a.id, {});
  bUser = await createAccount(db.ownerUrl, b.id, { email: 'hanako@b.example' });
  runner = new JobRunner({ db: db.app, logger });
  noSmtp = createNotificationService({ jobs: runner, smtpConfigured: false });
  withSmtp = createNotificationService({ jobs: runner, smtpConfigured: true });
});
afterAll(async () => {
  await owner.end();
  await db.drop();
});

describe('in-app notifications', () => {
  it('are listed for the recipient, newest first, and marked read once', async () => {
    const first = await inA((tx) =>
      noSmtp.notify(tx, input({ dedupeKey: 'inbox-1', subject: '一件目' })),
    );
    const second = await inA((tx) =>
      noSmtp.notify(tx, input({ dedupeKey: 'inbox-2', subject: '二件目' })),
    );
    expect(first).toMatchObject({ created: true, email: null });

    const page = await inA((tx) => noSmtp.listInApp(tx, aUser.id));
    expect(page.items.map((n) => n.subject).slice(0, 2)).toEqual(['二件目', '一件目']);
    expect(page.items[0]).toMatchObject({
      id: second.id,
      readAt: null,
      source: { module: 'approvals', subjectType: 'request', subjectId: 'R7-0001' },
    });
    const unreadBefore = await inA((tx) => noSmtp.countUnread(tx, aUser.id));

    const read = await inA((tx) => noSmtp.markRead(tx, aUser.id, first.id));
    expect(read.readAt).toBeInstanceOf(Date);
    const again = await inA((tx) => noSmtp.markRead(tx, aUser.id, first.id));
    expect(again.readAt).toEqual(read.readAt);
    expect(await inA((tx) => noSmtp.countUnread(tx, aUser.id))).toBe(unreadBefore - 1);

    const unread = await inA((tx) => noSmtp.listInApp(tx, aUser.id, { unreadOnly: true }));
    expect(unread.items.map((n) => n.id)).not.toContain(first.id);
    expect(unread.items.map((n) => n.id)).toContain(second.id);
  });

  it('page with a cursor without gaps or repeats', async () => {
    const reader = await createAccount(db.ownerUrl, a.id, {});
    for (let i = 1; i <= 5; i++) {
      await inA((tx) =>
        noSmtp.notify(
          tx,
          input({
            recipient: { accountId: reader.id },
            dedupeKey: `page-${i}`,
            subject: `第${i}報`,
          }),
        ),
      );
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await inA((tx) => noSmtp.listInApp(tx, reader.id, { limit: 2, cursor }));
      seen.push(...page.items.map((n) => n.subject));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(['第5報', '第4報', '第3報', '第2報', '第1報']);
    expect(pages).toBe(3);
    await expect(
      inA((tx) => noSmtp.listInApp(tx, reader.id, { cursor: 'bm9wZQ' })),
    ).rejects.toThrow(AppError);
    expect(() => decodeCursor('bm9wZQ')).toThrow(/cursor/);
  });

  it('cannot be marked read by another account', async () => {
    const n = await inA((tx) => noSmtp.notify(tx, input({ dedupeKey: 'not-yours' })));
    await expect(inA((tx) => noSmtp.markRead(tx, aNoEmail.id, n.id))).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});

describe('notify', () => {
  it('creates one notification and one delivery job for the same dedupe key', async () => {
    const make = () =>
      inA((tx) =>
        withSmtp.notify(
          tx,
          input({ channels: ['in_app', 'email'], dedupeKey: 'approval:R7-0002:decided' }),
        ),
      );
    const first = await make();
    const second = await make();
    expect(first.created).toBe(true);
    expect(second).toEqual({ ...first, created: false });
    expect(await rowsWithKey('approval:R7-0002:decided')).toBe(1);
    expect(await deliveryJobs(first.id)).toBe(1);
  });

  it('is deduplicated under concurrency too (unique per tenant)', async () => {
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        inA((tx) => withSmtp.notify(tx, input({ channels: ['email'], dedupeKey: 'race' }))),
      ),
    );
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await deliveryJobs(results[0]?.id ?? '')).toBe(1);
  });

  it('the same dedupe key in another tenant is another notification', async () => {
    const inTenantA = await inA((tx) => noSmtp.notify(tx, input({ dedupeKey: 'shared-key' })));
    const inTenantB = await inB((tx) =>
      noSmtp.notify(tx, input({ recipient: { accountId: bUser.id }, dedupeKey: 'shared-key' })),
    );
    expect(inTenantB.created).toBe(true);
    expect(inTenantB.id).not.toBe(inTenantA.id);
  });

  it('sends nothing when the caller’s transaction rolls back', async () => {
    await expect(
      inA(async (tx) => {
        await withSmtp.notify(tx, input({ channels: ['email'], dedupeKey: 'rolled-back' }));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await rowsWithKey('rolled-back')).toBe(0);
    const jobs = await owner.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND data->>'tenantId' = $2`,
      [deliverEmailJob.name, a.id],
    );
    const committed = await inA((tx) =>
      tx.execute<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM notifications WHERE email_status = 'pending' AND email_reason IS NULL`,
      ),
    );
    // Every delivery job belongs to a committed email notification, none to the rolled-back one.
    expect(jobs.rows[0]?.n).toBe(committed.rows[0]?.n);
  });

  it('keeps email pending as smtp_not_configured without SMTP, listed for the admin', async () => {
    const n = await inA((tx) =>
      noSmtp.notify(
        tx,
        input({ channels: ['email'], dedupeKey: 'no-smtp', subject: 'SMTP未設定の通知' }),
      ),
    );
    expect(n.email).toEqual({ status: 'pending', reason: 'smtp_not_configured' });
    expect(await deliveryJobs(n.id)).toBe(0);

    // A delivery job that runs anyway (e.g. queued by a server with SMTP) leaves it pending.
    await deliverEmail(
      { db: db.app, jobs: runner, mailer: null, logger },
      { tenantId: a.id, notificationId: n.id },
    );
    expect(await sweepEmail({ db: db.app, jobs: runner, mailer: null, logger })).toBe(0);

    const outbox = await inA((tx) => noSmtp.listUndelivered(tx));
    expect(outbox.find((m) => m.id === n.id)).toMatchObject({
      status: 'pending',
      reason: 'smtp_not_configured',
      attempts: 0,
      recipientEmail: 'taro@a.example',
      subject: 'SMTP未設定の通知',
    });
  });

  it('fails email to an account without an address, and lists it', async () => {
    const n = await inA((tx) =>
      withSmtp.notify(
        tx,
        input({
          recipient: { accountId: aNoEmail.id },
          channels: ['email', 'in_app'],
          dedupeKey: 'no-address',
        }),
      ),
    );
    expect(n.email).toEqual({ status: 'failed', reason: 'no_email_address' });
    expect(await deliveryJobs(n.id)).toBe(0);
    const outbox = await inA((tx) => withSmtp.listUndelivered(tx));
    expect(outbox.find((m) => m.id === n.id)).toMatchObject({
      status: 'failed',
      reason: 'no_email_address',
    });
    const inbox = await inA((tx) => withSmtp.listInApp(tx, aNoEmail.id));
    expect(inbox.items.map((i) => i.id)).toContain(n.id);
  });

  it('mails an outsider by address (email only)', async () => {
    const n = await inA((tx) =>
      withSmtp.notify(
        tx,
        input({
          recipient: { email: 'vendor@outside.example' },
          channels: ['email'],
          dedupeKey: 'outsider',
        }),
      ),
    );
    expect(n.email).toEqual({ status: 'pending', reason: null });
    await expect(
      inA((tx) =>
        withSmtp.notify(
          tx,
          input({
            recipient: { email: 'vendor@outside.example' },
            channels: ['in_app'],
            dedupeKey: 'outsider-in-app',
          }),
        ),
      ),
    ).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('rejects invalid input and unknown recipients', async () => {
    await expect(
      inA((tx) =>
        noSmtp.notify(
          tx,
          input({ dedupeKey: 'bad-subject', subject: '件名\r\nBcc: x@evil.example' }),
        ),
      ),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(
      inA((tx) => noSmtp.notify(tx, input({ dedupeKey: 'no-channel', channels: [] }))),
    ).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await expect(
      inA((tx) =>
        noSmtp.notify(
          tx,
          input({
            recipient: { accountId: '00000000-0000-4000-8000-000000000000' },
            dedupeKey: 'nobody',
          }),
        ),
      ),
    ).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('tenant isolation', () => {
  it("tenant A cannot see, list, read or address tenant B's notifications", async () => {
    const bNote = await inB((tx) =>
      noSmtp.notify(
        tx,
        input({
          recipient: { accountId: bUser.id },
          channels: ['in_app', 'email'],
          dedupeKey: 'b-only',
          subject: 'B町の通知',
        }),
      ),
    );
    expect((await inB((tx) => noSmtp.listInApp(tx, bUser.id))).items.map((n) => n.id)).toContain(
      bNote.id,
    );

    expect((await inA((tx) => noSmtp.listInApp(tx, bUser.id))).items).toEqual([]);
    expect((await inA((tx) => noSmtp.listUndelivered(tx))).map((m) => m.id)).not.toContain(
      bNote.id,
    );
    await expect(inA((tx) => noSmtp.markRead(tx, bUser.id, bNote.id))).rejects.toMatchObject({
      code: 'not_found',
    });
    const raw = await inA((tx) =>
      tx.execute<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM notifications WHERE tenant_id = ${b.id}`,
      ),
    );
    expect(raw.rows[0]).toEqual({ n: 0 });
    // B's account is not a recipient A can address (composite FK + RLS).
    await expect(
      inA((tx) =>
        noSmtp.notify(tx, input({ recipient: { accountId: bUser.id }, dedupeKey: 'cross' })),
      ),
    ).rejects.toMatchObject({ code: 'not_found' });
  });

  it('the app role cannot delete notifications or rewrite what they say', async () => {
    const n = await inA((tx) => noSmtp.notify(tx, input({ dedupeKey: 'immutable' })));
    await expectPgError(
      inA((tx) => tx.delete(notifications).where(eq(notifications.id, n.id))),
      PG.insufficientPrivilege,
    );
    await expectPgError(
      inA((tx) =>
        tx.update(notifications).set({ subject: '改ざん' }).where(eq(notifications.id, n.id)),
      ),
      PG.insufficientPrivilege,
    );
  });
});

describe('SMTP failure classification', () => {
  it('treats 5xx as permanent and 4xx, 503, connection and auth errors as transient', () => {
    const permanent = (e: object) => classifySmtpError(Object.assign(new Error('x'), e)).permanent;
    expect(permanent({ code: 'EENVELOPE', responseCode: 550 })).toBe(true);
    expect(permanent({ code: 'EMESSAGE', responseCode: 554 })).toBe(true);
    expect(permanent({ code: 'EENVELOPE', responseCode: 451 })).toBe(false);
    expect(permanent({ code: 'EPROTOCOL', responseCode: 421 })).toBe(false);
    expect(permanent({ code: 'EPROTOCOL', responseCode: 503 })).toBe(false);
    expect(permanent({ code: 'ECONNECTION' })).toBe(false);
    expect(permanent({ code: 'ETIMEDOUT' })).toBe(false);
    expect(permanent({ code: 'EAUTH', responseCode: 535 })).toBe(false);
  });

  it('backs off exponentially up to the cap', () => {
    const policy = { baseDelaySeconds: 60, maxDelaySeconds: 3600, maxAttempts: 12 };
    const first = emailBackoffSeconds(1, policy);
    const third = emailBackoffSeconds(3, policy);
    expect(first).toBeGreaterThanOrEqual(60);
    expect(first).toBeLessThanOrEqual(72);
    expect(third).toBeGreaterThanOrEqual(240);
    expect(third).toBeLessThanOrEqual(288);
    expect(emailBackoffSeconds(20, policy)).toBeLessThanOrEqual(3600 * 1.2);
  });
});
