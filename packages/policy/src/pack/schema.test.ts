import { describe, expect, it } from 'vitest';
import { classificationFileSchema, classificationLevelSchema } from './classification-schema.js';
import { clauseKeySchema } from './common.js';
import {
  formatIssuePath,
  formatPolicyPackIssue,
  parseIssuePath,
  zodIssuesToPackIssues,
} from './issues.js';
import { packManifestSchema } from './manifest-schema.js';
import { roleSchema } from './roles-schema.js';
import { settingDefinitionSchema } from './settings-schema.js';

const level = {
  id: '2',
  label_ja: '機密性２',
  label_en: 'Confidentiality 2',
  criteria_ja: '基準',
  criteria_en: 'criteria',
  restrictions: [],
};

function issuesOf(file: string, result: { success: boolean; error?: { issues: unknown[] } }) {
  if (result.success || result.error === undefined) return [];
  return zodIssuesToPackIssues(file, result.error.issues as never).map(formatPolicyPackIssue);
}

describe('pack schemas are strict', () => {
  it('rejects an unknown key, reported at the key', () => {
    const result = classificationLevelSchema.safeParse({ ...level, colour: 'red' });
    expect(issuesOf('classification.yaml', result)).toEqual([
      'classification.yaml: colour: unknown key',
    ]);
  });

  it('reports a missing key as required', () => {
    const { label_en: _omitted, ...withoutLabel } = level;
    expect(
      issuesOf('classification.yaml', classificationLevelSchema.safeParse(withoutLabel)),
    ).toEqual(['classification.yaml: label_en: required (expected string)']);
  });

  it('rejects an unquoted numeric level id with a hint', () => {
    expect(
      issuesOf('classification.yaml', classificationLevelSchema.safeParse({ ...level, id: 2 })),
    ).toEqual(["classification.yaml: id: level ids are strings: quote it ('2')"]);
  });

  it('requires the three axes and nothing else', () => {
    const axis = {
      name_ja: '機密性',
      name_en: 'Confidentiality',
      definition_ja: '定義',
      definition_en: 'definition',
      source_ja: '方針2(5)',
      clause: 'std-3.1',
      levels: [{ ...level, id: '1' }],
    };
    const result = classificationFileSchema.safeParse({
      axes: { confidentiality: axis, integrity: axis, secrecy: axis },
    });
    expect(issuesOf('classification.yaml', result)).toEqual([
      'classification.yaml: axes.availability: required (expected object)',
      'classification.yaml: axes.secrecy: unknown key',
    ]);
  });

  it('accepts clause keys of the catalog and rejects others', () => {
    for (const key of ['std-3.2.8b', 'std-7.2.1.3a', 'pol-10', 'pol-4.1', 'std-6.1.1.3b.b01']) {
      expect(clauseKeySchema.safeParse(key).success).toBe(true);
    }
    for (const key of ['std-3.2.8z', '基準3(2)⑧', 'std-', 'STD-3.1', 'std-3..1']) {
      expect(clauseKeySchema.safeParse(key).success).toBe(false);
    }
  });

  it('checks role ids against the glossary', () => {
    const role = {
      id: 'deputy_mayor',
      title_ja: '副市長',
      title_en: 'Deputy Mayor',
      holder_kind: 'person',
      scope: 'tenant',
      cardinality: 'exactly_one',
      privileged: false,
      may_approve: true,
      clauses: ['std-2.1.1'],
    };
    expect(roleSchema.safeParse(role).success).toBe(false);
    expect(roleSchema.safeParse({ ...role, id: 'ciso' }).success).toBe(true);
  });

  it('checks a setting default type by the setting type', () => {
    const setting = {
      key: 'auth.lockout.threshold',
      label_ja: 'ラベル',
      label_en: 'label',
      clauses: ['std-7.2.3'],
      reading_ja: '解釈',
      reading_en: 'reading',
      type: 'integer',
      default: 'ten',
    };
    expect(issuesOf('settings.yaml', settingDefinitionSchema.safeParse(setting))).toEqual([
      'settings.yaml: default: expected number, received string',
    ]);
    expect(
      issuesOf('settings.yaml', settingDefinitionSchema.safeParse({ ...setting, type: 'float' })),
    ).toEqual([
      "settings.yaml: type: Invalid discriminator value. Expected 'duration' | 'integer' | 'boolean' | 'enum' | 'string' | 'list'",
    ]);
  });

  it('requires a semantic version and a kebab-case pack id', () => {
    const manifest = {
      schema_version: 1,
      id: 'Hokuto',
      version: '1.0',
      name_ja: '名',
      name_en: 'name',
      municipality: { name_ja: '市', name_en: 'City', prefecture_ja: '県', prefecture_en: 'Pref' },
      source_document: {
        title_ja: '題',
        title_en: 'title',
        parts: [{ prefix: 'std', title_ja: '基準', title_en: 'Standards' }],
      },
      files: {
        roles: 'roles.yaml',
        classification: 'classification.yaml',
        zones: 'zones.yaml',
        settings: 'settings.yaml',
        clauses: '../clauses.yaml',
        organization: 'organization.yaml',
      },
    };
    expect(issuesOf('pack.yaml', packManifestSchema.safeParse(manifest))).toEqual([
      'pack.yaml: id: not a pack id (lower-case kebab-case)',
      'pack.yaml: version: not a semantic version (e.g. "1.0.0")',
      'pack.yaml: files.clauses: not a pack file path (relative, lower-case, ending in ".yaml")',
    ]);
  });
});

describe('issue paths', () => {
  it('format keys with dots and indexes in brackets, and parse back', () => {
    const path = formatIssuePath(['axes', 'confidentiality', 'levels', 2, 'inherits']);
    expect(path).toBe('axes.confidentiality.levels[2].inherits');
    expect(parseIssuePath(path)).toEqual(['axes', 'confidentiality', 'levels', 2, 'inherits']);
    expect(formatIssuePath([])).toBe('(file)');
    expect(parseIssuePath('(file)')).toEqual([]);
    expect(formatIssuePath(['settings', 3, 'default', 'unit'])).toBe('settings[3].default.unit');
  });

  it('format an issue as file: path: problem, with the line when known', () => {
    expect(
      formatPolicyPackIssue({
        file: 'classification.yaml',
        path: 'axes.confidentiality.levels[2].inherits',
        message: 'level "4" does not exist',
      }),
    ).toBe(
      'classification.yaml: axes.confidentiality.levels[2].inherits: level "4" does not exist',
    );
    expect(
      formatPolicyPackIssue({ file: 'roles.yaml', path: 'roles', message: 'x', line: 7 }),
    ).toBe('roles.yaml: roles: x (line 7)');
  });
});
