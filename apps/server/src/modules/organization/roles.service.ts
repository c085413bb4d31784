import type {
  AssignRoleInput,
  EndRoleAssignmentInput,
  RoleAssignmentView,
  RoleOverview,
  RoleProblem as RoleProblemView,
  RoleScopeInput,
} from '@mamori/contracts';
import {
  activeDelegation,
  buildOrgSnapshot,
  checkRoleCardinality,
  holdersOfRole,
  OrgIndex,
  readIntegerSetting,
  scopeKey,
  toTokyoDate,
  type OrgRows,
  type OrgSnapshot,
  type PackRole,
  type RoleAssignment,
  type RoleProblem,
  type RoleScope,
} from '@mamori/policy';
import type { TenantTx } from '../../platform/db/database.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { Actor } from '../../platform/oplog/oplog.service.js';
import { getEffectiveSettings } from '../../platform/settings/settings.service.js';
import { recordOrganizationEvent } from './organization.events.js';
import {
  assignmentAbilities,
  organizationAbilities,
  type CallerReach,
} from './organization.policy.js';
import { findPeople, findPersonByAccount } from './people.repository.js';
import {
  endAssignment,
  findAssignment,
  insertAssignment,
  listAssignments,
  listPlatformRoleHolders,
  lockRole,
  type AssignmentFilter,
  type RoleAssignmentRow,
} from './roles.repository.js';
import { loadOrgRows, toRoleAssignment, type OrgPack } from './snapshot.service.js';
import { systemNames } from './systems.repository.js';
import { unitNames } from './units.repository.js';

/** Roles that are not granted here: tenant_admin is a platform role (account_roles); staff is implicit. */
const NOT_ASSIGNABLE = new Set(['tenant_admin', 'staff']);

/** Problem codes that are 兼務 / separation-of-duties rules: allowed only with a recorded reason (std-2.9). */
const EXCEPTION_CODES = new Set([
  'tenant_admin_holds_approver',
  'contractor_holds_privileged',
  'auditor_is_auditee',
]);
/** Problem codes shown as warnings: the role is held, but needs attention (休職 without a deputy). */
const WARNING_CODES = new Set(['holder_on_leave']);
/** Problem codes that make an assignment impossible. */
const INVALID_CODES = new Set([
  'wrong_scope_kind',
  'wrong_holder_kind',
  'unknown_scope',
  'holder_inactive',
]);

/** The account behind an actor (null for jobs and the operator's CLI). */
function accountOf(actor: Actor): string | null {
  return actor.type === 'account' ? actor.id : null;
}

/** The pack role of an id, or undefined. */
export function packRole(pack: Pick<OrgPack, 'roles'>, role: string): PackRole | undefined {
  return pack.roles.roles.find((r) => r.id === role);
}

/** Labels of the people, units and systems some assignments refer to. */
async function labelsOf(tx: TenantTx, rows: readonly RoleAssignmentRow[]) {
  const personIds = rows.flatMap((r) => (r.holderPersonId ? [r.holderPersonId] : []));
  const unitIds = rows.flatMap((r) => [r.holderUnitId, r.scopeUnitId].filter((x) => x !== null));
  const systemIds = rows.flatMap((r) => (r.scopeSystemId ? [r.scopeSystemId] : []));
  const people = await findPeople(tx, personIds);
  const units = await unitNames(tx, unitIds);
  const systems = await systemNames(tx, systemIds);
  return {
    people: new Map(people.map((p) => [p.id, `${p.familyName} ${p.givenName}`])),
    units,
    systems,
  };
}

type Labels = Awaited<ReturnType<typeof labelsOf>>;

function presentScope(
  labels: Labels,
  scope: RoleScope | RoleScopeInput,
): RoleAssignmentView['scope'] {
  switch (scope.kind) {
    case 'unit':
      return { kind: 'unit', unitId: scope.unitId, name: labels.units.get(scope.unitId) ?? '' };
    case 'system':
      return {
        kind: 'system',
        systemId: scope.systemId,
        name: labels.systems.get(scope.systemId) ?? '',
      };
    default:
      return { kind: 'tenant' };
  }
}

