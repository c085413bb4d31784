import type { CreatePersonnelEvent } from '@mamori/contracts';
import {
  addBusinessDays,
  addDays,
  defaultBusinessDayRules,
  holdersOfRole,
  readDurationSetting,
  readTextSetting,
  rolesEndedByTransfer,
  securityManagerOfPerson,
  securityOfficerOfUnit,
  sectionOfUnit,
  type BusinessDayRules,
  type IsoDate,
  type OrgSnapshot,
  type PolicyPack,
  type ResolvedSettings,
} from '@mamori/policy';
import type { TenantTx } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { recordOperation, type Actor } from '../../platform/oplog/oplog.service.js';
import { getEffectiveSettings } from '../../platform/settings/settings.service.js';
import { endMembership, findPerson, insertMembership, insertPerson } from './people.repository.js';
import {
  correctMembershipSameDay,
  disableAccountAndSessions,
  enableAccountDisabledFor,
  endAssignments,
  endMembershipsOfPerson,
  findPersonnelEvent,
  insertPersonnelEvent,
  insertTaskOnce,
  markEventApplied,
  openAssignmentsOfPerson,
  primaryMembershipOn,
  setPersonStatus,
  type PersonnelEventRow,
} from './personnel-events.repository.js';
import { personFields } from './person-fields.js';
import { organizationSnapshot } from './snapshot.service.js';
import { createTask } from '../../platform/tasks/tasks.service.js';
import { listUnitsAsOf } from './units.repository.js';

/** What personnel events need from the tenant's policy pack. */
export type PersonnelPack = Pick<PolicyPack, 'settings' | 'organization' | 'roles'>;

/** The pack setting for the return of assets and IC cards on leaving (std-6.1.1.8). */
export const RETURN_DUE_SETTING = 'personnel.leaving.return_due_within';

/** Why an account is disabled for a 休職; a 復職 enables only accounts disabled for this. */
export const ON_LEAVE_DISABLED_REASON = 'on_leave';
export const LEFT_DISABLED_REASON = 'left';

export interface PersonnelOptions {
  /** Today in Asia/Tokyo: events dated today or earlier apply at once. */
  readonly today: IsoDate;
  /** Set when the event comes from an HR import (its file SHA-256). */
  readonly importDigest?: string;
  /**
   * false inside a bulk import: the import writes one operation-log entry for
   * all its rows (file SHA-256 + digest), not one per event.
   */
  readonly log?: boolean;
  /** A snapshot loaded once for many events of the same date (bulk import). */
  readonly snapshots?: Map<string, OrgSnapshot>;
}

/** What applying an event did. */
export interface AppliedEvent {
  readonly eventId: string;
  readonly endedAssignmentIds: readonly string[];
  readonly sessionsEnded: number;
  readonly taskIds: readonly string[];
}

/** The result of recording an event: applied now, or scheduled for its date. */
export interface RecordedEvent {
  readonly event: PersonnelEventRow;
  readonly applied: AppliedEvent | null;
}

const accountOf = (actor: Actor) => (actor.type === 'account' ? actor.id : null);

const invalid = (message: string, path: string) =>
  new AppError('validation_failed', message, {
    issues: [{ path, message, code: 'invalid' }],
  });

/** Business-day rules from the pack's calendar settings (year-end closure). */
export function businessDayRules(settings: ResolvedSettings): BusinessDayRules {
  const read = (key: string, fallback: string) => {
    try {
      return readTextSetting(settings, key);
    } catch {
      return fallback;
    }
  };
  return {
    ...defaultBusinessDayRules,
    annualClosures: [
      {
        from: read('calendar.year_end_closure.start', '12-29'),
        to: read('calendar.year_end_closure.end', '01-03'),
      },
    ],
  };
}

async function snapshotOn(
  tx: TenantTx,
  pack: PersonnelPack,
  date: IsoDate,
  cache: Map<string, OrgSnapshot> | undefined,
): Promise<OrgSnapshot> {
  const cached = cache?.get(date);
  if (cached) return cached;
  const snapshot = await organizationSnapshot(tx, date, pack);
  cache?.set(date, snapshot);
  return snapshot;
}

async function requireUnitOn(tx: TenantTx, unitId: string, date: string): Promise<void> {
  const units = await listUnitsAsOf(tx, date);
  if (!units.some((u) => u.unitId === unitId))
    throw invalid(`The unit does not exist on ${date}.`, 'unitId');
}

/**
 * Records a personnel event (異動, 退職, 休職, 復職, 採用). A date today or
 * earlier applies at once; a later date is `scheduled` and applied by the
 * daily job on that date (`applyDuePersonnelEvents`). A 採用 creates the
 * person at once; their membership starts on the effective date.
 */
