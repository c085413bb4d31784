import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../calendar/iso-date.js';
import type { PackUnitKind, UnitLevel } from '../pack/organization-schema.js';
import type { PackRole, RoleId } from '../pack/roles-schema.js';
import {
  activeDelegation,
  auditorConflicts,
  buildOrgSnapshot,
  checkRoleCardinality,
  delegationNotifyRecipients,
  departmentOfUnit,
  effectiveRowsOn,
  holdersOfRole,
  incidentRecipients,
  isEffectiveOn,
  isUnitOutOfScope,
  previewReorganization,
  rolesEndedByTransfer,
  rolesOfPerson,
  scopeKey,
  sectionOfUnit,
  securityManagerOfPerson,
  securityManagerOfUnit,
  securityOfficerOfUnit,
  systemManagerOfSystem,
  systemOperatorsOfSystem,
  validateDelegation,
  validateOrgStructure,
  type Delegation,
  type OrgPerson,
  type OrgRows,
  type OrgSnapshot,
  type OrgUnit,
  type ResolvedHolder,
  type RoleAssignment,
  type RoleHolder,
  type RoleScope,
} from './index.js';

/** The i-th item, failing the test when absent. */
function nth<T>(list: readonly T[], i: number): T {
  const item = list[i];
  if (item === undefined) throw new Error(`no item ${String(i)}`);
  return item;
}

// Synthetic organization of 架空市 (std-7.3.3.2c: no real personal data).

const unit = (
  id: string,
  kind: string,
  actsAs: UnitLevel,
  name: string,
  parentId: string | null,
  outOfScope = false,
): OrgUnit => ({ id, kind, actsAs, name, parentId, outOfScope });

const person = (
  id: string,
  primaryUnitId: string | null,
  extra: Partial<OrgPerson> = {},
): OrgPerson => ({
  id,
  name: `試験 ${id}`,
  employment: 'regular',
  primaryUnitId,
  additionalUnitIds: [],
  status: 'active',
  ...extra,
});

let next = 0;
/** A role assignment valid from 2026-04-01, open-ended. */
function assign(
  role: RoleId,
  holder: RoleHolder | string,
  scope: RoleScope = { kind: 'tenant' },
  id = `a${String(++next)}`,
): RoleAssignment {
  return {
    id,
    role,
    holder: typeof holder === 'string' ? { kind: 'person', personId: holder } : holder,
    scope,
    validFrom: '2026-04-01',
    validTo: null,
  };
}

const unitScope = (unitId: string): RoleScope => ({ kind: 'unit', unitId });
const systemScope = (systemId: string): RoleScope => ({ kind: 'system', systemId });

/** 架空市: 企画部/総務部/教育委員会事務局, their 課, 係, a 支所 and an out-of-scope school. */
function kakuCity(): OrgSnapshot {
  return {
    asOf: '2026-06-01',
    units: [
      unit('d_kikaku', 'department', 'department', '企画部', null),
      unit('s_joho', 'section', 'section', '情報政策課', 'd_kikaku'),
      unit('t_joho', 'team', 'team', '情報システム係', 's_joho'),
      unit('d_somu', 'department', 'department', '総務部', null),
      unit('s_kanzai', 'section', 'section', '管財課', 'd_somu'),
      unit('t_zaisan', 'team', 'team', '財産管理担当', 's_kanzai'),
      unit('b_kita', 'branch_office', 'section', '北支所', 'd_somu'),
      unit('c_kyoiku', 'committee_secretariat', 'department', '教育委員会事務局', null),
      unit('s_gakumu', 'section', 'section', '学務課', 'c_kyoiku'),
      unit('sch_1', 'school', 'section', '架空小学校', 'c_kyoiku', true),
    ],
    people: [
      person('p_ciso', null),
      person('p_cso', 'd_kikaku'),
      person('p_somu', 'd_somu'),
      person('p_kyoiku', 'c_kyoiku'),
      person('p_joho', 's_joho'),
      person('p_kanzai', 's_kanzai'),
      person('p_kita', 'b_kita'),
      person('p_gakumu', 's_gakumu'),
      person('p_staff', 't_joho'),
      person('p_zaisan', 't_zaisan', { additionalUnitIds: ['t_joho'] }),
      person('p_teacher', 'sch_1'),
      person('p_admin', 's_joho'),
      person('p_vendor', 't_joho', { employment: 'contractor_staff' }),
      person('p_left', 's_joho', { status: 'left' }),
      person('p_leave', 's_kanzai', { status: 'on_leave' }),
    ],
    systems: [
      { id: 'sys_zaimu', name: '財務会計システム', owningUnitId: 't_zaisan' },
      { id: 'sys_net', name: '庁内ネットワーク', owningUnitId: 's_joho' },
      { id: 'sys_school', name: '校務システム', owningUnitId: 'sch_1' },
    ],
    roleAssignments: [
      assign('ciso', 'p_ciso', { kind: 'tenant' }, 'as_ciso'),
      assign('chief_security_officer', 'p_cso', { kind: 'tenant' }, 'as_cso'),
      assign('security_officer', 'p_cso', unitScope('d_kikaku'), 'as_so_kikaku'),
      assign('security_officer', 'p_somu', unitScope('d_somu'), 'as_so_somu'),
      assign('security_officer', 'p_kyoiku', unitScope('c_kyoiku'), 'as_so_kyoiku'),
      assign('security_manager', 'p_joho', unitScope('s_joho'), 'as_sm_joho'),
      assign('security_manager', 'p_kanzai', unitScope('s_kanzai'), 'as_sm_kanzai'),
      assign('security_manager', 'p_kita', unitScope('b_kita'), 'as_sm_kita'),
      assign('security_manager', 'p_gakumu', unitScope('s_gakumu'), 'as_sm_gakumu'),
      assign('system_manager', 'p_kanzai', systemScope('sys_zaimu'), 'as_sys_zaimu'),
      assign('system_manager', 'p_joho', systemScope('sys_net'), 'as_sys_net'),
      assign('system_operator', 'p_staff', systemScope('sys_net'), 'as_op_net'),
      assign('poc', { kind: 'unit', unitId: 't_zaisan' }, { kind: 'tenant' }, 'as_poc'),
      assign('tenant_admin', 'p_admin', { kind: 'tenant' }, 'as_admin'),
    ],
    delegations: [],
  };
}

/** A delegation over one day of June 2026 (JST). */
function delegate(
  assignmentId: string,
  deputyPersonId: string,
  extra: Partial<Delegation> = {},
): Delegation {
  return {
    id: `d_${assignmentId}_${deputyPersonId}`,
    assignmentId,
    deputyPersonId,
    from: '2026-06-10T00:00:00+09:00',
    to: '2026-06-11T00:00:00+09:00',
    revoked: false,
    ...extra,
  };
}

const DURING = '2026-06-10T12:00:00+09:00';
const AFTER = '2026-06-11T00:00:00+09:00';

/** A snapshot with some fields replaced. */
function withChanges(base: OrgSnapshot, changes: Partial<OrgSnapshot>): OrgSnapshot {
  return { ...base, ...changes };
}