function presentOne(
  labels: Labels,
  pack: Pick<OrgPack, 'roles'>,
  reach: CallerReach,
  row: RoleAssignmentRow,
  today: string,
): RoleAssignmentView {
  const a = toRoleAssignment(row);
  const ended = row.validTo !== null && row.validTo <= today;
  return {
    id: row.id,
    role: row.role,
    holder:
      a.holder.kind === 'person'
        ? {
            kind: 'person',
            personId: a.holder.personId,
            name: labels.people.get(a.holder.personId) ?? '',
          }
        : { kind: 'unit', unitId: a.holder.unitId, name: labels.units.get(a.holder.unitId) ?? '' },
    scope: presentScope(labels, a.scope),
    validFrom: row.validFrom,
    validTo: row.validTo,
    note: row.note,
    exceptionReason: row.exceptionReason,
    endReason: row.endReason,
    abilities: assignmentAbilities(
      reach,
      { holderPersonId: row.holderPersonId, ended },
      packRole(pack, row.role),
    ),
  };
}

/** Presents role assignments with names and the caller's abilities. */
export async function presentAssignments(
  tx: TenantTx,
  pack: Pick<OrgPack, 'roles'>,
  reach: CallerReach,
  rows: readonly RoleAssignmentRow[],
  today: string = toTokyoDate(new Date()),
): Promise<RoleAssignmentView[]> {
  const labels = await labelsOf(tx, rows);
  return rows.map((row) => presentOne(labels, pack, reach, row, today));
}

/** Role assignments matching a filter (ended ones included unless `asOf`). */
export async function listRoleAssignments(
  tx: TenantTx,
  pack: OrgPack,
  reach: CallerReach,
  filter: AssignmentFilter,
  today: string,
): Promise<RoleAssignmentView[]> {
  return presentAssignments(tx, pack, reach, await listAssignments(tx, filter), today);
}

/** The tenant_admin grants (account_roles) of accounts linked to people, as synthetic assignments. */
async function withPlatformAdmins(
  tx: TenantTx,
  rows: OrgRows,
  date: string,
): Promise<{ rows: OrgRows; unlinkedAdmins: { accountId: string; name: string }[] }> {
  const admins = (await listPlatformRoleHolders(tx, 'tenant_admin')).filter((a) => !a.disabled);
  const linked = new Map<string, string>();
  for (const admin of admins) {
    const person = await findPersonByAccount(tx, admin.accountId);
    if (person) linked.set(admin.accountId, person.id);
  }
  const synthetic: RoleAssignment[] = [...linked].map(([accountId, personId]) => ({
    id: accountId,
    role: 'tenant_admin',
    holder: { kind: 'person', personId },
    scope: { kind: 'tenant' },
    validFrom: date,
    validTo: null,
  }));
  return {
    rows: { ...rows, roleAssignments: [...rows.roleAssignments, ...synthetic] },
    unlinkedAdmins: admins
      .filter((a) => !linked.has(a.accountId))
      .map((a) => ({ accountId: a.accountId, name: a.displayName })),
  };
}

interface CardinalityContext {
  snapshot: OrgSnapshot;
  problems: RoleProblem[];
  unlinkedAdmins: { accountId: string; name: string }[];
  privilegedMax: number;
}

/**
 * Runs the pure cardinality and 兼務 checks on the organization of `date`:
 * tenant_admin grants count as holders (privileged maximum, std-7.2.1.3a;
 * tenant_admin holding an approver role), unlinked admin accounts included.
 */
async function checkOn(
  tx: TenantTx,
  pack: OrgPack,
  date: string,
  extra: readonly RoleAssignment[] = [],
  at?: Date,
): Promise<CardinalityContext> {
  const loaded = await loadOrgRows(tx, date, pack);
  const { rows, unlinkedAdmins } = await withPlatformAdmins(tx, loaded, date);
  const snapshot = buildOrgSnapshot(
    { ...rows, roleAssignments: [...rows.roleAssignments, ...extra] },
    date,
  );
  const settings = await getEffectiveSettings(tx, pack);
  const privilegedMax = readIntegerSetting(settings, 'roles.privileged.max_holders');
  const roles = pack.roles.roles.filter((r) => r.id !== 'staff');
  const problems = checkRoleCardinality(snapshot, roles, {
    // Admin accounts with no person count too.
    privilegedMaxHolders: Math.max(0, privilegedMax - unlinkedAdmins.length),
    // A holder on leave is covered by a deputy acting at this moment (default: noon of `date`).
    at: at ?? `${date}T12:00:00+09:00`,
  }).filter(
    // Unlinked admin accounts hold tenant_admin though no person does.
    (p) => !(p.code === 'missing_holder' && p.role === 'tenant_admin' && unlinkedAdmins.length > 0),
  );
  return { snapshot, problems, unlinkedAdmins, privilegedMax };
}

