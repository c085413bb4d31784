import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  compareLevels,
  effectiveRestrictions,
  isAtLeast,
  maxLevel,
  restrictionsForClassification,
} from '@mamori/policy';
import { describe, expect, it } from 'vitest';
import { loadPolicyPack } from '../../apps/server/src/platform/policy-pack/index.js';

// 仮名木市 is fictional: this pack exists to prove behaviour does not depend on Hokuto's data.
const pack = await loadPolicyPack(path.dirname(fileURLToPath(import.meta.url)));
const { confidentiality } = pack.classification.axes;

describe('test-kanagi (fictional)', () => {
  it('is marked fictional', () => {
    expect(pack.manifest.fictional).toBe(true);
    expect(pack.manifest.municipality.name_ja).toBe('仮名木市');
  });

  it('orders confidentiality 1 < 2 < 3C < 3B < 3A', () => {
    expect(confidentiality.levels.map((l) => l.id)).toEqual(['1', '2', '3C', '3B', '3A']);
    expect(compareLevels(confidentiality, '3A', '3B')).toBeGreaterThan(0);
    expect(compareLevels(confidentiality, '3B', '3C')).toBeGreaterThan(0);
    expect(compareLevels(confidentiality, '3C', '2')).toBeGreaterThan(0);
    expect(compareLevels(confidentiality, '2', '1')).toBeGreaterThan(0);
    expect(isAtLeast(confidentiality, '3C', '2')).toBe(true); // 機密性2以上 includes every 3x level
    expect(isAtLeast(confidentiality, '3C', '3B')).toBe(false);
    expect(maxLevel(confidentiality, ['3C', '3A', '2', '3B'])).toBe('3A');
  });

  it('forbids external cloud storage at 3A only, on top of everything below', () => {
    const ids = (level: string) => effectiveRestrictions(confidentiality, level).map((r) => r.id);
    expect(ids('3A')).toEqual([
      'no_external_cloud',
      'named_handlers_only',
      'access_log_review',
      'no_offsite_processing',
      'no_non_issued_devices',
      'no_excess_copies',
      'protect_in_transit',
      'locked_media_storage',
    ]);
    expect(ids('3B')).not.toContain('no_external_cloud');
    expect(ids('3C')).toEqual([
      'no_non_issued_devices',
      'no_excess_copies',
      'protect_in_transit',
      'locked_media_storage',
    ]);
    expect(ids('1')).toEqual([]);
  });

  it('unions restrictions across axes for an asset, each once', () => {
    const ids = restrictionsForClassification(pack.classification, {
      confidentiality: '2',
      integrity: '2',
      availability: '2',
    }).map((r) => r.id);
    expect(ids).toEqual([
      'no_excess_copies',
      'protect_in_transit',
      'locked_media_storage',
      'backup',
    ]);
  });

  it('has its own role titles and holders', () => {
    const ciso = pack.roles.roles.find((r) => r.id === 'ciso');
    const chief = pack.roles.roles.find((r) => r.id === 'chief_security_officer');
    expect(ciso?.title_ja).toBe('最高情報セキュリティ統括者');
    expect(chief?.title_ja).toBe('情報セキュリティ統括責任者');
    expect(chief?.holder_ja).toBe('デジタル推進部長');
  });

  it('reads classification thresholds from its own levels', () => {
    const setting = pack.settings.settings.find(
      (s) => s.key === 'classification.important_information.min_confidentiality',
    );
    expect(setting).toMatchObject({
      type: 'enum',
      default: '3B',
      options: ['1', '2', '3C', '3B', '3A'],
    });
  });
});

describe('test-kanagi organization (fictional)', () => {
  it('names its levels 局/室/班, read from the pack', () => {
    expect(pack.organization.unit_kinds.map((k) => [k.label_ja, k.acts_as])).toEqual([
      ['局', 'department'],
      ['室', 'section'],
      ['班', 'team'],
      ['診療所', 'section'],
    ]);
  });
});
