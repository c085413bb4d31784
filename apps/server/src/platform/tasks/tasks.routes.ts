import {
  closeTaskSchema,
  errorBodySchema,
  listTasksQuerySchema,
  taskSchema,
  tasksPageSchema,
} from '@mamori/contracts';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf, type Caller } from '../authz/index.js';
import type { AppContext } from '../context.js';
import { inTenant, type TenantTx } from '../db/database.js';
import { AppError } from '../errors.js';
import {
  cancelTask,
  completeTask,
  findVisibleTask,
  listManagedTasks,
  listOwnTasks,
  presentTask,
  type TaskAudience,
} from './tasks.service.js';
import type { TaskRow } from './tasks.repository.js';

/**
 * What the tasks routes need from the organization (platform parts do not
 * import modules; server.ts wires the organization module's implementation).
 */
export interface TaskDirectory {
  /**
   * The caller's audience: their person and units, and the units and people
   * they act for (restricted to `focusUnitId` and its sub-units when given).
   */
  audience(
    tx: TenantTx,
    caller: Caller,
    request: FastifyRequest,
    focusUnitId?: string,
  ): Promise<TaskAudience>;
  /** Display names of task owners. */
  names(
    tx: TenantTx,
    personIds: readonly string[],
    unitIds: readonly string[],
  ): Promise<{ people: Map<string, string>; units: Map<string, string> }>;
}

const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
};
const idParams = z.object({ id: z.uuid() });

/** `/api/tasks`: own tasks for everyone; the tasks of a 課 for its security_manager (and admins). */
export function taskRoutes(ctx: AppContext, directory: TaskDirectory): FastifyPluginCallbackZod {
  async function present(tx: TenantTx, audience: TaskAudience, rows: readonly TaskRow[]) {
    const names = await directory.names(
      tx,
      rows.flatMap((t) => (t.ownerPersonId ? [t.ownerPersonId] : [])),
      rows.flatMap((t) => (t.ownerUnitId ? [t.ownerUnitId] : [])),
    );
    return rows.map((t) => presentTask(t, audience, names));
  }

  return (app, _opts, done) => {
    app.get(
      '/api/tasks',
      {
        schema: {
          tags: ['tasks'],
          summary: 'Follow-up tasks: mine, or of the units I act for',
          querystring: listTasksQuerySchema,
          response: { 200: tasksPageSchema, ...errors },
        },
        config: { permission: 'task:read' },
      },
      (request) => {
        const caller = callerOf(request);
        const q = request.query;
        return inTenant(ctx.db, caller.scope, async (tx) => {
          const audience = await directory.audience(tx, caller, request, q.unitId);
          if (
            q.view === 'unit' &&
            q.unitId !== undefined &&
            !audience.seesAll &&
            audience.managedUnitIds.length === 0
          ) {
            // Not a unit the caller acts for: do not reveal whether it exists.
            throw new AppError('not_found', 'unit not found');
          }
          const options = { ...(q.status ? { status: q.status } : {}), limit: q.limit };
          const rows =
            q.view === 'mine'
              ? await listOwnTasks(tx, audience, options)
              : await listManagedTasks(tx, audience, { ...options, all: q.unitId === undefined });
          return { items: await present(tx, audience, rows) };
        });
      },
    );

    for (const [verb, close] of [
      ['complete', completeTask],
      ['cancel', cancelTask],
    ] as const) {
      app.post(
        `/api/tasks/:id/${verb}`,
        {
          schema: {
            tags: ['tasks'],
            summary: verb === 'complete' ? 'Mark a task done' : 'Cancel a task',
            params: idParams,
            body: closeTaskSchema,
            response: { 200: taskSchema, ...errors },
          },
          config: { permission: 'task:manage' },
        },
        (request) => {
          const caller = callerOf(request);
          return inTenant(ctx.db, caller.scope, async (tx) => {
            const audience = await directory.audience(tx, caller, request);
            const task = await findVisibleTask(tx, audience, request.params.id);
            // Names first: the operation-log append stays the transaction's last statement.
            const names = await directory.names(
              tx,
              task.ownerPersonId ? [task.ownerPersonId] : [],
              task.ownerUnitId ? [task.ownerUnitId] : [],
            );
            const row = await close(tx, { type: 'account', id: caller.accountId }, task.id, {
              audience,
              note: request.body.note ?? null,
            });
            return presentTask(row, audience, names);
          });
        },
      );
    }
    done();
  };
}