function scopeOfInput(scope: RoleScopeInput): RoleScope {
  return scope;
}

/**
 * Grants a role (privileged, std-7.2.5). Checked with the pure rules on the
 * organization of `validFrom` (and of every later date another assignment
 * of the role starts): the scope fits the role (tenant / 部局 / 課 / system),
 * the holder is the right kind and active; an `exactly_one`/`at_most_one`
 * scope gets no second holder unless the previous holder's assignment ends
 * on `validFrom` in this request (`replacesAssignmentIds`); a 兼務 /
 * separation-of-duties conflict (std-2.9.1, std-2.9.2, std-7.2.1.3a/d) needs
 * an `exceptionReason`, recorded and reported in the overview.
 */
export async function assignRole(
  tx: TenantTx,
  actor: Actor,
  pack: OrgPack,
  input: AssignRoleInput,
): Promise<RoleAssignmentRow> {
  const role = packRole(pack, input.role);
  if (!role || NOT_ASSIGNABLE.has(input.role)) {
    throw new AppError(
      'validation_failed',
      input.role === 'tenant_admin'
        ? 'tenant_admin is granted to accounts (account administration), not assigned here.'
        : `"${input.role}" is not a role that can be assigned.`,
      { issues: [{ path: 'role', message: 'not assignable', code: 'invalid_value' }] },
    );
  }
  if (role.scope === 'external_service') {
    throw new AppError(
      'validation_failed',
      'External-service roles are assigned with the service.',
      {
        issues: [{ path: 'role', message: 'not assignable here', code: 'invalid_value' }],
      },
    );
  }
  await lockRole(tx, input.role);
  const scope = scopeOfInput(input.scope);

  // Replaced assignments end on validFrom (same role, same scope, in force then).
  const replaced: RoleAssignmentRow[] = [];
  for (const id of new Set(input.replacesAssignmentIds)) {
    const row = await findAssignment(tx, id);
    const same =
      row !== null &&
      row.role === input.role &&
      scopeKey(toRoleAssignment(row).scope) === scopeKey(scope) &&
      row.validFrom < input.validFrom &&
      (row.validTo === null || row.validTo > input.validFrom);
    if (!row || !same) {
      throw new AppError(
        'validation_failed',
        'A replaced assignment must be of the same role and scope, in force on the start date.',
        { issues: [{ path: 'replacesAssignmentIds', message: id, code: 'invalid_value' }] },
      );
    }
    replaced.push(row);
  }
  for (const row of replaced) {
    await endAssignment(tx, row.id, {
      validTo: input.validFrom,
      endedBy: accountOf(actor),
      endReason: 'replaced',
    });
  }

  const candidate: RoleAssignment = {
    id: '00000000-0000-4000-8000-000000000000',
    role: role.id,
    holder:
      input.holder.kind === 'person'
        ? { kind: 'person', personId: input.holder.personId }
        : { kind: 'unit', unitId: input.holder.unitId },
    scope,
    validFrom: input.validFrom,
    validTo: null,
  };
  const involves = (p: RoleProblem) => p.assignmentIds.includes(candidate.id);
  const before = await checkOn(tx, pack, input.validFrom);
  const after = await checkOn(tx, pack, input.validFrom, [candidate]);
  const invalid = after.problems.find((p) => involves(p) && INVALID_CODES.has(p.code));
  if (invalid) {
    throw new AppError('org_structure_invalid', invalid.message, {
      problem: invalid.code,
      clauses: invalid.clauses,
    });
  }
  const tooMany = after.problems.find((p) => involves(p) && p.code === 'too_many_holders');
  if (tooMany) {
    throw new AppError(
      'role_cardinality_exceeded',
      `${role.id} already has a holder for this scope; end or replace the current assignment.`,
      {
        role: role.id,
        cardinality: role.cardinality,
        currentAssignmentIds: tooMany.assignmentIds.filter((id) => id !== candidate.id),
        clauses: tooMany.clauses,
      },
    );
  }
  const overLimit =
    after.problems.some((p) => p.code === 'privileged_over_limit') &&
    !before.problems.some((p) => p.code === 'privileged_over_limit');
  if (overLimit) {
    throw new AppError(
      'role_cardinality_exceeded',
      `Privileged roles would have more than ${String(after.privilegedMax)} holders (std-7.2.1.3a).`,
      { role: role.id, max: after.privilegedMax, clauses: ['std-7.2.1.3a'] },
    );
  }
  // Later starts of the same role: the scope must not get two holders then either.
  const later = (await listAssignments(tx, { role: role.id })).filter(
    (a) => a.validFrom > input.validFrom,
  );
  for (const date of new Set(later.map((a) => a.validFrom))) {
    const then = await checkOn(tx, pack, date, [candidate]);
    const clash = then.problems.find((p) => involves(p) && p.code === 'too_many_holders');
    if (clash) {
      throw new AppError(
        'role_cardinality_exceeded',
        `${role.id} gets another holder for this scope from ${date}; end this assignment before then.`,
        {
          role: role.id,
          from: date,
          currentAssignmentIds: clash.assignmentIds.filter((id) => id !== candidate.id),
        },
      );
    }
  }
  const conflicts = after.problems.filter((p) => involves(p) && EXCEPTION_CODES.has(p.code));
  if (conflicts.length > 0 && !input.exceptionReason) {
    throw new AppError(
      'role_exception_reason_required',
      'This assignment breaks a separation-of-duties rule; record the reason for the exception.',
      {
        problems: conflicts.map((p) => ({ code: p.code, message: p.message, clauses: p.clauses })),
      },
    );
  }

  const row = await insertAssignment(tx, {
    role: role.id,
    holderPersonId: input.holder.kind === 'person' ? input.holder.personId : null,
    holderUnitId: input.holder.kind === 'unit' ? input.holder.unitId : null,
    scopeKind: scope.kind,
    scopeUnitId: scope.kind === 'unit' ? scope.unitId : null,
    scopeSystemId: scope.kind === 'system' ? scope.systemId : null,
    validFrom: input.validFrom,
    validTo: null,
    note: input.note ?? null,
    exceptionReason: conflicts.length > 0 ? (input.exceptionReason ?? null) : null,
    createdBy: accountOf(actor),
  });
  await recordOrganizationEvent(tx, actor, {
    action: 'organization.role_assigned',
    subject: { type: 'role_assignment', id: row.id },
    payload: {
      role: row.role,
      holder:
        input.holder.kind === 'person'
          ? { kind: 'person', id: input.holder.personId }
          : { kind: 'unit', id: input.holder.unitId },
      scope: {
        kind: scope.kind,
        id: scope.kind === 'unit' ? scope.unitId : scope.kind === 'system' ? scope.systemId : null,
      },
      note: row.note,
      exceptionReason: row.exceptionReason,
      exceptionFor: conflicts.map((p) => p.code),
      replaced: replaced.map((r) => r.id),
      validFrom: row.validFrom,
      validTo: row.validTo,
    },
  });
  return row;
}

