import {
  buildOrgSnapshot,
  incidentRecipients as incidentRecipientsOf,
  isEffectiveOn,
  isIsoDate,
  readListSetting,
  rolesOfPerson,
  securityManagerOfPerson as securityManagerOfPersonIn,
  securityOfficerOfUnit as securityOfficerOfUnitIn,
  systemManagerOfSystem as systemManagerOfSystemIn,
  toTokyoDate,
  type Delegation,
  type IncidentPlace,
  type IncidentRecipients,
  type IsoDate,
  type OrgRows,
  type OrgSnapshot,
  type PolicyPack,
  type ResolvedHolder,
  type RoleAssignment,
  type RoleId,
  type UnitLevel,
} from '@mamori/policy';
import type { RoleHolding } from '../../platform/authz/caller.js';
import type { TenantTx } from '../../platform/db/database.js';
import { getEffectiveSettings } from '../../platform/settings/settings.service.js';
import {
  findPersonByAccount,
  listAllPeople,
  membershipsAsOf,
  membershipsOfPerson,
} from './people.repository.js';
import {
  findAssignment,
  listAssignments,
  listDelegations,
  platformRolesOfAccount,
  type DelegationRow,
  type RoleAssignmentRow,
} from './roles.repository.js';
import { listSystems } from './systems.repository.js';
import { listUnitsAsOf } from './units.repository.js';

/** The pack parts the organization needs: unit kinds, roles, settings. */
export type OrgPack = Pick<PolicyPack, 'organization' | 'roles' | 'settings'>;

/** A calendar date (Asia/Tokyo) from a date or a date-time. */
export function tokyoDateOf(at: Date | IsoDate): IsoDate {
  if (typeof at === 'string') {
    if (isIsoDate(at)) return at;
    return toTokyoDate(new Date(at));
  }
  return toTokyoDate(at);
}

/** The level a unit kind acts as; an unknown kind (pack changed) acts as a team, holding no role. */
export function actsAsOf(pack: Pick<PolicyPack, 'organization'> | null, kind: string): UnitLevel {
  return pack?.organization.unit_kinds.find((k) => k.id === kind)?.acts_as ?? 'team';
}

/** Maps a stored role assignment to the pure rules' shape. */
export function toRoleAssignment(row: RoleAssignmentRow): RoleAssignment {
  return {
    id: row.id,
    role: row.role as RoleId,
    holder:
      row.holderPersonId !== null
        ? { kind: 'person', personId: row.holderPersonId }
        : { kind: 'unit', unitId: row.holderUnitId ?? '' },
    scope:
      row.scopeKind === 'unit'
        ? { kind: 'unit', unitId: row.scopeUnitId ?? '' }
        : row.scopeKind === 'system'
          ? { kind: 'system', systemId: row.scopeSystemId ?? '' }
          : { kind: 'tenant' },
    validFrom: row.validFrom,
    validTo: row.validTo,
  };
}

/**
 * Maps a stored delegation to the pure rules' shape. A revocation cuts the
 * period at the moment it was revoked, so a past date still resolves to the
 * deputy who acted then.
 */
export function toDelegation(row: DelegationRow): Delegation {
  const ends =
    row.revokedAt !== null && row.revokedAt.getTime() < row.endsAt.getTime()
      ? row.revokedAt
      : row.endsAt;
  return {
    id: row.id,
    assignmentId: row.assignmentId,
    deputyPersonId: row.deputyPersonId,
    from: row.startsAt.toISOString(),
    to: ends.toISOString(),
    revoked: false,
  };
}

/**
 * Loads the rows in force on `date` (units, memberships, systems, role
 * assignments and their delegations). People who have left but still had a
 * membership on `date` count as active then (a past holder stays the holder
 * of that day).
 */
export async function loadOrgRows(
  tx: TenantTx,
  date: IsoDate,
  pack: Pick<PolicyPack, 'organization'> | null,
): Promise<OrgRows> {
  // One transaction is one connection: queries run one after another.
  const units = await listUnitsAsOf(tx, date);
  const memberships = await membershipsAsOf(tx, date);
  const peopleRows = await listAllPeople(tx);
  const systems = await listSystems(tx, date);
  const assignments = await listAssignments(tx, { asOf: date });
  const delegations = await listDelegations(tx, { assignmentIds: assignments.map((a) => a.id) });
  return toOrgRows({ units, memberships, peopleRows, systems, assignments, delegations }, pack);
}