const structure = (s: OrgSnapshot, kinds?: readonly PackUnitKind[]) =>
  validateOrgStructure(s, kinds).map(
    (p) => `${p.code}:${p.assignmentId ?? p.personId ?? p.systemId ?? p.unitId ?? ''}`,
  );

const holderIds = (holders: readonly ResolvedHolder[]) =>
  holders.map((h) => (h.holder.kind === 'person' ? h.holder.personId : `unit:${h.holder.unitId}`));

const kind = (
  id: string,
  acts_as: UnitLevel,
  allowed_parents: string[] = [],
  may_be_out_of_scope = false,
): PackUnitKind => ({
  id,
  label_ja: id,
  label_en: id,
  acts_as,
  allowed_parents,
  may_be_out_of_scope,
  clauses: ['std-2.4.1'],
});

const HOKUTO_KINDS: readonly PackUnitKind[] = [
  kind('department', 'department'),
  kind('committee_secretariat', 'department'),
  kind('section', 'section', ['department', 'committee_secretariat']),
  kind('branch_office', 'section', ['department', 'committee_secretariat']),
  kind('team', 'team', ['section', 'branch_office']),
  kind('school', 'section', ['committee_secretariat'], true),
];

describe('buildOrgSnapshot (effective-dated rows)', () => {
  const dated = <T>(row: T, validFrom: string, validTo: string | null) => ({
    ...row,
    validFrom,
    validTo,
  });
  const base = kakuCity();
  const rows: OrgRows = {
    units: [
      dated(nth(base.units, 0), '2020-04-01', null),
      dated({ ...nth(base.units, 1), name: '情報管理課' }, '2020-04-01', '2026-04-01'),
      dated(nth(base.units, 1), '2026-04-01', null),
      dated(nth(base.units, 2), '2027-04-01', null),
    ],
    people: [
      dated(nth(base.people, 1), '2020-04-01', '2026-06-01'),
      dated({ ...nth(base.people, 1), primaryUnitId: 's_joho' }, '2026-06-01', null),
    ],
    systems: [dated(nth(base.systems, 1), '2020-04-01', null)],
    roleAssignments: [
      { ...nth(base.roleAssignments, 1), validFrom: '2025-04-01', validTo: '2026-04-01' },
      { ...nth(base.roleAssignments, 2), validFrom: '2026-04-01', validTo: null },
    ],
    delegations: [delegate('as_cso', 'p_ciso'), delegate('as_so_kikaku', 'p_joho')],
  };

  it('keeps rows with validFrom <= date < validTo, validTo exclusive', () => {
    const snapshot = buildOrgSnapshot(rows, '2026-04-01');
    expect(snapshot.asOf).toBe('2026-04-01');
    expect(snapshot.units.map((u) => [u.id, u.name])).toEqual([
      ['d_kikaku', '企画部'],
      ['s_joho', '情報政策課'],
    ]);
    expect(snapshot.units[0]).not.toHaveProperty('validFrom');
    expect(snapshot.roleAssignments.map((a) => a.id)).toEqual(['as_so_kikaku']);
    expect(snapshot.delegations.map((d) => d.assignmentId)).toEqual(['as_so_kikaku']);
    expect(buildOrgSnapshot(rows, '2026-03-31').units[1]?.name).toBe('情報管理課');
  });

  it('picks the person version in force (a transfer on 2026-06-01)', () => {
    expect(buildOrgSnapshot(rows, '2026-05-31').people[0]?.primaryUnitId).toBe('d_kikaku');
    expect(buildOrgSnapshot(rows, '2026-06-01').people[0]?.primaryUnitId).toBe('s_joho');
  });

  it('lets the latest validFrom win when versions overlap', () => {
    const overlapping = [
      dated({ id: 'x', v: 1 }, '2026-01-01', null),
      dated({ id: 'x', v: 2 }, '2026-03-01', null),
    ];
    expect(effectiveRowsOn(overlapping, '2026-05-01')).toEqual([overlapping[1]]);
  });

  it('isEffectiveOn matches the half-open interval for any dates (property)', () => {
    const day = fc.integer({ min: 0, max: 3000 }).map((n) => addDays('2020-01-01', n));
    fc.assert(
      fc.property(day, day, fc.option(day, { nil: null }), (date, from, to) => {
        const expected = from <= date && (to === null || date < to);
        expect(isEffectiveOn({ validFrom: from, validTo: to }, date)).toBe(expected);
      }),
    );
  });
});

describe('validateOrgStructure', () => {
  it('accepts 架空市 with the Hokuto unit kinds', () => {
    expect(structure(kakuCity(), HOKUTO_KINDS)).toEqual([]);
  });

  it('reports duplicates, unknown parents, cycles and a 部局 under a 係', () => {
    const base = kakuCity();
    const snapshot = withChanges(base, {
      units: [
        ...base.units.map((u) => (u.id === 'd_kikaku' ? { ...u, parentId: 't_joho' } : u)),
        { ...nth(base.units, 4), parentId: 'nowhere' },
      ],
    });
    expect(structure(snapshot)).toEqual([
      'duplicate_id:s_kanzai',
      'cycle:d_kikaku',
      'level_above_parent:d_kikaku',
      'cycle:s_joho',
      'cycle:t_joho',
      'unknown_parent:s_kanzai',
    ]);
  });

  it('checks kinds from the pack: unknown kind, acts_as, allowed parents, out of scope (pol-4.1)', () => {
    const base = kakuCity();
    const snapshot = withChanges(base, {
      units: base.units.map((u) => {
        if (u.id === 's_joho') return { ...u, kind: 'division' };
        if (u.id === 's_kanzai') return { ...u, actsAs: 'team' as const };
        if (u.id === 'b_kita') return { ...u, parentId: null };
        if (u.id === 's_gakumu') return { ...u, outOfScope: true };
        if (u.id === 't_zaisan') return { ...u, parentId: 'd_somu' };
        return u;
      }),
    });
    expect(structure(snapshot, HOKUTO_KINDS)).toEqual([
      'unknown_kind:s_joho',
      'acts_as_mismatch:s_kanzai',
      'parent_kind_not_allowed:t_zaisan',
      'parent_kind_not_allowed:b_kita',
      'out_of_scope_not_allowed:s_gakumu',
    ]);
  });

  it('reports people, systems and assignments pointing nowhere', () => {
    const base = kakuCity();
    const snapshot = withChanges(base, {
      people: [...base.people, { ...nth(base.people, 0), id: 'p_x', primaryUnitId: 'gone' }],
      systems: [{ id: 'sys_x', name: 'x', owningUnitId: 'gone' }],
      roleAssignments: [assign('security_manager', 'p_ghost', unitScope('gone'), 'as_x')],
    });
    expect(structure(snapshot)).toEqual([
      'unknown_unit_of_person:p_x',
      'unknown_unit_of_system:sys_x',
      'unknown_scope:as_x',
      'unknown_holder:as_x',
    ]);
  });
});

