import { securityManagerOfUnit } from '@mamori/policy';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAs } from '../../../test/auth-as.js';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';
import { createAccount, createTenant, type TestTenant } from '../../../test/factories.js';
import { factoryActor, OrgFactory } from '../../../test/org-factories.js';
import type { Caller } from '../../platform/authz/caller.js';
import { AppError } from '../../platform/errors.js';
import { createNotificationService } from '../../platform/notifications/index.js';
import { createTask, listManagedTasks, listOwnTasks } from '../../platform/tasks/index.js';
import { createDelegation, revokeDelegation } from './delegations.service.js';
import { callerReach } from './organization.policy.js';
import { listPeople } from './people.service.js';
import { people } from './organization.tables.js';
import { insertAssignment } from './roles.repository.js';
import { assignRole, endRoleAssignment, roleHoldersOn, roleOverview } from './roles.service.js';
import {
  organizationSnapshot,
  rolesOfAccount,
  securityManagerOfPerson,
} from './snapshot.service.js';
import { changeUnit, createUnit, setUnitScope, unitTree } from './units.service.js';

let db: TestDatabase;
let tenant: TestTenant;
let other: TestTenant;
let org: OrgFactory;
let otherOrg: OrgFactory;

const notifications = createNotificationService({
  jobs: { sendInTransaction: () => Promise.resolve(null) },
  smtpConfigured: true,
});

function adminCaller(accountId: string, personId: string | null = null): Caller {
  return {
    scope: { kind: 'tenant', tenantId: tenant.id } as Caller['scope'],
    accountId,
    loginName: 'admin',
    displayName: '管理 太郎',
    personId,
    sessionId: 's',
    sessionState: 'active',
    csrfToken: 'c',
    elevatedUntil: null,
    roles: [{ role: 'tenant_admin', scope: { kind: 'tenant' }, assignmentId: null }],
  };
}

const reachOf = async (caller: Caller) =>
  org.tx(async (tx) => callerReach(caller, await organizationSnapshot(tx, '2026-05-01', org.pack)));

async function expectAppError(promise: Promise<unknown>, code: string): Promise<AppError> {
  const err: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
  return err as AppError;
}

beforeAll(async () => {
  db = await createTestDatabase();
  tenant = await createTenant(db.ownerUrl, { name: '架空市' });
  other = await createTenant(db.ownerUrl, { name: '試験町' });
  org = await OrgFactory.of(db.app, tenant.id);
  otherOrg = await OrgFactory.of(db.app, other.id);
});
afterAll(async () => {
  await db.drop();
});

