import type { CreateDelegationInput, DelegationView } from '@mamori/contracts';
import {
  buildOrgSnapshot,
  delegationNotifyRecipients,
  readBooleanSetting,
  readListSetting,
  validateDelegation,
  type Delegation,
} from '@mamori/policy';
import type { TenantTx } from '../../platform/db/database.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { NotificationService } from '../../platform/notifications/index.js';
import type { Actor } from '../../platform/oplog/oplog.service.js';
import { getEffectiveSettings } from '../../platform/settings/settings.service.js';
import { recordOrganizationEvent } from './organization.events.js';
import {
  canNominateDeputy,
  canRevokeDelegation,
  canViewDelegation,
  type CallerReach,
} from './organization.policy.js';
import { findPeople } from './people.repository.js';
import {
  findAssignment,
  findDelegation,
  insertDelegation,
  listAssignments,
  listDelegations,
  revokeDelegation as revokeDelegationRow,
  type DelegationRow,
  type RoleAssignmentRow,
} from './roles.repository.js';
import { packRole } from './roles.service.js';
import {
  loadOrgRows,
  toDelegation,
  toRoleAssignment,
  tokyoDateOf,
  type OrgPack,
} from './snapshot.service.js';
import { systemNames } from './systems.repository.js';
import { unitNames } from './units.repository.js';

/** Presents delegations with names and the caller's abilities (only those the caller may see). */
async function present(
  tx: TenantTx,
  reach: CallerReach,
  rows: readonly DelegationRow[],
  now: Date,
  trusted = false,
): Promise<DelegationView[]> {
  const assignments = new Map<string, RoleAssignmentRow>();
  for (const row of rows) {
    if (!assignments.has(row.assignmentId)) {
      const a = await findAssignment(tx, row.assignmentId);
      if (a) assignments.set(a.id, a);
    }
  }
  const personIds = [
    ...rows.map((r) => r.deputyPersonId),
    ...[...assignments.values()].flatMap((a) => (a.holderPersonId ? [a.holderPersonId] : [])),
  ];
  const people = new Map(
    (await findPeople(tx, personIds)).map((p) => [p.id, `${p.familyName} ${p.givenName}`]),
  );
  const units = await unitNames(
    tx,
    [...assignments.values()].flatMap((a) => (a.scopeUnitId ? [a.scopeUnitId] : [])),
  );
  const systems = await systemNames(
    tx,
    [...assignments.values()].flatMap((a) => (a.scopeSystemId ? [a.scopeSystemId] : [])),
  );
  return rows.flatMap((row) => {
    const a = assignments.get(row.assignmentId);
    if (!a?.holderPersonId) return [];
    const holderPersonId = a.holderPersonId;
    if (
      !trusted &&
      !canViewDelegation(reach, { holderPersonId, deputyPersonId: row.deputyPersonId })
    ) {
      return [];
    }
    const scope = toRoleAssignment(a).scope;
    return [
      {
        id: row.id,
        assignmentId: a.id,
        role: a.role,
        scope:
          scope.kind === 'unit'
            ? { kind: 'unit', unitId: scope.unitId, name: units.get(scope.unitId) ?? '' }
            : scope.kind === 'system'
              ? {
                  kind: 'system',
                  systemId: scope.systemId,
                  name: systems.get(scope.systemId) ?? '',
                }
              : { kind: 'tenant' },
        holder: { personId: holderPersonId, name: people.get(holderPersonId) ?? '' },
        deputy: { personId: row.deputyPersonId, name: people.get(row.deputyPersonId) ?? '' },
        startsAt: row.startsAt.toISOString(),
        endsAt: row.endsAt.toISOString(),
        reason: row.reason,
        revokedAt: row.revokedAt?.toISOString() ?? null,
        abilities: {
          revoke: canRevokeDelegation(reach, {
            holderPersonId,
            revoked: row.revokedAt !== null,
            ended: row.endsAt.getTime() <= now.getTime(),
          }),
        },
      },
    ];
  });
}

