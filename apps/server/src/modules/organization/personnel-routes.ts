import {
  createPersonnelEventSchema,
  createReorganizationSchema,
  errorBodySchema,
  orgExportQuerySchema,
  orgImportApplySchema,
  orgImportKindSchema,
  orgImportPreviewSchema,
  orgImportStatusSchema,
  personnelEventKindSchema,
  personnelEventListSchema,
  personnelEventSchema,
  personnelEventStatusSchema,
  reorganizationListSchema,
  reorganizationPreviewSchema,
  reorganizationSchema,
} from '@mamori/contracts';
import { toTokyoDate } from '@mamori/policy';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../../platform/authz/index.js';
import type { AppContext } from '../../platform/context.js';
import { inTenant } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { requestTenant } from '../../platform/http/tenant.js';
import { recordOperation } from '../../platform/oplog/oplog.service.js';
import { exportOrg } from './export-org.js';
import { requestOrgImportApply } from './import-job.js';
import {
  getOrgImportPreview,
  getOrgImportStatus,
  MAX_ORG_IMPORT_BYTES,
  uploadOrgImport,
} from './import-plan.js';
import {
  cancelPersonnelEvent,
  findPersonnelEvent,
  listPersonnelEvents,
  type PersonnelEventRow,
} from './personnel-events.repository.js';
import { recordPersonnelEvent } from './personnel-events.service.js';
import {
  applyReorganization,
  cancelReorganization,
  createReorganization,
  listReorganizationPlans,
  previewReorganizationPlan,
} from './reorganization-plans.js';
import { orgErrorResponses as errors, orgRouteTags as tags, withOrg } from './route-context.js';

/*
 * Routes of the organization's changes over time: personnel events, 組織改正
 * and the HR import/export. Thin: the guard authenticates and checks the
 * permission; the handler validates, runs the service in the tenant's
 * transaction and presents.
 */

const idParams = z.object({ id: z.uuid() });

/** Content types an HR file may be uploaded as (the raw file is the body). */
export const IMPORT_CONTENT_TYPES = [
  'application/octet-stream',
  'text/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
] as const;

function presentEvent(e: PersonnelEventRow) {
  return {
    id: e.id,
    personId: e.personId,
    kind: personnelEventKindSchema.parse(e.kind),
    effectiveDate: e.effectiveDate,
    status: personnelEventStatusSchema.parse(e.status),
    details: e.details as Record<string, unknown>,
    importDigest: e.importDigest,
    appliedAt: e.appliedAt?.toISOString() ?? null,
    createdAt: e.createdAt.toISOString(),
  };
}

/** The caller, tenant scope and pack, outside any transaction (imports open their own). */
async function callContext(ctx: AppContext, request: FastifyRequest) {
  const caller = callerOf(request);
  const { tenant } = await requestTenant(ctx, request);
  const pack = await ctx.packs.get(tenant.policyPackId);
  return { caller, scope: caller.scope, pack, today: toTokyoDate(new Date()) };
}

