import type { TaskView } from '@mamori/contracts';
import type { TenantTx } from '../db/database.js';
import { AppError, notFound } from '../errors.js';
import type { Actor } from '../oplog/oplog.service.js';
import { recordTaskEvent } from './tasks.events.js';
import {
  closeTask,
  findTask,
  insertTask,
  listTasks,
  type TaskFilter,
  type TaskRow,
} from './tasks.repository.js';

/**
 * The one task entity (issue 4): every follow-up the policy demands — return
 * of assets and IC cards on leaving (std-6.1.1.8), later findings and reviews
 * — is a task with an owner (a person, or a unit such as the PoC), a due
 * date, the source that created it and the clause that demands it. Later
 * modules create tasks through {@link createTask}, never a second kind.
 */

export interface CreateTaskInput {
  readonly title: string;
  readonly description?: string | null;
  readonly ownerPersonId?: string | null;
  readonly ownerUnitId?: string | null;
  /** A calendar date (Asia/Tokyo), or null. */
  readonly dueDate: string | null;
  /** What created it: e.g. `{ type: 'personnel_event', id }`. */
  readonly source: { readonly type: string; readonly id: string };
  /** The clause that demands the follow-up, e.g. `std-6.1.1.8`. */
  readonly clause: string;
}

/** Who may see and act on which tasks (the organization module computes it). */
export interface TaskAudience {
  /** The caller's person (null: an operator account with no person). */
  readonly personId: string | null;
  /** Units the caller belongs to (a unit-owned task is theirs too). */
  readonly ownUnitIds: readonly string[];
  /** Units and people the caller acts for (the security_manager of a 課, std-2.4.2). */
  readonly managedUnitIds: readonly string[];
  readonly managedPersonIds: readonly string[];
  /** tenant_admin / chief_security_officer: every task. */
  readonly seesAll: boolean;
}

const CLAUSE = /^[a-z]+-[0-9A-Za-z.]+$/;

/**
 * Creates a task in the caller's transaction with its own operation-log entry
 * (`tasks.created`; the log takes the tenant's head lock, so create tasks
 * after the caller's other writes). The owner is a person or a unit of the
 * organization; the calling module vouches for the id (no FK: platform
 * tables do not depend on modules).
 */
export async function createTask(
  tx: TenantTx,
  actor: Actor,
  input: CreateTaskInput,
): Promise<TaskRow> {
  const title = input.title.normalize('NFC').trim();
  if (!title || title.length > 300) {
    throw new AppError('validation_failed', 'A task needs a title of at most 300 characters.');
  }
  if (!input.ownerPersonId && !input.ownerUnitId) {
    throw new AppError('validation_failed', 'A task needs an owner person or unit.');
  }
  if (!CLAUSE.test(input.clause)) {
    throw new AppError('validation_failed', `Not a clause key: ${input.clause}`);
  }
  const row = await insertTask(tx, {
    title,
    description: input.description ?? null,
    ownerPersonId: input.ownerPersonId ?? null,
    ownerUnitId: input.ownerUnitId ?? null,
    dueDate: input.dueDate,
    sourceType: input.source.type,
    sourceId: input.source.id,
    clause: input.clause,
    status: 'open',
  });
  await recordTaskEvent(tx, actor, {
    action: 'tasks.created',
    subject: { type: 'task', id: row.id },
    payload: {
      title: row.title,
      ownerPersonId: row.ownerPersonId,
      ownerUnitId: row.ownerUnitId,
      dueDate: row.dueDate,
      source: { type: row.sourceType, id: row.sourceId },
      clause: row.clause,
    },
  });
  return row;
}

/** Whether the caller sees a task: its owner, who acts for the owner, or everyone for admins. */
export function canSeeTask(audience: TaskAudience, task: TaskRow): boolean {
  return audience.seesAll || isOwner(audience, task) || isManager(audience, task);
}

function isOwner(audience: TaskAudience, task: TaskRow): boolean {
  return (
    (task.ownerPersonId !== null && task.ownerPersonId === audience.personId) ||
    (task.ownerUnitId !== null && audience.ownUnitIds.includes(task.ownerUnitId))
  );
}

function isManager(audience: TaskAudience, task: TaskRow): boolean {
  return (
    (task.ownerPersonId !== null && audience.managedPersonIds.includes(task.ownerPersonId)) ||
    (task.ownerUnitId !== null && audience.managedUnitIds.includes(task.ownerUnitId))
  );
}

/** Abilities on a task: the owner completes; who acts for the owner completes or cancels. */
export function taskAbilities(audience: TaskAudience, task: TaskRow): Record<string, boolean> {
  const open = task.status === 'open';
  const manages = audience.seesAll || isManager(audience, task);
  return {
    complete: open && (isOwner(audience, task) || manages),
    cancel: open && manages,
  };
}