describe('units: an effective-dated tree (issue 4)', () => {
  it('a rename on 4月1日: the tree as of 3/31 and 4/1 differ, the old version is kept', async () => {
    const dept = await org.unit('総務部', 'department', null);
    const section = await org.unit('情報政策課', 'section', dept);
    await org.tx((tx) =>
      changeUnit(tx, factoryActor, org.pack, section, {
        name: 'デジタル推進課',
        effectiveDate: '2026-04-01',
      }),
    );
    const reach = await reachOf(adminCaller('00000000-0000-4000-8000-000000000001'));
    const before = await org.tx((tx) => unitTree(tx, org.pack, reach, '2026-03-31'));
    const after = await org.tx((tx) => unitTree(tx, org.pack, reach, '2026-04-01'));
    expect(before.units.find((u) => u.id === section)?.name).toBe('情報政策課');
    expect(after.units.find((u) => u.id === section)?.name).toBe('デジタル推進課');
    expect(after.units.find((u) => u.id === section)).toMatchObject({
      validFrom: '2026-04-01',
      validTo: null,
      actsAs: 'section',
    });
  });

  it('a unit kind goes only under the parent kinds the pack allows', async () => {
    const dept = await org.unit('企画部', 'department', null);
    const team = await org.unit('企画課企画係', 'team', await org.unit('企画課', 'section', dept));
    await expectAppError(org.unit('誤った課', 'section', team), 'org_structure_invalid');
    await expectAppError(org.unit('親のない課', 'section', null), 'org_structure_invalid');
    await expectAppError(org.unit('謎の単位', 'galaxy', null), 'org_structure_invalid');
  });

  it('a move may not put a unit under its own sub-unit', async () => {
    const dept = await org.unit('建設部', 'department', null);
    const other = await org.unit('都市整備部', 'department', null);
    const section = await org.unit('道路課', 'section', dept);
    await org.tx((tx) =>
      changeUnit(tx, factoryActor, org.pack, section, {
        parentId: other,
        effectiveDate: '2026-04-01',
      }),
    );
    const reach = await reachOf(adminCaller('00000000-0000-4000-8000-000000000001'));
    const tree = await org.tx((tx) => unitTree(tx, org.pack, reach, '2026-04-01'));
    expect(tree.units.find((u) => u.id === section)?.parentId).toBe(other);
  });

  it('pol-4.1: a 学校 may be out of scope with a reason; a 課 may not', async () => {
    const board = await org.unit('教育委員会事務局', 'committee_secretariat', null);
    const school = await org.unit('架空小学校', 'school', board);
    await org.tx((tx) =>
      setUnitScope(tx, factoryActor, org.pack, school, {
        outOfScopeReason: '方針4(1) 学校を除く',
        effectiveDate: '2026-04-01',
      }),
    );
    const section = await org.unit('学務課', 'section', board);
    await expectAppError(
      org.tx((tx) =>
        setUnitScope(tx, factoryActor, org.pack, section, {
          outOfScopeReason: '対象外にしたい',
          effectiveDate: '2026-04-01',
        }),
      ),
      'org_structure_invalid',
    );
    const snapshot = await org.tx((tx) => organizationSnapshot(tx, '2026-04-01', org.pack));
    expect(snapshot.units.find((u) => u.id === school)?.outOfScope).toBe(true);
  });

  it('tenant isolation: another tenant sees none of these units', async () => {
    await org.unit('市民部', 'department', null);
    const reach = await reachOf(adminCaller('00000000-0000-4000-8000-000000000001'));
    const theirs = await otherOrg.tx((tx) => unitTree(tx, otherOrg.pack, reach, '2026-04-01'));
    expect(theirs.units).toEqual([]);
    await expectAppError(
      otherOrg.tx((tx) =>
        createUnit(tx, factoryActor, otherOrg.pack, {
          kind: 'section',
          name: '越境課',
          parentId: org.tenantId, // not a unit of this tenant
          validFrom: '2026-04-01',
        }),
      ),
      'org_structure_invalid',
    );
  });
});

describe('people: 読み sort and kana/kanji search', () => {
  it('matches half-width kana, hiragana, full-width letters and partial kanji; sorts by 読み', async () => {
    const { section } = await org.department('福祉部', '福祉課');
    await org.person('試験', '花子', 'シケン', 'ハナコ', section, { employeeNumber: 'A0001' });
    await org.person('架空', '一郎', 'カクウ', 'イチロウ', section, { employeeNumber: 'A0002' });
    await org.person('相田', '次郎', 'あいだ', 'じろう', section);
    const reach = await reachOf(adminCaller('00000000-0000-4000-8000-000000000001'));
    const search = async (q: string) =>
      (
        await org.tx((tx) =>
          listPeople(
            tx,
            org.pack,
            reach,
            { q, unitId: section, page: 1, pageSize: 50 },
            '2026-05-01',
          ),
        )
      ).items.map((p) => `${p.familyName}${p.givenName}`);
    expect(await search('ｼｹﾝ')).toEqual(['試験花子']);
    expect(await search('しけん')).toEqual(['試験花子']);
    expect(await search('験')).toEqual(['試験花子']);
    expect(await search('ＡＯＯＯ１')).toEqual([]);
    expect(await search('ａ０００２')).toEqual(['架空一郎']);
    expect(await search('ｱｲﾀﾞ')).toEqual(['相田次郎']);
    const all = await org.tx((tx) =>
      listPeople(tx, org.pack, reach, { unitId: section, page: 1, pageSize: 50 }, '2026-05-01'),
    );
    expect(all.items.map((p) => p.familyNameKana)).toEqual(['あいだ', 'カクウ', 'シケン']);
    expect(all.total).toBe(3);
  });
});