describe('resolution (std-2.3.1, std-2.4.1, std-2.5.1)', () => {
  const city = kakuCity();

  it('securityManagerOfPerson walks up from a 係 to its 課 (std-2.4.1)', () => {
    const [holder] = securityManagerOfPerson(city, 'p_staff', DURING);
    expect(holder).toMatchObject({
      role: 'security_manager',
      holder: { kind: 'person', personId: 'p_joho' },
      deputyFor: null,
    });
    expect(holder?.assignment.id).toBe('as_sm_joho');
  });

  it('treats a 出先機関 as a 課 and the 課 itself as its own level', () => {
    expect(holderIds(securityManagerOfPerson(city, 'p_kita', DURING))).toEqual(['p_kita']);
    expect(holderIds(securityManagerOfUnit(city, 's_kanzai', DURING))).toEqual(['p_kanzai']);
  });

  it('finds no security manager above the 課 level, for an unknown person, or without a unit', () => {
    expect(securityManagerOfPerson(city, 'p_cso', DURING)).toEqual([]);
    expect(securityManagerOfPerson(city, 'p_ciso', DURING)).toEqual([]);
    expect(securityManagerOfPerson(city, 'nobody', DURING)).toEqual([]);
  });

  it('resolves nobody in an out-of-scope school (pol-4.1)', () => {
    const withSchoolManager = withChanges(city, {
      roleAssignments: [
        ...city.roleAssignments,
        assign('security_manager', 'p_teacher', unitScope('sch_1')),
      ],
    });
    expect(securityManagerOfPerson(withSchoolManager, 'p_teacher', DURING)).toEqual([]);
    expect(securityOfficerOfUnit(withSchoolManager, 'sch_1', DURING)).toEqual([]);
  });

  it('securityOfficerOfUnit finds the 部局 or 行政委員会事務局 head (std-2.3.1)', () => {
    expect(holderIds(securityOfficerOfUnit(city, 't_zaisan', DURING))).toEqual(['p_somu']);
    expect(holderIds(securityOfficerOfUnit(city, 's_gakumu', DURING))).toEqual(['p_kyoiku']);
    expect(holderIds(securityOfficerOfUnit(city, 'd_kikaku', DURING))).toEqual(['p_cso']);
  });

  it('resolves system managers and operators per system (std-2.5.1, std-2.6)', () => {
    expect(holderIds(systemManagerOfSystem(city, 'sys_zaimu', DURING))).toEqual(['p_kanzai']);
    expect(holderIds(systemOperatorsOfSystem(city, 'sys_net', DURING))).toEqual(['p_staff']);
    expect(systemOperatorsOfSystem(city, 'sys_zaimu', DURING)).toEqual([]);
  });

  it('holdersOfRole lists every scope, or one scope, and never a holder who left', () => {
    expect(holderIds(holdersOfRole(city, 'security_officer'))).toEqual([
      'p_cso',
      'p_somu',
      'p_kyoiku',
    ]);
    expect(holderIds(holdersOfRole(city, 'security_officer', unitScope('d_somu')))).toEqual([
      'p_somu',
    ]);
    expect(holderIds(holdersOfRole(city, 'poc'))).toEqual(['unit:t_zaisan']);
    const left = withChanges(city, {
      roleAssignments: [assign('csirt_lead', 'p_left'), assign('csirt_lead', 'p_ghost')],
    });
    expect(holdersOfRole(left, 'csirt_lead')).toEqual([]);
  });

  it('a section resolution finds the nearest section for any depth of teams (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8 }), (depth) => {
        const teams = Array.from({ length: depth }, (_, i) => ({
          id: `t${String(i)}`,
          kind: 'team',
          actsAs: 'team' as const,
          name: `係${String(i)}`,
          parentId: i === 0 ? 's_joho' : `t${String(i - 1)}`,
          outOfScope: false,
        }));
        const deepest = depth === 0 ? 's_joho' : `t${String(depth - 1)}`;
        const snapshot = withChanges(city, { units: [...city.units, ...teams] });
        expect(sectionOfUnit(snapshot, deepest)?.id).toBe('s_joho');
        expect(departmentOfUnit(snapshot, deepest)?.id).toBe('d_kikaku');
        expect(holderIds(securityManagerOfUnit(snapshot, deepest, DURING))).toEqual(['p_joho']);
      }),
    );
  });

  it('isUnitOutOfScope covers the subtree of an out-of-scope unit (pol-4.1)', () => {
    const snapshot = withChanges(city, {
      units: [
        ...city.units,
        {
          id: 'sch_class',
          kind: 'team',
          actsAs: 'team',
          name: '1組',
          parentId: 'sch_1',
          outOfScope: false,
        },
      ],
    });
    expect(isUnitOutOfScope(snapshot, 'sch_class')).toBe(true);
    expect(isUnitOutOfScope(snapshot, 's_gakumu')).toBe(false);
  });
});