export function personnelRoutes(ctx: AppContext): FastifyPluginCallbackZod {
  return (app, _opts, done) => {
    // The HR file is the raw request body (no multipart): CSV or xlsx bytes.
    app.addContentTypeParser(
      [...IMPORT_CONTENT_TYPES],
      { parseAs: 'buffer', bodyLimit: MAX_ORG_IMPORT_BYTES },
      (_request, body, parsed) => {
        parsed(null, body);
      },
    );

    // ── Personnel events (異動, 退職, 休職, 復職, 採用) ─────────────────────────
    app.post(
      '/api/organization/personnel-events',
      {
        schema: {
          tags,
          summary: 'Record a personnel event (applied at once, or scheduled for its date)',
          body: createPersonnelEventSchema,
          response: { 201: z.object({ event: personnelEventSchema }), ...errors },
        },
        config: { permission: 'organization:manage' },
      },
      async (request, reply) => {
        const result = await withOrg(ctx, request, (r) =>
          recordPersonnelEvent(r.tx, r.pack, r.actor, request.body, { today: r.today }),
        );
        return reply.code(201).send({ event: presentEvent(result.event) });
      },
    );

    app.get(
      '/api/organization/personnel-events',
      {
        schema: {
          tags,
          summary: 'Personnel events (of a person, or by status)',
          querystring: z.object({
            personId: z.uuid().optional(),
            status: personnelEventStatusSchema.optional(),
          }),
          response: { 200: personnelEventListSchema, ...errors },
        },
        config: { permission: 'organization:manage' },
      },
      (request) =>
        withOrg(ctx, request, async (r) => ({
          events: (
            await listPersonnelEvents(r.tx, {
              ...(request.query.personId ? { personId: request.query.personId } : {}),
              ...(request.query.status ? { status: request.query.status } : {}),
            })
          ).map(presentEvent),
        })),
    );

    app.post(
      '/api/organization/personnel-events/:id/cancel',
      {
        schema: {
          tags,
          summary: 'Cancel a scheduled personnel event',
          params: idParams,
          response: { 200: z.object({ event: personnelEventSchema }), ...errors },
        },
        config: { permission: 'organization:manage' },
      },
      (request) =>
        withOrg(ctx, request, async (r) => {
          const event = await findPersonnelEvent(r.tx, request.params.id);
          if (!event) throw new AppError('not_found', 'personnel event not found');
          if (!(await cancelPersonnelEvent(r.tx, event.id)))
            throw new AppError('conflict', `The event is ${event.status}.`, {
              status: event.status,
            });
          await recordOperation(r.tx, r.actor, {
            action: 'organization.personnel_event_cancelled',
            subject: { type: 'personnel_event', id: event.id },
            payload: {
              personId: event.personId,
              kind: event.kind,
              effectiveDate: event.effectiveDate,
            },
          });
          return { event: presentEvent({ ...event, status: 'cancelled' }) };
        }),
    );

    // ── 組織改正 ────────────────────────────────────────────────────────────────
    app.get(
      '/api/organization/reorganizations',
      {
        schema: {
          tags,
          summary: 'Reorganization plans',
          response: { 200: reorganizationListSchema, ...errors },
        },
        config: { permission: 'organization:manage' },
      },
      (request) =>
        withOrg(ctx, request, async (r) => ({ items: await listReorganizationPlans(r.tx) })),
    );

    app.post(
      '/api/organization/reorganizations',
      {
        schema: {
          tags,
          summary: 'Create a draft reorganization plan',
          body: createReorganizationSchema,
          response: { 201: reorganizationSchema, ...errors },
        },
        config: { permission: 'organization:manage' },
      },
      async (request, reply) => {
        const plan = await withOrg(ctx, request, (r) =>
          createReorganization(r.tx, r.pack, r.actor, request.body),
        );
        return reply.code(201).send(plan);
      },
    );

    app.get(
      '/api/organization/reorganizations/:id/preview',
      {
        schema: {
          tags,
          summary:
            'Preview a reorganization: resulting tree, moves, roles ended or re-homed, problems',
          params: idParams,
          response: { 200: reorganizationPreviewSchema, ...errors },
        },
        config: { permission: 'organization:manage' },
      },
      (request) =>
        withOrg(ctx, request, (r) => previewReorganizationPlan(r.tx, r.pack, request.params.id)),
    );

    app.post(
      '/api/organization/reorganizations/:id/apply',
      {
        schema: {
          tags,
          summary: 'Apply a reorganization for its effective date (all-or-nothing)',
          params: idParams,
          response: { 200: reorganizationSchema, ...errors },
        },
        config: { permission: 'organization:manage' },
      },
      (request) =>
        withOrg(ctx, request, (r) => applyReorganization(r.tx, r.pack, r.actor, request.params.id)),
    );

    app.post(
      '/api/organization/reorganizations/:id/cancel',
      {
        schema: {
          tags,
          summary: 'Cancel a draft reorganization',
          params: idParams,
          response: { 204: z.null(), ...errors },
        },
        config: { permission: 'organization:manage' },
      },
      async (request, reply) => {
        await withOrg(ctx, request, (r) => cancelReorganization(r.tx, r.actor, request.params.id));
        return reply.code(204).send(null);
      },
    );

    // ── HR import / export ───────────────────────────────────────────────────
    app.post(
      '/api/organization/imports/:kind',
      {
        bodyLimit: MAX_ORG_IMPORT_BYTES,
        schema: {
          tags,
          summary:
            'Upload an HR file (CSV UTF-8 / UTF-8 BOM / Shift_JIS, or xlsx) as the raw body; returns the dry run',
          params: z.object({ kind: orgImportKindSchema }),
          querystring: z.object({ fileName: z.string().max(255).optional() }),
          response: {
            201: orgImportPreviewSchema,
            413: errorBodySchema,
            415: errorBodySchema,
            ...errors,
          },
        },
        config: { permission: 'organization:import' },
      },
      async (request, reply) => {
        if (!Buffer.isBuffer(request.body))
          throw new AppError(
            'unsupported_media_type',
            'Send the file as the raw body (application/octet-stream, text/csv or xlsx).',
          );
        const c = await callContext(ctx, request);
        const preview = await uploadOrgImport(ctx.db, c.scope, c.pack, {
          kind: request.params.kind,
          bytes: new Uint8Array(request.body),
          fileName: request.query.fileName?.normalize('NFC') ?? null,
          uploadedBy: c.caller.accountId,
          today: c.today,
        });
        return reply.code(201).send(preview);
      },
    );

    app.get(
      '/api/organization/imports/:id/preview',
      {
        schema: {
          tags,
          summary: 'The dry run of an uploaded HR file',
          params: idParams,
          response: { 200: orgImportPreviewSchema, 410: errorBodySchema, ...errors },
        },
        config: { permission: 'organization:import' },
      },
      (request) => getOrgImportPreview(ctx.db, callerOf(request).scope, request.params.id),
    );

    app.post(
      '/api/organization/imports/:id/apply',
      {
        schema: {
          tags,
          summary: 'Apply an uploaded HR file (all-or-nothing); poll the status for progress',
          params: idParams,
          body: orgImportApplySchema,
          response: { 202: orgImportStatusSchema, 410: errorBodySchema, ...errors },
        },
        config: { permission: 'organization:import' },
      },
      async (request, reply) => {
        const caller = callerOf(request);
        // The apply runs as a job (any app server); the wizard polls the status.
        const status = await requestOrgImportApply(ctx.db, ctx.jobs, caller.scope, {
          id: request.params.id,
          accountId: caller.accountId,
          planDigest: request.body.planDigest,
          today: toTokyoDate(new Date()),
        });
        return reply.code(202).send(status);
      },
    );

    app.get(
      '/api/organization/imports/:id',
      {
        schema: {
          tags,
          summary: 'Where an import stands (processed / total)',
          params: idParams,
          response: { 200: orgImportStatusSchema, 410: errorBodySchema, ...errors },
        },
        config: { permission: 'organization:import' },
      },
      (request) => getOrgImportStatus(ctx.db, callerOf(request).scope, request.params.id),
    );

    app.get(
      '/api/organization/exports/:kind',
      {
        schema: {
          tags,
          summary: 'Export people or units (CSV UTF-8 BOM / Shift_JIS, or xlsx)',
          params: z.object({ kind: orgImportKindSchema }),
          querystring: orgExportQuerySchema,
        },
        config: { permission: 'organization:import' },
      },
      async (request, reply) => {
        const c = await callContext(ctx, request);
        const file = await inTenant(
          ctx.db,
          c.scope,
          (tx) =>
            exportOrg(tx, request.params.kind, c.pack.organization.unit_kinds, {
              format: request.query.format,
              encoding: request.query.encoding,
              asOf: request.query.asOf ?? c.today,
            }),
          { snapshot: true },
        );
        return reply
          .header('content-type', file.contentType)
          .header(
            'content-disposition',
            `attachment; filename="${file.fileName}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
          )
          .send(file.body);
      },
    );
    done();
  };
}
