import {
  checkpointListSchema,
  errorBodySchema,
  logReviewCreatedSchema,
  logReviewCreateSchema,
  logReviewListSchema,
  operationLogExportQuerySchema,
  operationLogPageSchema,
  operationLogQuerySchema,
  operationLogVerificationSchema,
  operationLogVerifyInputSchema,
} from '@mamori/contracts';
import { toTokyoDate } from '@mamori/policy';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../../platform/authz/index.js';
import type { AppContext } from '../../platform/context.js';
import { inTenant } from '../../platform/db/database.js';
import { requestTenant } from '../../platform/http/tenant.js';
import { exportOperationLogCsv } from '../../platform/oplog/oplog-csv.js';
import {
  addLogReview,
  checkpointsOf,
  logReviewsOf,
  verifyTenantLog,
  viewOperationLog,
} from './operation-log.service.js';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema };

function filterOf(q: {
  fromDate?: string | undefined;
  toDate?: string | undefined;
  actorId?: string | undefined;
  action?: string | undefined;
  subjectType?: string | undefined;
  subjectId?: string | undefined;
}) {
  return {
    ...(q.fromDate ? { fromDate: q.fromDate } : {}),
    ...(q.toDate ? { toDate: q.toDate } : {}),
    ...(q.actorId ? { actorId: q.actorId } : {}),
    ...(q.action ? { action: q.action } : {}),
    ...(q.subjectType ? { subjectType: q.subjectType } : {}),
    ...(q.subjectId ? { subjectId: q.subjectId } : {}),
  };
}

/**
 * The operation log for tenant_admin, the chief_security_officer and auditors
 * (std-7.1.6.1–3, std-10.1.6): viewer, CSV export, verification, checkpoints
 * and periodic reviews.
 */
export function operationLogRoutes(ctx: AppContext): FastifyPluginCallbackZod {
  return (app, _opts, done) => {
    app.get(
      '/api/operation-log',
      {
        schema: {
          tags: ['operation-log'],
          summary: 'Operation log entries, newest first, with verification state',
          querystring: operationLogQuerySchema,
          response: { 200: operationLogPageSchema, ...errors },
        },
        config: { permission: 'operation_log:read' },
      },
      async (request) => {
        const caller = callerOf(request);
        const q = request.query;
        return inTenant(ctx.db, caller.scope, (tx) =>
          viewOperationLog(tx, filterOf(q), {
            limit: q.limit,
            ...(q.beforeSeq === undefined ? {} : { beforeSeq: q.beforeSeq }),
          }),
        );
      },
    );

    app.get(
      '/api/operation-log/export',
      {
        schema: {
          tags: ['operation-log'],
          summary: 'Operation log as CSV (UTF-8 with BOM or Shift_JIS)',
          querystring: operationLogExportQuerySchema,
          response: { 200: z.any(), ...errors, 422: errorBodySchema },
        },
        config: { permission: 'operation_log:read' },
      },
      async (request, reply) => {
        const caller = callerOf(request);
        const { tenant } = await requestTenant(ctx, request);
        const q = request.query;
        const csv = await inTenant(
          ctx.db,
          caller.scope,
          (tx) => exportOperationLogCsv(tx, filterOf(q), q.encoding),
          { snapshot: true },
        );
        const name = `operation-log-${tenant.code}-${toTokyoDate(new Date())}.csv`;
        const charset = q.encoding === 'cp932' ? 'Shift_JIS' : 'utf-8';
        return reply
          .header('content-type', `text/csv; charset=${charset}`)
          .header('content-disposition', `attachment; filename="${name}"`)
          .send(csv);
      },
    );

    app.post(
      '/api/operation-log/verification',
      {
        schema: {
          tags: ['operation-log'],
          summary:
            'Verify the chain, checkpoints and anchored records (optionally against a checkpoint file)',
          body: operationLogVerifyInputSchema,
          response: { 200: operationLogVerificationSchema, ...errors },
        },
        config: { permission: 'operation_log:read' },
      },
      async (request) => {
        const caller = callerOf(request);
        return verifyTenantLog(
          ctx.db,
          caller.scope,
          ctx.config.logKeyDir,
          request.body.checkpointsText,
          new Date(),
        );
      },
    );

    app.get(
      '/api/operation-log/checkpoints',
      {
        schema: {
          tags: ['operation-log'],
          summary: 'Signed checkpoints of the chain head (C2SP signed notes)',
          response: { 200: checkpointListSchema, ...errors },
        },
        config: { permission: 'operation_log:read' },
      },
      async (request) => {
        const caller = callerOf(request);
        return { checkpoints: await inTenant(ctx.db, caller.scope, checkpointsOf) };
      },
    );

    app.get(
      '/api/operation-log/reviews',
      {
        schema: {
          tags: ['operation-log'],
          summary: 'Periodic reviews of the log and when the next is due',
          response: { 200: logReviewListSchema, ...errors },
        },
        config: { permission: 'operation_log:read' },
      },
      async (request) => {
        const caller = callerOf(request);
        const { tenant } = await requestTenant(ctx, request);
        const pack = await ctx.packs.get(tenant.policyPackId);
        return inTenant(ctx.db, caller.scope, (tx) => logReviewsOf(tx, pack));
      },
    );

    app.post(
      '/api/operation-log/reviews',
      {
        schema: {
          tags: ['operation-log'],
          summary: 'Record a review of a range of the log (std-7.1.6.3)',
          body: logReviewCreateSchema,
          response: { 201: logReviewCreatedSchema, ...errors },
        },
        config: { permission: 'operation_log:review' },
      },
      async (request, reply) => {
        const caller = callerOf(request);
        const created = await inTenant(ctx.db, caller.scope, (tx) =>
          addLogReview(tx, caller.accountId, request.body),
        );
        return reply.code(201).send(created);
      },
    );
    done();
  };
}
