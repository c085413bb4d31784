import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';
import {
  createAccount,
  createTenant,
  type TestAccount,
  type TestTenant,
} from '../../../test/factories.js';
import {
  startSmtpCapture,
  type CapturedMail,
  type SmtpCapture,
} from '../../../test/smtp-capture.js';
import { sleep, waitFor } from '../../../test/wait-for.js';
import { findFreePort } from '../db/embedded.js';
import { inTenant, tenantScope, type TenantTx } from '../db/database.js';
import { JobRunner } from '../jobs/job-runner.js';
import { installJobSchema } from '../jobs/job-schema.js';
import { createMailer, type Mailer } from './mailer.js';
import {
  deliverEmail,
  registerNotificationJobs,
  sweepEmailJob,
  type NotificationJobDeps,
} from './notification-jobs.js';
import type { NotificationRow } from './notifications.repository.js';
import {
  createNotificationService,
  type NotificationService,
  type NotifyInput,
} from './notifications.service.js';
import { notifications } from './notifications.tables.js';

const logger = pino({ level: 'silent' });
const MAIL_FROM = '北杜市 情報セキュリティ <mamori@hokuto.example>';
const retry = { baseDelaySeconds: 1, maxDelaySeconds: 1, maxAttempts: 3 };

let db: TestDatabase;
let smtp: SmtpCapture;
let mailer: Mailer;
let runner: JobRunner;
let deps: NotificationJobDeps;
let service: NotificationService;
let a: TestTenant;
let b: TestTenant;

const inA = <T>(fn: (tx: TenantTx) => Promise<T>) => inTenant(db.app, tenantScope(a.id), fn);

async function newRecipient(
  tenant: TestTenant,
  name: string,
): Promise<TestAccount & { email: string }> {
  const email = `${name}@${tenant.code}.example`;
  return { ...(await createAccount(db.ownerUrl, tenant.id, { email })), email };
}

function input(to: string, overrides: Partial<NotifyInput> & { dedupeKey: string }): NotifyInput {
  return {
    recipient: { accountId: to },
    channels: ['email'],
    subject: '【要対応】持出申請の承認依頼',
    body: '情報セキュリティ管理者 様\n\n持出申請（申請番号 R7-0042）の承認をお願いします。\n期限：令和7年5月1日',
    source: { module: 'approvals', subjectType: 'request', subjectId: 'R7-0042' },
    ...overrides,
  };
}

async function row(tenant: TestTenant, id: string): Promise<NotificationRow> {
  const rows = await inTenant(db.app, tenantScope(tenant.id), (tx) =>
    tx.select().from(notifications).where(eq(notifications.id, id)),
  );
  const found = rows[0];
  if (!found) throw new Error(`notification ${id} not found`);
  return found;
}

function mailsTo(address: string): CapturedMail[] {
  return smtp.messages.filter((m) => m.envelopeTo.includes(address));
}