/** Ends a role assignment on `validTo` with a reason; never deleted. */
export async function endRoleAssignment(
  tx: TenantTx,
  actor: Actor,
  assignmentId: string,
  input: EndRoleAssignmentInput,
): Promise<RoleAssignmentRow> {
  const row = await findAssignment(tx, assignmentId);
  if (!row) throw notFound('role assignment');
  if (input.validTo <= row.validFrom) {
    throw new AppError('validation_failed', 'The end date must be after the start date.', {
      issues: [{ path: 'validTo', message: `after ${row.validFrom}`, code: 'too_small' }],
    });
  }
  if (row.validTo !== null && row.validTo <= input.validTo) {
    throw new AppError('conflict', 'The assignment already ends on or before that date.', {
      validTo: row.validTo,
    });
  }
  const ended = await endAssignment(tx, assignmentId, {
    validTo: input.validTo,
    endedBy: accountOf(actor),
    endReason: input.reason,
  });
  await recordOrganizationEvent(tx, actor, {
    action: 'organization.role_assignment_ended',
    subject: { type: 'role_assignment', id: assignmentId },
    payload: { role: row.role, validTo: input.validTo, reason: input.reason },
  });
  return ended;
}

function scopeOfProblem(labels: Labels, scope: RoleScope | null): RoleProblemView['scope'] {
  if (scope === null || scope.kind === 'external_service') return null;
  return presentScope(labels, scope);
}

