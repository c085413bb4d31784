import type { Duration, DurationUnit, SettingDefinition, SettingValue } from './settings-schema.js';
import { DURATION_UNITS } from './settings-schema.js';

/**
 * Settings: how Mamori reads the policy where it is silent or unclear
 * (shared/policy/decisions.md). Each setting has a default in the pack; a
 * tenant may override it, and every override is checked against the setting's
 * type and range before it is used.
 */

const UNIT_FAMILY: Readonly<Record<DurationUnit, { family: string; factor: number }>> = {
  minutes: { family: 'clock', factor: 1 },
  hours: { family: 'clock', factor: 60 },
  days: { family: 'clock', factor: 1440 },
  business_days: { family: 'business', factor: 1 },
  months: { family: 'calendar', factor: 1 },
  years: { family: 'calendar', factor: 12 },
};

const UNIT_NAMES: Readonly<Record<DurationUnit, [string, string]>> = {
  minutes: ['minute', 'minutes'],
  hours: ['hour', 'hours'],
  days: ['day', 'days'],
  business_days: ['business day', 'business days'],
  months: ['month', 'months'],
  years: ['year', 'years'],
};

/**
 * The family of a duration unit. Durations compare only within a family:
 * `clock` (minutes, hours, days), `business` (business days, which need the
 * calendar) and `calendar` (months, years).
 */
export function durationFamily(unit: DurationUnit): string {
  return UNIT_FAMILY[unit].family;
}

/**
 * Compares two durations: negative, 0 or positive, or `undefined` when their
 * units are of different families (3 business days vs 72 hours depends on the
 * calendar, 1 month vs 30 days on the month).
 */
export function compareDurations(a: Duration, b: Duration): number | undefined {
  const unitA = UNIT_FAMILY[a.unit];
  const unitB = UNIT_FAMILY[b.unit];
  if (unitA.family !== unitB.family) return undefined;
  return a.amount * unitA.factor - b.amount * unitB.factor;
}

/** Formats a duration in English, e.g. `3 business days`, `1 hour`. */
export function formatDuration(duration: Duration): string {
  const [one, many] = UNIT_NAMES[duration.unit];
  return `${String(duration.amount)} ${duration.amount === 1 ? one : many}`;
}

function describe(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
    case 'number':
    case 'boolean':
    case 'bigint':
      return `${typeof value} ${String(value)}`;
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value) ? 'a list' : 'an object';
    default:
      return typeof value;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isDurationUnit(value: unknown): value is DurationUnit {
  return typeof value === 'string' && (DURATION_UNITS as readonly string[]).includes(value);
}

function checkDuration(
  definition: Extract<SettingDefinition, { type: 'duration' }>,
  value: unknown,
): string[] {
  if (!isRecord(value)) return [`expected a duration { amount, unit }, got ${describe(value)}`];
  const unknownKeys = Object.keys(value).filter((k) => k !== 'amount' && k !== 'unit');
  if (unknownKeys.length > 0) {
    return [`unknown key ${unknownKeys.map((k) => `"${k}"`).join(', ')} in a duration`];
  }
  const { amount, unit } = value;
  if (typeof amount !== 'number' || !Number.isInteger(amount) || amount < 0) {
    return [`expected a whole, non-negative amount, got ${describe(amount)}`];
  }
  const allowed = definition.units ?? [definition.default.unit];
  if (!isDurationUnit(unit) || !allowed.includes(unit)) {
    return [`unit ${describe(unit)} is not allowed (allowed: ${allowed.join(', ')})`];
  }
  const duration: Duration = { amount, unit };
  const problems: string[] = [];
  if (definition.min !== undefined) {
    const order = compareDurations(duration, definition.min);
    if (order === undefined) problems.push(`cannot compare ${unit} with the minimum's unit`);
    else if (order < 0) {
      problems.push(
        `${formatDuration(duration)} is below the minimum ${formatDuration(definition.min)}`,
      );
    }
  }
  if (definition.max !== undefined) {
    const order = compareDurations(duration, definition.max);
    if (order === undefined) problems.push(`cannot compare ${unit} with the maximum's unit`);
    else if (order > 0) {
      problems.push(
        `${formatDuration(duration)} is above the maximum ${formatDuration(definition.max)}`,
      );
    }
  }
  return problems;
}

function checkRange(value: number, min: number | undefined, max: number | undefined): string[] {
  if (min !== undefined && value < min) {
    return [`${String(value)} is below the minimum ${String(min)}`];
  }
  if (max !== undefined && value > max) {
    return [`${String(value)} is above the maximum ${String(max)}`];
  }
  return [];
}

function checkOption(options: readonly string[], value: unknown): string[] {
  if (typeof value !== 'string')
    return [`expected one of ${options.join(', ')}, got ${describe(value)}`];
  if (!options.includes(value)) {
    return [`${describe(value)} is not one of ${options.join(', ')}`];
  }
  return [];
}

function checkString(
  rule: { max_length: number; pattern?: string | undefined },
  value: unknown,
): string[] {
  if (typeof value !== 'string') return [`expected text, got ${describe(value)}`];
  if (value.length > rule.max_length) {
    return [`text is longer than ${String(rule.max_length)} characters`];
  }
  if (rule.pattern !== undefined) {
    let pattern: RegExp;
    try {
      pattern = new RegExp(`^(?:${rule.pattern})$`, 'u');
    } catch {
      return [`the setting's pattern /${rule.pattern}/ is not a valid regular expression`];
    }
    if (!pattern.test(value)) {
      return [`${describe(value)} does not match the pattern /${rule.pattern}/`];
    }
  }
  return [];
}

