import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { checkRoleCardinality, readIntegerSetting, toTokyoDate } from '@mamori/policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandContext, runCommand } from '../../../test/cli.js';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';
import { organizationSnapshot } from '../../modules/organization/snapshot.service.js';
import { repoRoot } from '../../platform/config.js';
import { inSystem, inTenant, tenantScope } from '../../platform/db/database.js';
import { loadPolicyPackRegistry } from '../../platform/policy-pack-registry.js';
import { getEffectiveSettings } from '../../platform/settings/settings.service.js';
import { findTenantByCode } from '../../platform/tenancy/tenancy.repository.js';
import { DEMO_TENANT_CODE, demoCommand } from './demo.js';

let db: TestDatabase;
let tmp: string;

beforeAll(async () => {
  db = await createTestDatabase();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'mamori-demo-'));
});
afterAll(async () => {
  await db.drop();
  await rm(tmp, { recursive: true, force: true });
});

function context() {
  const { ctx, lines } = commandContext(db, { MAMORI_LOG_KEY_DIR: path.join(tmp, 'keys') });
  const packs = loadPolicyPackRegistry(path.join(repoRoot, 'policy-packs'), 'hokuto');
  return { ctx: { ...ctx, packs: () => packs }, lines };
}

describe('npm run cli -- demo (issue 4, std-7.3.3.2c synthetic data)', () => {
  it('creates 架空市 with a plausible organization, every role filled and the deliberate role problems', async () => {
    const { ctx, lines } = context();
    expect(await runCommand(demoCommand, [], ctx)).toBe(0);
    expect(lines.join('\n')).toMatch(/demo organization created/);
    expect(lines.filter((l) => /^ {4}demo-/.test(l))).toHaveLength(6);

    const tenant = await inSystem(db.app, (tx) => findTenantByCode(tx, DEMO_TENANT_CODE));
    if (!tenant) throw new Error('no demo tenant');
    const pack = await (await ctx.packs()).get(tenant.policyPackId);
    const today = toTokyoDate(new Date());
    const { snapshot, problems } = await inTenant(db.app, tenantScope(tenant.id), async (tx) => {
      const snap = await organizationSnapshot(tx, today, pack);
      const settings = await getEffectiveSettings(tx, pack);
      return {
        snapshot: snap,
        problems: checkRoleCardinality(snap, pack.roles.roles, {
          privilegedMaxHolders: readIntegerSetting(settings, 'roles.privileged.max_holders'),
        }),
      };
    });
    const departments = snapshot.units.filter((u) => u.actsAs === 'department' && !u.outOfScope);
    const sections = snapshot.units.filter(
      (u) => u.kind === 'section' || u.kind === 'branch_office',
    );
    expect(departments.length).toBeGreaterThanOrEqual(8);
    expect(sections.length).toBeGreaterThanOrEqual(38);
    expect(snapshot.units.some((u) => u.kind === 'team' && u.name === '財産管理担当')).toBe(true);
    expect(
      snapshot.units
        .filter((u) => u.outOfScope)
        .map((u) => u.kind)
        .sort(),
    ).toEqual(['hospital', 'school']);
    expect(snapshot.people.length).toBeGreaterThanOrEqual(300);
    expect(snapshot.people.some((p) => p.employment === 'non_regular')).toBe(true);
    expect(snapshot.people.some((p) => p.employment === 'contractor_staff')).toBe(true);
    expect(snapshot.systems.length).toBeGreaterThanOrEqual(10);
    const roles = new Set(snapshot.roleAssignments.map((a) => a.role));
    for (const role of [
      'ciso',
      'chief_security_officer',
      'security_officer',
      'security_manager',
      'system_manager',
      'system_operator',
      'csirt',
      'csirt_lead',
      'poc',
      'audit_lead',
      'auditor',
      'security_committee',
    ])
      expect(roles.has(role as never), role).toBe(true);

    // The deliberate problems the checks must find.
    const missing = problems.filter(
      (p) => p.code === 'missing_holder' && p.role === 'security_manager',
    );
    expect(missing).toHaveLength(1);
    const scope = missing[0]?.scope;
    expect(scope?.kind === 'unit' && snapshot.units.find((u) => u.id === scope.unitId)?.name).toBe(
      '国際交流課',
    );
    expect(problems.some((p) => p.code === 'auditor_is_auditee')).toBe(true);
    expect(
      problems.filter((p) => !['missing_holder', 'auditor_is_auditee'].includes(p.code)),
    ).toEqual([]);
  });

  it('running it again changes nothing and says so', async () => {
    const { ctx, lines } = context();
    const count = async () =>
      inTenant(
        db.app,
        tenantScope(
          (await inSystem(db.app, (tx) => findTenantByCode(tx, DEMO_TENANT_CODE)))?.id ?? '',
        ),
        async (tx) =>
          (
            await organizationSnapshot(
              tx,
              toTokyoDate(new Date()),
              await (await ctx.packs()).get('hokuto'),
            )
          ).people.length,
      );
    const before = await count();
    expect(await runCommand(demoCommand, [], ctx)).toBe(0);
    expect(lines.join('\n')).toMatch(/already exists; nothing to do/);
    expect(await count()).toBe(before);
  });
});
