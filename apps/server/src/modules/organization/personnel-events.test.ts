import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';
import { createAccount, createTenant, type TestTenant } from '../../../test/factories.js';
import { factoryActor, OrgFactory } from '../../../test/org-factories.js';
import { applyDuePersonnelEvents } from './personnel-job.js';
import { recordPersonnelEvent } from './personnel-events.service.js';

let db: TestDatabase;
let tenant: TestTenant;
let org: OrgFactory;
let owner: pg.Client;
let deps: Parameters<typeof applyDuePersonnelEvents>[0];

/** Reads rows as the owner role (RLS applies: the tenant is set per query). */
async function q<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  await owner.query('BEGIN');
  await owner.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenant.id]);
  const r = await owner.query<T>(text, values);
  await owner.query('COMMIT');
  return r.rows;
}

async function session(accountId: string): Promise<void> {
  await q(
    `INSERT INTO sessions (tenant_id, token_hash, account_id, state, csrf_token, absolute_expires_at)
     VALUES ($1, md5(random()::text), $2, 'active', 'c', now() + interval '1 hour')`,
    [tenant.id, accountId],
  );
}

beforeAll(async () => {
  db = await createTestDatabase();
  tenant = await createTenant(db.ownerUrl, { name: '架空市' });
  org = await OrgFactory.of(db.app, tenant.id);
  owner = new pg.Client({ connectionString: db.ownerUrl });
  await owner.connect();
  deps = {
    db: db.app,
    packs: { get: () => Promise.resolve(org.pack) },
    logger: pino({ level: 'silent' }),
  };
});
afterAll(async () => {
  await owner.end();
  await db.drop();
});