describe('delegation (代行者, std-7.2.1.3b, std-7.2.1.3c)', () => {
  const city = withChanges(kakuCity(), { delegations: [delegate('as_sm_kanzai', 'p_zaisan')] });

  it('returns the deputy during the period, flagged deputyFor, and the holder outside it (std-7.2.1.3b)', () => {
    const [during] = securityManagerOfUnit(city, 's_kanzai', DURING);
    expect(during?.holder).toEqual({ kind: 'person', personId: 'p_zaisan' });
    expect(during?.deputyFor).toEqual({
      personId: 'p_kanzai',
      delegationId: 'd_as_sm_kanzai_p_zaisan',
    });
    expect(holderIds(securityManagerOfUnit(city, 's_kanzai', AFTER))).toEqual(['p_kanzai']);
    expect(holderIds(securityManagerOfUnit(city, 's_kanzai', '2026-06-09T23:59:59+09:00'))).toEqual(
      ['p_kanzai'],
    );
    expect(
      holderIds(securityManagerOfUnit(city, 's_kanzai', new Date('2026-06-10T00:00:00+09:00'))),
    ).toEqual(['p_zaisan']);
  });

  it('ignores a revoked delegation and a deputy who has left', () => {
    const revoked = withChanges(city, {
      delegations: [delegate('as_sm_kanzai', 'p_zaisan', { revoked: true })],
    });
    expect(holderIds(securityManagerOfUnit(revoked, 's_kanzai', DURING))).toEqual(['p_kanzai']);
    const gone = withChanges(city, { delegations: [delegate('as_sm_kanzai', 'p_left')] });
    expect(holderIds(securityManagerOfUnit(gone, 's_kanzai', DURING))).toEqual(['p_kanzai']);
  });

  it('holdersOfRole without a time returns the holders themselves', () => {
    expect(holderIds(holdersOfRole(city, 'security_manager', unitScope('s_kanzai')))).toEqual([
      'p_kanzai',
    ]);
  });

  it('activeDelegation picks the latest-starting of overlapping delegations', () => {
    const twice = withChanges(city, {
      delegations: [
        delegate('as_sm_kanzai', 'p_zaisan'),
        delegate('as_sm_kanzai', 'p_somu', { from: '2026-06-10T06:00:00+09:00' }),
      ],
    });
    expect(activeDelegation(twice, 'as_sm_kanzai', DURING)?.deputyPersonId).toBe('p_somu');
    expect(activeDelegation(twice, 'as_sm_kanzai', AFTER)).toBeUndefined();
  });

  const codes = (snapshot: OrgSnapshot, d: Delegation) =>
    validateDelegation(snapshot, d).map((p) => p.code);

  it('validateDelegation accepts a valid delegation, even when already stored', () => {
    expect(codes(city, delegate('as_sm_kanzai', 'p_zaisan'))).toEqual([]);
  });

  it('validateDelegation: the deputy must not be the holder (std-2.9.1)', () => {
    expect(codes(kakuCity(), delegate('as_sm_kanzai', 'p_kanzai'))).toEqual(['deputy_is_holder']);
  });

  it('validateDelegation: the period must end after it starts, and be date-times', () => {
    expect(
      codes(kakuCity(), delegate('as_sm_kanzai', 'p_zaisan', { to: '2026-06-10T00:00:00+09:00' })),
    ).toEqual(['period_end_not_after_start']);
    expect(codes(kakuCity(), delegate('as_sm_kanzai', 'p_zaisan', { to: 'soon' }))).toEqual([
      'invalid_period',
    ]);
  });

  it('validateDelegation: the deputy must be known and active', () => {
    expect(codes(kakuCity(), delegate('as_sm_kanzai', 'p_leave'))).toEqual(['deputy_not_active']);
    expect(codes(kakuCity(), delegate('as_sm_kanzai', 'p_left'))).toEqual(['deputy_not_active']);
    expect(codes(kakuCity(), delegate('as_sm_kanzai', 'p_ghost'))).toEqual(['unknown_deputy']);
  });

  it('validateDelegation: unknown or unit-held assignments name no deputy', () => {
    expect(codes(kakuCity(), delegate('as_none', 'p_zaisan'))).toEqual(['unknown_assignment']);
    expect(codes(kakuCity(), delegate('as_poc', 'p_zaisan'))).toEqual(['not_person_held']);
  });

  it('validateDelegation: no overlap with another unrevoked delegation of the same assignment', () => {
    const other = delegate('as_sm_kanzai', 'p_somu', {
      id: 'd_other',
      from: '2026-06-10T18:00:00+09:00',
      to: '2026-06-12T00:00:00+09:00',
    });
    const problems = validateDelegation(
      withChanges(city, { delegations: [...city.delegations, other] }),
      delegate('as_sm_kanzai', 'p_zaisan'),
    );
    expect(problems).toMatchObject([
      { code: 'overlapping_delegation', otherDelegationId: 'd_other' },
    ]);
    const adjacent = { ...other, from: '2026-06-11T00:00:00+09:00' };
    expect(
      codes(
        withChanges(kakuCity(), { delegations: [adjacent] }),
        delegate('as_sm_kanzai', 'p_zaisan'),
      ),
    ).toEqual([]);
    const revoked = { ...other, revoked: true };
    expect(
      codes(
        withChanges(kakuCity(), { delegations: [revoked] }),
        delegate('as_sm_kanzai', 'p_zaisan'),
      ),
    ).toEqual([]);
  });

  it('validateDelegation overlap is symmetric (property)', () => {
    const hour = fc.integer({ min: 0, max: 48 });
    fc.assert(
      fc.property(hour, hour, hour, hour, (a, b, c, d) => {
        const at = (h: number) => new Date(Date.UTC(2026, 5, 10, h)).toISOString();
        const x = delegate('as_sm_kanzai', 'p_zaisan', {
          id: 'x',
          from: at(Math.min(a, b)),
          to: at(Math.max(a, b) + 1),
        });
        const y = delegate('as_sm_kanzai', 'p_somu', {
          id: 'y',
          from: at(Math.min(c, d)),
          to: at(Math.max(c, d) + 1),
        });
        const xy = codes(withChanges(kakuCity(), { delegations: [y] }), x).includes(
          'overlapping_delegation',
        );
        const yx = codes(withChanges(kakuCity(), { delegations: [x] }), y).includes(
          'overlapping_delegation',
        );
        expect(xy).toBe(yx);
      }),
    );
  });

  const notified = (snapshot: OrgSnapshot, d: Delegation, roles?: readonly string[]) =>
    delegationNotifyRecipients(snapshot, d, roles).map(
      (r) =>
        `${r.reason}:${r.role}:${r.holder.kind === 'person' ? r.holder.personId : r.holder.unitId}`,
    );

  it('notifies the chief security officer and the security officer of a security manager (std-7.2.1.3c)', () => {
    expect(notified(kakuCity(), delegate('as_sm_kanzai', 'p_zaisan'))).toEqual([
      'notify_role:chief_security_officer:p_cso',
      'superior:security_officer:p_somu',
    ]);
  });

  it('notifies the CISO for a security officer whose superior is the chief security officer', () => {
    expect(
      notified(kakuCity(), delegate('as_so_somu', 'p_kanzai'), ['chief_security_officer', 'ciso']),
    ).toEqual(['notify_role:chief_security_officer:p_cso', 'notify_role:ciso:p_ciso']);
  });

  it('notifies the CISO for the chief security officer, leaving out the holder', () => {
    expect(notified(kakuCity(), delegate('as_cso', 'p_somu'))).toEqual(['superior:ciso:p_ciso']);
  });

  it('notifies the 部長 owning the system for a system manager', () => {
    expect(
      notified(kakuCity(), delegate('as_sys_zaimu', 'p_zaisan'), [
        'chief_security_officer',
        'security_officer',
      ]),
    ).toEqual(['notify_role:chief_security_officer:p_cso', 'notify_role:security_officer:p_somu']);
    expect(delegationNotifyRecipients(kakuCity(), delegate('as_none', 'p_zaisan'))).toEqual([]);
  });
});