describe('roles: cardinality, replacement, 兼務, holder on a date', () => {
  it('std-2.4.1: a second security_manager of a 課 is refused unless it replaces the first', async () => {
    const { section, team } = await org.department('環境部', '環境課');
    const chief = await org.person('環境', '一郎', 'カンキョウ', 'イチロウ', section);
    const next = await org.person('環境', '二郎', 'カンキョウ', 'ジロウ', section);
    const first = await org.assign(
      'security_manager',
      { kind: 'person', personId: chief },
      { kind: 'unit', unitId: section },
    );
    const refused = await expectAppError(
      org.assign(
        'security_manager',
        { kind: 'person', personId: next },
        { kind: 'unit', unitId: section },
        { validFrom: '2026-04-01' },
      ),
      'role_cardinality_exceeded',
    );
    expect(refused.details).toMatchObject({ currentAssignmentIds: [first] });
    // Wrong level: a 係 has no security_manager of its own.
    await expectAppError(
      org.assign(
        'security_manager',
        { kind: 'person', personId: next },
        { kind: 'unit', unitId: team },
      ),
      'org_structure_invalid',
    );
    await org.assign(
      'security_manager',
      { kind: 'person', personId: next },
      { kind: 'unit', unitId: section },
      { validFrom: '2026-04-01', replacesAssignmentIds: [first] },
    );
    // Who was the security_manager of this 課 on date X (the holder of that day).
    const on = async (date: string) =>
      org.tx(async (tx) => {
        const holders = securityManagerOfUnit(
          await organizationSnapshot(tx, date, org.pack),
          team,
          `${date}T12:00:00+09:00`,
        );
        return holders.map((h) => (h.holder.kind === 'person' ? h.holder.personId : null));
      });
    expect(await on('2026-03-31')).toEqual([chief]);
    expect(await on('2026-04-01')).toEqual([next]);
    const member = await org.person('環境', '三郎', 'カンキョウ', 'サブロウ', team);
    const byPerson = await org.tx((tx) =>
      securityManagerOfPerson(tx, org.pack, member, '2025-10-01'),
    );
    expect(byPerson.map((h) => h.assignment.id)).toEqual([first]);
    const reach = await reachOf(adminCaller('00000000-0000-4000-8000-000000000001'));
    const holders = await org.tx((tx) =>
      roleHoldersOn(tx, org.pack, reach, {
        role: 'security_manager',
        scope: { kind: 'unit', unitId: section },
        date: '2026-03-31',
        at: new Date('2026-03-31T03:00:00Z'),
      }),
    );
    expect(holders.holders.map((h) => h.actingPerson?.name)).toEqual(['環境 一郎']);
  });

  it('ending an assignment sets valid_to and a reason; it is never deleted', async () => {
    const { section } = await org.department('農政部', '農政課');
    const p = await org.person('農政', '太郎', 'ノウセイ', 'タロウ', section);
    const id = await org.assign(
      'security_manager',
      { kind: 'person', personId: p },
      { kind: 'unit', unitId: section },
    );
    const ended = await org.tx((tx) =>
      endRoleAssignment(tx, factoryActor, id, { validTo: '2026-04-01', reason: '異動' }),
    );
    expect(ended).toMatchObject({ validTo: '2026-04-01', endReason: '異動' });
    await expectAppError(
      org.tx((tx) =>
        endRoleAssignment(tx, factoryActor, id, { validTo: '2026-05-01', reason: '再度' }),
      ),
      'conflict',
    );
  });

  it('std-2.9.2: an auditor who is also the CISO needs a recorded exception reason, reported in the overview', async () => {
    const { section } = await org.department('監査委員事務局', '監査課');
    const p = await org.person('監査', '花子', 'カンサ', 'ハナコ', section);
    await org.assign('ciso', { kind: 'person', personId: p }, { kind: 'tenant' });
    const refused = await expectAppError(
      org.assign('auditor', { kind: 'person', personId: p }, { kind: 'tenant' }),
      'role_exception_reason_required',
    );
    expect(JSON.stringify(refused.details)).toContain('auditor_is_auditee');
    await org.assign(
      'auditor',
      { kind: 'person', personId: p },
      { kind: 'tenant' },
      { exceptionReason: '小規模のため兼務（委員会承認済み）' },
    );
    const reach = await reachOf(adminCaller('00000000-0000-4000-8000-000000000001'));
    const overview = await org.tx((tx) =>
      roleOverview(tx, org.pack, reach, '2026-05-01', new Date('2026-05-01T03:00:00Z')),
    );
    const codes = overview.problems.map((x) => `${x.code}:${x.severity}`);
    expect(codes).toContain('auditor_is_auditee:warning');
    expect(codes).toContain('exception_recorded:warning');
    // Missing holders are shown, not silently accepted (e.g. 課 without a security_manager).
    const missing = overview.entries.filter(
      (e) => e.role === 'security_manager' && e.problems.some((x) => x.code === 'missing_holder'),
    );
    expect(missing.length).toBeGreaterThan(0);
    expect(overview.privileged.count).toBeGreaterThanOrEqual(1);
    expect(overview.privileged.max).toBe(5);
  });

  it('cardinality problems already in the data (e.g. imported) are shown on the overview', async () => {
    const { section } = await org.department('税務部', '税務課');
    const a = await org.person('税務', '一郎', 'ゼイム', 'イチロウ', section);
    const b = await org.person('税務', '二郎', 'ゼイム', 'ジロウ', section);
    await org.tx(async (tx) => {
      for (const personId of [a, b]) {
        await insertAssignment(tx, {
          role: 'security_manager',
          holderPersonId: personId,
          holderUnitId: null,
          scopeKind: 'unit',
          scopeUnitId: section,
          scopeSystemId: null,
          validFrom: '2020-04-01',
          validTo: null,
        });
      }
    });
    const reach = await reachOf(adminCaller('00000000-0000-4000-8000-000000000001'));
    const overview = await org.tx((tx) =>
      roleOverview(tx, org.pack, reach, '2026-05-01', new Date('2026-05-01T03:00:00Z')),
    );
    const entry = overview.entries.find(
      (e) => e.role === 'security_manager' && e.scope.kind === 'unit' && e.scope.unitId === section,
    );
    expect(entry?.holders).toHaveLength(2);
    expect(entry?.problems.map((p) => p.code)).toEqual(['too_many_holders']);
    expect(entry?.problems[0]?.severity).toBe('error');
  });
});