export async function recordPersonnelEvent(
  tx: TenantTx,
  pack: PersonnelPack,
  actor: Actor,
  input: CreatePersonnelEvent,
  options: PersonnelOptions,
): Promise<RecordedEvent> {
  let personId: string;
  let details: Record<string, unknown>;
  if (input.kind === 'hire') {
    await requireUnitOn(tx, input.unitId, input.effectiveDate);
    const person = await insertPerson(tx, personFields(input));
    personId = person.id;
    details = {
      unitId: input.unitId,
      positionTitle: input.positionTitle ?? null,
      reason: input.reason ?? null,
    };
  } else {
    const person = await findPerson(tx, input.personId);
    if (!person) throw new AppError('not_found', 'person not found');
    personId = person.id;
    if (person.status === 'left' && input.kind !== 'return')
      throw invalid('The person has left.', 'personId');
    switch (input.kind) {
      case 'transfer':
        await requireUnitOn(tx, input.toUnitId, input.effectiveDate);
        details = {
          toUnitId: input.toUnitId,
          positionTitle: input.positionTitle ?? null,
          reason: input.reason ?? null,
        };
        break;
      case 'leave_of_absence':
        details = { expectedReturn: input.expectedReturn ?? null, reason: input.reason ?? null };
        break;
      case 'leave':
      case 'return':
        details = { reason: input.reason ?? null };
        break;
    }
  }
  const due = input.effectiveDate <= options.today;
  const event = await insertPersonnelEvent(tx, {
    personId,
    kind: input.kind,
    effectiveDate: input.effectiveDate,
    details,
    status: due ? 'applied' : 'scheduled',
    importDigest: options.importDigest ?? null,
    createdBy: accountOf(actor),
  });
  const applied = due ? await applyEventChanges(tx, pack, actor, event, options) : null;
  if (options.log !== false) {
    await recordOperation(tx, actor, {
      action: due
        ? 'organization.personnel_event_applied'
        : 'organization.personnel_event_scheduled',
      subject: { type: 'personnel_event', id: event.id },
      payload: eventPayload(event, applied),
    });
  }
  return { event, applied };
}

function eventPayload(event: PersonnelEventRow, applied: AppliedEvent | null) {
  return {
    personId: event.personId,
    kind: event.kind,
    effectiveDate: event.effectiveDate,
    details: event.details as Record<string, string | null>,
    importDigest: event.importDigest,
    ...(applied
      ? {
          endedAssignmentIds: [...applied.endedAssignmentIds],
          sessionsEnded: applied.sessionsEnded,
          taskIds: [...applied.taskIds],
        }
      : {}),
  };
}

/**
 * Applies one scheduled event now (the daily job): idempotent, an event that
 * is no longer `scheduled` (already applied by another run, or cancelled) is
 * left alone and null is returned.
 */
export async function applyScheduledEvent(
  tx: TenantTx,
  pack: PersonnelPack,
  actor: Actor,
  eventId: string,
  options: PersonnelOptions,
): Promise<AppliedEvent | null> {
  const event = await findPersonnelEvent(tx, eventId);
  if (event?.status !== 'scheduled') return null;
  if (!(await markEventApplied(tx, event.id))) return null;
  const applied = await applyEventChanges(tx, pack, actor, event, options);
  if (options.log !== false) {
    await recordOperation(tx, actor, {
      action: 'organization.personnel_event_applied',
      subject: { type: 'personnel_event', id: event.id },
      payload: eventPayload(event, applied),
    });
  }
  return applied;
}