describe('incidentRecipients (decisions.md escalation recipients; std-6.3.1.1, std-6.3.1.2, std-6.3.1.3, std-2.4.3)', () => {
  const ALL = ['security_officer', 'chief_security_officer', 'system_manager', 'ciso'];
  const summary = (r: ReturnType<typeof incidentRecipients>) =>
    r.recipients.map(
      (x) =>
        `${String(x.stage)}:${x.role}:${x.holder.kind === 'person' ? x.holder.personId : x.holder.unitId}${x.systemId === null ? '' : `@${x.systemId}`}`,
    );

  it('reports first to the security manager and the PoC, then officers and system managers, then the CISO', () => {
    const result = incidentRecipients(
      kakuCity(),
      { unitId: 't_joho', systemIds: ['sys_zaimu'] },
      ALL,
      DURING,
    );
    expect(summary(result)).toEqual([
      '1:security_manager:p_joho',
      '1:poc:t_zaisan',
      '2:security_officer:p_cso',
      '2:security_officer:p_somu@sys_zaimu',
      '2:chief_security_officer:p_cso',
      '2:system_manager:p_kanzai@sys_zaimu',
      '3:ciso:p_ciso',
    ]);
    expect(result.personIds).toEqual(['p_joho', 'p_cso', 'p_somu', 'p_kanzai', 'p_ciso']);
    expect(result.unitIds).toEqual(['t_zaisan']);
    expect(result.recipients[0]?.clauses).toEqual(['std-6.3.1.1']);
  });

  it('follows the setting: order and omissions, the CISO always last', () => {
    const result = incidentRecipients(
      kakuCity(),
      { unitId: 's_kanzai', systemIds: ['sys_net'] },
      ['ciso', 'system_manager'],
      DURING,
    );
    expect(summary(result)).toEqual([
      '1:security_manager:p_kanzai',
      '1:poc:t_zaisan',
      '2:system_manager:p_joho@sys_net',
      '3:ciso:p_ciso',
    ]);
  });

  it('sends to a deputy instead of an absent security manager', () => {
    const city = withChanges(kakuCity(), { delegations: [delegate('as_sm_kanzai', 'p_zaisan')] });
    const [first] = incidentRecipients(
      city,
      { unitId: 's_kanzai', systemIds: [] },
      ALL,
      DURING,
    ).recipients;
    expect(first).toMatchObject({
      holder: { personId: 'p_zaisan' },
      deputyFor: { personId: 'p_kanzai' },
    });
  });

  it('lists one assignment once and ignores unknown systems', () => {
    const result = incidentRecipients(
      kakuCity(),
      { unitId: 's_joho', systemIds: ['sys_net', 'sys_net', 'sys_gone'] },
      ALL,
      DURING,
    );
    expect(summary(result)).toEqual([
      '1:security_manager:p_joho',
      '1:poc:t_zaisan',
      '2:security_officer:p_cso',
      '2:chief_security_officer:p_cso',
      '2:system_manager:p_joho@sys_net',
      '3:ciso:p_ciso',
    ]);
  });
});

describe('rolesOfPerson', () => {
  const held = (snapshot: OrgSnapshot, personId: string, at = DURING) =>
    rolesOfPerson(snapshot, personId, at).map((h) => `${h.via}:${h.role}:${scopeKey(h.scope)}`);

  it('lists direct roles and the implicit staff role of the section (pol-4.1)', () => {
    expect(held(kakuCity(), 'p_kanzai')).toEqual([
      'direct:security_manager:unit:s_kanzai',
      'direct:system_manager:system:sys_zaimu',
      'membership:staff:unit:s_kanzai',
    ]);
  });

  it('applies unit-held roles (PoC) to members, primary or 兼務', () => {
    expect(held(kakuCity(), 'p_zaisan')).toEqual([
      'unit:poc:tenant',
      'membership:staff:unit:s_kanzai',
    ]);
  });

  it('includes roles held as a deputy, and marks the holder as delegated (std-7.2.1.3b)', () => {
    const city = withChanges(kakuCity(), { delegations: [delegate('as_sm_kanzai', 'p_zaisan')] });
    const deputy = rolesOfPerson(city, 'p_zaisan', DURING).find((h) => h.via === 'deputy');
    expect(deputy).toMatchObject({ role: 'security_manager', deputyFor: { personId: 'p_kanzai' } });
    const holder = rolesOfPerson(city, 'p_kanzai', DURING)[0];
    expect(holder?.delegatedTo).toEqual({
      personId: 'p_zaisan',
      delegationId: 'd_as_sm_kanzai_p_zaisan',
    });
    expect(held(city, 'p_zaisan', AFTER)).toEqual([
      'unit:poc:tenant',
      'membership:staff:unit:s_kanzai',
    ]);
  });

  it('gives nothing to people who left, and no staff role outside the policy (pol-4.1)', () => {
    expect(rolesOfPerson(kakuCity(), 'p_left', DURING)).toEqual([]);
    expect(rolesOfPerson(kakuCity(), 'nobody', DURING)).toEqual([]);
    expect(held(kakuCity(), 'p_teacher')).toEqual([]);
    expect(held(kakuCity(), 'p_ciso')).toEqual(['direct:ciso:tenant']);
  });
});

const packRole = (
  id: RoleId,
  scope: PackRole['scope'],
  cardinality: PackRole['cardinality'],
  extra: Partial<PackRole> = {},
): PackRole => ({
  id,
  title_ja: id,
  title_en: id,
  holder_kind: 'person',
  scope,
  cardinality,
  privileged: false,
  may_approve: false,
  reports_to: [],
  clauses: ['std-2.1.1'],
  defined_by_policy: true,
  ...extra,
});

// The shape of the Hokuto pack's roles.yaml (scopes and cardinalities).
const ROLES: readonly PackRole[] = [
  packRole('tenant_admin', 'tenant', 'one_or_more', { privileged: true }),
  packRole('ciso', 'tenant', 'exactly_one', { privileged: true, may_approve: true }),
  packRole('chief_security_officer', 'tenant', 'exactly_one', {
    privileged: true,
    may_approve: true,
  }),
  packRole('security_officer', 'department', 'exactly_one', { may_approve: true }),
  packRole('security_manager', 'section', 'exactly_one', { may_approve: true }),
  packRole('system_manager', 'system', 'exactly_one', { may_approve: true }),
  packRole('system_operator', 'system', 'any'),
  packRole('staff', 'section', 'any'),
  packRole('csirt', 'tenant', 'one_or_more', { holder_kind: 'body' }),
  packRole('poc', 'tenant', 'exactly_one', { holder_kind: 'unit' }),
  packRole('audit_lead', 'tenant', 'at_most_one'),
  packRole('auditor', 'tenant', 'any'),
  packRole('external_service_manager', 'external_service', 'exactly_one'),
  packRole('committee_working_group', 'unit', 'at_most_one'),
];

