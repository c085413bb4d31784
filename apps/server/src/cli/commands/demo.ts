import { inSystem } from '../../platform/db/database.js';
import { findTenantByCode } from '../../platform/tenancy/tenancy.repository.js';
import { UsageError, type Command } from '../command.js';
import { initTenant } from './init.js';

/** 架空市: a fictional municipality (valid check digit) so demo data is never real. */
export const DEMO_TENANT_CODE = '999997';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Create a demo tenant (架空市) with synthetic data; later issues add registers to it',
  usage: 'demo',
  needsDatabase: true,
  run: async (args, ctx) => {
    if (args.length > 0) throw new UsageError('demo takes no arguments');
    const db = await ctx.database();
    const existing = await inSystem(db, (tx) => findTenantByCode(tx, DEMO_TENANT_CODE));
    if (existing) {
      ctx.out(`demo tenant ${existing.name} (${existing.code}) already exists; nothing to do`);
      return;
    }
    await initTenant(ctx, {
      code: DEMO_TENANT_CODE,
      name: '架空市',
      prefecture: '架空県',
      admin: 'demo-admin',
      adminName: 'デモ 管理者',
    });
  },
};
