import { describe, expect, it } from 'vitest';
import { formatPolicyPackIssue } from './issues.js';
import { organizationFileSchema, type OrganizationFile } from './organization-schema.js';
import type { PackRole, RolesFile } from './roles-schema.js';
import { ROLE_IDS } from './roles-schema.js';
import { validateOrganization, validateRoleScopesAgainstOrganization } from './validate.js';

const lines = (issues: readonly Parameters<typeof formatPolicyPackIssue>[0][]) =>
  issues.map(formatPolicyPackIssue);

const kind = (
  id: string,
  acts_as: 'department' | 'section' | 'team',
  allowed_parents: string[] = [],
  may_be_out_of_scope = false,
) => ({
  id,
  label_ja: id,
  label_en: id,
  acts_as,
  allowed_parents,
  may_be_out_of_scope,
  clauses: ['std-2.4.1'],
});

const organization = (unit_kinds: OrganizationFile['unit_kinds']): OrganizationFile => ({
  unit_kinds,
  employment_kinds: [],
  position_titles: [],
});

describe('organization.yaml schema (std-2.3.1, std-2.4.1, pol-4.1)', () => {
  it('defaults out-of-scope to false and parents to none (a root kind)', () => {
    const parsed = organizationFileSchema.parse({
      unit_kinds: [
        {
          id: 'department',
          label_ja: '部局',
          label_en: 'D',
          acts_as: 'department',
          clauses: ['std-2.3.1'],
        },
      ],
    });
    expect(parsed.unit_kinds[0]).toMatchObject({ may_be_out_of_scope: false, allowed_parents: [] });
    expect(parsed.employment_kinds).toEqual([]);
  });

  it('rejects an unknown level and unknown keys', () => {
    const result = organizationFileSchema.safeParse({
      unit_kinds: [{ ...kind('x', 'team'), acts_as: 'division', colour: 'red' }],
    });
    expect(result.success).toBe(false);
  });
});

describe('validateOrganization', () => {
  it('accepts a department → section → team tree', () => {
    const file = organization([
      kind('department', 'department'),
      kind('section', 'section', ['department']),
      kind('team', 'team', ['section']),
    ]);
    expect(validateOrganization(file, 'organization.yaml')).toEqual([]);
  });

  it('reports duplicate ids, unknown parents, a department under a team, and no in-scope root', () => {
    const file = organization([
      kind('team', 'team', ['nowhere']),
      kind('department', 'department', ['team']),
      kind('team', 'team', ['department', 'department']),
      kind('hospital', 'department', [], true),
    ]);
    expect(lines(validateOrganization(file, 'organization.yaml'))).toEqual([
      'organization.yaml: unit_kinds[2].id: unit kind "team" is defined more than once (first at unit_kinds[0].id)',
      'organization.yaml: unit_kinds[0].allowed_parents[0]: unit kind "nowhere" does not exist',
      'organization.yaml: unit_kinds[1].allowed_parents[0]: "department" acts as department and cannot sit under "team", which acts as team',
      'organization.yaml: unit_kinds[2].allowed_parents: a parent kind is listed more than once',
      'organization.yaml: unit_kinds: no in-scope unit kind may be a root (empty allowed_parents)',
    ]);
  });

  it('checks position titles name a unit kind', () => {
    const file: OrganizationFile = {
      ...organization([kind('department', 'department')]),
      position_titles: [{ id: 'chief', label_ja: '長', label_en: 'Chief', head_of: 'bureau' }],
    };
    expect(lines(validateOrganization(file, 'organization.yaml'))).toEqual([
      'organization.yaml: position_titles[0].head_of: unit kind "bureau" does not exist',
    ]);
  });
});

describe('validateRoleScopesAgainstOrganization', () => {
  const role = (id: (typeof ROLE_IDS)[number], scope: PackRole['scope']): PackRole => ({
    id,
    title_ja: id,
    title_en: id,
    holder_kind: 'person',
    scope,
    cardinality: 'exactly_one',
    privileged: false,
    may_approve: false,
    reports_to: [],
    clauses: ['std-2.1.1'],
    defined_by_policy: true,
  });
  const roles: RolesFile = {
    roles: [role('security_officer', 'department'), role('security_manager', 'section')],
  };

  it('passes when an in-scope kind acts at each role level', () => {
    const file = organization([
      kind('bureau', 'department'),
      kind('office', 'section', ['bureau']),
    ]);
    expect(
      validateRoleScopesAgainstOrganization(roles, file, 'roles.yaml', 'organization.yaml'),
    ).toEqual([]);
  });

  it('names the role whose level no in-scope unit kind satisfies (out-of-scope kinds do not count)', () => {
    const file = organization([
      kind('bureau', 'department'),
      kind('school', 'section', ['bureau'], true),
    ]);
    expect(
      lines(validateRoleScopesAgainstOrganization(roles, file, 'roles.yaml', 'organization.yaml')),
    ).toEqual([
      'roles.yaml: roles[1].scope: role "security_manager" is held per section, but no in-scope unit kind of organization.yaml acts as "section"',
    ]);
  });
});