describe('checkRoleCardinality (roles.yaml cardinality; std-2.1.1, std-2.3.1, std-2.4.1, std-2.5.1)', () => {
  const problems = (snapshot: OrgSnapshot, max = 5) =>
    checkRoleCardinality(snapshot, ROLES, { privilegedMaxHolders: max }).map(
      (p) =>
        `${p.code}:${p.role}:${p.scope === null ? '-' : scopeKey(p.scope)}:${p.assignmentIds.join('+')}`,
    );
  const city = () =>
    withChanges(kakuCity(), {
      roleAssignments: [
        ...kakuCity().roleAssignments,
        assign('csirt', 'p_staff', { kind: 'tenant' }, 'as_csirt'),
      ],
    });

  it('accepts 架空市, where every scope instance has its holder', () => {
    expect(problems(city())).toEqual([]);
  });

  it('reports a 課 without a security manager and a 部局 without a security officer', () => {
    const snapshot = withChanges(city(), {
      roleAssignments: city().roleAssignments.filter(
        (a) => a.id !== 'as_sm_kita' && a.id !== 'as_so_kyoiku',
      ),
    });
    expect(problems(snapshot)).toEqual([
      'missing_holder:security_officer:unit:c_kyoiku:',
      'missing_holder:security_manager:unit:b_kita:',
    ]);
  });

  it('needs no holders in out-of-scope units and their systems (pol-4.1)', () => {
    // sch_1 and sys_school have none, and the fixture passes.
    expect(problems(city()).filter((p) => p.includes('sch_1') || p.includes('sys_school'))).toEqual(
      [],
    );
  });

  it('reports missing tenant roles and too many holders', () => {
    const snapshot = withChanges(city(), {
      roleAssignments: [
        ...city().roleAssignments.filter((a) => a.role !== 'ciso' && a.role !== 'csirt'),
        assign('security_manager', 'p_zaisan', unitScope('s_kanzai'), 'as_sm_kanzai2'),
        assign('audit_lead', 'p_gakumu', { kind: 'tenant' }, 'as_al1'),
        assign('audit_lead', 'p_kita', { kind: 'tenant' }, 'as_al2'),
      ],
    });
    expect(problems(snapshot)).toEqual([
      'missing_holder:ciso:tenant:',
      'too_many_holders:security_manager:unit:s_kanzai:as_sm_kanzai+as_sm_kanzai2',
      'missing_holder:csirt:tenant:',
      'too_many_holders:audit_lead:tenant:as_al1+as_al2',
    ]);
  });

  it('counts the same holder twice for one scope once', () => {
    const snapshot = withChanges(city(), {
      roleAssignments: [
        ...city().roleAssignments,
        assign('ciso', 'p_ciso', { kind: 'tenant' }, 'as_ciso2'),
      ],
    });
    expect(problems(snapshot)).toEqual([]);
  });

  it('reports the wrong kind of scope or holder, unknown scopes, and holders who left', () => {
    const snapshot = withChanges(city(), {
      roleAssignments: [
        ...city().roleAssignments,
        assign('security_manager', 'p_somu', unitScope('d_somu'), 'as_bad1'),
        assign('security_officer', 'p_somu', { kind: 'tenant' }, 'as_bad2'),
        assign('system_manager', 'p_joho', systemScope('sys_gone'), 'as_bad3'),
        assign('poc', 'p_zaisan', { kind: 'tenant' }, 'as_bad4'),
        assign('system_operator', 'p_left', systemScope('sys_net'), 'as_bad5'),
        assign('committee_working_group', 'p_joho', unitScope('nowhere'), 'as_bad6'),
      ],
    });
    expect(problems(snapshot)).toEqual([
      'wrong_scope_kind:security_officer:tenant:as_bad2',
      'wrong_scope_kind:security_manager:unit:d_somu:as_bad1',
      'unknown_scope:system_manager:system:sys_gone:as_bad3',
      'holder_inactive:system_operator:system:sys_net:as_bad5',
      'wrong_holder_kind:poc:tenant:as_bad4',
      'unknown_scope:committee_working_group:unit:nowhere:as_bad6',
    ]);
  });

  it('std-7.2.1.3b: reports a holder on leave (休職) until a deputy covers the absence', () => {
    const onLeave = withChanges(city(), {
      people: city().people.map((p) => (p.id === 'p_kita' ? { ...p, status: 'on_leave' } : p)),
    });
    // Still the holder (no missing_holder), but nobody acts for the 課.
    expect(problems(onLeave)).toEqual(['holder_on_leave:security_manager:unit:b_kita:as_sm_kita']);
    const covered = withChanges(onLeave, { delegations: [delegate('as_sm_kita', 'p_zaisan')] });
    const at = { privilegedMaxHolders: 5 };
    expect(checkRoleCardinality(covered, ROLES, { ...at, at: DURING })).toEqual([]);
    expect(checkRoleCardinality(covered, ROLES, { ...at, at: AFTER }).map((p) => p.code)).toEqual([
      'holder_on_leave',
    ]);
  });

  it('reports too many external service managers per service', () => {
    const service = { kind: 'external_service', externalServiceId: 'es1' } as const;
    const snapshot = withChanges(city(), {
      roleAssignments: [
        ...city().roleAssignments,
        assign('external_service_manager', 'p_joho', service, 'e1'),
        assign('external_service_manager', 'p_kita', service, 'e2'),
      ],
    });
    expect(problems(snapshot)).toEqual([
      'too_many_holders:external_service_manager:external_service:es1:e1+e2',
    ]);
  });

  it('limits privileged holders to roles.privileged.max_holders (std-7.2.1.3a)', () => {
    // p_ciso, p_cso, p_admin hold privileged roles.
    expect(problems(city(), 3)).toEqual([]);
    const [problem] = checkRoleCardinality(city(), ROLES, { privilegedMaxHolders: 2 });
    expect(problem).toMatchObject({
      code: 'privileged_over_limit',
      clauses: ['std-7.2.1.3a'],
      scope: null,
    });
    expect(problem?.holders).toHaveLength(3);
  });

  it('forbids tenant_admin to hold an approver role (glossary, std-2.9.1)', () => {
    const snapshot = withChanges(city(), {
      roleAssignments: [
        ...city().roleAssignments,
        assign('security_manager', 'p_admin', unitScope('s_joho'), 'as_sm_admin'),
      ],
    });
    expect(problems(snapshot)).toEqual([
      'too_many_holders:security_manager:unit:s_joho:as_sm_joho+as_sm_admin',
      'tenant_admin_holds_approver:tenant_admin:tenant:as_admin+as_sm_admin',
    ]);
  });

  it('forbids contractor staff a privileged role (std-7.2.1.3d)', () => {
    const snapshot = withChanges(city(), {
      roleAssignments: [
        ...city().roleAssignments,
        assign('tenant_admin', 'p_vendor', { kind: 'tenant' }, 'as_admin_vendor'),
      ],
    });
    expect(problems(snapshot)).toEqual([
      'contractor_holds_privileged:tenant_admin:tenant:as_admin_vendor',
    ]);
  });

  it('forbids an auditor to be responsible tenant-wide (std-2.9.2, std-10.1.2.1)', () => {
    const snapshot = withChanges(city(), {
      roleAssignments: [
        ...city().roleAssignments,
        assign('auditor', 'p_cso', { kind: 'tenant' }, 'as_aud'),
      ],
    });
    expect(problems(snapshot)).toEqual(['auditor_is_auditee:auditor:-:as_aud+as_cso']);
  });
});

describe('auditorConflicts (std-2.9.2, std-10.1.2.1)', () => {
  it('finds auditors who belong to, or hold a role for, an audited unit or one above their unit', () => {
    expect(
      auditorConflicts(
        kakuCity(),
        ['p_staff', 'p_somu', 'p_zaisan', 'p_gakumu'],
        ['s_joho', 'd_somu'],
      ),
    ).toEqual([
      {
        personId: 'p_staff',
        unitId: 's_joho',
        reason: 'member_of_audited_unit',
        clauses: ['std-2.9.2', 'std-10.1.2.1'],
      },
      {
        personId: 'p_somu',
        unitId: 'd_somu',
        reason: 'member_of_audited_unit',
        clauses: ['std-2.9.2', 'std-10.1.2.1'],
      },
      {
        personId: 'p_zaisan',
        unitId: 'd_somu',
        reason: 'member_of_audited_unit',
        clauses: ['std-2.9.2', 'std-10.1.2.1'],
      },
      {
        personId: 'p_zaisan',
        unitId: 's_joho',
        reason: 'member_of_audited_unit',
        clauses: ['std-2.9.2', 'std-10.1.2.1'],
      },
    ]);
  });

  it('counts a role for an audited unit even from outside it', () => {
    const city = withChanges(kakuCity(), {
      roleAssignments: [
        ...kakuCity().roleAssignments,
        assign('security_manager', 'p_gakumu', unitScope('b_kita'), 'x'),
      ],
    });
    expect(
      auditorConflicts(city, ['p_gakumu', 'p_ghost'], ['b_kita']).map((c) => c.reason),
    ).toEqual(['holds_role_in_audited_unit']);
  });
});