/** The rows {@link loadOrgRows} reads, before they become the pure OrgRows. */
interface StoredOrgRows {
  readonly units: Awaited<ReturnType<typeof listUnitsAsOf>>;
  readonly memberships: Awaited<ReturnType<typeof membershipsAsOf>>;
  readonly peopleRows: Awaited<ReturnType<typeof listAllPeople>>;
  readonly systems: Awaited<ReturnType<typeof listSystems>>;
  readonly assignments: readonly RoleAssignmentRow[];
  readonly delegations: readonly DelegationRow[];
}

/**
 * Only what one person's roles depend on, for every request's caller: the
 * units, the person's memberships, the assignments they or their units hold,
 * and those delegated to them — not the whole organization.
 */
async function loadOrgRowsOfPerson(
  tx: TenantTx,
  date: IsoDate,
  pack: Pick<PolicyPack, 'organization'> | null,
  person: Awaited<ReturnType<typeof listAllPeople>>[number],
): Promise<OrgRows> {
  const units = await listUnitsAsOf(tx, date);
  const memberships = (await membershipsOfPerson(tx, person.id)).filter((m) =>
    isEffectiveOn(m, date),
  );
  const held = new Map<string, RoleAssignmentRow>();
  for (const a of await listAssignments(tx, { holderPersonId: person.id, asOf: date }))
    held.set(a.id, a);
  for (const unitId of new Set(memberships.map((m) => m.unitId))) {
    for (const a of await listAssignments(tx, { unitId, asOf: date })) {
      if (a.holderUnitId === unitId) held.set(a.id, a);
    }
  }
  const asDeputy = await listDelegations(tx, { deputyPersonId: person.id });
  for (const d of asDeputy) {
    if (held.has(d.assignmentId)) continue;
    const a = await findAssignment(tx, d.assignmentId);
    if (a && isEffectiveOn(a, date)) held.set(a.id, a);
  }
  const assignments = [...held.values()];
  const delegations = await listDelegations(tx, {
    assignmentIds: assignments.map((a) => a.id),
    deputyPersonId: person.id,
  });
  return toOrgRows(
    { units, memberships, peopleRows: [person], systems: [], assignments, delegations },
    pack,
  );
}

function toOrgRows(
  { units, memberships, peopleRows, systems, assignments, delegations }: StoredOrgRows,
  pack: Pick<PolicyPack, 'organization'> | null,
): OrgRows {
  const primary = new Map<string, string>();
  const additional = new Map<string, string[]>();
  for (const m of memberships) {
    if (m.kind === 'primary') primary.set(m.personId, m.unitId);
    else additional.set(m.personId, [...(additional.get(m.personId) ?? []), m.unitId]);
  }
  const always = { validFrom: '0001-01-01', validTo: null };
  return {
    units: units.map((u) => ({
      id: u.unitId,
      kind: u.kind,
      actsAs: actsAsOf(pack, u.kind),
      name: u.name,
      parentId: u.parentId,
      outOfScope: u.outOfScopeReason !== null,
      validFrom: u.validFrom,
      validTo: u.validTo,
    })),
    people: peopleRows.map((p) => {
      const primaryUnitId = primary.get(p.id) ?? null;
      const member = primaryUnitId !== null || additional.has(p.id);
      const status =
        p.status === 'left' && member ? 'active' : (p.status as 'active' | 'on_leave' | 'left');
      return {
        id: p.id,
        name: `${p.familyName} ${p.givenName}`,
        employment: p.employment,
        primaryUnitId,
        additionalUnitIds: additional.get(p.id) ?? [],
        status,
        ...always,
      };
    }),
    systems: systems.map((s) => ({
      id: s.id,
      name: s.name,
      owningUnitId: s.owningUnitId,
      validFrom: s.inServiceFrom,
      validTo: s.retiredOn,
    })),
    roleAssignments: assignments.map(toRoleAssignment),
    delegations: delegations.map(toDelegation),
  };
}

/**
 * The organization as of a date (Asia/Tokyo; a `Date` is converted): the pure
 * OrgSnapshot every resolution runs on. Pass the tenant's pack so units know
 * the level they act as (部局 / 課 / 係).
 */
