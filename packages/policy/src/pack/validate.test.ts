import { describe, expect, it } from 'vitest';
import type { ClassificationAxis, ClassificationFile } from './classification-schema.js';
import { formatPolicyPackIssue } from './issues.js';
import type { RolesFile } from './roles-schema.js';
import { ROLE_IDS } from './roles-schema.js';
import type { SettingDefinition, SettingsFile } from './settings-schema.js';
import {
  validateClassification,
  validateRoles,
  validateSettings,
  validateZones,
  type OptionsRefIds,
} from './validate.js';
import type { ZonesFile } from './zones-schema.js';

type LevelSpec = readonly [
  id: string,
  inherits: string | undefined,
  restrictions: readonly (readonly [string, string])[],
];

function axis(levels: readonly LevelSpec[]): ClassificationAxis {
  return {
    name_ja: '機密性',
    name_en: 'Confidentiality',
    definition_ja: '定義',
    definition_en: 'definition',
    source_ja: '方針2(5)',
    clause: 'std-3.1',
    levels: levels.map(([id, inherits, restrictions]) => ({
      id,
      label_ja: id,
      label_en: id,
      criteria_ja: '基準',
      criteria_en: 'criteria',
      ...(inherits === undefined ? {} : { inherits }),
      restrictions: restrictions.map(([rid, text]) => ({
        id: rid,
        text_ja: text,
        text_en: text,
        clause: 'std-3.1',
      })),
    })),
  };
}

const plain = axis([
  ['1', undefined, []],
  ['2', undefined, [['locked', '施錠保管']]],
]);

function classificationWith(confidentiality: ClassificationAxis): ClassificationFile {
  return { axes: { confidentiality, integrity: plain, availability: plain } };
}

const lines = (issues: readonly { file: string; path: string; message: string }[]) =>
  issues.map(formatPolicyPackIssue);

describe('validateClassification', () => {
  it('accepts a consistent classification', () => {
    const ok = axis([
      ['1', undefined, []],
      ['2', undefined, [['copy', '複製禁止']]],
      ['3', '2', [['issued', '支給端末のみ']]],
    ]);
    expect(validateClassification(classificationWith(ok), 'classification.yaml')).toEqual([]);
  });

  it('reports inherits pointing to a level that does not exist', () => {
    const bad = axis([
      ['1', undefined, []],
      ['2', undefined, []],
      ['3', '4', []],
    ]);
    expect(lines(validateClassification(classificationWith(bad), 'classification.yaml'))).toEqual([
      'classification.yaml: axes.confidentiality.levels[2].inherits: level "4" does not exist',
    ]);
  });

  it('reports inherits pointing to itself or to a higher level', () => {
    const bad = axis([
      ['1', '1', []],
      ['2', '3', []],
      ['3', undefined, []],
    ]);
    expect(lines(validateClassification(classificationWith(bad), 'c.yaml'))).toEqual([
      'c.yaml: axes.confidentiality.levels[0].inherits: a level cannot inherit from itself',
      'c.yaml: axes.confidentiality.levels[1].inherits: level "3" is not lower than "2" (a level inherits from a lower one)',
    ]);
  });

  it('reports a duplicate level id at the later occurrence', () => {
    const bad = axis([
      ['1', undefined, []],
      ['2', undefined, []],
      ['2', undefined, []],
    ]);
    expect(lines(validateClassification(classificationWith(bad), 'c.yaml'))).toEqual([
      'c.yaml: axes.confidentiality.levels[2].id: level "2" is defined more than once (first at axes.confidentiality.levels[1].id)',
    ]);
  });

  it('reports a restriction repeated on a level or along its inheritance chain', () => {
    const bad = axis([
      ['1', undefined, []],
      [
        '2',
        undefined,
        [
          ['copy', '複製禁止'],
          ['copy', '複製禁止'],
        ],
      ],
      ['3', '2', [['copy', '複製禁止']]],
    ]);
    expect(lines(validateClassification(classificationWith(bad), 'c.yaml'))).toEqual([
      'c.yaml: axes.confidentiality.levels[1].restrictions[1].id: restriction "copy" is listed more than once on this level',
      'c.yaml: axes.confidentiality.levels[2].restrictions[0].id: restriction "copy" is already inherited from level "2"',
    ]);
  });

  it('reports one restriction id with two different texts', () => {
    const bad = axis([
      ['1', undefined, []],
      ['2', undefined, [['locked', '施錠できる場所に保管']]],
    ]);
    expect(lines(validateClassification(classificationWith(bad), 'c.yaml'))).toEqual([
      'c.yaml: axes.integrity.levels[1].restrictions[0].id: restriction "locked" has a different text at axes.confidentiality.levels[1].restrictions[0]',
      'c.yaml: axes.availability.levels[1].restrictions[0].id: restriction "locked" has a different text at axes.confidentiality.levels[1].restrictions[0]',
    ]);
  });
});

function role(id: (typeof ROLE_IDS)[number]) {
  return {
    id,
    title_ja: id,
    title_en: id,
    holder_kind: 'person' as const,
    scope: 'tenant' as const,
    cardinality: 'any' as const,
    privileged: false,
    may_approve: false,
    reports_to: [],
    clauses: ['std-2.1.1'],
    defined_by_policy: true,
  };
}