describe('rolesEndedByTransfer', () => {
  const ended = (snapshot: OrgSnapshot, personId: string, to: string | null) =>
    rolesEndedByTransfer(snapshot, personId, to).map((e) => `${e.assignment.id}:${e.reason}`);

  it('ends the security manager role of the old 課 and system roles of its systems (std-2.4.1, std-2.5.1)', () => {
    expect(ended(kakuCity(), 'p_kanzai', 's_joho')).toEqual([
      'as_sm_kanzai:scope_unit_left',
      'as_sys_zaimu:system_section_left',
    ]);
  });

  it('keeps the 部局 role on a move between 課 of the same 部局, and ends it across 部局 (std-2.3.1)', () => {
    const city = withChanges(kakuCity(), {
      people: kakuCity().people.map((p) =>
        p.id === 'p_somu' ? { ...p, primaryUnitId: 's_kanzai' } : p,
      ),
    });
    expect(ended(city, 'p_somu', 'b_kita')).toEqual([]);
    expect(ended(city, 'p_somu', 's_joho')).toEqual(['as_so_somu:scope_unit_left']);
  });

  it('keeps roles of a 兼務 unit, tenant roles and operator roles of systems elsewhere', () => {
    const city = withChanges(kakuCity(), {
      roleAssignments: [
        ...kakuCity().roleAssignments,
        assign('system_operator', 'p_zaisan', systemScope('sys_net'), 'as_op2'),
      ],
    });
    // p_zaisan: primary t_zaisan, 兼務 t_joho; sys_net is owned by s_joho.
    expect(ended(city, 'p_zaisan', 'b_kita')).toEqual([]);
    expect(ended(kakuCity(), 'p_cso', 's_kanzai')).toEqual(['as_so_kikaku:scope_unit_left']);
  });

  it('ends every unit role when leaving all units, and nothing for an unknown person', () => {
    expect(ended(kakuCity(), 'p_joho', null)).toEqual([
      'as_sm_joho:scope_unit_left',
      'as_sys_net:system_section_left',
    ]);
    expect(ended(kakuCity(), 'nobody', 's_joho')).toEqual([]);
  });
});

