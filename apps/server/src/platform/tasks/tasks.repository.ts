import { and, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { TenantTx } from '../db/database.js';
import { tasks } from './tasks.tables.js';

export type TaskRow = typeof tasks.$inferSelect;
export type NewTaskRow = Omit<typeof tasks.$inferInsert, 'tenantId' | 'id' | 'createdAt'>;

export async function insertTask(tx: TenantTx, row: NewTaskRow): Promise<TaskRow> {
  const [created] = await tx
    .insert(tasks)
    .values({ ...row, tenantId: tx.scope.tenantId })
    .returning();
  if (!created) throw new Error('task insert returned no row');
  return created;
}

export async function findTask(tx: TenantTx, id: string): Promise<TaskRow | null> {
  const rows = await tx.select().from(tasks).where(eq(tasks.id, id)).limit(1);
  return rows[0] ?? null;
}

/** Closes an open task (done or cancelled); null when it was not open any more. */
export async function closeTask(
  tx: TenantTx,
  id: string,
  close: { status: 'done' | 'cancelled'; by: string | null; at: Date; note: string | null },
): Promise<TaskRow | null> {
  const [row] = await tx
    .update(tasks)
    .set({
      status: close.status,
      completedAt: close.at,
      completedBy: close.by,
      resolutionNote: close.note,
    })
    .where(and(eq(tasks.id, id), eq(tasks.status, 'open')))
    .returning();
  return row ?? null;
}

export interface TaskFilter {
  /** Owned by one of these people or units; `all` = no owner restriction. */
  owners: { personIds: readonly string[]; unitIds: readonly string[] } | 'all';
  status?: string;
  source?: { type: string; id: string };
  limit: number;
}

/** Tasks by owner, open first by due date, newest first otherwise. */
export async function listTasks(tx: TenantTx, filter: TaskFilter): Promise<TaskRow[]> {
  let owner: SQL | undefined;
  if (filter.owners !== 'all') {
    const { personIds, unitIds } = filter.owners;
    if (personIds.length === 0 && unitIds.length === 0) return [];
    owner = or(
      personIds.length > 0 ? inArray(tasks.ownerPersonId, [...personIds]) : undefined,
      unitIds.length > 0 ? inArray(tasks.ownerUnitId, [...unitIds]) : undefined,
    );
  }
  return tx
    .select()
    .from(tasks)
    .where(
      and(
        owner,
        filter.status ? eq(tasks.status, filter.status) : undefined,
        filter.source
          ? and(eq(tasks.sourceType, filter.source.type), eq(tasks.sourceId, filter.source.id))
          : undefined,
      ),
    )
    .orderBy(
      sql`${tasks.status} <> 'open'`,
      sql`${tasks.dueDate} ASC NULLS LAST`,
      desc(tasks.createdAt),
    )
    .limit(filter.limit);
}
