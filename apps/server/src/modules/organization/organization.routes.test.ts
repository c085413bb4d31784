import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAs, type SignedIn } from '../../../test/auth-as.js';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';
import { createTenant, type TestTenant } from '../../../test/factories.js';
import { factoryActor, OrgFactory } from '../../../test/org-factories.js';
import { createTestServer, type TestServer } from '../../../test/test-server.js';
import { createTask } from '../../platform/tasks/index.js';

let db: TestDatabase;
let server: TestServer;
let tenant: TestTenant;
let other: TestTenant;
let org: OrgFactory;
let otherOrg: OrgFactory;
let admin: SignedIn;
let cso: SignedIn;
let staff: SignedIn;
let chief: SignedIn;
let otherAdmin: SignedIn;
let units: { department: string; section: string; team: string };
let elsewhere: { department: string; section: string; team: string };
let ownPerson: string;
let foreignPerson: string;
let otherUnit: string;

const TENTH_MINUTE = 10 * 60_000;
const url = (t: TestTenant, p: string) => `/t/${t.code}/api${p}`;

function call(
  who: SignedIn | null,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  payload?: unknown,
  t: TestTenant = tenant,
) {
  return server.app.inject({
    method,
    url: url(t, path),
    headers: who?.headers ?? {},
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  server = await createTestServer(db.app, { MAMORI_TENANCY: 'shared' });
  tenant = await createTenant(db.ownerUrl, { name: '架空市' });
  other = await createTenant(db.ownerUrl, { name: '試験町' });
  org = await OrgFactory.of(db.app, tenant.id);
  otherOrg = await OrgFactory.of(db.app, other.id);
  units = await org.department('総務部', '総務課');
  elsewhere = await org.department('建設部', '道路課');
  admin = await signInAs(db.ownerUrl, tenant.id, {
    roles: ['tenant_admin'],
    elevatedForMs: TENTH_MINUTE,
  });
  cso = await signInAs(db.ownerUrl, tenant.id, { roles: ['chief_security_officer'] });
  staff = await signInAs(db.ownerUrl, tenant.id);
  chief = await signInAs(db.ownerUrl, tenant.id, {
    roles: [{ role: 'security_manager', unitId: units.section }],
  });
  otherAdmin = await signInAs(db.ownerUrl, other.id, {
    roles: ['tenant_admin'],
    elevatedForMs: TENTH_MINUTE,
  });
  ownPerson = await org.person('試験', '花子', 'シケン', 'ハナコ', units.team, {
    email: 'hanako@example.lg.jp',
  });
  foreignPerson = await org.person('架空', '次郎', 'カクウ', 'ジロウ', elsewhere.section, {
    email: 'jiro@example.lg.jp',
  });
  otherUnit = (await otherOrg.department('他町部', '他町課')).section;
});
afterAll(async () => {
  await server.app.close();
  await db.drop();
});

describe('organization routes: 401, 403 per role, cross-tenant 404', () => {
  it('answers 401 without a session', async () => {
    for (const [method, path] of [
      ['GET', '/organization/units'],
      ['GET', '/organization/people'],
      ['GET', '/organization/role-assignments'],
      ['GET', '/tasks'],
    ] as const) {
      expect((await call(null, method, path)).statusCode, path).toBe(401);
    }
  });

  it('answers 403 to staff and the section chief for administration and role grants', async () => {
    const writes: ['POST' | 'PUT', string, unknown][] = [
      [
        'POST',
        '/organization/units',
        { kind: 'section', name: '新課', parentId: units.department, validFrom: '2026-04-01' },
      ],
      [
        'POST',
        `/organization/units/${units.section}/change`,
        { name: '改名課', effectiveDate: '2026-04-01' },
      ],
      [
        'PUT',
        `/organization/people/${ownPerson}`,
        {
          familyName: 'x',
          givenName: 'y',
          familyNameKana: 'エックス',
          givenNameKana: 'ワイ',
          employment: 'regular',
        },
      ],
      [
        'POST',
        '/organization/role-assignments',
        {
          role: 'ciso',
          holder: { kind: 'person', personId: ownPerson },
          scope: { kind: 'tenant' },
          validFrom: '2026-04-01',
        },
      ],
      [
        'POST',
        '/organization/systems',
        {
          name: '住基',
          owningUnitId: units.section,
          zone: 'mynumber',
          inServiceFrom: '2020-04-01',
        },
      ],
    ];
    for (const who of [staff, chief]) {
      for (const [method, path, body] of writes) {
        const res = await call(who, method, path, body);
        expect(res.statusCode, `${method} ${path}`).toBe(403);
        expect(res.json()).toMatchObject({ error: { code: 'forbidden' } });
      }
    }
    const overview = await call(staff, 'GET', '/organization/role-overview');
    expect(overview.statusCode).toBe(403);
  });

  it('another tenant sees none of these objects: 404, never a hint', async () => {
    for (const path of [
      `/organization/units/${units.section}`,
      `/organization/people/${ownPerson}`,
    ]) {
      const res = await call(otherAdmin, 'GET', path, undefined, other);
      expect(res.statusCode, path).toBe(404);
    }
    const move = await call(
      otherAdmin,
      'POST',
      `/organization/units/${units.section}/change`,
      { name: '乗っ取り課', effectiveDate: '2026-04-01' },
      other,
    );
    expect(move.statusCode).toBe(404);
    // And their own session does not work on this tenant at all.
    expect((await call(otherAdmin, 'GET', '/organization/units')).statusCode).toBe(401);
    const theirs = await call(
      otherAdmin,
      'GET',
      `/organization/units/${otherUnit}`,
      undefined,
      other,
    );
    expect(theirs.statusCode).toBe(200);
  });
});

describe('units and people over HTTP', () => {
  it('the admin builds the tree; abilities follow the role', async () => {
    const created = await call(admin, 'POST', '/organization/units', {
      kind: 'section',
      name: '情報政策課',
      parentId: units.department,
      validFrom: '2025-04-01',
    });
    expect(created.statusCode).toBe(201);
    const id = created.json<{ id: string }>().id;
    const renamed = await call(admin, 'POST', `/organization/units/${id}/change`, {
      name: 'デジタル推進課',
      effectiveDate: '2026-04-01',
    });
    expect(renamed.statusCode).toBe(204);
    const before = await call(staff, 'GET', '/organization/units?asOf=2026-03-31');
    const after = await call(staff, 'GET', '/organization/units?asOf=2026-04-01');
    type Tree = { units: { id: string; name: string; abilities: Record<string, boolean> }[] };
    expect(before.json<Tree>().units.find((u) => u.id === id)?.name).toBe('情報政策課');
    const unit = after.json<Tree>().units.find((u) => u.id === id);
    expect(unit?.name).toBe('デジタル推進課');
    expect(unit?.abilities.update).toBe(false);
    const asAdmin = await call(admin, 'GET', '/organization/units?asOf=2026-04-01');
    expect(asAdmin.json<Tree>().units.find((u) => u.id === id)?.abilities.update).toBe(true);
    const bad = await call(admin, 'POST', '/organization/units', {
      kind: 'team',
      name: '部直下の係',
      parentId: units.department,
      validFrom: '2026-04-01',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toMatchObject({ error: { code: 'org_structure_invalid' } });
  });

  it('the unit page lists primary members, 兼務 members and role holders', async () => {
    const kenmu = await org.person('兼務', '三郎', 'ケンム', 'サブロウ', elsewhere.section);
    const added = await call(admin, 'POST', `/organization/people/${kenmu}/memberships`, {
      unitId: units.section,
      kind: 'additional',
      validFrom: '2026-04-01',
    });
    expect(added.statusCode).toBe(201);
    const page = await call(staff, 'GET', `/organization/units/${units.section}`);
    expect(page.statusCode).toBe(200);
    const body = page.json<{
      path: { name: string }[];
      children: { id: string }[];
      members: { personId: string; kind: string }[];
      roleHolders: { role: string; holder: { personId?: string } }[];
    }>();
    expect(body.path.map((p) => p.name)).toEqual(['総務部']);
    expect(body.children.map((c) => c.id)).toEqual([units.team]);
    expect(body.members).toEqual([
      expect.objectContaining({ personId: kenmu, kind: 'additional' }),
    ]);
    expect(body.roleHolders.map((h) => [h.role, h.holder.personId])).toEqual([
      ['security_manager', chief.personId],
    ]);
    const before = await call(staff, 'GET', `/organization/units/${units.section}?asOf=2026-03-31`);
    expect(before.json<{ members: unknown[] }>().members).toEqual([]);
  });

  it('フリガナ is required and must be kana', async () => {
    const res = await call(admin, 'POST', '/organization/people', {
      familyName: '試験',
      givenName: '三郎',
      familyNameKana: 'shiken',
      givenNameKana: 'サブロウ',
      employment: 'regular',
      primaryUnitId: units.section,
      validFrom: '2026-04-01',
    });
    expect(res.statusCode).toBe(400);
    const contractorWithout = await call(admin, 'POST', '/organization/people', {
      familyName: '委託',
      givenName: '太郎',
      familyNameKana: 'イタク',
      givenNameKana: 'タロウ',
      employment: 'contractor_staff',
      primaryUnitId: units.section,
      validFrom: '2026-04-01',
    });
    expect(contractorWithout.statusCode).toBe(400);
  });

  it('search ignores width and kana kind; a section chief sees only their 課 people in full', async () => {
    const found = await call(
      staff,
      'GET',
      `/organization/people?q=${encodeURIComponent('ｼｹﾝ ﾊﾅ')}`,
    );
    expect(found.statusCode).toBe(200);
    const items = found.json<{ items: { id: string }[] }>().items;
    expect(items.map((p) => p.id)).toContain(ownPerson);

    // std-2.4.2: the section chief acts for their 課 (the 係 below it included).
    const own = await call(chief, 'GET', `/organization/people/${ownPerson}`);
    expect(own.json()).toMatchObject({
      restricted: false,
      person: { email: 'hanako@example.lg.jp', abilities: { viewDetails: true } },
    });
    const foreign = await call(chief, 'GET', `/organization/people/${foreignPerson}`);
    expect(foreign.statusCode).toBe(200);
    expect(foreign.json()).toMatchObject({
      restricted: true,
      person: { email: null, familyName: '架空', abilities: { viewDetails: false } },
    });
    const asStaff = await call(staff, 'GET', `/organization/people/${ownPerson}`);
    expect(asStaff.json()).toMatchObject({ restricted: true, person: { email: null } });
    const asCso = await call(cso, 'GET', `/organization/people/${foreignPerson}`);
    expect(asCso.json()).toMatchObject({
      restricted: false,
      person: { email: 'jiro@example.lg.jp' },
    });
  });
});

describe('role assignments over HTTP (privileged, std-7.2.5)', () => {
  it('needs a step-up; refuses a second security_manager; answers who held the role on a date', async () => {
    const body = {
      role: 'security_manager',
      holder: { kind: 'person', personId: foreignPerson },
      scope: { kind: 'unit', unitId: elsewhere.section },
      validFrom: '2025-04-01',
    };
    const notElevated = await call(cso, 'POST', '/organization/role-assignments', body);
    expect(notElevated.json()).toMatchObject({ error: { code: 'step_up_required' } });
    const ok = await call(admin, 'POST', '/organization/role-assignments', body);
    expect(ok.statusCode).toBe(201);
    const first = ok.json<{ id: string }>().id;
    const second = await call(admin, 'POST', '/organization/role-assignments', {
      ...body,
      holder: { kind: 'person', personId: ownPerson },
      validFrom: '2026-04-01',
    });
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({
      error: { code: 'role_cardinality_exceeded', details: { currentAssignmentIds: [first] } },
    });
    const replaced = await call(admin, 'POST', '/organization/role-assignments', {
      ...body,
      holder: { kind: 'person', personId: ownPerson },
      validFrom: '2026-04-01',
      replacesAssignmentIds: [first],
    });
    expect(replaced.statusCode).toBe(201);
    const on = async (date: string) => {
      const res = await call(
        staff,
        'GET',
        `/organization/role-holders?role=security_manager&scopeKind=unit&unitId=${elsewhere.section}&date=${date}`,
      );
      return res
        .json<{ holders: { actingPerson: { personId: string } }[] }>()
        .holders.map((h) => h.actingPerson.personId);
    };
    expect(await on('2026-03-31')).toEqual([foreignPerson]);
    expect(await on('2026-04-01')).toEqual([ownPerson]);
    const history = await call(
      staff,
      'GET',
      `/organization/role-assignments?personId=${foreignPerson}`,
    );
    expect(history.json()).toMatchObject({
      items: [{ id: first, validTo: '2026-04-01', endReason: 'replaced' }],
    });
  });

  it('the overview lists problems and the privileged holders for the 統括', async () => {
    const res = await call(cso, 'GET', '/organization/role-overview');
    expect(res.statusCode).toBe(200);
    const overview = res.json<{
      entries: { role: string; problems: { code: string }[] }[];
      privileged: { holders: { roles: string[] }[]; max: number };
    }>();
    expect(
      overview.entries.some(
        (e) => e.role === 'ciso' && e.problems.some((p) => p.code === 'missing_holder'),
      ),
    ).toBe(true);
    const roles = overview.privileged.holders.flatMap((h) => h.roles);
    expect(roles).toContain('tenant_admin');
    expect(roles).toContain('chief_security_officer');
    expect(overview.privileged.max).toBe(5);
  });
});

describe('contractors and information systems over HTTP', () => {
  it('registers a contractor and its staff, a system with its system_manager', async () => {
    const contractor = await call(admin, 'POST', '/organization/contractors', {
      name: '架空システム株式会社',
      nameKana: 'カクウシステム',
    });
    expect(contractor.statusCode).toBe(201);
    const contractorId = contractor.json<{ id: string }>().id;
    const staffOf = await call(admin, 'POST', '/organization/people', {
      familyName: '委託',
      givenName: '太郎',
      familyNameKana: 'イタク',
      givenNameKana: 'タロウ',
      employment: 'contractor_staff',
      contractorId,
      primaryUnitId: units.section,
      validFrom: '2025-04-01',
    });
    expect(staffOf.statusCode).toBe(201);
    const list = await call(staff, 'GET', '/organization/contractors');
    expect(list.json()).toMatchObject({
      items: [{ id: contractorId, name: '架空システム株式会社', abilities: { update: false } }],
    });
    const badZone = await call(admin, 'POST', '/organization/systems', {
      name: '住民記録システム',
      owningUnitId: units.section,
      zone: 'moon',
      inServiceFrom: '2020-04-01',
    });
    expect(badZone.statusCode).toBe(400);
    const system = await call(admin, 'POST', '/organization/systems', {
      name: '住民記録システム',
      owningUnitId: units.section,
      zone: 'mynumber',
      inServiceFrom: '2020-04-01',
    });
    expect(system.statusCode).toBe(201);
    const systemId = system.json<{ id: string }>().id;
    const assigned = await call(admin, 'POST', '/organization/role-assignments', {
      role: 'system_manager',
      holder: { kind: 'person', personId: ownPerson },
      scope: { kind: 'system', systemId },
      validFrom: '2025-04-01',
    });
    expect(assigned.statusCode).toBe(201);
    const view = await call(staff, 'GET', `/organization/systems/${systemId}`);
    expect(view.json()).toMatchObject({
      name: '住民記録システム',
      zone: 'mynumber',
      owningUnit: { id: units.section, name: '総務課' },
      systemManagers: [{ personId: ownPerson, name: '試験 花子' }],
      abilities: { update: false },
    });
    const all = await call(cso, 'GET', '/organization/systems');
    expect(all.json<{ items: { id: string }[] }>().items.map((x) => x.id)).toContain(systemId);
    const wrongScope = await call(admin, 'POST', '/organization/role-assignments', {
      role: 'system_manager',
      holder: { kind: 'person', personId: ownPerson },
      scope: { kind: 'unit', unitId: units.section },
      validFrom: '2025-04-01',
    });
    expect(wrongScope.json()).toMatchObject({ error: { code: 'org_structure_invalid' } });
  });
});

describe('delegation over HTTP (std-7.2.1.3b/c)', () => {
  it('the holder names a deputy; someone else may not; both see it', async () => {
    const list = await call(
      chief,
      'GET',
      `/organization/role-assignments?personId=${chief.personId ?? ''}`,
    );
    const assignment = list
      .json<{ items: { id: string; role: string }[] }>()
      .items.find((a) => a.role === 'security_manager');
    expect(assignment).toBeDefined();
    const body = {
      deputyPersonId: ownPerson,
      startsAt: new Date(Date.now() + 86_400_000).toISOString(),
      endsAt: new Date(Date.now() + 5 * 86_400_000).toISOString(),
      reason: '研修で不在',
    };
    const byStaff = await call(
      staff,
      'POST',
      `/organization/role-assignments/${assignment?.id ?? ''}/delegations`,
      body,
    );
    expect(byStaff.statusCode).toBe(403);
    const res = await call(
      chief,
      'POST',
      `/organization/role-assignments/${assignment?.id ?? ''}/delegations`,
      body,
    );
    expect(res.statusCode).toBe(201);
    const id = res.json<{ id: string }>().id;
    const mine = await call(chief, 'GET', '/organization/delegations');
    expect(mine.json()).toMatchObject({
      items: [{ id, deputy: { personId: ownPerson }, abilities: { revoke: true } }],
    });
    expect((await call(staff, 'GET', '/organization/delegations?view=all')).statusCode).toBe(403);
    const revokeByStaff = await call(staff, 'POST', `/organization/delegations/${id}/revoke`, {
      reason: 'x',
    });
    expect(revokeByStaff.statusCode).toBe(404);
    const revoked = await call(chief, 'POST', `/organization/delegations/${id}/revoke`, {
      reason: '予定変更',
    });
    expect(revoked.statusCode).toBe(204);
  });
});

describe('tasks over HTTP', () => {
  it('the owner sees and completes a task; others get 404; the section chief sees the 課 tasks', async () => {
    const task = await org.tx((tx) =>
      createTask(tx, factoryActor, {
        title: '貸与物品の返却',
        ownerPersonId: ownPerson,
        dueDate: '2026-04-10',
        source: { type: 'personnel_event', id: 'test' },
        clause: 'std-6.1.1.8',
      }),
    );
    const asChief = await call(chief, 'GET', `/tasks?view=unit&unitId=${units.section}`);
    expect(asChief.json<{ items: { id: string }[] }>().items.map((t) => t.id)).toEqual([task.id]);
    expect((await call(staff, 'GET', '/tasks')).json()).toEqual({ items: [] });
    const byStaff = await call(staff, 'POST', `/tasks/${task.id}/complete`, {});
    expect(byStaff.statusCode).toBe(404);
    const done = await call(chief, 'POST', `/tasks/${task.id}/complete`, { note: '返却を確認' });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ status: 'done', resolutionNote: '返却を確認' });
    const again = await call(chief, 'POST', `/tasks/${task.id}/cancel`, {});
    expect(again.statusCode).toBe(409);
  });
});