function checkList(
  definition: Extract<SettingDefinition, { type: 'list' }>,
  value: unknown,
): string[] {
  if (!Array.isArray(value)) return [`expected a list, got ${describe(value)}`];
  const items: unknown[] = value;
  const problems: string[] = [];
  items.forEach((item, index) => {
    const itemProblems =
      definition.item.type === 'enum'
        ? checkOption(definition.item.options, item)
        : checkString(definition.item, item);
    for (const problem of itemProblems) problems.push(`item ${String(index)}: ${problem}`);
  });
  const seen = new Set<unknown>();
  for (const item of items) {
    if (seen.has(item)) problems.push(`${describe(item)} is listed more than once`);
    seen.add(item);
  }
  if (definition.min_items !== undefined && items.length < definition.min_items) {
    problems.push(`the list needs at least ${String(definition.min_items)} items`);
  }
  if (definition.max_items !== undefined && items.length > definition.max_items) {
    problems.push(`the list may have at most ${String(definition.max_items)} items`);
  }
  return problems;
}

/**
 * Checks a value against a setting's type and range. Returns the problems
 * (empty when the value is valid). Used for the pack's defaults and for every
 * tenant override.
 */
export function checkSettingValue(definition: SettingDefinition, value: unknown): string[] {
  switch (definition.type) {
    case 'duration':
      return checkDuration(definition, value);
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        return [`expected an integer, got ${describe(value)}`];
      }
      return checkRange(value, definition.min, definition.max);
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`expected true or false, got ${describe(value)}`];
    case 'enum':
      return checkOption(definition.options, value);
    case 'string':
      return checkString(definition, value);
    case 'list':
      return checkList(definition, value);
  }
}

/** A setting in effect: its definition, its value and where the value came from. */
export interface EffectiveSetting {
  readonly definition: SettingDefinition;
  readonly value: SettingValue;
  readonly source: 'default' | 'override';
}

/** A rejected override: the setting key and what is wrong with it. */
export interface SettingIssue {
  readonly key: string;
  readonly message: string;
}

/** The outcome of {@link resolveSettings}. */
export interface ResolvedSettings {
  /** Every setting of the pack by key, with its effective value. */
  readonly settings: ReadonlyMap<string, EffectiveSetting>;
  /** Overrides that were not applied; their settings keep the default. */
  readonly issues: readonly SettingIssue[];
}

function cloneValue(value: unknown): SettingValue {
  return structuredClone(value) as SettingValue;
}

/**
 * Resolves the effective settings of a tenant: each setting's default, replaced
 * by the tenant's override when the override is valid for the setting's type
 * and range. An invalid override, or one for a key the pack does not define,
 * is reported in `issues` with the key and the problem and is not used. An
 * override of `null` means "back to the default".
 */
export function resolveSettings(
  definitions: readonly SettingDefinition[],
  overrides: Readonly<Record<string, unknown>> = {},
): ResolvedSettings {
  const settings = new Map<string, EffectiveSetting>();
  for (const definition of definitions) {
    settings.set(definition.key, {
      definition,
      value: cloneValue(definition.default),
      source: 'default',
    });
  }
  const issues: SettingIssue[] = [];
  for (const [key, value] of Object.entries(overrides)) {
    // null means "back to the pack default" (a stored override that was withdrawn)
    if (value === null || value === undefined) continue;
    const current = settings.get(key);
    if (current === undefined) {
      issues.push({ key, message: 'unknown setting' });
      continue;
    }
    const problems = checkSettingValue(current.definition, value);
    if (problems.length > 0) {
      for (const message of problems) issues.push({ key, message });
      continue;
    }
    settings.set(key, {
      definition: current.definition,
      value: cloneValue(value),
      source: 'override',
    });
  }
  return { settings, issues };
}

function requireSetting(
  resolved: ResolvedSettings,
  key: string,
  type: SettingDefinition['type'],
): EffectiveSetting {
  const setting = resolved.settings.get(key);
  if (setting === undefined) throw new Error(`unknown setting "${key}"`);
  if (setting.definition.type !== type) {
    throw new Error(`setting "${key}" is of type ${setting.definition.type}, not ${type}`);
  }
  return setting;
}

/**
 * The effective value of a duration setting.
 *
 * @throws {Error} when the key is unknown or the setting is not a duration.
 */
export function readDurationSetting(resolved: ResolvedSettings, key: string): Duration {
  return requireSetting(resolved, key, 'duration').value as Duration;
}

/**
 * The effective value of an integer setting.
 *
 * @throws {Error} when the key is unknown or the setting is not an integer.
 */
export function readIntegerSetting(resolved: ResolvedSettings, key: string): number {
  return requireSetting(resolved, key, 'integer').value as number;
}

/**
 * The effective value of a boolean setting.
 *
 * @throws {Error} when the key is unknown or the setting is not a boolean.
 */
export function readBooleanSetting(resolved: ResolvedSettings, key: string): boolean {
  return requireSetting(resolved, key, 'boolean').value as boolean;
}

/**
 * The effective value of an enum or string setting.
 *
 * @throws {Error} when the key is unknown or the setting is not an enum or string.
 */
export function readTextSetting(resolved: ResolvedSettings, key: string): string {
  const setting = resolved.settings.get(key);
  if (setting?.definition.type === 'string') return setting.value as string;
  return requireSetting(resolved, key, 'enum').value as string;
}

/**
 * The effective value of a list setting.
 *
 * @throws {Error} when the key is unknown or the setting is not a list.
 */
export function readListSetting(resolved: ResolvedSettings, key: string): readonly string[] {
  return requireSetting(resolved, key, 'list').value as readonly string[];
}
