import type { Abilities } from '@mamori/contracts';
import { OrgIndex, type OrgSnapshot, type PackRole } from '@mamori/policy';
import { holdsRole, type Caller } from '../../platform/authz/caller.js';

/**
 * Who may do what to which object of the organization (house style 3, second
 * layer; the route's `resource:action` permission is the first).
 *
 * Visibility (decided here, documented in docs/organization.md):
 * - Everyone logged in sees the unit tree, names, units, employment and who
 *   holds which role today: staff must know their 情報セキュリティ管理者 to
 *   report to (std-6.3.1.1) and the organization is public within the city
 *   (std-2.* 組織体制).
 * - Role assignments, past and present, are public within the tenant: the
 *   holder of a day is cited by approvals and incidents of that day.
 * - Contact fields (email), the contractor, the account link, the units
 *   history and the delegations of a person are shown only to:
 *   the person; the tenant_admin (manages accounts and the organization);
 *   the CISO and the chief_security_officer (std-2.1.1, std-2.2.3: authority
 *   over the whole organization); the security_officer of the person's 部局
 *   (std-2.3.2) and the security_manager of the person's 課 (std-2.4.2: a
 *   section chief acts for their 課), where the 課/部局 is that of any unit
 *   the person belongs to (primary or 兼務).
 * - Only the tenant_admin changes units, people and memberships; role grants
 *   are privileged (std-7.2.5) and made by the tenant_admin or the
 *   chief_security_officer; information systems likewise.
 * - A deputy (std-7.2.1.3b) is named by the holder themselves, or for them by
 *   the tenant_admin or the chief_security_officer; only roles that approve or
 *   are privileged have deputies (decisions.md "approval delegation").
 */

/** Roles with authority over the whole organization's people data. */
const ORG_WIDE_ROLES = ['tenant_admin', 'ciso', 'chief_security_officer'] as const;

/** What the caller reaches in the organization: derived once per request from a snapshot. */
export interface CallerReach {
  readonly caller: Caller;
  /** tenant_admin: manages units, people, accounts. */
  readonly isAdmin: boolean;
  /** tenant_admin or chief_security_officer: grants roles (std-7.2.5), manages systems. */
  readonly managesRoles: boolean;
  /** Sees every person's details. */
  readonly orgWide: boolean;
  /** Units (with their sub-units) the caller acts for as security_manager / security_officer. */
  readonly actsForUnitIds: ReadonlySet<string>;
}

/**
 * The units a caller acts for: every unit within the 課 they are
 * security_manager of (std-2.4.2) and the 部局 they are security_officer of
 * (std-2.3.2), deputies included (a deputy acts for the holder).
 */
export function callerReach(caller: Caller, snapshot: OrgSnapshot): CallerReach {
  const index = new OrgIndex(snapshot);
  const roots = caller.roles
    .filter(
      (h) =>
        (h.role === 'security_manager' || h.role === 'security_officer') && h.scope.kind === 'unit',
    )
    .map((h) => (h.scope.kind === 'unit' ? h.scope.unitId : ''));
  const actsFor = new Set<string>();
  if (roots.length > 0) {
    for (const unit of snapshot.units) {
      if (roots.some((root) => index.isWithin(unit.id, root))) actsFor.add(unit.id);
    }
  }
  const isAdmin = holdsRole(caller, 'tenant_admin');
  return {
    caller,
    isAdmin,
    managesRoles: isAdmin || holdsRole(caller, 'chief_security_officer'),
    orgWide: ORG_WIDE_ROLES.some((role) => holdsRole(caller, role)),
    actsForUnitIds: actsFor,
  };
}

/** A person as the policy needs them: id and the units they belong to (any date in view). */
export interface PersonPlace {
  readonly personId: string;
  readonly unitIds: readonly string[];
}

/** Whether the caller sees a person's contact fields and history (see the header). */
export function canViewPersonDetails(reach: CallerReach, person: PersonPlace): boolean {
  if (reach.orgWide) return true;
  if (reach.caller.personId === person.personId) return true;
  return person.unitIds.some((id) => reach.actsForUnitIds.has(id));
}

/** Abilities on a person. */
export function personAbilities(reach: CallerReach, person: PersonPlace): Abilities {
  return {
    viewDetails: canViewPersonDetails(reach, person),
    update: reach.isAdmin,
    manageMemberships: reach.isAdmin,
    linkAccount: reach.isAdmin,
    assignRole: reach.managesRoles,
  };
}

/** Abilities on a unit. */
export function unitAbilities(reach: CallerReach, unit: { abolished: boolean }): Abilities {
  const live = !unit.abolished;
  return {
    update: reach.isAdmin && live,
    changeScope: reach.isAdmin && live,
    abolish: reach.isAdmin && live,
    createChild: reach.isAdmin && live,
    assignRole: reach.managesRoles && live,
  };
}

/** Abilities on the tree / directory as a whole. */
export function organizationAbilities(reach: CallerReach): Abilities {
  return {
    createUnit: reach.isAdmin,
    createPerson: reach.isAdmin,
    manageContractors: reach.isAdmin,
    assignRole: reach.managesRoles,
    manageSystems: reach.managesRoles,
    viewAllDelegations: reach.orgWide,
  };
}

/** Whether a role has deputies: approver or privileged roles (decisions.md "approval delegation"). */
export function isDelegableRole(role: PackRole | undefined): boolean {
  return role !== undefined && (role.may_approve || role.privileged);
}

/** Whether the caller may name a deputy for an assignment held by `holderPersonId`. */
export function canNominateDeputy(
  reach: CallerReach,
  assignment: { holderPersonId: string | null; ended: boolean },
  role: PackRole | undefined,
): boolean {
  if (assignment.ended || assignment.holderPersonId === null || !isDelegableRole(role)) {
    return false;
  }
  return reach.managesRoles || reach.caller.personId === assignment.holderPersonId;
}

/** Abilities on a role assignment. */
export function assignmentAbilities(
  reach: CallerReach,
  assignment: { holderPersonId: string | null; ended: boolean },
  role: PackRole | undefined,
): Abilities {
  return {
    end: reach.managesRoles && !assignment.ended,
    nominateDeputy: canNominateDeputy(reach, assignment, role),
  };
}

/** Whether the caller sees a delegation: its holder, deputy, creator, or org-wide roles. */
export function canViewDelegation(
  reach: CallerReach,
  d: { holderPersonId: string; deputyPersonId: string },
): boolean {
  const me = reach.caller.personId;
  return reach.orgWide || (me !== null && (me === d.holderPersonId || me === d.deputyPersonId));
}

/** Whether the caller may revoke a delegation: the holder, or those who may name deputies for anyone. */
export function canRevokeDelegation(
  reach: CallerReach,
  d: { holderPersonId: string; revoked: boolean; ended: boolean },
): boolean {
  if (d.revoked || d.ended) return false;
  return reach.managesRoles || reach.caller.personId === d.holderPersonId;
}

/** The role-holder overview (problems, privileged holders): org-wide roles and auditors (std-10.1). */
export function canViewRoleOverview(reach: CallerReach): boolean {
  return (
    reach.orgWide || holdsRole(reach.caller, 'audit_lead') || holdsRole(reach.caller, 'auditor')
  );
}

/** Abilities on an information system. */
export function systemAbilities(reach: CallerReach): Abilities {
  return { update: reach.managesRoles, assignRole: reach.managesRoles };
}