describe('holder on leave (休職, std-7.2.1.3b)', () => {
  it('is a warning on the overview until a deputy covers the absence', async () => {
    const { section } = await org.department('観光部', '観光課');
    const holder = await org.person('観光', '一郎', 'カンコウ', 'イチロウ', section);
    const deputy = await org.person('観光', '二郎', 'カンコウ', 'ジロウ', section);
    const assignment = await org.assign(
      'security_manager',
      { kind: 'person', personId: holder },
      { kind: 'unit', unitId: section },
    );
    await org.tx((tx) =>
      tx.update(people).set({ status: 'on_leave' }).where(eq(people.id, holder)),
    );
    const reach = await reachOf(adminCaller('00000000-0000-4000-8000-000000000001'));
    const now = new Date('2026-06-01T03:00:00Z');
    const codesOf = async () => {
      const overview = await org.tx((tx) => roleOverview(tx, org.pack, reach, '2026-06-01', now));
      const entry = overview.entries.find(
        (e) =>
          e.scope.kind === 'unit' && e.scope.unitId === section && e.role === 'security_manager',
      );
      return entry?.problems.map((p) => `${p.code}:${p.severity}`) ?? [];
    };
    expect(await codesOf()).toEqual(['holder_on_leave:warning']);
    await org.tx((tx) =>
      createDelegation(
        tx,
        factoryActor,
        org.pack,
        { ...reach },
        notifications,
        assignment,
        {
          deputyPersonId: deputy,
          startsAt: '2026-05-25T00:00:00+09:00',
          endsAt: '2026-07-01T00:00:00+09:00',
          reason: '休職中の代行',
        },
        new Date('2026-05-20T00:00:00Z'),
      ),
    );
    expect(await codesOf()).toEqual([]);
  });
});