/**
 * Delegations the caller may see: of a person (as holder or deputy), the
 * caller's own, or all (org-wide roles), newest first.
 */
export async function listDelegationViews(
  tx: TenantTx,
  reach: CallerReach,
  filter: {
    personId?: string;
    all?: boolean;
    /** The caller may see this person's details (person page): every delegation is shown. */
    personVisible?: boolean;
  },
  now: Date = new Date(),
): Promise<DelegationView[]> {
  let rows: DelegationRow[];
  if (filter.all === true) {
    rows = await listDelegations(tx);
  } else {
    const personId = filter.personId ?? reach.caller.personId;
    if (personId === null) return [];
    const held = await listAssignments(tx, { holderPersonId: personId });
    rows = await listDelegations(tx, {
      assignmentIds: held.map((a) => a.id),
      deputyPersonId: personId,
    });
  }
  return present(tx, reach, rows, now, filter.personVisible === true);
}

/**
 * Names a deputy (代行者, std-7.2.1.3b) for a role assignment over a period:
 * the holder for themselves, or the tenant_admin / chief_security_officer for
 * them. Validated by the pure rules (deputy ≠ holder, active, no overlap …);
 * the nomination notifies the roles of `approval.delegation.notify_roles`
 * and the holder's superior (std-7.2.1.3c), and the deputy, in-app and by
 * email, queued in the same transaction.
 */
