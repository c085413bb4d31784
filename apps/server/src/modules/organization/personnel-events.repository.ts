import { and, asc, eq, gt, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { TenantTx } from '../../platform/db/database.js';
import { accounts } from '../../platform/auth/accounts.tables.js';
import { sessions } from '../../platform/auth/sessions.tables.js';
import { tasks } from '../../platform/tasks/tasks.tables.js';
import {
  orgUnits,
  people,
  personnelEvents,
  roleAssignments,
  unitMemberships,
} from './organization.tables.js';

/*
 * SQL of personnel events (異動, 退職, 休職, 復職, 採用) and of the
 * effective-dated rows they end or start. Only this file and the other
 * repositories of the module build SQL.
 */

export type PersonnelEventRow = typeof personnelEvents.$inferSelect;
export type RoleAssignmentRow = typeof roleAssignments.$inferSelect;

export async function insertPersonnelEvent(
  tx: TenantTx,
  e: {
    personId: string;
    kind: string;
    effectiveDate: string;
    details: Record<string, unknown>;
    status: 'scheduled' | 'applied';
    importDigest: string | null;
    createdBy: string | null;
  },
): Promise<PersonnelEventRow> {
  const [row] = await tx
    .insert(personnelEvents)
    .values({
      ...e,
      tenantId: tx.scope.tenantId,
      appliedAt: e.status === 'applied' ? sql`now()` : null,
    })
    .returning();
  if (!row) throw new Error('personnel event insert returned no row');
  return row;
}

/**
 * Scheduled events due on or before `date`, oldest first, locked so that two
 * runs of the job never apply one event twice (the second skips it).
 */
export async function lockDueEvents(
  tx: TenantTx,
  date: string,
  limit = 500,
): Promise<PersonnelEventRow[]> {
  return tx
    .select()
    .from(personnelEvents)
    .where(and(eq(personnelEvents.status, 'scheduled'), lte(personnelEvents.effectiveDate, date)))
    .orderBy(asc(personnelEvents.effectiveDate), asc(personnelEvents.createdAt))
    .limit(limit)
    .for('update', { skipLocked: true });
}

/** Marks a scheduled event applied; false when it was not scheduled any more. */
export async function markEventApplied(tx: TenantTx, eventId: string): Promise<boolean> {
  const rows = await tx
    .update(personnelEvents)
    .set({ status: 'applied', appliedAt: sql`now()` })
    .where(and(eq(personnelEvents.id, eventId), eq(personnelEvents.status, 'scheduled')))
    .returning({ id: personnelEvents.id });
  return rows.length === 1;
}

export async function findPersonnelEvent(
  tx: TenantTx,
  eventId: string,
): Promise<PersonnelEventRow | null> {
  const rows = await tx
    .select()
    .from(personnelEvents)
    .where(eq(personnelEvents.id, eventId))
    .limit(1);
  return rows[0] ?? null;
}

export async function cancelPersonnelEvent(tx: TenantTx, eventId: string): Promise<boolean> {
  const rows = await tx
    .update(personnelEvents)
    .set({ status: 'cancelled' })
    .where(and(eq(personnelEvents.id, eventId), eq(personnelEvents.status, 'scheduled')))
    .returning({ id: personnelEvents.id });
  return rows.length === 1;
}

export async function listPersonnelEvents(
  tx: TenantTx,
  filter: { personId?: string; status?: string },
  limit = 1000,
): Promise<PersonnelEventRow[]> {
  return tx
    .select()
    .from(personnelEvents)
    .where(
      and(
        filter.personId ? eq(personnelEvents.personId, filter.personId) : undefined,
        filter.status ? eq(personnelEvents.status, filter.status) : undefined,
      ),
    )
    .orderBy(asc(personnelEvents.effectiveDate), asc(personnelEvents.createdAt))
    .limit(limit);
}

/** The person's primary membership in force on `date`, if any. */
export async function primaryMembershipOn(
  tx: TenantTx,
  personId: string,
  date: string,
): Promise<typeof unitMemberships.$inferSelect | null> {
  const rows = await tx
    .select()
    .from(unitMemberships)
    .where(
      and(
        eq(unitMemberships.personId, personId),
        eq(unitMemberships.kind, 'primary'),
        lte(unitMemberships.validFrom, date),
        or(isNull(unitMemberships.validTo), gt(unitMemberships.validTo, date)),
      ),
    )
    .limit(1);
  return rows[0] ?? null;
}

/** Ends every membership of a person still open on `date` (退職). Returns how many. */
export async function endMembershipsOfPerson(
  tx: TenantTx,
  personId: string,
  date: string,
): Promise<number> {
  const rows = await tx
    .update(unitMemberships)
    .set({ validTo: date })
    .where(
      and(
        eq(unitMemberships.personId, personId),
        sql`${unitMemberships.validFrom} < ${date}`,
        or(isNull(unitMemberships.validTo), gt(unitMemberships.validTo, date)),
      ),
    )
    .returning({ id: unitMemberships.id });
  return rows.length;
}

/** Role assignments held by a person and open on `date`. */
export async function openAssignmentsOfPerson(
  tx: TenantTx,
  personId: string,
  date: string,
): Promise<RoleAssignmentRow[]> {
  return tx
    .select()
    .from(roleAssignments)
    .where(
      and(
        eq(roleAssignments.holderPersonId, personId),
        or(isNull(roleAssignments.validTo), gt(roleAssignments.validTo, date)),
      ),
    );
}

/**
 * Ends role assignments on `date` (exclusive) with a reason. An assignment
 * that would only start on or after `date` is left alone (it never held).
 */
export async function endAssignments(
  tx: TenantTx,
  ids: readonly string[],
  date: string,
  endReason: string,
  endedBy: string | null,
): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await tx
    .update(roleAssignments)
    .set({ validTo: date, endReason, endedBy })
    .where(
      and(
        inArray(roleAssignments.id, [...ids]),
        sql`${roleAssignments.validFrom} < ${date}`,
        or(isNull(roleAssignments.validTo), gt(roleAssignments.validTo, date)),
      ),
    )
    .returning({ id: roleAssignments.id });
  return rows.map((r) => r.id);
}

