import { errorBodySchema } from '@mamori/contracts';
import { toTokyoDate, type OrgSnapshot, type PolicyPack } from '@mamori/policy';
import type { FastifyRequest } from 'fastify';
import { callerOf, type Caller } from '../../platform/authz/index.js';
import type { AppContext } from '../../platform/context.js';
import { inTenant, type TenantTx } from '../../platform/db/database.js';
import { requestTenant } from '../../platform/http/tenant.js';
import type { Actor } from '../../platform/oplog/oplog.service.js';
import { callerReach, type CallerReach } from './organization.policy.js';
import { organizationSnapshot } from './snapshot.service.js';

/** What an organization route handler works with, inside the tenant's transaction. */
export interface OrgRequest {
  readonly tx: TenantTx;
  readonly caller: Caller;
  readonly actor: Actor & { type: 'account' };
  readonly pack: PolicyPack;
  readonly reach: CallerReach;
  readonly now: Date;
  /** Today in Asia/Tokyo. */
  readonly today: string;
}

/** The OpenAPI tag of every organization route. */
export const orgRouteTags = ['organization'];

/** The error responses of the organization routes that change state (house style 5: one body). */
export const orgErrorResponses = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
  422: errorBodySchema,
};

const EMPTY: Omit<OrgSnapshot, 'asOf'> = {
  units: [],
  people: [],
  systems: [],
  roleAssignments: [],
  delegations: [],
};

/** The caller's reach today; the organization is loaded only for callers who act for units. */
export async function reachOf(
  tx: TenantTx,
  caller: Caller,
  pack: Pick<PolicyPack, 'organization'>,
  today: string,
): Promise<CallerReach> {
  const actsForUnits = caller.roles.some(
    (h) => h.role === 'security_manager' || h.role === 'security_officer',
  );
  const snapshot = actsForUnits
    ? await organizationSnapshot(tx, today, pack)
    : { ...EMPTY, asOf: today };
  return callerReach(caller, snapshot);
}

/**
 * Runs a handler in the caller's tenant transaction (house style 1: the
 * route guard authenticated and checked the permission; the handler loads,
 * authorizes with the policy, calls the service and presents).
 */
export async function withOrg<T>(
  ctx: AppContext,
  request: FastifyRequest,
  fn: (r: OrgRequest) => Promise<T>,
): Promise<T> {
  const caller = callerOf(request);
  const { tenant } = await requestTenant(ctx, request);
  const pack = await ctx.packs.get(tenant.policyPackId);
  const now = new Date();
  const today = toTokyoDate(now);
  return inTenant(ctx.db, caller.scope, async (tx) =>
    fn({
      tx,
      caller,
      actor: { type: 'account', id: caller.accountId },
      pack,
      reach: await reachOf(tx, caller, pack, today),
      now,
      today,
    }),
  );
}