describe('validateRoles', () => {
  it('requires every glossary role once', () => {
    const roles: RolesFile = {
      roles: [...ROLE_IDS.filter((id) => id !== 'poc').map(role), role('ciso')],
    };
    expect(lines(validateRoles(roles, 'roles.yaml'))).toEqual([
      'roles.yaml: roles[16].id: role "ciso" is defined more than once (first at roles[1].id)',
      'roles.yaml: roles: role "poc" is missing',
    ]);
  });

  it('rejects a role reporting to itself and an approving tenant_admin', () => {
    const roles: RolesFile = {
      roles: ROLE_IDS.map((id) =>
        id === 'tenant_admin'
          ? { ...role(id), may_approve: true }
          : id === 'ciso'
            ? { ...role(id), reports_to: ['ciso' as const] }
            : role(id),
      ),
    };
    expect(lines(validateRoles(roles, 'roles.yaml'))).toEqual([
      'roles.yaml: roles[0].may_approve: tenant_admin holds no approver role',
      'roles.yaml: roles[1].reports_to[0]: a role cannot report to itself',
    ]);
  });
});

describe('validateZones', () => {
  const zone = (id: 'mynumber' | 'lgwan' | 'internet' | 'offline') => ({
    id,
    name_ja: id,
    name_en: id,
    definition_en: id,
    networked: id !== 'offline',
    defined_by_policy: id !== 'offline',
    clauses: ['std-4.1.1'],
  });

  it('requires every zone and distinct flow pairs between different zones', () => {
    const zones: ZonesFile = {
      zones: [zone('mynumber'), zone('lgwan'), zone('internet')],
      flows: [
        { from: 'internet', to: 'lgwan', rule: 'sanitized_only', clause: 'std-4.2.1' },
        { from: 'internet', to: 'lgwan', rule: 'forbidden', clause: 'std-4.2.1' },
        { from: 'lgwan', to: 'lgwan', rule: 'forbidden', clause: 'std-4.2.1' },
      ],
      unlisted_flow_rule: 'forbidden',
      sanitization_methods: [],
    };
    expect(lines(validateZones(zones, 'zones.yaml'))).toEqual([
      'zones.yaml: zones: zone "offline" is missing',
      'zones.yaml: flows[1]: flow internet → lgwan is listed more than once (first at flows[0])',
      'zones.yaml: flows[2].to: a flow goes between two different zones',
    ]);
  });
});

describe('validateSettings', () => {
  const refIds: OptionsRefIds = {
    role: ['ciso', 'chief_security_officer'],
    zone: ['mynumber'],
    incident_severity: ['low', 'high'],
    confidentiality_level: ['1', '2', '3'],
    integrity_level: ['1', '2'],
    availability_level: ['1', '2'],
  };
  const base = {
    label_ja: 'ラベル',
    label_en: 'label',
    clauses: ['std-7.2.3'],
    reading_ja: '解釈',
    reading_en: 'reading',
  };
  const file = (settings: SettingDefinition[]): SettingsFile => ({
    editable_by: 'chief_security_officer',
    incident_severities: [
      { id: 'low', label_ja: '低', label_en: 'Low', criteria_ja: '基準', criteria_en: 'c' },
    ],
    settings,
  });

  it('checks each default against its own type and range', () => {
    const issues = validateSettings(
      file([
        { ...base, key: 'auth.lockout.threshold', type: 'integer', default: 1, min: 3 },
        {
          ...base,
          key: 'auth.session.idle_timeout',
          type: 'duration',
          default: { amount: 9, unit: 'hours' },
          units: ['minutes', 'hours'],
          max: { amount: 8, unit: 'hours' },
        },
        {
          ...base,
          key: 'incident.intake.default_severity',
          type: 'enum',
          options: ['low', 'high'],
          default: 'medium',
        },
      ]),
      'settings.yaml',
      refIds,
    );
    expect(lines(issues)).toEqual([
      'settings.yaml: settings[0].default: "auth.lockout.threshold": 1 is below the minimum 3',
      'settings.yaml: settings[1].default: "auth.session.idle_timeout": 9 hours is above the maximum 8 hours',
      'settings.yaml: settings[2].default: "incident.intake.default_severity": "medium" is not one of low, high',
    ]);
  });

  it('checks constraints: comparable units, min ≤ max, options that exist, patterns, unique keys', () => {
    const issues = validateSettings(
      file([
        {
          ...base,
          key: 'approval.step.due_within',
          type: 'duration',
          default: { amount: 3, unit: 'business_days' },
          units: ['business_days', 'hours'],
        },
        { ...base, key: 'auth.password.min_length', type: 'integer', default: 12, min: 20, max: 8 },
        {
          ...base,
          key: 'exception.consent_role',
          type: 'enum',
          options: ['chief_security_officer', 'deputy_mayor'],
          options_ref: 'role',
          default: 'chief_security_officer',
        },
        {
          ...base,
          key: 'calendar.year_end_closure.start',
          type: 'string',
          default: '12-29',
          max_length: 5,
          pattern: '([0-9',
        },
        { ...base, key: 'auth.password.min_length', type: 'boolean', default: true },
      ]),
      'settings.yaml',
      refIds,
    );
    expect(lines(issues)).toEqual([
      'settings.yaml: settings[4].key: setting "auth.password.min_length" is defined more than once (first at settings[1].key)',
      "settings.yaml: settings[0].units[1]: hours cannot be compared with the default's business_days",
      'settings.yaml: settings[1].min: the minimum is above the maximum',
      'settings.yaml: settings[2].options[1]: "deputy_mayor" is not a role of this pack',
      'settings.yaml: settings[3].pattern: not a valid regular expression',
    ]);
  });
});