export async function setPersonStatus(
  tx: TenantTx,
  personId: string,
  status: 'active' | 'on_leave' | 'left',
): Promise<void> {
  await tx.update(people).set({ status }).where(eq(people.id, personId));
}

/**
 * Disables a Mamori account and ends its live sessions (revoked_reason
 * `disabled`). Already-disabled accounts keep their first reason. Returns the
 * number of sessions ended.
 */
export async function disableAccountAndSessions(
  tx: TenantTx,
  accountId: string,
  reason: string,
): Promise<number> {
  await tx
    .update(accounts)
    .set({ disabledAt: sql`now()`, disabledReason: reason })
    .where(and(eq(accounts.id, accountId), isNull(accounts.disabledAt)));
  const ended = await tx
    .update(sessions)
    .set({ revokedAt: sql`now()`, revokedReason: 'disabled' })
    .where(and(eq(sessions.accountId, accountId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return ended.length;
}

/** Enables an account again only if it was disabled for `reason` (休職 → 復職). */
export async function enableAccountDisabledFor(
  tx: TenantTx,
  accountId: string,
  reason: string,
): Promise<boolean> {
  const rows = await tx
    .update(accounts)
    .set({ disabledAt: null, disabledReason: null })
    .where(and(eq(accounts.id, accountId), eq(accounts.disabledReason, reason)))
    .returning({ id: accounts.id });
  return rows.length === 1;
}

/** Inserts a follow-up task unless one exists for the same source and title (idempotent). */
export async function insertTaskOnce(
  tx: TenantTx,
  t: {
    title: string;
    description: string | null;
    ownerPersonId: string | null;
    ownerUnitId: string | null;
    dueDate: string | null;
    sourceType: string;
    sourceId: string;
    clause: string;
  },
): Promise<string | null> {
  const existing = await tx
    .select({ id: tasks.id })
    .from(tasks)
    .where(
      and(
        eq(tasks.sourceType, t.sourceType),
        eq(tasks.sourceId, t.sourceId),
        eq(tasks.title, t.title),
      ),
    )
    .limit(1);
  if (existing[0]) return null;
  const [row] = await tx
    .insert(tasks)
    .values({ ...t, tenantId: tx.scope.tenantId })
    .returning({ id: tasks.id });
  return row?.id ?? null;
}

/** Every unit's identity (code, kind, life), abolished ones included: codes stay unique. */
export async function listUnitIdentities(tx: TenantTx) {
  return tx
    .select({
      id: orgUnits.id,
      code: orgUnits.code,
      kind: orgUnits.kind,
      validFrom: orgUnits.validFrom,
      validTo: orgUnits.validTo,
    })
    .from(orgUnits);
}

/**
 * Corrects a membership that starts on the change date itself (hired and
 * moved on the same day): there is no earlier day to keep.
 */
export async function correctMembershipSameDay(
  tx: TenantTx,
  membershipId: string,
  unitId: string,
  positionTitle: string | null,
): Promise<void> {
  await tx
    .update(unitMemberships)
    .set({ unitId, positionTitle })
    .where(eq(unitMemberships.id, membershipId));
}
