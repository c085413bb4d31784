import { describe, expect, it } from 'vitest';
import {
  checkSettingValue,
  compareDurations,
  formatDuration,
  readBooleanSetting,
  readDurationSetting,
  readIntegerSetting,
  readListSetting,
  readTextSetting,
  resolveSettings,
} from './settings.js';
import type { SettingDefinition } from './settings-schema.js';

const common = {
  label_ja: 'ラベル',
  label_en: 'label',
  clauses: ['std-7.2.3'],
  reading_ja: '解釈',
  reading_en: 'reading',
};

const definitions: SettingDefinition[] = [
  {
    ...common,
    key: 'auth.lockout.threshold',
    type: 'integer',
    default: 10,
    min: 3,
    max: 100,
  },
  {
    ...common,
    key: 'auth.session.idle_timeout',
    type: 'duration',
    default: { amount: 30, unit: 'minutes' },
    units: ['minutes', 'hours'],
    min: { amount: 1, unit: 'minutes' },
    max: { amount: 8, unit: 'hours' },
  },
  { ...common, key: 'auth.lockout.admin_unlock', type: 'boolean', default: true },
  {
    ...common,
    key: 'incident.external_report.min_severity',
    type: 'enum',
    options: ['low', 'medium', 'high', 'critical'],
    default: 'low',
  },
  {
    ...common,
    key: 'calendar.year_end_closure.start',
    type: 'string',
    default: '12-29',
    max_length: 5,
    pattern: '(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])',
  },
  {
    ...common,
    key: 'incident.triage.urgent_severities',
    type: 'list',
    item: { type: 'enum', options: ['low', 'medium', 'high', 'critical'] },
    default: ['high', 'critical'],
    max_items: 3,
  },
];

describe('resolveSettings', () => {
  it('returns every default when there are no overrides', () => {
    const resolved = resolveSettings(definitions);
    expect(resolved.issues).toEqual([]);
    expect(readIntegerSetting(resolved, 'auth.lockout.threshold')).toBe(10);
    expect(readDurationSetting(resolved, 'auth.session.idle_timeout')).toEqual({
      amount: 30,
      unit: 'minutes',
    });
    expect(readBooleanSetting(resolved, 'auth.lockout.admin_unlock')).toBe(true);
    expect(readTextSetting(resolved, 'incident.external_report.min_severity')).toBe('low');
    expect(readTextSetting(resolved, 'calendar.year_end_closure.start')).toBe('12-29');
    expect(readListSetting(resolved, 'incident.triage.urgent_severities')).toEqual([
      'high',
      'critical',
    ]);
    expect([...resolved.settings.values()].every((s) => s.source === 'default')).toBe(true);
  });

  it('applies valid overrides and marks them as overrides', () => {
    const resolved = resolveSettings(definitions, {
      'auth.lockout.threshold': 5,
      'auth.session.idle_timeout': { amount: 2, unit: 'hours' },
      'incident.triage.urgent_severities': ['critical'],
      'calendar.year_end_closure.start': '12-28',
    });
    expect(resolved.issues).toEqual([]);
    expect(readIntegerSetting(resolved, 'auth.lockout.threshold')).toBe(5);
    expect(resolved.settings.get('auth.lockout.threshold')?.source).toBe('override');
    expect(readDurationSetting(resolved, 'auth.session.idle_timeout')).toEqual({
      amount: 2,
      unit: 'hours',
    });
    expect(readListSetting(resolved, 'incident.triage.urgent_severities')).toEqual(['critical']);
    expect(resolved.settings.get('auth.lockout.admin_unlock')?.source).toBe('default');
  });

  it('reports an override of the wrong type with its key and keeps the default', () => {
    const resolved = resolveSettings(definitions, { 'auth.lockout.threshold': '5' });
    expect(resolved.issues).toEqual([
      { key: 'auth.lockout.threshold', message: 'expected an integer, got "5"' },
    ]);
    expect(readIntegerSetting(resolved, 'auth.lockout.threshold')).toBe(10);
    expect(resolved.settings.get('auth.lockout.threshold')?.source).toBe('default');
  });

  it('reports an override out of range with its key and keeps the default', () => {
    const resolved = resolveSettings(definitions, {
      'auth.lockout.threshold': 1,
      'auth.session.idle_timeout': { amount: 9, unit: 'hours' },
    });
    expect(resolved.issues).toEqual([
      { key: 'auth.lockout.threshold', message: '1 is below the minimum 3' },
      {
        key: 'auth.session.idle_timeout',
        message: '9 hours is above the maximum 8 hours',
      },
    ]);
    expect(readDurationSetting(resolved, 'auth.session.idle_timeout')).toEqual({
      amount: 30,
      unit: 'minutes',
    });
  });

  it('reports unknown keys, bad units, bad options, patterns and list items', () => {
    const resolved = resolveSettings(definitions, {
      'auth.lockout.treshold': 5,
      'auth.session.idle_timeout': { amount: 1, unit: 'business_days' },
      'incident.external_report.min_severity': 'severe',
      'calendar.year_end_closure.start': '13-01',
      'incident.triage.urgent_severities': ['high', 'high', 'urgent'],
      'auth.lockout.admin_unlock': 'yes',
    });
    expect(resolved.issues).toEqual([
      { key: 'auth.lockout.treshold', message: 'unknown setting' },
      {
        key: 'auth.session.idle_timeout',
        message: 'unit "business_days" is not allowed (allowed: minutes, hours)',
      },
      {
        key: 'incident.external_report.min_severity',
        message: '"severe" is not one of low, medium, high, critical',
      },
      {
        key: 'calendar.year_end_closure.start',
        message: '"13-01" does not match the pattern /(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])/',
      },
      {
        key: 'incident.triage.urgent_severities',
        message: 'item 2: "urgent" is not one of low, medium, high, critical',
      },
      { key: 'incident.triage.urgent_severities', message: '"high" is listed more than once' },
      { key: 'auth.lockout.admin_unlock', message: 'expected true or false, got "yes"' },
    ]);
    expect([...resolved.settings.values()].every((s) => s.source === 'default')).toBe(true);
  });

  it('treats a null override as "back to the default"', () => {
    const resolved = resolveSettings(definitions, { 'auth.lockout.threshold': null });
    expect(resolved.issues).toEqual([]);
    expect(resolved.settings.get('auth.lockout.threshold')?.source).toBe('default');
  });

  it('does not share mutable values with the definitions or the overrides', () => {
    const override = ['critical'];
    const resolved = resolveSettings(definitions, {
      'incident.triage.urgent_severities': override,
    });
    override.push('low');
    expect(readListSetting(resolved, 'incident.triage.urgent_severities')).toEqual(['critical']);
  });

  it('throws when a reader is used on a setting of another type or an unknown key', () => {
    const resolved = resolveSettings(definitions);
    expect(() => readIntegerSetting(resolved, 'auth.session.idle_timeout')).toThrow(
      'setting "auth.session.idle_timeout" is of type duration, not integer',
    );
    expect(() => readBooleanSetting(resolved, 'no.such')).toThrow('unknown setting "no.such"');
  });
});