export async function organizationSnapshot(
  tx: TenantTx,
  at: Date | IsoDate,
  pack: Pick<PolicyPack, 'organization'>,
): Promise<OrgSnapshot> {
  const date = tokyoDateOf(at);
  return buildOrgSnapshot(await loadOrgRows(tx, date, pack), date);
}

function instantOf(at: Date | IsoDate): Date | string {
  // A bare date resolves delegations at noon Tokyo time of that day.
  return typeof at === 'string' && isIsoDate(at) ? `${at}T12:00:00+09:00` : at;
}

/** The 情報セキュリティ管理者 of a person on a date (std-2.4.1), deputy if one acts. */
export async function securityManagerOfPerson(
  tx: TenantTx,
  pack: Pick<PolicyPack, 'organization'>,
  personId: string,
  at: Date | IsoDate,
): Promise<ResolvedHolder[]> {
  return securityManagerOfPersonIn(
    await organizationSnapshot(tx, at, pack),
    personId,
    instantOf(at),
  );
}

/** The 情報セキュリティ責任者 of a unit on a date (std-2.3.1). */
export async function securityOfficerOfUnit(
  tx: TenantTx,
  pack: Pick<PolicyPack, 'organization'>,
  unitId: string,
  at: Date | IsoDate,
): Promise<ResolvedHolder[]> {
  return securityOfficerOfUnitIn(await organizationSnapshot(tx, at, pack), unitId, instantOf(at));
}

/** The 情報システム管理者 of a system on a date (std-2.5.1). */
export async function systemManagerOfSystem(
  tx: TenantTx,
  pack: Pick<PolicyPack, 'organization'>,
  systemId: string,
  at: Date | IsoDate,
): Promise<ResolvedHolder[]> {
  return systemManagerOfSystemIn(await organizationSnapshot(tx, at, pack), systemId, instantOf(at));
}

/**
 * Everyone to notify of an incident in a unit (decisions.md "incident
 * escalation recipients"), with the tenant's `incident.escalation.recipients`.
 */
export async function incidentRecipients(
  tx: TenantTx,
  pack: OrgPack,
  place: IncidentPlace,
  at: Date | IsoDate,
): Promise<IncidentRecipients> {
  const settings = await getEffectiveSettings(tx, pack);
  const roles = readListSetting(settings, 'incident.escalation.recipients');
  return incidentRecipientsOf(
    await organizationSnapshot(tx, at, pack),
    place,
    roles,
    instantOf(at),
  );
}

/**
 * The roles source of the caller (identity's session resolver): the person
 * linked to the account and every role they hold at `at` — their own
 * assignments, roles of units they belong to (the PoC), roles they act for as
 * a deputy during a delegation (std-7.2.1.3b) — plus the account's platform
 * roles (tenant_admin, account_roles). The implicit 職員等 role is not listed:
 * every logged-in account is staff (permissionGrants `staff`).
 */
export async function rolesOfAccount(
  tx: TenantTx,
  accountId: string,
  at: Date,
  pack: Pick<PolicyPack, 'organization'> | null = null,
): Promise<{ personId: string | null; roles: RoleHolding[] }> {
  const platform = await platformRolesOfAccount(tx, accountId);
  const roles: RoleHolding[] = platform.map((role) => ({
    role: role as RoleId,
    scope: { kind: 'tenant' },
    assignmentId: null,
  }));
  const person = await findPersonByAccount(tx, accountId);
  if (person === null) return { personId: null, roles };
  const date = toTokyoDate(at);
  const snapshot = buildOrgSnapshot(await loadOrgRowsOfPerson(tx, date, pack, person), date);
  for (const holding of rolesOfPerson(snapshot, person.id, at)) {
    if (holding.via === 'membership' || holding.assignment === null) continue;
    // A holder whose deputy acts now keeps the role (they may still act, std-7.2.1.3b).
    const { scope } = holding;
    if (scope.kind === 'external_service') continue;
    roles.push({
      role: holding.role,
      scope,
      assignmentId: holding.assignment.id,
      ...(holding.deputyFor ? { deputyForPersonId: holding.deputyFor.personId } : {}),
    });
  }
  return { personId: person.id, roles };
}