/**
 * The role-holder overview as of a date: every role × scope instance with its
 * holders (and the deputy acting now), the cardinality and 兼務 problems of
 * the pure checks (std-2.9.1/2.9.2), recorded exceptions, and the privileged
 * holders against `roles.privileged.max_holders` (std-7.2.1.3a).
 */
export async function roleOverview(
  tx: TenantTx,
  pack: OrgPack,
  reach: CallerReach,
  asOf: string,
  now: Date,
): Promise<RoleOverview> {
  const at = asOf === toTokyoDate(now) ? now : undefined;
  const { snapshot, problems, unlinkedAdmins, privilegedMax } = await checkOn(
    tx,
    pack,
    asOf,
    [],
    at,
  );
  const index = new OrgIndex(snapshot);
  const rows = (await listAssignments(tx, { asOf })).filter((r) => r.role !== 'staff');
  const labels = await labelsOf(tx, rows);
  for (const unit of snapshot.units) labels.units.set(unit.id, unit.name);
  for (const system of snapshot.systems) labels.systems.set(system.id, system.name);
  for (const person of snapshot.people) labels.people.set(person.id, person.name);
  const exceptionIds = new Set(rows.filter((r) => r.exceptionReason).map((r) => r.id));
  const presentProblem = (p: RoleProblem): RoleProblemView => ({
    code: p.code,
    severity:
      (EXCEPTION_CODES.has(p.code) && p.assignmentIds.some((id) => exceptionIds.has(id))) ||
      WARNING_CODES.has(p.code)
        ? 'warning'
        : 'error',
    role: p.role,
    scope: scopeOfProblem(labels, p.scope),
    message: p.message,
    clauses: [...p.clauses],
    // Synthetic tenant_admin rows carry account ids: list real assignments only.
    assignmentIds: p.assignmentIds.filter((id) => rows.some((r) => r.id === id)),
  });

  const entries: RoleOverview['entries'] = [];
  const placed = new Set<RoleProblem>();
  const today = asOf;
  for (const role of pack.roles.roles) {
    if (role.id === 'staff' || role.id === 'tenant_admin' || role.scope === 'external_service') {
      continue;
    }
    const scopes = new Map<string, RoleScope>();
    if (role.scope === 'tenant') scopes.set('tenant', { kind: 'tenant' });
    if (role.scope === 'department' || role.scope === 'section') {
      for (const unit of snapshot.units) {
        if (unit.actsAs === role.scope && !index.isOutOfScope(unit.id)) {
          scopes.set(scopeKey({ kind: 'unit', unitId: unit.id }), {
            kind: 'unit',
            unitId: unit.id,
          });
        }
      }
    }
    if (role.scope === 'system') {
      for (const system of snapshot.systems) {
        if (!index.isOutOfScope(system.owningUnitId)) {
          scopes.set(scopeKey({ kind: 'system', systemId: system.id }), {
            kind: 'system',
            systemId: system.id,
          });
        }
      }
    }
    const ofRole = rows.filter((r) => r.role === role.id);
    for (const r of ofRole) {
      const s = toRoleAssignment(r).scope;
      scopes.set(scopeKey(s), s);
    }
    for (const [key, scope] of scopes) {
      const holders = ofRole
        .filter((r) => scopeKey(toRoleAssignment(r).scope) === key)
        .map((r) => {
          const delegation = activeDelegation(snapshot, r.id, now);
          return {
            ...presentOne(labels, pack, reach, r, today),
            actingDeputy: delegation
              ? {
                  personId: delegation.deputyPersonId,
                  name: labels.people.get(delegation.deputyPersonId) ?? '',
                  until: delegation.to,
                }
              : null,
          };
        });
      const own = problems.filter(
        (p) => p.role === role.id && p.scope !== null && scopeKey(p.scope) === key,
      );
      for (const p of own) placed.add(p);
      entries.push({
        role: role.id,
        cardinality: role.cardinality,
        scope: presentScope(labels, scope),
        holders,
        problems: own.map(presentProblem),
      });
    }
  }

  // Privileged holders: people with privileged roles (tenant_admin grants included) and admin accounts.
  const privilegedRoles = new Set(pack.roles.roles.filter((r) => r.privileged).map((r) => r.id));
  const byPerson = new Map<string, Set<string>>();
  for (const a of snapshot.roleAssignments) {
    if (a.holder.kind !== 'person' || !privilegedRoles.has(a.role)) continue;
    const set = byPerson.get(a.holder.personId) ?? new Set<string>();
    set.add(a.role);
    byPerson.set(a.holder.personId, set);
  }
  const privilegedHolders: RoleOverview['privileged']['holders'] = [
    ...[...byPerson].map(([personId, roles]) => ({
      kind: 'person' as const,
      id: personId,
      name: labels.people.get(personId) ?? '',
      roles: [...roles].sort(),
    })),
    ...unlinkedAdmins.map((a) => ({
      kind: 'account' as const,
      id: a.accountId,
      name: a.name,
      roles: ['tenant_admin'],
    })),
  ];
  // Recorded exceptions are listed even when the rule no longer fires, so they stay visible.
  const exceptions: RoleProblemView[] = rows
    .filter((r) => r.exceptionReason !== null)
    .map((r) => ({
      code: 'exception_recorded',
      severity: 'warning' as const,
      role: r.role,
      scope: presentScope(labels, toRoleAssignment(r).scope),
      message: `exception recorded (std-2.9): ${r.exceptionReason ?? ''}`,
      clauses: ['std-2.9.1', 'std-2.9.2'],
      assignmentIds: [r.id],
    }));
  return {
    asOf,
    entries,
    problems: [...problems.filter((p) => !placed.has(p)).map(presentProblem), ...exceptions],
    privileged: {
      holders: privilegedHolders,
      count: privilegedHolders.length,
      max: privilegedMax,
      exceeded: privilegedHolders.length > privilegedMax,
    },
    abilities: organizationAbilities(reach),
  };
}