describe('durations', () => {
  it('compare within a family and not across families', () => {
    expect(compareDurations({ amount: 2, unit: 'hours' }, { amount: 90, unit: 'minutes' })).toBe(
      30,
    );
    expect(compareDurations({ amount: 1, unit: 'days' }, { amount: 24, unit: 'hours' })).toBe(0);
    expect(compareDurations({ amount: 1, unit: 'years' }, { amount: 12, unit: 'months' })).toBe(0);
    expect(
      compareDurations({ amount: 3, unit: 'business_days' }, { amount: 72, unit: 'hours' }),
    ).toBeUndefined();
    expect(compareDurations({ amount: 1, unit: 'months' }, { amount: 30, unit: 'days' })).toBe(
      undefined,
    );
  });

  it('format in English with singular and plural', () => {
    expect(formatDuration({ amount: 1, unit: 'hours' })).toBe('1 hour');
    expect(formatDuration({ amount: 3, unit: 'business_days' })).toBe('3 business days');
  });

  it('reject malformed duration values', () => {
    const idle = definitions[1];
    if (idle === undefined) throw new Error('fixture');
    expect(checkSettingValue(idle, 30)).toEqual([
      'expected a duration { amount, unit }, got number 30',
    ]);
    expect(checkSettingValue(idle, { amount: -1, unit: 'minutes' })).toEqual([
      'expected a whole, non-negative amount, got number -1',
    ]);
    expect(checkSettingValue(idle, { amount: 1.5, unit: 'hours' })).toEqual([
      'expected a whole, non-negative amount, got number 1.5',
    ]);
    expect(checkSettingValue(idle, { amount: 1, unit: 'hours', extra: 1 })).toEqual([
      'unknown key "extra" in a duration',
    ]);
  });
});
