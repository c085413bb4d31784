import { z } from 'zod';
import { clauseKeyListSchema, snakeIdSchema, textSchema } from './common.js';
import { roleIdSchema } from './roles-schema.js';

/**
 * Units of a duration setting. Units of one family compare with each other:
 * clock time (`minutes`, `hours`, `days`), `business_days` (need the calendar),
 * calendar months (`months`, `years`).
 */
export const DURATION_UNITS = [
  'minutes',
  'hours',
  'days',
  'business_days',
  'months',
  'years',
] as const;

/** A duration unit (see {@link DURATION_UNITS}). */
export type DurationUnit = (typeof DURATION_UNITS)[number];

/** Schema of a duration: a whole, non-negative amount of one unit. */
export const durationSchema = z.strictObject({
  amount: z.int().min(0),
  unit: z.enum(DURATION_UNITS),
});

/** A duration, e.g. `{ amount: 3, unit: 'business_days' }`. */
export type Duration = z.infer<typeof durationSchema>;

/**
 * Kinds of pack ids an enum setting's options may be drawn from; the loader
 * checks that every option exists in the pack.
 */
export const OPTIONS_REFS = [
  'role',
  'zone',
  'incident_severity',
  'confidentiality_level',
  'integrity_level',
  'availability_level',
] as const;

/** Objects a setting may be overridden for, individually (e.g. a recovery target per asset). */
export const SETTING_OVERRIDE_OBJECTS = ['information_asset', 'information_system'] as const;

/** A setting key: dot.case, at least two segments, e.g. `auth.lockout.threshold`. */
export const settingKeySchema = z
  .string()
  .regex(
    /^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+$/,
    'not a setting key (dot.case, e.g. "auth.lockout.threshold")',
  );

const settingBase = {
  key: settingKeySchema,
  label_ja: textSchema,
  label_en: textSchema,
  /** The clauses the setting interprets. */
  clauses: clauseKeyListSchema,
  /** How Mamori reads the clause by default (shown next to the clause in the UI). */
  reading_ja: textSchema,
  reading_en: textSchema,
  overridable_per: z.array(z.enum(SETTING_OVERRIDE_OBJECTS)).optional(),
};

const enumOptionsShape = {
  options: z
    .array(z.string().min(1))
    .min(1)
    .refine((options) => new Set(options).size === options.length, 'duplicate option'),
  options_ref: z.enum(OPTIONS_REFS).optional(),
};

const stringShape = {
  max_length: z.int().min(1).max(1000),
  /** A regular expression the whole value must match. */
  pattern: z.string().min(1).optional(),
};

/** Schema of a duration setting. `units` lists the units an override may use. */
export const durationSettingSchema = z.strictObject({
  ...settingBase,
  type: z.literal('duration'),
  default: durationSchema,
  units: z.array(z.enum(DURATION_UNITS)).min(1).optional(),
  min: durationSchema.optional(),
  max: durationSchema.optional(),
});

/** Schema of an integer setting. */
export const integerSettingSchema = z.strictObject({
  ...settingBase,
  type: z.literal('integer'),
  default: z.int(),
  min: z.int().optional(),
  max: z.int().optional(),
});

/** Schema of a boolean setting. */
export const booleanSettingSchema = z.strictObject({
  ...settingBase,
  type: z.literal('boolean'),
  default: z.boolean(),
});

/** Schema of a string-enum setting. */
export const enumSettingSchema = z.strictObject({
  ...settingBase,
  type: z.literal('enum'),
  default: z.string(),
  ...enumOptionsShape,
});

/** Schema of a free-text setting. */
export const stringSettingSchema = z.strictObject({
  ...settingBase,
  type: z.literal('string'),
  default: z.string(),
  ...stringShape,
});

/** Schema of a list setting: items are enum options or strings, never repeated. */
export const listSettingSchema = z.strictObject({
  ...settingBase,
  type: z.literal('list'),
  item: z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('enum'), ...enumOptionsShape }),
    z.strictObject({ type: z.literal('string'), ...stringShape }),
  ]),
  default: z.array(z.string()),
  min_items: z.int().min(0).optional(),
  max_items: z.int().min(1).optional(),
});

/** Schema of one setting definition of `settings.yaml`. */
export const settingDefinitionSchema = z.discriminatedUnion('type', [
  durationSettingSchema,
  integerSettingSchema,
  booleanSettingSchema,
  enumSettingSchema,
  stringSettingSchema,
  listSettingSchema,
]);

/** A setting definition: key, typed default, labels, clauses and constraints. */
export type SettingDefinition = z.infer<typeof settingDefinitionSchema>;

/** The value of a setting (the type follows the definition's `type`). */
export type SettingValue = Duration | number | boolean | string | readonly string[];

/** Schema of one incident severity (the policy defines none; 6.3). */
export const incidentSeveritySchema = z.strictObject({
  id: snakeIdSchema,
  label_ja: textSchema,
  label_en: textSchema,
  criteria_ja: textSchema,
  criteria_en: textSchema,
});

/** An incident severity of the pack. */
export type IncidentSeverity = z.infer<typeof incidentSeveritySchema>;

/** Schema of `settings.yaml`. */
export const settingsFileSchema = z.strictObject({
  source_ja: textSchema.optional(),
  /** The role that may change settings (a privileged, logged change). */
  editable_by: roleIdSchema,
  /** Incident severities, ordered lowest → highest. */
  incident_severities: z.array(incidentSeveritySchema).min(1),
  settings: z.array(settingDefinitionSchema).min(1),
});

/** The parsed `settings.yaml`. */
export type SettingsFile = z.infer<typeof settingsFileSchema>;