/**
 * Who held `role` for `scope` on `date` (approvals and incidents of the past
 * cite the holder of that day); during a delegation the deputy acts
 * (`at` within the day; default noon Tokyo time).
 */
export async function roleHoldersOn(
  tx: TenantTx,
  pack: OrgPack,
  reach: CallerReach,
  input: { role: string; scope: RoleScope; date: string; at: Date },
) {
  const snapshot = buildOrgSnapshot(await loadOrgRows(tx, input.date, pack), input.date);
  const role = packRole(pack, input.role);
  if (!role) throw notFound('role');
  const resolved = holdersOfRole(snapshot, role.id, input.scope, input.at);
  const rows: RoleAssignmentRow[] = [];
  for (const h of resolved) {
    const row = await findAssignment(tx, h.assignment.id);
    if (row) rows.push(row);
  }
  const labels = await labelsOf(tx, rows);
  for (const person of snapshot.people) labels.people.set(person.id, person.name);
  return {
    role: role.id,
    scope: presentScope(labels, input.scope),
    date: input.date,
    holders: resolved.flatMap((h) => {
      const row = rows.find((r) => r.id === h.assignment.id);
      if (!row) return [];
      return [
        {
          assignment: presentOne(labels, pack, reach, row, input.date),
          actingPerson:
            h.holder.kind === 'person'
              ? { personId: h.holder.personId, name: labels.people.get(h.holder.personId) ?? '' }
              : null,
          deputyForPersonId: h.deputyFor?.personId ?? null,
        },
      ];
    }),
  };
}