async function until(
  tenant: TestTenant,
  id: string,
  status: 'sent' | 'failed',
): Promise<NotificationRow> {
  return waitFor(`notification ${id} to be ${status}`, async () => {
    const r = await row(tenant, id);
    return r.emailStatus === status ? r : undefined;
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  await installJobSchema(db.ownerUrl);
  smtp = await startSmtpCapture();
  a = await createTenant(db.ownerUrl, { name: '配信試験市' });
  b = await createTenant(db.ownerUrl, { name: '配信試験村' });
  const configured = createMailer({ smtpUrl: smtp.url, mailFrom: MAIL_FROM });
  if (!configured) throw new Error('no mailer');
  mailer = configured;
  // schedules: false: the sweep's cron must not fire in the middle of a test
  // (it is still registered, see the last test); tests queue sweeps themselves.
  runner = new JobRunner({ db: db.app, logger, pollingIntervalSeconds: 0.5, schedules: false });
  deps = { db: db.app, jobs: runner, mailer, logger, retry };
  await registerNotificationJobs(deps);
  await runner.start();
  service = createNotificationService({ jobs: runner, smtpConfigured: true });
});
afterAll(async () => {
  await runner.stop({ timeoutMs: 5000 });
  mailer.close();
  await smtp.close();
  await db.drop();
});

describe('email delivery through SMTP', () => {
  it('delivers the Japanese subject and body as UTF-8 from MAIL_FROM to the account', async () => {
    const to = await newRecipient(a, 'kanrisha');
    const n = await inA((tx) => service.notify(tx, input(to.id, { dedupeKey: 'deliver-1' })));
    const sent = await until(a, n.id, 'sent');
    expect(sent).toMatchObject({ emailAttempts: 1, emailReason: null, recipientEmail: to.email });
    expect(sent.emailSentAt).toBeInstanceOf(Date);

    const [mail, ...more] = mailsTo(to.email);
    expect(more).toEqual([]);
    expect(mail?.envelopeFrom).toBe('mamori@hokuto.example');
    expect(mail?.envelopeTo).toEqual([to.email]);
    expect(mail?.headers.get('from')).toBe('北杜市 情報セキュリティ <mamori@hokuto.example>');
    expect(mail?.headers.get('to')).toBe(to.email);
    expect(mail?.subject).toBe('【要対応】持出申請の承認依頼');
    expect(mail?.headers.get('content-type')).toMatch(/^text\/plain; charset=utf-8/i);
    expect(mail?.text.trimEnd()).toBe(
      '情報セキュリティ管理者 様\n\n持出申請（申請番号 R7-0042）の承認をお願いします。\n期限：令和7年5月1日',
    );
    expect(mail?.headers.get('message-id')).toBe(`<${n.id}@hokuto.example>`);
    expect(sent.emailMessageId).toBe(`<${n.id}@hokuto.example>`);
    expect(mail?.headers.get('auto-submitted')).toBe('auto-generated');
  });

  it('sends one mail for a notification enqueued twice with the same dedupe key', async () => {
    const to = await newRecipient(a, 'nijuu');
    const first = await inA((tx) => service.notify(tx, input(to.id, { dedupeKey: 'twice' })));
    const second = await inA((tx) => service.notify(tx, input(to.id, { dedupeKey: 'twice' })));
    expect(second.id).toBe(first.id);
    await until(a, first.id, 'sent');
    // A sweep and a duplicate delivery job find nothing left to send.
    await runner.send(sweepEmailJob, {}, { dedupeKey: 'sweep-after-twice' });
    await deliverEmail(deps, { tenantId: a.id, notificationId: first.id });
    await sleep(1500);
    expect(mailsTo(to.email)).toHaveLength(1);
    expect((await row(a, first.id)).emailAttempts).toBe(1);
  });

  it('sends nothing when the transaction that notified rolls back', async () => {
    const to = await newRecipient(a, 'rollback');
    await expect(
      inA(async (tx) => {
        await service.notify(tx, input(to.id, { dedupeKey: 'rolled-back' }));
        throw new Error('approval failed');
      }),
    ).rejects.toThrow('approval failed');
    await sleep(1500);
    expect(smtp.rcptCount(to.email)).toBe(0);
    expect(
      (await inA((tx) => service.listUndelivered(tx))).map((m) => m.recipientEmail),
    ).not.toContain(to.email);
  });

  it('retries after a 4xx reply with backoff, then delivers once', async () => {
    const to = await newRecipient(a, 'deferred');
    smtp.rejectRecipient(to.email, [451, 451]);
    const n = await inA((tx) => service.notify(tx, input(to.id, { dedupeKey: 'deferred' })));
    const deferred = await waitFor('the first deferral', async () => {
      const r = await row(a, n.id);
      return r.emailAttempts >= 1 ? r : undefined;
    });
    expect(deferred).toMatchObject({ emailStatus: 'pending', emailReason: 'smtp_deferred' });
    expect(deferred.emailLastError).toMatch(/451/);
    const sent = await until(a, n.id, 'sent');
    expect(sent.emailAttempts).toBe(3);
    expect(smtp.rcptCount(to.email)).toBe(3);
    expect(mailsTo(to.email)).toHaveLength(1);
  });

  it('marks a 5xx reply failed at once, and lists it for the admin', async () => {
    const to = await newRecipient(a, 'rejected');
    smtp.rejectRecipient(to.email, [550]);
    const n = await inA((tx) => service.notify(tx, input(to.id, { dedupeKey: 'rejected' })));
    const failed = await until(a, n.id, 'failed');
    expect(failed).toMatchObject({ emailReason: 'smtp_rejected', emailAttempts: 1 });
    expect(failed.emailLastError).toMatch(/550/);
    await sleep(1500);
    expect(smtp.rcptCount(to.email)).toBe(1);
    expect(mailsTo(to.email)).toEqual([]);
    const outbox = await inA((tx) => service.listUndelivered(tx));
    expect(outbox.find((m) => m.id === n.id)).toMatchObject({
      status: 'failed',
      reason: 'smtp_rejected',
    });
  });

  it('fails after the last attempt when the server keeps deferring', async () => {
    const to = await newRecipient(a, 'exhausted');
    smtp.rejectRecipient(to.email, [421, 450, 452, 451]);
    const n = await inA((tx) => service.notify(tx, input(to.id, { dedupeKey: 'exhausted' })));
    const failed = await until(a, n.id, 'failed');
    expect(failed).toMatchObject({
      emailReason: 'retries_exhausted',
      emailAttempts: retry.maxAttempts,
    });
    expect(smtp.rcptCount(to.email)).toBe(retry.maxAttempts);
  });

  it('retries when the SMTP server cannot be reached', async () => {
    const to = await newRecipient(a, 'unreachable');
    const n = await inA((tx) =>
      createNotificationService({ jobs: runner, smtpConfigured: false }).notify(
        tx,
        input(to.id, { dedupeKey: 'unreachable' }),
      ),
    );
    const closed = createMailer(
      { smtpUrl: `smtp://127.0.0.1:${await findFreePort()}`, mailFrom: MAIL_FROM },
      { connectTimeoutMs: 2000 },
    );
    if (!closed) throw new Error('no mailer');
    try {
      await deliverEmail({ ...deps, mailer: closed }, { tenantId: a.id, notificationId: n.id });
    } finally {
      closed.close();
    }
    const deferred = await row(a, n.id);
    expect(deferred).toMatchObject({
      emailStatus: 'pending',
      emailReason: 'smtp_deferred',
      emailAttempts: 1,
    });
    expect(deferred.emailLastError).toMatch(/ECONNECTION|ESOCKET|ECONNREFUSED/);
    // The retry job it queued goes through the working server.
    await until(a, n.id, 'sent');
    expect(mailsTo(to.email)).toHaveLength(1);
  });

  it('sweeps mail that waited for SMTP in every tenant once SMTP is configured', async () => {
    const withoutSmtp = createNotificationService({ jobs: runner, smtpConfigured: false });
    const toA = await newRecipient(a, 'waiting');
    const toB = await newRecipient(b, 'waiting');
    const inAWaiting = await inA((tx) =>
      withoutSmtp.notify(tx, input(toA.id, { dedupeKey: 'waited' })),
    );
    const inBWaiting = await inTenant(db.app, tenantScope(b.id), (tx) =>
      withoutSmtp.notify(tx, input(toB.id, { dedupeKey: 'waited' })),
    );
    expect(inAWaiting.email).toEqual({ status: 'pending', reason: 'smtp_not_configured' });
    await sleep(1200);
    expect(smtp.rcptCount(toA.email) + smtp.rcptCount(toB.email)).toBe(0);

    await runner.send(sweepEmailJob, {}, { dedupeKey: 'sweep-now' });
    await until(a, inAWaiting.id, 'sent');
    await until(b, inBWaiting.id, 'sent');
    expect(mailsTo(toA.email)).toHaveLength(1);
    expect(mailsTo(toB.email)).toHaveLength(1);
  });

  it('schedules the sweep in Asia/Tokyo', async () => {
    expect(await runner.schedules()).toContainEqual({
      name: sweepEmailJob.name,
      cron: '*/10 * * * *',
      timezone: 'Asia/Tokyo',
    });
  });
});