describe('delegation (代行者, std-7.2.1.3b/c) and the caller roles', () => {
  it('resolves the deputy during the period only, notifies the chief_security_officer and the superior', async () => {
    const { department, section } = await org.department('保健部', '保健課');
    const holder = await org.person('保健', '一郎', 'ホケン', 'イチロウ', section);
    const deputy = await org.person('保健', '二郎', 'ホケン', 'ジロウ', section);
    const head = await org.person('保健', '部長', 'ホケン', 'ブチョウ', department);
    const cso = await org.person('統括', '太郎', 'トウカツ', 'タロウ', department);
    const accounts = {
      holder: await createAccount(db.ownerUrl, tenant.id),
      deputy: await createAccount(db.ownerUrl, tenant.id),
      head: await createAccount(db.ownerUrl, tenant.id),
      cso: await createAccount(db.ownerUrl, tenant.id),
    };
    await org.link(holder, accounts.holder.id);
    await org.link(deputy, accounts.deputy.id);
    await org.link(head, accounts.head.id);
    await org.link(cso, accounts.cso.id);
    const assignment = await org.assign(
      'security_manager',
      { kind: 'person', personId: holder },
      { kind: 'unit', unitId: section },
    );
    await org.assign(
      'security_officer',
      { kind: 'person', personId: head },
      { kind: 'unit', unitId: department },
    );
    await org
      .assign('chief_security_officer', { kind: 'person', personId: cso }, { kind: 'tenant' })
      .catch(
        // Another test may already hold the one chief_security_officer of the tenant.
        () => undefined,
      );
    const caller = adminCaller(accounts.holder.id, holder);
    const reach = await reachOf({ ...caller, roles: [] });
    const now = new Date('2026-05-01T00:00:00Z');
    const input = {
      deputyPersonId: deputy,
      startsAt: '2026-05-10T00:00:00+09:00',
      endsAt: '2026-05-20T00:00:00+09:00',
      reason: '出張',
    };
    // The deputy must not be the holder (std-2.9.1).
    await expectAppError(
      org.tx((tx) =>
        createDelegation(
          tx,
          factoryActor,
          org.pack,
          reach,
          notifications,
          assignment,
          { ...input, deputyPersonId: holder },
          now,
        ),
      ),
      'delegation_invalid',
    );
    const id = await org.tx((tx) =>
      createDelegation(tx, factoryActor, org.pack, reach, notifications, assignment, input, now),
    );
    await expectAppError(
      org.tx((tx) =>
        createDelegation(tx, factoryActor, org.pack, reach, notifications, assignment, input, now),
      ),
      'delegation_invalid',
    );
    const holderOn = async (at: string) =>
      org.tx(async (tx) =>
        securityManagerOfUnit(await organizationSnapshot(tx, at, org.pack), section, at).map(
          (h) => ({
            acting: h.holder.kind === 'person' ? h.holder.personId : null,
            for: h.deputyFor?.personId ?? null,
          }),
        ),
      );
    expect(await holderOn('2026-05-09T12:00:00+09:00')).toEqual([{ acting: holder, for: null }]);
    expect(await holderOn('2026-05-15T12:00:00+09:00')).toEqual([{ acting: deputy, for: holder }]);
    expect(await holderOn('2026-05-20T12:00:00+09:00')).toEqual([{ acting: holder, for: null }]);

    // Notified in the same transaction: the security_officer (superior) and the deputy, by key.
    const rows = await org.tx((tx) => notifications.listInApp(tx, accounts.head.id));
    expect(rows.items.map((n) => n.source.subjectId)).toContain(id);
    const deputyInbox = await org.tx((tx) => notifications.listInApp(tx, accounts.deputy.id));
    expect(deputyInbox.items.some((n) => n.subject.includes('代行者の指名'))).toBe(true);

    // rolesOfAccount: the deputy holds the role during the period, flagged as deputy.
    const during = await org.tx((tx) =>
      rolesOfAccount(tx, accounts.deputy.id, new Date('2026-05-15T03:00:00Z'), org.pack),
    );
    expect(during.personId).toBe(deputy);
    expect(during.roles).toContainEqual({
      role: 'security_manager',
      scope: { kind: 'unit', unitId: section },
      assignmentId: assignment,
      deputyForPersonId: holder,
    });
    const after = await org.tx((tx) =>
      rolesOfAccount(tx, accounts.deputy.id, new Date('2026-05-21T03:00:00Z'), org.pack),
    );
    expect(after.roles.some((r) => r.role === 'security_manager')).toBe(false);

    // Revoked early: the deputy acted until the revocation only.
    await org.tx((tx) =>
      revokeDelegation(
        tx,
        factoryActor,
        reach,
        id,
        '予定変更',
        new Date('2026-05-12T00:00:00+09:00'),
      ),
    );
    expect(await holderOn('2026-05-11T12:00:00+09:00')).toEqual([{ acting: deputy, for: holder }]);
    expect(await holderOn('2026-05-15T12:00:00+09:00')).toEqual([{ acting: holder, for: null }]);
  });

  it('rolesOfAccount: unit-held roles (PoC) through membership, and tenant_admin from account_roles', async () => {
    const { team } = await org.department('財務部', '管財課');
    await org
      .assign('poc', { kind: 'unit', unitId: team }, { kind: 'tenant' })
      .catch(() => undefined);
    const member = await org.person('管財', '花子', 'カンザイ', 'ハナコ', team);
    const account = await createAccount(db.ownerUrl, tenant.id);
    await org.link(member, account.id);
    const roles = await org.tx((tx) =>
      rolesOfAccount(tx, account.id, new Date('2026-05-01T03:00:00Z'), org.pack),
    );
    const poc = roles.roles.find((r) => r.role === 'poc');
    expect(poc?.scope).toEqual({ kind: 'tenant' });
    expect(roles.roles.some((r) => r.role === 'staff')).toBe(false);
    // tenant_admin is a platform role (account_roles), not a role assignment.
    const admin = await signInAs(db.ownerUrl, tenant.id, { roles: ['tenant_admin'] });
    const adminRoles = await org.tx((tx) =>
      rolesOfAccount(tx, admin.accountId, new Date('2026-05-01T03:00:00Z'), org.pack),
    );
    expect(adminRoles).toEqual({
      personId: admin.personId,
      roles: [{ role: 'tenant_admin', scope: { kind: 'tenant' }, assignmentId: null }],
    });
    const nobody = await org.tx((tx) =>
      rolesOfAccount(tx, '00000000-0000-4000-8000-0000000000ff', new Date(), org.pack),
    );
    expect(nobody).toEqual({ personId: null, roles: [] });
  });
});

