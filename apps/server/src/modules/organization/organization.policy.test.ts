import type { OrgSnapshot, PackRole } from '@mamori/policy';
import { describe, expect, it } from 'vitest';
import type { Caller, RoleHolding } from '../../platform/authz/caller.js';
import {
  callerReach,
  canNominateDeputy,
  canRevokeDelegation,
  canViewPersonDetails,
  canViewRoleOverview,
  personAbilities,
} from './organization.policy.js';

const snapshot: OrgSnapshot = {
  asOf: '2026-05-01',
  units: [
    {
      id: 'd1',
      kind: 'department',
      actsAs: 'department',
      name: '総務部',
      parentId: null,
      outOfScope: false,
    },
    {
      id: 's1',
      kind: 'section',
      actsAs: 'section',
      name: '総務課',
      parentId: 'd1',
      outOfScope: false,
    },
    { id: 't1', kind: 'team', actsAs: 'team', name: '庶務係', parentId: 's1', outOfScope: false },
    {
      id: 's2',
      kind: 'section',
      actsAs: 'section',
      name: '人事課',
      parentId: 'd1',
      outOfScope: false,
    },
  ],
  people: [],
  systems: [],
  roleAssignments: [],
  delegations: [],
};

function caller(personId: string | null, roles: RoleHolding[] = []): Caller {
  return {
    scope: { kind: 'tenant', tenantId: '00000000-0000-4000-8000-000000000001' } as Caller['scope'],
    accountId: 'a1',
    loginName: 'x',
    displayName: '試験 太郎',
    personId,
    sessionId: 's',
    sessionState: 'active',
    csrfToken: 'c',
    elevatedUntil: null,
    roles,
  };
}

const manager: RoleHolding = {
  role: 'security_manager',
  scope: { kind: 'unit', unitId: 's1' },
  assignmentId: 'r1',
};
const approver = { may_approve: true, privileged: false } as PackRole;
const plain = { may_approve: false, privileged: false } as PackRole;

describe('organization policy', () => {
  it('std-2.4.2: a section chief acts for their 課 and the 係 below it, not another 課', () => {
    const reach = callerReach(caller('p-chief', [manager]), snapshot);
    expect([...reach.actsForUnitIds].sort()).toEqual(['s1', 't1']);
    expect(canViewPersonDetails(reach, { personId: 'p1', unitIds: ['t1'] })).toBe(true);
    expect(canViewPersonDetails(reach, { personId: 'p2', unitIds: ['s2'] })).toBe(false);
    // 兼務 in the 課 counts.
    expect(canViewPersonDetails(reach, { personId: 'p3', unitIds: ['s2', 's1'] })).toBe(true);
    expect(personAbilities(reach, { personId: 'p2', unitIds: ['s2'] })).toMatchObject({
      viewDetails: false,
      update: false,
    });
  });

  it('std-2.3.2: a department head acts for the whole 部局', () => {
    const reach = callerReach(
      caller('p-head', [
        { role: 'security_officer', scope: { kind: 'unit', unitId: 'd1' }, assignmentId: 'r2' },
      ]),
      snapshot,
    );
    expect(canViewPersonDetails(reach, { personId: 'p2', unitIds: ['s2'] })).toBe(true);
  });

  it('staff see their own details only; org-wide roles see everyone', () => {
    const staff = callerReach(caller('p1'), snapshot);
    expect(canViewPersonDetails(staff, { personId: 'p1', unitIds: [] })).toBe(true);
    expect(canViewPersonDetails(staff, { personId: 'p2', unitIds: ['s1'] })).toBe(false);
    expect(canViewRoleOverview(staff)).toBe(false);
    const cso = callerReach(
      caller(null, [
        { role: 'chief_security_officer', scope: { kind: 'tenant' }, assignmentId: 'r3' },
      ]),
      snapshot,
    );
    expect(canViewPersonDetails(cso, { personId: 'p2', unitIds: ['s2'] })).toBe(true);
    expect(cso.managesRoles).toBe(true);
    expect(canViewRoleOverview(cso)).toBe(true);
  });

  it('std-7.2.1.3b: the holder names their own deputy for an approver role; admins for anyone', () => {
    const holder = callerReach(caller('p1'), snapshot);
    const other = callerReach(caller('p2'), snapshot);
    const admin = callerReach(
      caller(null, [{ role: 'tenant_admin', scope: { kind: 'tenant' }, assignmentId: null }]),
      snapshot,
    );
    const assignment = { holderPersonId: 'p1', ended: false };
    expect(canNominateDeputy(holder, assignment, approver)).toBe(true);
    expect(canNominateDeputy(other, assignment, approver)).toBe(false);
    expect(canNominateDeputy(admin, assignment, approver)).toBe(true);
    expect(canNominateDeputy(holder, assignment, plain)).toBe(false);
    expect(canNominateDeputy(holder, { ...assignment, ended: true }, approver)).toBe(false);
    expect(
      canRevokeDelegation(holder, { holderPersonId: 'p1', revoked: false, ended: false }),
    ).toBe(true);
    expect(canRevokeDelegation(holder, { holderPersonId: 'p1', revoked: true, ended: false })).toBe(
      false,
    );
  });
});
