import { OrgIndex } from '@mamori/policy';
import type { FastifyRequest } from 'fastify';
import type { Caller } from '../../platform/authz/index.js';
import type { AppContext } from '../../platform/context.js';
import type { TenantTx } from '../../platform/db/database.js';
import { requestTenant } from '../../platform/http/tenant.js';
import type { TaskAudience, TaskDirectory } from '../../platform/tasks/index.js';
import { callerReach } from './organization.policy.js';
import { findPeople } from './people.repository.js';
import { organizationSnapshot, tokyoDateOf } from './snapshot.service.js';
import { unitNames } from './units.repository.js';

/**
 * The organization's side of the tasks routes: who owns and who acts for
 * which tasks. A security_manager acts for the people and units of their 課
 * (std-2.4.2), a security_officer for their 部局; the tenant_admin and the
 * chief_security_officer see every task.
 */
export function organizationTaskDirectory(ctx: AppContext): TaskDirectory {
  return {
    async audience(
      tx: TenantTx,
      caller: Caller,
      request: FastifyRequest,
      focusUnitId?: string,
    ): Promise<TaskAudience> {
      const { tenant: tenantRow } = await requestTenant(ctx, request);
      const pack = await ctx.packs.get(tenantRow.policyPackId);
      const today = tokyoDateOf(new Date());
      const snapshot = await organizationSnapshot(tx, today, pack);
      const index = new OrgIndex(snapshot);
      const reach = callerReach(caller, snapshot);
      const me = caller.personId === null ? undefined : index.people.get(caller.personId);
      const seesAll =
        reach.isAdmin || caller.roles.some((h) => h.role === 'chief_security_officer');
      let managed = [...reach.actsForUnitIds];
      if (focusUnitId !== undefined) {
        managed = seesAll
          ? snapshot.units.filter((u) => index.isWithin(u.id, focusUnitId)).map((u) => u.id)
          : managed.filter((id) => index.isWithin(id, focusUnitId));
      }
      const managedSet = new Set(managed);
      const managedPersonIds = snapshot.people
        .filter(
          (p) =>
            (p.primaryUnitId !== null && managedSet.has(p.primaryUnitId)) ||
            p.additionalUnitIds.some((id) => managedSet.has(id)),
        )
        .map((p) => p.id);
      return {
        personId: caller.personId,
        ownUnitIds: me
          ? [me.primaryUnitId, ...me.additionalUnitIds].filter((id) => id !== null)
          : [],
        managedUnitIds: managed,
        managedPersonIds,
        seesAll,
      };
    },
    async names(tx, personIds, unitIds) {
      const people = await findPeople(tx, personIds);
      return {
        people: new Map(people.map((p) => [p.id, `${p.familyName} ${p.givenName}`])),
        units: await unitNames(tx, unitIds),
      };
    },
  };
}