describe('tasks (platform): one task entity, own and managed', () => {
  it('a person sees their own tasks; the security_manager of the 課 sees the 課 tasks', async () => {
    const { section, team } = await org.department('消防部', '消防課');
    const worker = await org.person('消防', '一郎', 'ショウボウ', 'イチロウ', team);
    const task = await org.tx((tx) =>
      createTask(tx, factoryActor, {
        title: 'ICカードの返却',
        ownerPersonId: worker,
        dueDate: '2026-04-10',
        source: { type: 'personnel_event', id: 'e1' },
        clause: 'std-6.1.1.8',
      }),
    );
    const own = await org.tx((tx) =>
      listOwnTasks(tx, {
        personId: worker,
        ownUnitIds: [team],
        managedUnitIds: [],
        managedPersonIds: [],
        seesAll: false,
      }),
    );
    expect(own.map((t) => t.id)).toEqual([task.id]);
    const managed = await org.tx((tx) =>
      listManagedTasks(tx, {
        personId: null,
        ownUnitIds: [],
        managedUnitIds: [section, team],
        managedPersonIds: [worker],
        seesAll: false,
      }),
    );
    expect(managed.map((t) => t.id)).toEqual([task.id]);
    await expectAppError(
      org.tx((tx) =>
        createTask(tx, factoryActor, {
          title: 'x',
          dueDate: null,
          source: { type: 't', id: '1' },
          clause: 'std-6.1.1.8',
        }),
      ),
      'validation_failed',
    );
  });
});

describe('assignRole input checks', () => {
  it('tenant_admin and staff are not assigned as policy roles', async () => {
    const { section } = await org.department('会計部', '会計課');
    const p = await org.person('会計', '一郎', 'カイケイ', 'イチロウ', section);
    for (const role of ['tenant_admin', 'staff', 'no_such_role']) {
      await expectAppError(
        org.tx((tx) =>
          assignRole(tx, factoryActor, org.pack, {
            role,
            holder: { kind: 'person', personId: p },
            scope: { kind: 'tenant' },
            validFrom: '2026-04-01',
            replacesAssignmentIds: [],
          }),
        ),
        'validation_failed',
      );
    }
  });
});
