import {
  assignRoleSchema,
  createDelegationSchema,
  delegationSchema,
  endRoleAssignmentSchema,
  idParamSchema,
  listDelegationsQuerySchema,
  listRoleAssignmentsQuerySchema,
  revokeDelegationSchema,
  roleAssignmentSchema,
  roleHoldersQuerySchema,
  roleHoldersSchema,
  roleOverviewSchema,
  unitTreeQuerySchema,
} from '@mamori/contracts';
import type { RoleScope } from '@mamori/policy';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { createDelegation, listDelegationViews, revokeDelegation } from './delegations.service.js';
import { canViewRoleOverview } from './organization.policy.js';
import { orgErrorResponses as errors, orgRouteTags as tags, withOrg } from './route-context.js';
import {
  assignRole,
  endRoleAssignment,
  listRoleAssignments,
  roleHoldersOn,
  roleOverview,
} from './roles.service.js';

const created = z.object({ id: z.uuid() });

/** Role assignments, the role-holder overview, "who held R on date X", and delegations (代行者). */
export function roleRoutes(ctx: AppContext): FastifyPluginCallbackZod {
  return (app, _opts, done) => {
    app.get(
      '/api/organization/role-assignments',
      {
        schema: {
          tags,
          summary: 'Role assignments (ended ones included unless asOf)',
          querystring: listRoleAssignmentsQuerySchema,
          response: { 200: z.object({ items: z.array(roleAssignmentSchema) }), ...errors },
        },
        config: { permission: 'role_assignment:read' },
      },
      (request) =>
        withOrg(ctx, request, async (r) => {
          const q = request.query;
          return {
            items: await listRoleAssignments(
              r.tx,
              r.pack,
              r.reach,
              {
                ...(q.role ? { role: q.role } : {}),
                ...(q.personId ? { holderPersonId: q.personId } : {}),
                ...(q.unitId ? { unitId: q.unitId } : {}),
                ...(q.systemId ? { scopeSystemId: q.systemId } : {}),
                // Past holders are the organization's history: everyone sees who held a role.
                ...(q.asOf ? { asOf: q.asOf } : {}),
              },
              r.today,
            ),
          };
        }),
    );

    // std-7.2.5: granting a role is privileged (step-up).
    app.post(
      '/api/organization/role-assignments',
      {
        schema: {
          tags,
          summary: 'Assign a role (privileged)',
          body: assignRoleSchema,
          response: { 201: created, ...errors },
        },
        config: { permission: 'role_assignment:manage', privileged: true },
      },
      async (request, reply) => {
        const row = await withOrg(ctx, request, (r) =>
          assignRole(r.tx, r.actor, r.pack, request.body),
        );
        return reply.code(201).send({ id: row.id });
      },
    );

    app.post(
      '/api/organization/role-assignments/:id/end',
      {
        schema: {
          tags,
          summary: 'End a role assignment (privileged; never deleted)',
          params: idParamSchema,
          body: endRoleAssignmentSchema,
          response: { 204: z.null(), ...errors },
        },
        config: { permission: 'role_assignment:manage', privileged: true },
      },
      async (request, reply) => {
        await withOrg(ctx, request, (r) =>
          endRoleAssignment(r.tx, r.actor, request.params.id, request.body),
        );
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/organization/role-overview',
      {
        schema: {
          tags,
          summary: 'Every role × scope with holders, cardinality and 兼務 problems',
          querystring: unitTreeQuerySchema,
          response: { 200: roleOverviewSchema, ...errors },
        },
        config: { permission: 'role_assignment:read' },
      },
      (request) =>
        withOrg(ctx, request, (r) => {
          if (!canViewRoleOverview(r.reach)) {
            throw new AppError(
              'forbidden',
              'The role overview is for role administrators and auditors.',
            );
          }
          return roleOverview(r.tx, r.pack, r.reach, request.query.asOf ?? r.today, r.now);
        }),
    );

    app.get(
      '/api/organization/role-holders',
      {
        schema: {
          tags,
          summary: 'Who held a role for a scope on a date',
          querystring: roleHoldersQuerySchema,
          response: { 200: roleHoldersSchema, ...errors },
        },
        config: { permission: 'role_assignment:read' },
      },
      (request) =>
        withOrg(ctx, request, (r) => {
          const q = request.query;
          let scope: RoleScope;
          if (q.scopeKind === 'unit' && q.unitId) scope = { kind: 'unit', unitId: q.unitId };
          else if (q.scopeKind === 'system' && q.systemId)
            scope = { kind: 'system', systemId: q.systemId };
          else if (q.scopeKind === 'tenant') scope = { kind: 'tenant' };
          else {
            throw new AppError('validation_failed', 'The scope needs its unitId or systemId.', {
              issues: [{ path: 'scopeKind', message: 'id missing', code: 'invalid_value' }],
            });
          }
          const date = q.date ?? r.today;
          const at = q.at
            ? new Date(q.at)
            : date === r.today
              ? r.now
              : new Date(`${date}T12:00:00+09:00`);
          return roleHoldersOn(r.tx, r.pack, r.reach, { role: q.role, scope, date, at });
        }),
    );

    // ── Delegations (代行者, std-7.2.1.3b/c) ────────────────────────────────
    app.get(
      '/api/organization/delegations',
      {
        schema: {
          tags,
          summary: 'Delegations: mine (as holder or deputy) or all',
          querystring: listDelegationsQuerySchema,
          response: { 200: z.object({ items: z.array(delegationSchema) }), ...errors },
        },
        config: { permission: 'role_assignment:read' },
      },
      (request) =>
        withOrg(ctx, request, async (r) => {
          if (request.query.view === 'all' && !r.reach.orgWide) {
            throw new AppError('forbidden', 'Only org-wide roles see every delegation.');
          }
          return {
            items: await listDelegationViews(
              r.tx,
              r.reach,
              request.query.view === 'all' ? { all: true } : {},
              r.now,
            ),
          };
        }),
    );

    app.post(
      '/api/organization/role-assignments/:id/delegations',
      {
        schema: {
          tags,
          summary: 'Name a deputy for a period (std-7.2.1.3b); notifies (std-7.2.1.3c)',
          params: idParamSchema,
          body: createDelegationSchema,
          response: { 201: created, ...errors },
        },
        config: { permission: 'delegation:manage' },
      },
      async (request, reply) => {
        const id = await withOrg(ctx, request, (r) =>
          createDelegation(
            r.tx,
            r.actor,
            r.pack,
            r.reach,
            ctx.notifications,
            request.params.id,
            request.body,
            r.now,
          ),
        );
        return reply.code(201).send({ id });
      },
    );

    app.post(
      '/api/organization/delegations/:id/revoke',
      {
        schema: {
          tags,
          summary: 'Revoke a delegation',
          params: idParamSchema,
          body: revokeDelegationSchema,
          response: { 204: z.null(), ...errors },
        },
        config: { permission: 'delegation:manage' },
      },
      async (request, reply) => {
        await withOrg(ctx, request, (r) =>
          revokeDelegation(r.tx, r.actor, r.reach, request.params.id, request.body.reason, r.now),
        );
        return reply.code(204).send(null);
      },
    );
    done();
  };
}
