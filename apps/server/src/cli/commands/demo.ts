import {
  checkRoleCardinality,
  readIntegerSetting,
  toTokyoDate,
  type IsoDate,
} from '@mamori/policy';
import { organizationSnapshot } from '../../modules/organization/snapshot.service.js';
import { isOrganizationEmpty, seedDemoOrganization } from '../../modules/organization/demo-seed.js';
import { inSystem, inTenant, tenantScope } from '../../platform/db/database.js';
import { getEffectiveSettings } from '../../platform/settings/settings.service.js';
import { findTenantByCode } from '../../platform/tenancy/tenancy.repository.js';
import { UsageError, type Command } from '../command.js';
import { initTenant } from './init.js';

/** 架空市: a fictional municipality (valid check digit) so demo data is never real. */
export const DEMO_TENANT_CODE = '999997';

/** 4月1日 of the current fiscal year (Asia/Tokyo): the demo organization starts then. */
export function fiscalYearStart(today: IsoDate): IsoDate {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  return `${String(month >= 4 ? year : year - 1)}-04-01`;
}

export const demoCommand: Command = {
  name: 'demo',
  summary:
    'Create a demo tenant (架空市) with a synthetic organization (部局/課/係, people, systems, roles); later issues add registers to it',
  usage: 'demo',
  needsDatabase: true,
  run: async (args, ctx) => {
    if (args.length > 0) throw new UsageError('demo takes no arguments');
    const db = await ctx.database();
    let tenant = await inSystem(db, (tx) => findTenantByCode(tx, DEMO_TENANT_CODE));
    if (!tenant) {
      await initTenant(ctx, {
        code: DEMO_TENANT_CODE,
        name: '架空市',
        prefecture: '架空県',
        admin: 'demo-admin',
        adminName: 'デモ 管理者',
      });
      tenant = await inSystem(db, (tx) => findTenantByCode(tx, DEMO_TENANT_CODE));
      if (!tenant) throw new Error('the demo tenant was not created');
    }
    const pack = await (await ctx.packs()).get(tenant.policyPackId);
    const today = toTokyoDate(new Date());
    const from = fiscalYearStart(today);
    const scope = tenantScope(tenant.id);
    const seeded = await inTenant(db, scope, async (tx) => {
      // Idempotent: an organization that already exists is never touched.
      if (!(await isOrganizationEmpty(tx, today))) return null;
      return seedDemoOrganization(tx, pack, from, 'cli-demo');
    });
    if (!seeded) {
      ctx.out(
        `デモの組織は作成済みです / the demo organization of ${tenant.name} (${tenant.code}) already exists; nothing to do`,
      );
      return;
    }
    ctx.out(`デモの組織を作成しました / demo organization created (架空市, from ${from}):`);
    ctx.out(
      `  units ${String(seeded.units)} (課・出先機関 ${String(seeded.sections)}), people ${String(seeded.people)}, systems ${String(seeded.systems)}, role assignments ${String(seeded.assignments)}`,
    );
    const problems = await inTenant(db, scope, async (tx) => {
      const snapshot = await organizationSnapshot(tx, today, pack);
      const settings = await getEffectiveSettings(tx, pack);
      return checkRoleCardinality(snapshot, pack.roles.roles, {
        privilegedMaxHolders: readIntegerSetting(settings, 'roles.privileged.max_holders'),
      });
    });
    ctx.out(
      `  役割の問題（意図的に残したもの）/ role problems left for the checks: ${String(problems.length)} (${[...new Set(problems.map((p) => p.code))].join(', ')})`,
    );
    ctx.out(
      '  デモアカウント（一時パスワードは一度だけ表示）/ demo accounts (temporary passwords shown once):',
    );
    for (const a of seeded.accounts)
      ctx.out(
        `    ${a.loginName}  ${a.displayName}  ${a.temporaryPassword}  (expires ${a.expiresAt.toISOString()})`,
      );
    ctx.out('  すべての氏名・組織は架空です / every name and unit is fictional (std-7.3.3.2c).');
  },
};