describe('previewReorganization (組織改正)', () => {
  const changeList = (p: ReturnType<typeof previewReorganization>) =>
    p.changes.map((c) => {
      switch (c.kind) {
        case 'unit_created':
          return `created ${c.unitId}`;
        case 'unit_renamed':
          return `renamed ${c.unitId} ${c.from}→${c.to}`;
        case 'unit_moved':
          return `moved ${c.unitId} ${String(c.fromParentId)}→${String(c.toParentId)}`;
        case 'unit_abolished':
          return `abolished ${c.unitId}${c.mergedInto === null ? '' : `→${c.mergedInto}`}`;
        case 'person_moved':
          return `person ${c.personId}${c.primary ? '' : '(兼務)'} ${c.fromUnitId}→${String(c.toUnitId)}`;
        case 'system_moved':
          return `system ${c.systemId} ${c.fromUnitId}→${c.toUnitId}`;
        case 'assignment_ended':
          return `ended ${c.assignmentId} (${c.reason})`;
        case 'assignment_rehomed':
          return `rehomed ${c.assignmentId} ${scopeKey(c.fromScope)}→${scopeKey(c.toScope)}`;
      }
    });
  const problemList = (p: ReturnType<typeof previewReorganization>) =>
    p.problems.map(
      (x) => `${String(x.opIndex)}:${x.code}:${x.personId ?? x.systemId ?? x.unitId ?? ''}`,
    );

  it('renames, creates and moves units, dating the result at the effective date', () => {
    const preview = previewReorganization(
      kakuCity(),
      [
        { op: 'rename', unitId: 's_joho', name: 'デジタル推進課' },
        {
          op: 'create',
          unit: { id: 't_dx', kind: 'team', actsAs: 'team', name: 'DX係', parentId: 's_joho' },
        },
        { op: 'move', unitId: 'b_kita', parentId: 'd_kikaku' },
        { op: 'rename', unitId: 's_kanzai', name: '管財課' },
      ],
      '2027-04-01',
      HOKUTO_KINDS,
    );
    expect(preview.problems).toEqual([]);
    expect(changeList(preview)).toEqual([
      'renamed s_joho 情報政策課→デジタル推進課',
      'created t_dx',
      'moved b_kita d_somu→d_kikaku',
    ]);
    expect(preview.snapshot.asOf).toBe('2027-04-01');
    expect(holderIds(securityOfficerOfUnit(preview.snapshot, 'b_kita', DURING))).toEqual(['p_cso']);
  });

  it('merges 課 into a 課: people, systems, sub-units move; the target keeps its manager (std-2.4.1)', () => {
    const preview = previewReorganization(
      kakuCity(),
      [{ op: 'merge', unitIds: ['b_kita'], targetUnitId: 's_kanzai' }],
      '2027-04-01',
    );
    expect(preview.problems).toEqual([]);
    expect(changeList(preview)).toEqual([
      'person p_kita b_kita→s_kanzai',
      'ended as_sm_kita (target_already_held)',
      'abolished b_kita→s_kanzai',
    ]);
    expect(holderIds(securityManagerOfPerson(preview.snapshot, 'p_kita', DURING))).toEqual([
      'p_kanzai',
    ]);
  });

  it('merges a 課 into one without a manager by re-homing the role, and re-homes the PoC unit', () => {
    const city = withChanges(kakuCity(), {
      units: [
        ...kakuCity().units,
        {
          id: 's_new',
          kind: 'section',
          actsAs: 'section',
          name: '新課',
          parentId: 'd_somu',
          outOfScope: false,
        },
      ],
    });
    const preview = previewReorganization(
      city,
      [
        { op: 'merge', unitIds: ['s_kanzai'], targetUnitId: 's_new' },
        { op: 'merge', unitIds: ['t_zaisan'], targetUnitId: 's_new' },
      ],
      '2027-04-01',
    );
    expect(preview.problems).toEqual([]);
    expect(changeList(preview)).toEqual([
      'moved t_zaisan s_kanzai→s_new',
      'person p_kanzai s_kanzai→s_new',
      'person p_leave s_kanzai→s_new',
      'rehomed as_sm_kanzai unit:s_kanzai→unit:s_new',
      'abolished s_kanzai→s_new',
      'person p_zaisan t_zaisan→s_new',
      'system sys_zaimu t_zaisan→s_new',
      'rehomed as_poc tenant→tenant',
      'abolished t_zaisan→s_new',
    ]);
    const poc = preview.snapshot.roleAssignments.find((a) => a.id === 'as_poc');
    expect(poc).toMatchObject({
      holder: { kind: 'unit', unitId: 's_new' },
      validFrom: '2027-04-01',
    });
  });

  it('rejects merging a 部局 into a 係, a unit into itself or into its own sub-unit', () => {
    const preview = previewReorganization(
      kakuCity(),
      [
        { op: 'merge', unitIds: ['d_somu'], targetUnitId: 't_joho' },
        { op: 'merge', unitIds: ['s_joho'], targetUnitId: 's_joho' },
        { op: 'merge', unitIds: ['t_joho', 'gone'], targetUnitId: 't_zaisan' },
        { op: 'merge', unitIds: ['s_kanzai'], targetUnitId: 'gone' },
      ],
      '2027-04-01',
    );
    expect(problemList(preview)).toEqual([
      '0:merge_into_lower_level:d_somu',
      '1:merge_into_itself:s_joho',
      '2:unknown_unit:gone',
      '3:unknown_unit:gone',
    ]);
    const sameLevelCycle = previewReorganization(
      withChanges(kakuCity(), {
        units: [
          ...kakuCity().units,
          {
            id: 't_sub',
            kind: 'team',
            actsAs: 'team',
            name: '子係',
            parentId: 't_joho',
            outOfScope: false,
          },
        ],
      }),
      [{ op: 'merge', unitIds: ['t_joho'], targetUnitId: 't_sub' }],
      '2027-04-01',
    );
    expect(problemList(sameLevelCycle)).toEqual(['0:cycle:t_joho']);
  });

  it('splits a 課 into new 課 with member lists; the old manager role ends (std-2.4.1)', () => {
    const preview = previewReorganization(
      kakuCity(),
      [
        {
          op: 'split',
          unitId: 'b_kita',
          parts: [
            {
              unit: {
                id: 'b_kita1',
                kind: 'branch_office',
                actsAs: 'section',
                name: '北第一支所',
                parentId: 'd_somu',
              },
              personIds: ['p_kita'],
            },
            {
              unit: {
                id: 'b_kita2',
                kind: 'branch_office',
                actsAs: 'section',
                name: '北第二支所',
                parentId: 'd_somu',
              },
              personIds: [],
            },
          ],
        },
      ],
      '2027-04-01',
      HOKUTO_KINDS,
    );
    expect(preview.problems).toEqual([]);
    expect(changeList(preview)).toEqual([
      'created b_kita1',
      'person p_kita b_kita→b_kita1',
      'created b_kita2',
      'ended as_sm_kita (unit_abolished)',
      'abolished b_kita',
    ]);
  });

  it('reports people and systems a split leaves behind, and bad member lists', () => {
    const preview = previewReorganization(
      kakuCity(),
      [
        {
          op: 'split',
          unitId: 's_joho',
          parts: [
            {
              unit: {
                id: 's_a',
                kind: 'section',
                actsAs: 'section',
                name: 'A課',
                parentId: 'd_kikaku',
              },
              personIds: ['p_joho', 'p_joho', 'p_kita', 'p_ghost'],
              systemIds: ['sys_zaimu', 'sys_gone'],
            },
            {
              unit: {
                id: 's_joho',
                kind: 'section',
                actsAs: 'section',
                name: '重複',
                parentId: 'd_kikaku',
              },
              personIds: [],
            },
          ],
        },
      ],
      '2027-04-01',
    );
    expect(problemList(preview)).toEqual([
      '0:person_listed_twice:p_joho',
      '0:person_not_in_unit:p_kita',
      '0:unknown_person:p_ghost',
      '0:system_not_in_unit:sys_zaimu',
      '0:unknown_system:sys_gone',
      '0:unit_exists:s_joho',
      '0:unit_not_empty:s_joho',
      '0:person_without_unit:p_admin',
      '0:system_without_unit:sys_net',
      'null:unknown_parent:t_joho',
      'null:unknown_unit_of_system:sys_net',
    ]);
  });

  it('abolishes an empty unit, ending its roles; a non-empty one is a problem', () => {
    const empty = previewReorganization(
      kakuCity(),
      [
        { op: 'abolish', unitId: 's_gakumu' },
        { op: 'abolish', unitId: 'gone' },
      ],
      '2027-04-01',
    );
    expect(problemList(empty)).toEqual(['0:person_without_unit:p_gakumu', '1:unknown_unit:gone']);
    expect(changeList(empty)).toEqual([
      'person p_gakumu s_gakumu→null',
      'ended as_sm_gakumu (unit_abolished)',
      'abolished s_gakumu',
    ]);
  });

  it('moves with cycles and unknown parents are refused; moving to the same parent changes nothing', () => {
    const preview = previewReorganization(
      kakuCity(),
      [
        { op: 'move', unitId: 'd_kikaku', parentId: 't_joho' },
        { op: 'move', unitId: 's_joho', parentId: 'gone' },
        { op: 'move', unitId: 's_joho', parentId: 'd_kikaku' },
        { op: 'rename', unitId: 'gone', name: 'x' },
        {
          op: 'create',
          unit: { id: 'x', kind: 'team', actsAs: 'team', name: 'x', parentId: 'gone' },
        },
      ],
      '2027-04-01',
    );
    expect(problemList(preview)).toEqual([
      '0:cycle:d_kikaku',
      '1:unknown_unit:gone',
      '3:unknown_unit:gone',
      '4:unknown_unit:gone',
    ]);
    expect(preview.changes).toEqual([]);
  });

  it('checks the result against the pack unit kinds (a 係 moved under a 部局)', () => {
    const preview = previewReorganization(
      kakuCity(),
      [{ op: 'move', unitId: 't_joho', parentId: 'd_kikaku' }],
      '2027-04-01',
      HOKUTO_KINDS,
    );
    expect(problemList(preview)).toEqual(['null:parent_kind_not_allowed:t_joho']);
  });

  it('keeps every person who had a unit in some unit after merges (property)', () => {
    const sections = ['s_joho', 's_kanzai', 'b_kita', 's_gakumu'];
    fc.assert(
      fc.property(
        fc.subarray(sections, { minLength: 1 }),
        fc.constantFrom(...sections),
        (sources, target) => {
          const preview = previewReorganization(
            kakuCity(),
            [{ op: 'merge', unitIds: sources.filter((s) => s !== target), targetUnitId: target }],
            '2027-04-01',
          );
          expect(preview.problems).toEqual([]);
          const unitIds = new Set(preview.snapshot.units.map((u) => u.id));
          for (const person of preview.snapshot.people) {
            if (person.primaryUnitId !== null) expect(unitIds.has(person.primaryUnitId)).toBe(true);
          }
          expect(
            checkRoleCardinality(preview.snapshot, ROLES, { privilegedMaxHolders: 5 }).filter(
              (p) => p.code === 'too_many_holders',
            ),
          ).toEqual([]);
        },
      ),
    );
  });
});