/** The state changes of one event on its effective date. */
async function applyEventChanges(
  tx: TenantTx,
  pack: PersonnelPack,
  actor: Actor,
  event: PersonnelEventRow,
  options: PersonnelOptions,
): Promise<AppliedEvent> {
  const date = event.effectiveDate;
  const details = event.details as Record<string, string | null | undefined>;
  const person = await findPerson(tx, event.personId);
  if (!person) throw new Error(`personnel event ${event.id}: person missing`);
  const result = {
    eventId: event.id,
    endedAssignmentIds: [] as string[],
    sessionsEnded: 0,
    taskIds: [] as string[],
  };
  switch (event.kind) {
    case 'hire': {
      const unitId = details.unitId;
      if (!unitId) throw new Error(`hire ${event.id} without unit`);
      if (!(await primaryMembershipOn(tx, person.id, date)))
        await insertMembership(tx, {
          personId: person.id,
          unitId,
          kind: 'primary',
          positionTitle: details.positionTitle ?? null,
          validFrom: date,
        });
      await setPersonStatus(tx, person.id, 'active');
      return result;
    }
    case 'transfer': {
      const toUnitId = details.toUnitId;
      if (!toUnitId) throw new Error(`transfer ${event.id} without unit`);
      const current = await primaryMembershipOn(tx, person.id, date);
      const title = details.positionTitle ?? null;
      if (current?.unitId === toUnitId && current.positionTitle === title) return result;
      // std-2.4.1: roles for the unit left (the old 課's security_manager) end with the move.
      const snapshot = await snapshotOn(tx, pack, date, options.snapshots);
      const ended = rolesEndedByTransfer(snapshot, person.id, toUnitId);
      for (const reason of new Set(ended.map((e) => e.reason)))
        result.endedAssignmentIds.push(
          ...(await endAssignments(
            tx,
            ended.filter((e) => e.reason === reason).map((e) => e.assignment.id),
            date,
            `transfer: ${reason}`,
            accountOf(actor),
          )),
        );
      if (current && current.validFrom >= date) {
        await correctMembershipSameDay(tx, current.id, toUnitId, title);
      } else {
        if (current) await endMembership(tx, current.id, date);
        await insertMembership(tx, {
          personId: person.id,
          unitId: toUnitId,
          kind: 'primary',
          positionTitle: title,
          validFrom: date,
        });
      }
      return result;
    }
    case 'leave': {
      // Who confirms the return (std-6.1.1.8): the security_manager of the person's
      // last 課, resolved on the last day of service.
      const lastDay = addDays(date, -1);
      const before = await snapshotOn(tx, pack, lastDay, options.snapshots);
      const owner = returnTaskOwner(before, person.id, lastDay);
      await setPersonStatus(tx, person.id, 'left');
      const open = await openAssignmentsOfPerson(tx, person.id, date);
      result.endedAssignmentIds = await endAssignments(
        tx,
        open.map((a) => a.id),
        date,
        'leave',
        accountOf(actor),
      );
      await endMembershipsOfPerson(tx, person.id, date);
      if (person.accountId)
        result.sessionsEnded = await disableAccountAndSessions(
          tx,
          person.accountId,
          LEFT_DISABLED_REASON,
        );
      const settings = await getEffectiveSettings(tx, pack);
      const within = readDurationSetting(settings, RETURN_DUE_SETTING);
      const dueDate = addBusinessDays(date, within.amount, businessDayRules(settings));
      const name = `${person.familyName} ${person.givenName}`;
      for (const [title, description] of [
        [
          `情報資産の返却確認: ${name}`,
          `退職（${date}）に伴い、${name} が利用していた情報資産（端末、電磁的記録媒体、文書等）が管理者へ返却されたことを確認してください。`,
        ],
        [
          `ICカード等の返却確認: ${name}`,
          `退職（${date}）に伴い、${name} に貸与したICカード、セキュリティキー等の認証用機器が返却されたことを確認してください。`,
        ],
      ] as const) {
        if (!owner.personId && !owner.unitId) break; // nobody to own it: the role check reports that
        const task = {
          title,
          description,
          ownerPersonId: owner.personId,
          ownerUnitId: owner.personId ? null : owner.unitId,
          dueDate,
        };
        if (options.log === false) {
          // Inside a bulk import: the import's one log entry covers its tasks.
          const id = await insertTaskOnce(tx, {
            ...task,
            sourceType: 'personnel_event',
            sourceId: event.id,
            clause: 'std-6.1.1.8',
          });
          if (id) result.taskIds.push(id);
        } else {
          const created = await createTask(tx, actor, {
            ...task,
            source: { type: 'personnel_event', id: event.id },
            clause: 'std-6.1.1.8',
          });
          result.taskIds.push(created.id);
        }
      }
      return result;
    }
    case 'leave_of_absence': {
      // 休職: sessions end and the account is disabled for the period; roles
      // stay, and the cardinality check reports the on-leave holder.
      await setPersonStatus(tx, person.id, 'on_leave');
      if (person.accountId)
        result.sessionsEnded = await disableAccountAndSessions(
          tx,
          person.accountId,
          ON_LEAVE_DISABLED_REASON,
        );
      return result;
    }
    case 'return': {
      if (person.status === 'left') {
        // 再任用 etc. is a new hire, not a return.
        throw invalid('A person who has left returns through a new hire.', 'personId');
      }
      await setPersonStatus(tx, person.id, 'active');
      if (person.accountId)
        await enableAccountDisabledFor(tx, person.accountId, ON_LEAVE_DISABLED_REASON);
      return result;
    }
    default:
      throw new Error(`unknown personnel event kind ${event.kind}`);
  }
}

/**
 * The owner of the return tasks: the leaver's security_manager; when the
 * leaver is that security_manager, the security_officer of the 部局; else
 * the 課 itself.
 */
export function returnTaskOwner(
  snapshot: OrgSnapshot,
  personId: string,
  at: IsoDate,
): { personId: string | null; unitId: string | null } {
  const instant = `${at}T12:00:00+09:00`;
  const managers = securityManagerOfPerson(snapshot, personId, instant).filter(
    (h) => h.holder.kind === 'person' && h.holder.personId !== personId,
  );
  const first = managers[0]?.holder;
  if (first?.kind === 'person') return { personId: first.personId, unitId: null };
  const person = snapshot.people.find((p) => p.id === personId);
  const unitId = person?.primaryUnitId ?? null;
  if (unitId) {
    const officers = securityOfficerOfUnit(snapshot, unitId, instant).filter(
      (h) => h.holder.kind === 'person' && h.holder.personId !== personId,
    );
    const officer = officers[0]?.holder;
    if (officer?.kind === 'person') return { personId: officer.personId, unitId: null };
    return { personId: null, unitId: sectionOfUnit(snapshot, unitId)?.id ?? unitId };
  }
  // No unit at all: the chief_security_officer sees to it (統括, std-2.2).
  const chief = holdersOfRole(snapshot, 'chief_security_officer', { kind: 'tenant' }, instant)[0]
    ?.holder;
  if (chief?.kind === 'person') return { personId: chief.personId, unitId: null };
  return { personId: null, unitId: null };
}
