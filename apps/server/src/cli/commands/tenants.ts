import { inSystem } from '../../platform/db/database.js';
import { listTenants } from '../../platform/tenancy/tenancy.repository.js';
import { UsageError, type Command } from '../command.js';

export const tenantsCommand: Command = {
  name: 'tenants',
  summary: 'List tenants with their policy pack and version',
  usage: 'tenants',
  needsDatabase: true,
  run: async (args, ctx) => {
    if (args.length > 0) throw new UsageError('tenants takes no arguments');
    const rows = await inSystem(await ctx.database(), (tx) => listTenants(tx));
    if (rows.length === 0) ctx.out('no tenants yet: run `npm run cli -- init`');
    for (const t of rows) {
      ctx.out(
        `${t.code}  ${t.name}（${t.prefecture}）  pack ${t.policyPackId} ${t.policyPackVersion}`,
      );
    }
  },
};
