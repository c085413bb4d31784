import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';
import { createTenant, type TestTenant } from '../../../test/factories.js';
import { factoryActor, OrgFactory } from '../../../test/org-factories.js';
import { AppError } from '../../platform/errors.js';
import {
  applyReorganization,
  createReorganization,
  previewReorganizationPlan,
} from './reorganization-plans.js';
import { listUnitsAsOf } from './units.repository.js';

let db: TestDatabase;
let tenant: TestTenant;
let org: OrgFactory;
let owner: pg.Client;

async function q<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  await owner.query('BEGIN');
  await owner.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenant.id]);
  const r = await owner.query<T>(text, values);
  await owner.query('COMMIT');
  return r.rows;
}

beforeAll(async () => {
  db = await createTestDatabase();
  tenant = await createTenant(db.ownerUrl, { name: '架空市' });
  org = await OrgFactory.of(db.app, tenant.id);
  owner = new pg.Client({ connectionString: db.ownerUrl });
  await owner.connect();
});
afterAll(async () => {
  await owner.end();
  await db.drop();
});

describe('組織改正 (issue 4)', () => {
  it('merging two 課 into a new one on 4月1日: preview, apply re-homes people and roles, the tree of 3/31 is unchanged, a second apply is refused', async () => {
    const dept = await org.unit('企画部', 'department', null);
    const a = await org.unit('企画課', 'section', dept);
    const b = await org.unit('財政課', 'section', dept);
    const chiefA = await org.person('試験', '一郎', 'シケン', 'イチロウ', a);
    const chiefB = await org.person('架空', '二郎', 'カクウ', 'ジロウ', b);
    const staffB = await org.person('見本', '花子', 'ミホン', 'ハナコ', b);
    const managerA = await org.assign(
      'security_manager',
      { kind: 'person', personId: chiefA },
      { kind: 'unit', unitId: a },
    );
    const managerB = await org.assign(
      'security_manager',
      { kind: 'person', personId: chiefB },
      { kind: 'unit', unitId: b },
    );

    const merged = randomUUID();
    const plan = await org.tx((tx) =>
      createReorganization(tx, org.pack, factoryActor, {
        title: '令和9年度組織改正',
        effectiveDate: '2027-04-01',
        operations: [
          {
            op: 'create',
            unit: { id: merged, kind: 'section', name: '企画財政課', code: 'K100', parentId: dept },
          },
          { op: 'merge', unitIds: [a, b], targetUnitId: merged },
        ],
      }),
    );
    expect(plan.status).toBe('draft');

    const preview = await org.tx((tx) => previewReorganizationPlan(tx, org.pack, plan.id));
    expect(preview.problems).toEqual([]);
    expect(preview.canApply).toBe(true);
    const names = preview.units.map((u) => u.name);
    expect(names).toContain('企画財政課');
    expect(names).not.toContain('企画課');
    expect(preview.changes.filter((c) => c.kind === 'person_moved')).toHaveLength(3);
    expect(preview.changes).toContainEqual(
      expect.objectContaining({ kind: 'assignment_rehomed', assignmentId: managerA }),
    );
    expect(preview.changes).toContainEqual(
      expect.objectContaining({
        kind: 'assignment_ended',
        assignmentId: managerB,
        reason: 'target_already_held',
      }),
    );

    const logBefore =
      (await q<{ n: number }>(`SELECT count(*)::int AS n FROM operation_log`))[0]?.n ?? 0;
    const applied = await org.tx((tx) => applyReorganization(tx, org.pack, factoryActor, plan.id));
    expect(applied.status).toBe('applied');
    const log = await q<{ action: string }>(
      `SELECT action FROM operation_log ORDER BY seq DESC LIMIT 1`,
    );
    expect(log[0]?.action).toBe('organization.reorganization_applied');
    expect((await q<{ n: number }>(`SELECT count(*)::int AS n FROM operation_log`))[0]?.n).toBe(
      logBefore + 1,
    );

    // The tree as of the day before is unchanged; as of the date the merged 課 replaces both.
    const before = await org.tx((tx) => listUnitsAsOf(tx, '2027-03-31'));
    expect(before.map((u) => u.name).sort()).toEqual(['企画課', '企画部', '財政課'].sort());
    const after = await org.tx((tx) => listUnitsAsOf(tx, '2027-04-01'));
    expect(after.map((u) => u.name).sort()).toEqual(['企画財政課', '企画部'].sort());
    expect(after.find((u) => u.unitId === merged)).toMatchObject({ code: 'K100' });

    // People re-homed from the date; their old membership ends the day before.
    const members = await q<{ person_id: string }>(
      `SELECT person_id FROM unit_memberships WHERE unit_id = $1 AND valid_from = '2027-04-01'`,
      [merged],
    );
    expect(members.map((m) => m.person_id).sort()).toEqual([chiefA, chiefB, staffB].sort());
    const old = await q<{ valid_to: string }>(
      `SELECT valid_to::text FROM unit_memberships WHERE person_id = $1 AND unit_id = $2`,
      [staffB, b],
    );
    expect(old).toEqual([{ valid_to: '2027-04-01' }]);

    // Roles: A's security_manager now holds the merged 課 (a new row carrying the reorganization); B's ended.
    const roles = await q<{
      id: string;
      scope_unit_id: string;
      valid_from: string;
      valid_to: string | null;
      reorganization_id: string | null;
      end_reason: string | null;
    }>(
      `SELECT id, scope_unit_id, valid_from::text, valid_to::text, reorganization_id, end_reason
       FROM role_assignments WHERE role = 'security_manager' AND (scope_unit_id = ANY($1)) ORDER BY valid_from, scope_unit_id`,
      [[a, b, merged]],
    );
    const rehomed = roles.find((r) => r.scope_unit_id === merged);
    expect(rehomed).toMatchObject({
      valid_from: '2027-04-01',
      valid_to: null,
      reorganization_id: plan.id,
    });
    expect(roles.find((r) => r.id === managerA)).toMatchObject({
      valid_to: '2027-04-01',
      end_reason: 'reorganization: rehomed',
    });
    expect(roles.find((r) => r.id === managerB)).toMatchObject({
      valid_to: '2027-04-01',
      end_reason: 'reorganization: target_already_held',
    });
    const versions = await q<{ reorganization_id: string | null }>(
      `SELECT reorganization_id FROM org_unit_versions WHERE unit_id = $1`,
      [merged],
    );
    expect(versions).toEqual([{ reorganization_id: plan.id }]);

    // Applying twice is refused and writes nothing.
    const err = await org
      .tx((tx) => applyReorganization(tx, org.pack, factoryActor, plan.id))
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('conflict');
  });

  it('a plan with problems cannot be applied and writes nothing (all-or-nothing)', async () => {
    const dept = await org.unit('建設部', 'department', null);
    const section = await org.unit('建設課', 'section', dept);
    await org.person('試験', '三郎', 'シケン', 'サブロウ', section);
    const plan = await org.tx((tx) =>
      createReorganization(tx, org.pack, factoryActor, {
        title: '誤った改正',
        effectiveDate: '2027-04-01',
        operations: [
          { op: 'rename', unitId: dept, name: '都市建設部' },
          // The 課 still has a person: abolishing it leaves them without a unit.
          { op: 'abolish', unitId: section },
        ],
      }),
    );
    const preview = await org.tx((tx) => previewReorganizationPlan(tx, org.pack, plan.id));
    expect(preview.canApply).toBe(false);
    expect(preview.problems.map((p) => p.code)).toContain('person_without_unit');
    const err = await org
      .tx((tx) => applyReorganization(tx, org.pack, factoryActor, plan.id))
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect((err as AppError).code).toBe('validation_failed');
    const names = (await org.tx((tx) => listUnitsAsOf(tx, '2027-04-01'))).map((u) => u.name);
    expect(names).toContain('建設部');
    expect(names).not.toContain('都市建設部');
    const [row] = await q<{ status: string }>(`SELECT status FROM reorganizations WHERE id = $1`, [
      plan.id,
    ]);
    expect(row?.status).toBe('draft');
  });
});
