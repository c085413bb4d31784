import { inSystem, inTenant, tenantScope } from '../../platform/db/database.js';
import { listCheckpoints } from '../../platform/oplog/checkpoints.js';
import { listTenants } from '../../platform/tenancy/tenancy.repository.js';
import { parseOptions } from '../args.js';
import type { Command } from '../command.js';
import { tenantIdOption } from './verify-log.js';

/**
 * `export-checkpoints`: prints the stored signed checkpoints (C2SP notes, one
 * block per checkpoint, separated by a blank line) for keeping outside the
 * system — printed, or handed to an auditor (std-7.1.4.2, std-10.1.6). The
 * output is itself a checkpoint file for `verify-log --checkpoints`.
 */
export const exportCheckpointsCommand: Command = {
  name: 'export-checkpoints',
  summary: 'Print the signed operation-log checkpoints (for an auditor or safekeeping)',
  usage: 'export-checkpoints [--tenant CODE]   (every tenant when absent)',
  needsDatabase: true,
  run: async (args, ctx) => {
    const o = parseOptions(args, { tenant: { type: 'string' } });
    const tenantId = await tenantIdOption(ctx, o.tenant);
    const db = await ctx.database();
    const tenants = await inSystem(db, (tx) => listTenants(tx));
    for (const tenant of tenants) {
      if (tenantId !== undefined && tenant.id !== tenantId) continue;
      const rows = await inTenant(db, tenantScope(tenant.id), (tx) => listCheckpoints(tx));
      for (const row of rows) ctx.out(row.note);
    }
  },
};