/** A task the audience may see; not_found otherwise (hidden objects are 404). */
export async function findVisibleTask(
  tx: TenantTx,
  audience: TaskAudience,
  taskId: string,
): Promise<TaskRow> {
  const task = await findTask(tx, taskId);
  if (!task || !canSeeTask(audience, task)) throw notFound('task');
  return task;
}

async function closeOne(
  tx: TenantTx,
  actor: Actor,
  audience: TaskAudience | null,
  taskId: string,
  status: 'done' | 'cancelled',
  note: string | null,
  now: Date,
): Promise<TaskRow> {
  const task = await findTask(tx, taskId);
  if (!task || (audience !== null && !canSeeTask(audience, task))) throw notFound('task');
  if (task.status !== 'open') throw new AppError('conflict', 'The task is not open any more.');
  if (audience !== null) {
    const abilities = taskAbilities(audience, task);
    if (!(status === 'done' ? abilities.complete : abilities.cancel)) {
      throw new AppError(
        'forbidden',
        `You may not ${status === 'done' ? 'complete' : 'cancel'} this task.`,
      );
    }
  }
  const by = actor.type === 'account' ? actor.id : null;
  const closed = await closeTask(tx, taskId, { status, by, at: now, note });
  if (!closed) throw new AppError('conflict', 'The task is not open any more.');
  await recordTaskEvent(tx, actor, {
    action: status === 'done' ? 'tasks.completed' : 'tasks.cancelled',
    subject: { type: 'task', id: taskId },
    payload: { note },
  });
  return closed;
}

/**
 * Marks a task done. With an audience (a request), only its owner or who acts
 * for the owner may; without one (a module's own flow), the caller vouches.
 */
export function completeTask(
  tx: TenantTx,
  actor: Actor,
  taskId: string,
  options: { audience?: TaskAudience | null; note?: string | null; now?: Date } = {},
): Promise<TaskRow> {
  return closeOne(
    tx,
    actor,
    options.audience ?? null,
    taskId,
    'done',
    options.note ?? null,
    options.now ?? new Date(),
  );
}

/** Cancels a task (who acts for the owner, or admins). */
export function cancelTask(
  tx: TenantTx,
  actor: Actor,
  taskId: string,
  options: { audience?: TaskAudience | null; note?: string | null; now?: Date } = {},
): Promise<TaskRow> {
  return closeOne(
    tx,
    actor,
    options.audience ?? null,
    taskId,
    'cancelled',
    options.note ?? null,
    options.now ?? new Date(),
  );
}

/** The caller's own tasks (as person, or of their units). */
export function listOwnTasks(
  tx: TenantTx,
  audience: TaskAudience,
  options: { status?: string; limit?: number } = {},
): Promise<TaskRow[]> {
  return listTasks(tx, {
    owners: {
      personIds: audience.personId ? [audience.personId] : [],
      unitIds: audience.ownUnitIds,
    },
    ...(options.status ? { status: options.status } : {}),
    limit: options.limit ?? 100,
  });
}

/** Tasks of the units (and their people) the caller acts for; every task for admins. */
export function listManagedTasks(
  tx: TenantTx,
  audience: TaskAudience,
  options: { status?: string; limit?: number; all?: boolean } = {},
): Promise<TaskRow[]> {
  const owners: TaskFilter['owners'] =
    audience.seesAll && options.all === true
      ? 'all'
      : { personIds: audience.managedPersonIds, unitIds: audience.managedUnitIds };
  return listTasks(tx, {
    owners,
    ...(options.status ? { status: options.status } : {}),
    limit: options.limit ?? 100,
  });
}

/** Tasks created by one source (e.g. the tasks of a personnel event). */
export function tasksOfSource(
  tx: TenantTx,
  source: { type: string; id: string },
): Promise<TaskRow[]> {
  return listTasks(tx, { owners: 'all', source, limit: 500 });
}

/** Presents a task for the API. */
export function presentTask(
  task: TaskRow,
  audience: TaskAudience,
  names: { people: ReadonlyMap<string, string>; units: ReadonlyMap<string, string> },
): TaskView {
  return {
    id: task.id,
    title: task.title,
    description: task.description,
    owner:
      task.ownerPersonId !== null
        ? {
            kind: 'person',
            personId: task.ownerPersonId,
            name: names.people.get(task.ownerPersonId) ?? '',
          }
        : {
            kind: 'unit',
            unitId: task.ownerUnitId ?? '',
            name: names.units.get(task.ownerUnitId ?? '') ?? '',
          },
    dueDate: task.dueDate,
    source: { type: task.sourceType, id: task.sourceId },
    clause: task.clause,
    status: task.status as TaskView['status'],
    completedAt: task.completedAt?.toISOString() ?? null,
    resolutionNote: task.resolutionNote,
    createdAt: task.createdAt.toISOString(),
    abilities: taskAbilities(audience, task),
  };
}