export async function createDelegation(
  tx: TenantTx,
  actor: Actor,
  pack: OrgPack,
  reach: CallerReach,
  notifications: NotificationService,
  assignmentId: string,
  input: CreateDelegationInput,
  now: Date,
): Promise<string> {
  const assignment = await findAssignment(tx, assignmentId);
  if (!assignment) throw notFound('role assignment');
  const role = packRole(pack, assignment.role);
  const today = tokyoDateOf(now);
  const ended = assignment.validTo !== null && assignment.validTo <= today;
  if (!canNominateDeputy(reach, { holderPersonId: assignment.holderPersonId, ended }, role)) {
    throw new AppError('forbidden', 'You may not name a deputy for this role assignment.');
  }
  const settings = await getEffectiveSettings(tx, pack);
  if (!readBooleanSetting(settings, 'approval.delegation.allowed')) {
    throw new AppError(
      'delegation_invalid',
      'Deputies are not allowed (approval.delegation.allowed).',
      {
        problems: [{ code: 'delegation_not_allowed', clauses: ['std-7.2.1.3b'] }],
      },
    );
  }
  const startsAt = new Date(input.startsAt);
  const endsAt = new Date(input.endsAt);
  if (endsAt.getTime() <= now.getTime()) {
    throw new AppError('delegation_invalid', 'The period has already ended.', {
      problems: [{ code: 'period_in_past', clauses: ['std-7.2.1.3b'] }],
    });
  }
  const date = tokyoDateOf(startsAt);
  const snapshot = buildOrgSnapshot(await loadOrgRows(tx, date, pack), date);
  const candidate: Delegation = {
    id: '00000000-0000-4000-8000-000000000000',
    assignmentId,
    deputyPersonId: input.deputyPersonId,
    from: startsAt.toISOString(),
    to: endsAt.toISOString(),
    revoked: false,
  };
  const problems = validateDelegation(snapshot, candidate);
  if (problems.length > 0) {
    throw new AppError('delegation_invalid', problems.map((p) => p.message).join('; '), {
      problems: problems.map((p) => ({ code: p.code, message: p.message, clauses: p.clauses })),
    });
  }
  const row = await insertDelegation(tx, {
    assignmentId,
    deputyPersonId: input.deputyPersonId,
    startsAt,
    endsAt,
    reason: input.reason,
    createdBy: actor.type === 'account' ? actor.id : null,
  });

  // std-7.2.1.3c: tell the notify roles and the holder's superior, and the deputy.
  const notifyRoles = readListSetting(settings, 'approval.delegation.notify_roles');
  const recipients = delegationNotifyRecipients(
    { ...snapshot, delegations: [...snapshot.delegations, toDelegation(row)] },
    toDelegation(row),
    notifyRoles,
    now,
  );
  const personIds = [
    ...new Set([
      ...recipients.flatMap((r) => (r.holder.kind === 'person' ? [r.holder.personId] : [])),
      input.deputyPersonId,
    ]),
  ];
  const people = new Map((await findPeople(tx, personIds)).map((p) => [p.id, p]));
  const holder = assignment.holderPersonId
    ? (await findPeople(tx, [assignment.holderPersonId]))[0]
    : undefined;
  const holderName = holder ? `${holder.familyName} ${holder.givenName}` : '';
  const deputy = people.get(input.deputyPersonId);
  const deputyName = deputy ? `${deputy.familyName} ${deputy.givenName}` : '';
  const roleTitle = role?.title_ja ?? assignment.role;
  const notified: string[] = [];
  for (const personId of personIds) {
    const accountId = people.get(personId)?.accountId;
    if (!accountId) continue;
    await notifications.notify(tx, {
      recipient: { accountId },
      channels: ['in_app', 'email'],
      subject: `代行者の指名: ${roleTitle}（${holderName} → ${deputyName}）`,
      body: [
        `${holderName} の ${roleTitle} の代行者として ${deputyName} が指名されました。`,
        `期間: ${row.startsAt.toISOString()} – ${row.endsAt.toISOString()}`,
        `理由: ${row.reason}`,
        '根拠: 対策基準 7.2(1)③(イ)(ウ)',
      ].join('\n'),
      message: {
        key: 'organization.delegationNominated',
        params: { role: assignment.role, holder: holderName, deputy: deputyName },
      },
      source: { module: 'organization', subjectType: 'delegation', subjectId: row.id },
      dedupeKey: `delegation:${row.id}:nominated:${personId}`,
    });
    notified.push(personId);
  }
  await recordOrganizationEvent(tx, actor, {
    action: 'organization.delegation_created',
    subject: { type: 'delegation', id: row.id },
    payload: {
      assignmentId,
      role: assignment.role,
      holderPersonId: assignment.holderPersonId ?? '',
      deputyPersonId: input.deputyPersonId,
      startsAt: row.startsAt.toISOString(),
      endsAt: row.endsAt.toISOString(),
      reason: row.reason,
      notified,
    },
  });
  return row.id;
}

/** Revokes a delegation (the holder, or the tenant_admin / chief_security_officer). */
export async function revokeDelegation(
  tx: TenantTx,
  actor: Actor,
  reach: CallerReach,
  delegationId: string,
  reason: string,
  now: Date,
): Promise<void> {
  const row = await findDelegation(tx, delegationId);
  const assignment = row ? await findAssignment(tx, row.assignmentId) : null;
  if (!row || !assignment?.holderPersonId) throw notFound('delegation');
  const holderPersonId = assignment.holderPersonId;
  if (!canViewDelegation(reach, { holderPersonId, deputyPersonId: row.deputyPersonId })) {
    throw notFound('delegation');
  }
  if (
    !canRevokeDelegation(reach, {
      holderPersonId,
      revoked: row.revokedAt !== null,
      ended: row.endsAt.getTime() <= now.getTime(),
    })
  ) {
    throw new AppError('forbidden', 'You may not revoke this delegation (or it is over).');
  }
  await revokeDelegationRow(tx, delegationId, actor.type === 'account' ? actor.id : null, now);
  await recordOrganizationEvent(tx, actor, {
    action: 'organization.delegation_revoked',
    subject: { type: 'delegation', id: delegationId },
    payload: { assignmentId: row.assignmentId, reason },
  });
}