describe('personnel events (issue 4)', () => {
  it('std-2.4.1: a transfer ends the old 課 security_manager assignment and moves the primary unit', async () => {
    const { department, section } = await org.department('総務部', '管財課');
    const other = await org.unit('人事課', 'section', department);
    const chief = await org.person('試験', '太郎', 'シケン', 'タロウ', section);
    const assignment = await org.assign(
      'security_manager',
      { kind: 'person', personId: chief },
      { kind: 'unit', unitId: section },
    );
    const officer = await org.assign(
      'security_officer',
      { kind: 'person', personId: chief },
      { kind: 'unit', unitId: department },
    );
    const { event } = await org.tx((tx) =>
      recordPersonnelEvent(
        tx,
        org.pack,
        factoryActor,
        { kind: 'transfer', personId: chief, effectiveDate: '2026-04-01', toUnitId: other },
        { today: '2026-04-10' },
      ),
    );
    expect(event.status).toBe('applied');
    const [ended] = await q<{ valid_to: string; end_reason: string }>(
      `SELECT valid_to::text, end_reason FROM role_assignments WHERE id = $1`,
      [assignment],
    );
    expect(ended).toEqual({ valid_to: '2026-04-01', end_reason: 'transfer: scope_unit_left' });
    // Same 部局: the security_officer role stays.
    const [kept] = await q<{ valid_to: string | null }>(
      `SELECT valid_to::text FROM role_assignments WHERE id = $1`,
      [officer],
    );
    expect(kept?.valid_to).toBeNull();
    const memberships = await q<{ unit_id: string; valid_from: string; valid_to: string | null }>(
      `SELECT unit_id, valid_from::text, valid_to::text FROM unit_memberships
       WHERE person_id = $1 AND kind = 'primary' ORDER BY valid_from`,
      [chief],
    );
    expect(memberships).toEqual([
      { unit_id: section, valid_from: '2020-04-01', valid_to: '2026-04-01' },
      { unit_id: other, valid_from: '2026-04-01', valid_to: null },
    ]);
    const log = await q<{ action: string }>(
      `SELECT action FROM operation_log WHERE subject_type = 'personnel_event' AND subject_id = $1`,
      [event.id],
    );
    expect(log.map((l) => l.action)).toEqual(['organization.personnel_event_applied']);
  });

  it('std-6.1.1.8: leaving on a future date is scheduled; the job on that date disables the account, ends sessions and creates the return tasks for the security_manager, once', async () => {
    const { section } = await org.department('市民部', '市民課');
    const manager = await org.person('見本', '一郎', 'ミホン', 'イチロウ', section);
    await org.assign(
      'security_manager',
      { kind: 'person', personId: manager },
      { kind: 'unit', unitId: section },
    );
    const leaver = await org.person('架空', '花子', 'カクウ', 'ハナコ', section);
    const account = await createAccount(db.ownerUrl, tenant.id, { loginName: 'kakuu-hanako' });
    await org.link(leaver, account.id);
    await session(account.id);
    await session(account.id);

    const { event } = await org.tx((tx) =>
      recordPersonnelEvent(
        tx,
        org.pack,
        factoryActor,
        { kind: 'leave', personId: leaver, effectiveDate: '2026-04-01' },
        { today: '2026-03-20' },
      ),
    );
    expect(event.status).toBe('scheduled');
    // Before the date nothing changes.
    expect(await applyDuePersonnelEvents(deps, tenant.id, '2026-03-31')).toEqual({
      applied: 0,
      failed: 0,
    });
    const [before] = await q<{ disabled_at: Date | null }>(
      `SELECT disabled_at FROM accounts WHERE id = $1`,
      [account.id],
    );
    expect(before?.disabled_at).toBeNull();

    const run = await applyDuePersonnelEvents(deps, tenant.id, '2026-04-01');
    expect(run.applied).toBeGreaterThanOrEqual(1);
    const [acc] = await q<{ disabled_at: Date | null; disabled_reason: string }>(
      `SELECT disabled_at, disabled_reason FROM accounts WHERE id = $1`,
      [account.id],
    );
    expect(acc?.disabled_at).not.toBeNull();
    expect(acc?.disabled_reason).toBe('left');
    const live = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM sessions WHERE account_id = $1 AND revoked_at IS NULL`,
      [account.id],
    );
    expect(live[0]?.n).toBe(0);
    const revoked = await q<{ revoked_reason: string }>(
      `SELECT revoked_reason FROM sessions WHERE account_id = $1`,
      [account.id],
    );
    expect(revoked.map((r) => r.revoked_reason)).toEqual(['disabled', 'disabled']);
    const [person] = await q<{ status: string }>(`SELECT status FROM people WHERE id = $1`, [
      leaver,
    ]);
    expect(person?.status).toBe('left');

    const tasks = await q<{
      title: string;
      owner_person_id: string;
      due_date: string;
      clause: string;
    }>(
      `SELECT title, owner_person_id, due_date::text, clause FROM tasks
       WHERE source_type = 'personnel_event' AND source_id = $1 ORDER BY title`,
      [event.id],
    );
    expect(tasks).toHaveLength(2);
    expect(tasks.map((t) => t.title)).toEqual([
      'ICカード等の返却確認: 架空 花子',
      '情報資産の返却確認: 架空 花子',
    ]);
    for (const t of tasks) {
      expect(t.owner_person_id).toBe(manager);
      expect(t.clause).toBe('std-6.1.1.8');
      // 2026-04-01 (Wed) + 5 business days = 2026-04-08 (Wed).
      expect(t.due_date).toBe('2026-04-08');
    }

    // Idempotent: a second run for the same date applies nothing and creates no task.
    expect(await applyDuePersonnelEvents(deps, tenant.id, '2026-04-01')).toEqual({
      applied: 0,
      failed: 0,
    });
    const again = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM tasks WHERE source_id = $1`,
      [event.id],
    );
    expect(again[0]?.n).toBe(2);
    const applied = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM operation_log WHERE subject_id = $1 AND action = 'organization.personnel_event_applied'`,
      [event.id],
    );
    expect(applied[0]?.n).toBe(1);
  });

  it('休職 ends the sessions and disables the account for the period; 復職 enables it again', async () => {
    const { section } = await org.department('建設部', '建設課');
    const person = await org.person('試験', '次郎', 'シケン', 'ジロウ', section);
    const account = await createAccount(db.ownerUrl, tenant.id, { loginName: 'shiken-jiro' });
    await org.link(person, account.id);
    await session(account.id);
    await org.tx((tx) =>
      recordPersonnelEvent(
        tx,
        org.pack,
        factoryActor,
        { kind: 'leave_of_absence', personId: person, effectiveDate: '2026-05-01' },
        { today: '2026-05-01' },
      ),
    );
    const [onLeave] = await q<{ status: string }>(`SELECT status FROM people WHERE id = $1`, [
      person,
    ]);
    expect(onLeave?.status).toBe('on_leave');
    const [disabled] = await q<{ disabled_reason: string | null }>(
      `SELECT disabled_reason FROM accounts WHERE id = $1`,
      [account.id],
    );
    expect(disabled?.disabled_reason).toBe('on_leave');
    await org.tx((tx) =>
      recordPersonnelEvent(
        tx,
        org.pack,
        factoryActor,
        { kind: 'return', personId: person, effectiveDate: '2026-08-01' },
        { today: '2026-08-01' },
      ),
    );
    const [back] = await q<{ disabled_at: Date | null }>(
      `SELECT disabled_at FROM accounts WHERE id = $1`,
      [account.id],
    );
    expect(back?.disabled_at).toBeNull();
  });
});
