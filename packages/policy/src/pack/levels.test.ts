import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClassificationAxis, ClassificationFile } from './classification-schema.js';
import {
  compareLevels,
  effectiveRestrictions,
  isAtLeast,
  levelRank,
  maxLevel,
  restrictionsForClassification,
  UnknownLevelError,
} from './levels.js';

/** An axis with the given level ids, lowest first; `own` lists each level's restriction ids. */
function axisOf(
  ids: readonly string[],
  options: {
    inherits?: Readonly<Record<string, string>>;
    own?: Readonly<Record<string, readonly string[]>>;
  } = {},
): ClassificationAxis {
  return {
    name_ja: '機密性',
    name_en: 'Confidentiality',
    definition_ja: '定義',
    definition_en: 'definition',
    source_ja: '方針2(5)',
    clause: 'std-3.1',
    levels: ids.map((id) => ({
      id,
      label_ja: `機密性${id}`,
      label_en: `Confidentiality ${id}`,
      criteria_ja: '基準',
      criteria_en: 'criteria',
      ...(options.inherits?.[id] === undefined ? {} : { inherits: options.inherits[id] }),
      restrictions: (options.own?.[id] ?? []).map((rid) => ({
        id: rid,
        text_ja: `制限${rid}`,
        text_en: `restriction ${rid}`,
        clause: 'std-3.1',
      })),
    })),
  };
}

const guideline = axisOf(['1', '2', '3C', '3B', '3A']);

describe('level ordering (by the pack, never numerically)', () => {
  it('orders the guideline scheme 3A > 3B > 3C > 2 > 1', () => {
    expect(compareLevels(guideline, '3A', '3B')).toBeGreaterThan(0);
    expect(compareLevels(guideline, '3B', '3C')).toBeGreaterThan(0);
    expect(compareLevels(guideline, '3C', '2')).toBeGreaterThan(0);
    expect(compareLevels(guideline, '2', '1')).toBeGreaterThan(0);
    expect(compareLevels(guideline, '3C', '3A')).toBeLessThan(0);
    expect(compareLevels(guideline, '3B', '3B')).toBe(0);
    // A string sort would put 3A first and 3C last: the pack's order wins.
    expect(['3A', '1', '3C', '2', '3B'].sort((a, b) => compareLevels(guideline, a, b))).toEqual([
      '1',
      '2',
      '3C',
      '3B',
      '3A',
    ]);
  });

  it('compares neither as numbers nor as strings', () => {
    // Pack order 9 < 10 < 2: numerically 2 < 9, as strings '10' < '9'. Both are wrong here.
    const odd = axisOf(['9', '10', '2']);
    expect(compareLevels(odd, '10', '9')).toBeGreaterThan(0); // a string compare says '10' < '9'
    expect(compareLevels(odd, '2', '10')).toBeGreaterThan(0); // a numeric compare says 2 < 10
    expect(isAtLeast(odd, '2', '9')).toBe(true);
    expect(isAtLeast(odd, '9', '10')).toBe(false);
    expect(maxLevel(odd, ['10', '9'])).toBe('10');
    expect(maxLevel(odd, ['10', '2', '9'])).toBe('2');
  });

  it('follows the listed order for any ids (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[0-9A-Za-z]{1,3}$/), { minLength: 1, maxLength: 8 }),
        fc.nat(),
        fc.nat(),
        (ids, i, j) => {
          const axis = axisOf(ids);
          const a = ids[i % ids.length] ?? '';
          const b = ids[j % ids.length] ?? '';
          expect(Math.sign(compareLevels(axis, a, b))).toBe(
            Math.sign((i % ids.length) - (j % ids.length)),
          );
          expect(levelRank(axis, a)).toBe(i % ids.length);
        },
      ),
    );
  });

  it('isAtLeast includes the threshold itself', () => {
    expect(isAtLeast(guideline, '3C', '3C')).toBe(true);
    expect(isAtLeast(guideline, '3A', '3C')).toBe(true);
    expect(isAtLeast(guideline, '2', '3C')).toBe(false);
  });

  it('maxLevel takes the highest by order (最高度の分類, std-3.2.5c), undefined when empty', () => {
    expect(maxLevel(guideline, ['2', '3A', '3C'])).toBe('3A');
    expect(maxLevel(guideline, ['3C', '3B', '1'])).toBe('3B');
    expect(maxLevel(guideline, ['2'])).toBe('2');
    expect(maxLevel(guideline, [])).toBeUndefined();
  });

  it('throws UnknownLevelError for a level not on the axis, never guesses', () => {
    expect(() => compareLevels(guideline, '3', '2')).toThrow(UnknownLevelError);
    expect(() => isAtLeast(guideline, '2', '4')).toThrow(
      'level "4" is not a level of Confidentiality (levels: 1, 2, 3C, 3B, 3A)',
    );
    expect(() => maxLevel(guideline, ['x'])).toThrow(UnknownLevelError);
    expect(() => effectiveRestrictions(guideline, '3D')).toThrow(UnknownLevelError);
  });
});

describe('effectiveRestrictions (別表1, std-3.1)', () => {
  const axis = axisOf(['1', '2', '3'], {
    inherits: { '3': '2' },
    own: { '2': ['copy', 'encrypt'], '3': ['issued_devices_only'] },
  });

  it('is the level own restrictions followed by the inherited ones', () => {
    expect(effectiveRestrictions(axis, '3').map((r) => r.id)).toEqual([
      'issued_devices_only',
      'copy',
      'encrypt',
    ]);
    expect(effectiveRestrictions(axis, '2').map((r) => r.id)).toEqual(['copy', 'encrypt']);
    expect(effectiveRestrictions(axis, '1')).toEqual([]);
  });

  it('follows a chain of several levels', () => {
    const chain = axisOf(['1', '2', '3C', '3B', '3A'], {
      inherits: { '3C': '2', '3B': '3C', '3A': '3B' },
      own: { '2': ['a'], '3C': ['b'], '3B': ['c'], '3A': ['d'] },
    });
    expect(effectiveRestrictions(chain, '3A').map((r) => r.id)).toEqual(['d', 'c', 'b', 'a']);
    expect(effectiveRestrictions(chain, '3C').map((r) => r.id)).toEqual(['b', 'a']);
  });

  it('stops on a malformed cycle instead of looping', () => {
    const cyclic = axisOf(['1', '2'], { inherits: { '1': '2', '2': '1' }, own: { '1': ['x'] } });
    expect(effectiveRestrictions(cyclic, '2').map((r) => r.id)).toEqual(['x']);
  });

  it('unions the axes of a classification, each restriction once', () => {
    const classification: ClassificationFile = {
      axes: {
        confidentiality: axis,
        integrity: axisOf(['1', '2'], { own: { '2': ['backup', 'locked'] } }),
        availability: axisOf(['1', '2'], { own: { '2': ['backup', 'recover'] } }),
      },
    };
    expect(
      restrictionsForClassification(classification, {
        confidentiality: '3',
        integrity: '2',
        availability: '2',
      }).map((r) => r.id),
    ).toEqual(['issued_devices_only', 'copy', 'encrypt', 'backup', 'locked', 'recover']);
    expect(
      restrictionsForClassification(classification, {
        confidentiality: '1',
        integrity: '1',
        availability: '1',
      }),
    ).toEqual([]);
  });
});
