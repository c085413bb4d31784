import type {
  Classification,
  ClassificationAxis,
  ClassificationFile,
  ClassificationLevel,
  HandlingRestriction,
} from './classification-schema.js';
import { AXIS_IDS } from './classification-schema.js';

/**
 * Thrown when a level id is not a level of the axis it is used with. Level ids
 * come from the pack; an unknown one is a programming or data error, never a
 * value to guess a position for.
 */
export class UnknownLevelError extends Error {
  override readonly name = 'UnknownLevelError';

  constructor(
    readonly axisName: string,
    readonly level: string,
    readonly knownLevels: readonly string[],
  ) {
    super(
      `level "${level}" is not a level of ${axisName} (levels: ${knownLevels.join(', ') || 'none'})`,
    );
  }
}

const ranksByAxis = new WeakMap<ClassificationAxis, ReadonlyMap<string, number>>();

function ranksOf(axis: ClassificationAxis): ReadonlyMap<string, number> {
  let ranks = ranksByAxis.get(axis);
  if (ranks === undefined) {
    const built = new Map<string, number>();
    axis.levels.forEach((level, index) => {
      if (!built.has(level.id)) built.set(level.id, index);
    });
    ranks = built;
    ranksByAxis.set(axis, ranks);
  }
  return ranks;
}

/**
 * The position of a level in its axis (0 = lowest). Levels are ranked by the
 * order the pack lists them, never by their ids as numbers or strings.
 *
 * @throws {UnknownLevelError} when the level is not a level of the axis.
 */
export function levelRank(axis: ClassificationAxis, level: string): number {
  const rank = ranksOf(axis).get(level);
  if (rank === undefined) {
    throw new UnknownLevelError(
      axis.name_en,
      level,
      axis.levels.map((l) => l.id),
    );
  }
  return rank;
}

/**
 * Compares two levels of an axis by the pack's order: negative when `a` is
 * lower than `b`, 0 when equal, positive when higher (usable with `Array#sort`).
 * In a pack with levels 1 < 2 < 3C < 3B < 3A, `compareLevels(c, '3A', '3B') > 0`.
 *
 * @throws {UnknownLevelError} when a level is not a level of the axis.
 */
export function compareLevels(axis: ClassificationAxis, a: string, b: string): number {
  return levelRank(axis, a) - levelRank(axis, b);
}

/**
 * The highest of the given levels by the pack's order, or `undefined` for an
 * empty list. A medium holding several assets is handled at the per-axis
 * maximum (最高度の分類, std-3.2.5c).
 *
 * @throws {UnknownLevelError} when a level is not a level of the axis.
 */
export function maxLevel(axis: ClassificationAxis, levels: Iterable<string>): string | undefined {
  let highest: string | undefined;
  for (const level of levels) {
    if (highest === undefined) {
      levelRank(axis, level);
      highest = level;
    } else if (compareLevels(axis, level, highest) > 0) {
      highest = level;
    }
  }
  return highest;
}

/**
 * Whether `level` is at or above `threshold` by the pack's order, e.g.
 * `isAtLeast(confidentiality, asset.confidentiality, '2')` for the
 * 機密性2以上 conditions (std-3.2.8b).
 *
 * @throws {UnknownLevelError} when either level is not a level of the axis.
 */
export function isAtLeast(axis: ClassificationAxis, level: string, threshold: string): boolean {
  return compareLevels(axis, level, threshold) >= 0;
}

/**
 * The level object of an axis.
 *
 * @throws {UnknownLevelError} when the level is not a level of the axis.
 */
export function findLevel(axis: ClassificationAxis, level: string): ClassificationLevel {
  const found = axis.levels[levelRank(axis, level)];
  if (found === undefined) throw new UnknownLevelError(axis.name_en, level, []);
  return found;
}

/**
 * The handling restrictions (取扱制限) that apply to a level: its own, followed
 * by those of the level it `inherits` from, recursively (std-3.1, 別表1). For
 * Hokuto, 機密性3 = its own 「支給以外の端末での作業禁止」 + all of 機密性2's.
 * A restriction reached twice is listed once; a malformed chain stops instead
 * of looping.
 *
 * @throws {UnknownLevelError} when the level is not a level of the axis.
 */
export function effectiveRestrictions(
  axis: ClassificationAxis,
  level: string,
): HandlingRestriction[] {
  const result: HandlingRestriction[] = [];
  const seenRestrictions = new Set<string>();
  const visitedLevels = new Set<string>();
  let current: ClassificationLevel | undefined = findLevel(axis, level);
  while (current !== undefined && !visitedLevels.has(current.id)) {
    visitedLevels.add(current.id);
    for (const restriction of current.restrictions) {
      if (!seenRestrictions.has(restriction.id)) {
        seenRestrictions.add(restriction.id);
        result.push(restriction);
      }
    }
    const inherits: string | undefined = current.inherits;
    current = inherits === undefined ? undefined : findLevel(axis, inherits);
  }
  return result;
}

/**
 * The handling restrictions that apply to an asset with the given
 * classification: the effective restrictions of each axis, in axis display
 * order, each restriction once (the same obligation on two axes shares its id).
 *
 * @throws {UnknownLevelError} when a level is not a level of its axis.
 */
export function restrictionsForClassification(
  classification: ClassificationFile,
  levels: Classification,
): HandlingRestriction[] {
  const result: HandlingRestriction[] = [];
  const seen = new Set<string>();
  for (const axisId of AXIS_IDS) {
    for (const restriction of effectiveRestrictions(classification.axes[axisId], levels[axisId])) {
      if (!seen.has(restriction.id)) {
        seen.add(restriction.id);
        result.push(restriction);
      }
    }
  }
  return result;
}
