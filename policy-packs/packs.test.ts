import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CLAUSE_KEY_PATTERN,
  citedClauseKeys,
  readDurationSetting,
  readIntegerSetting,
  resolveSettings,
  ROLE_IDS,
  validatePolicyPack,
} from '@mamori/policy';
import { describe, expect, it } from 'vitest';
import { loadPolicyPack } from '../apps/server/src/platform/policy-pack/index.js';

const packsDir = path.dirname(fileURLToPath(import.meta.url));
const [hokuto, kanagi] = await Promise.all([
  loadPolicyPack(path.join(packsDir, 'hokuto')),
  loadPolicyPack(path.join(packsDir, 'test-kanagi')),
]);

describe.each([
  ['hokuto', hokuto],
  ['test-kanagi', kanagi],
])('pack %s', (_id, pack) => {
  it('cites only clause keys its own clauses.yaml holds', () => {
    const held = new Set(pack.clauses.clauses.map((clause) => clause.key));
    const citations = citedClauseKeys(pack);
    expect(citations.length).toBeGreaterThan(50);
    expect(citations.filter((citation) => !held.has(citation.key))).toEqual([]);
    for (const key of held) expect(key).toMatch(CLAUSE_KEY_PATTERN);
  });

  it('has no cross-reference problems', () => {
    expect(validatePolicyPack(pack)).toEqual([]);
  });

  it('defines every glossary role, in the glossary order', () => {
    expect(pack.roles.roles.map((role) => role.id)).toEqual([...ROLE_IDS]);
  });

  it('marks exactly tenant_admin, ciso and chief_security_officer as privileged', () => {
    expect(pack.roles.roles.filter((role) => role.privileged).map((role) => role.id)).toEqual([
      'tenant_admin',
      'ciso',
      'chief_security_officer',
    ]);
  });

  it('lets tenant_admin approve nothing and only Mamori-added parts be not defined by the policy', () => {
    const tenantAdmin = pack.roles.roles.find((role) => role.id === 'tenant_admin');
    expect(tenantAdmin?.may_approve).toBe(false);
    expect(pack.roles.roles.filter((role) => !role.defined_by_policy).map((r) => r.id)).toEqual([
      'tenant_admin',
    ]);
    expect(pack.zones.zones.filter((zone) => !zone.defined_by_policy).map((z) => z.id)).toEqual([
      'offline',
    ]);
  });

  it('rejects overrides of the wrong type or out of range, naming the key', () => {
    const resolved = resolveSettings(pack.settings.settings, {
      'auth.lockout.threshold': '10',
      'auth.session.idle_timeout': { amount: 9, unit: 'hours' },
      'approval.step.due_within': { amount: 3, unit: 'days' },
      'incident.triage.urgent_severities': ['critical', 'catastrophic'],
    });
    expect(resolved.issues).toEqual([
      { key: 'auth.lockout.threshold', message: 'expected an integer, got "10"' },
      { key: 'auth.session.idle_timeout', message: '9 hours is above the maximum 8 hours' },
      {
        key: 'approval.step.due_within',
        message: 'unit "days" is not allowed (allowed: business_days)',
      },
      {
        key: 'incident.triage.urgent_severities',
        message: 'item 1: "catastrophic" is not one of low, medium, high, critical',
      },
    ]);
    const defaults = resolveSettings(pack.settings.settings);
    expect(readIntegerSetting(resolved, 'auth.lockout.threshold')).toBe(
      readIntegerSetting(defaults, 'auth.lockout.threshold'),
    );
  });

  it('accepts a valid override', () => {
    const resolved = resolveSettings(pack.settings.settings, {
      'auth.session.idle_timeout': { amount: 1, unit: 'hours' },
    });
    expect(resolved.issues).toEqual([]);
    expect(readDurationSetting(resolved, 'auth.session.idle_timeout')).toEqual({
      amount: 1,
      unit: 'hours',
    });
  });
});

describe('packs share one shape', () => {
  it('define the same setting keys, so code written against one pack runs on another', () => {
    const keys = (pack: typeof hokuto) => pack.settings.settings.map((s) => `${s.key}:${s.type}`);
    expect(keys(kanagi)).toEqual(keys(hokuto));
  });

  it('define the same incident severities in the same order', () => {
    const ids = (pack: typeof hokuto) => pack.settings.incident_severities.map((s) => s.id);
    expect(ids(kanagi)).toEqual(ids(hokuto));
  });

  it('have different content hashes', () => {
    expect(kanagi.contentHash).not.toBe(hokuto.contentHash);
  });
});
