import type { ClassificationAxis, ClassificationFile } from './classification-schema.js';
import { AXIS_IDS } from './classification-schema.js';
import type { PolicyPackIssue } from './issues.js';
import { formatIssuePath } from './issues.js';
import { PACK_FILE_KINDS, PACK_MANIFEST_FILE, type PackManifest } from './manifest-schema.js';
import type { OrganizationFile, UnitLevel } from './organization-schema.js';
import { UNIT_LEVELS } from './organization-schema.js';
import type { PolicyPack } from './pack-schema.js';
import type { RolesFile } from './roles-schema.js';
import { ROLE_IDS } from './roles-schema.js';
import { compareDurations, checkSettingValue, durationFamily } from './settings.js';
import type { SettingDefinition, SettingsFile } from './settings-schema.js';
import { OPTIONS_REFS } from './settings-schema.js';
import type { ZonesFile } from './zones-schema.js';
import { ZONE_IDS } from './zones-schema.js';

/**
 * Cross-reference validation of a policy pack: the rules a per-file schema
 * cannot express (unique ids, references to other entries or files, level
 * order, defaults within their own ranges, cited clauses present).
 */

type Path = readonly PropertyKey[];

class IssueList {
  readonly issues: PolicyPackIssue[] = [];

  constructor(private readonly file: string) {}

  add(path: Path, message: string): void {
    this.issues.push({ file: this.file, path: formatIssuePath(path), message });
  }
}

/** Reports each id seen before, at the later occurrence. Returns the first index of each id. */
function checkUnique<T>(
  list: IssueList,
  items: readonly T[],
  idOf: (item: T) => string,
  pathOf: (index: number) => Path,
  what: string,
): Map<string, number> {
  const firstIndex = new Map<string, number>();
  items.forEach((item, index) => {
    const id = idOf(item);
    const first = firstIndex.get(id);
    if (first === undefined) firstIndex.set(id, index);
    else {
      list.add(
        pathOf(index),
        `${what} "${id}" is defined more than once (first at ${formatIssuePath(pathOf(first))})`,
      );
    }
  });
  return firstIndex;
}

/**
 * Checks `roles.yaml`: every glossary role is defined once, reporting lines
 * point to other roles, tenant_admin holds no approver role.
 */
export function validateRoles(roles: RolesFile, file: string): PolicyPackIssue[] {
  const list = new IssueList(file);
  const defined = checkUnique(
    list,
    roles.roles,
    (role) => role.id,
    (i) => ['roles', i, 'id'],
    'role',
  );
  for (const id of ROLE_IDS) {
    if (!defined.has(id)) list.add(['roles'], `role "${id}" is missing`);
  }
  roles.roles.forEach((role, i) => {
    role.reports_to.forEach((target, k) => {
      if (target === role.id)
        list.add(['roles', i, 'reports_to', k], 'a role cannot report to itself');
    });
    if (role.id === 'tenant_admin' && role.may_approve) {
      // glossary: tenant_admin holds no approver role
      list.add(['roles', i, 'may_approve'], 'tenant_admin holds no approver role');
    }
  });
  return list.issues;
}

function validateAxis(list: IssueList, axisId: string, axis: ClassificationAxis): void {
  const base = ['axes', axisId, 'levels'];
  const firstIndex = checkUnique(
    list,
    axis.levels,
    (level) => level.id,
    (i) => [...base, i, 'id'],
    'level',
  );
  axis.levels.forEach((level, i) => {
    if (level.inherits === undefined) return;
    const target = firstIndex.get(level.inherits);
    if (target === undefined) {
      list.add([...base, i, 'inherits'], `level "${level.inherits}" does not exist`);
    } else if (target >= i) {
      list.add(
        [...base, i, 'inherits'],
        target === i
          ? 'a level cannot inherit from itself'
          : `level "${level.inherits}" is not lower than "${level.id}" (a level inherits from a lower one)`,
      );
    }
  });
  // A restriction must not repeat within a level's effective list (own + inherited chain).
  axis.levels.forEach((level, i) => {
    const own = new Map<string, number>();
    level.restrictions.forEach((restriction, k) => {
      const path = [...base, i, 'restrictions', k, 'id'];
      if (own.has(restriction.id)) {
        list.add(path, `restriction "${restriction.id}" is listed more than once on this level`);
        return;
      }
      own.set(restriction.id, k);
      let ancestor = level.inherits === undefined ? undefined : firstIndex.get(level.inherits);
      const visited = new Set<number>([i]);
      while (ancestor !== undefined && ancestor < i && !visited.has(ancestor)) {
        visited.add(ancestor);
        const ancestorLevel = axis.levels[ancestor];
        if (ancestorLevel === undefined) break;
        if (ancestorLevel.restrictions.some((r) => r.id === restriction.id)) {
          list.add(
            path,
            `restriction "${restriction.id}" is already inherited from level "${ancestorLevel.id}"`,
          );
          break;
        }
        ancestor =
          ancestorLevel.inherits === undefined ? undefined : firstIndex.get(ancestorLevel.inherits);
      }
    });
  });
}

/**
 * Checks `classification.yaml`: level ids unique per axis, `inherits` points
 * to an existing lower level, restrictions not repeated along an inheritance
 * chain, and a restriction id used on several axes or levels always carries
 * the same text.
 */
export function validateClassification(
  classification: ClassificationFile,
  file: string,
): PolicyPackIssue[] {
  const list = new IssueList(file);
  const textById = new Map<string, { text_ja: string; text_en: string; path: Path }>();
  for (const axisId of AXIS_IDS) {
    const axis = classification.axes[axisId];
    validateAxis(list, axisId, axis);
    axis.levels.forEach((level, i) => {
      level.restrictions.forEach((restriction, k) => {
        const path = ['axes', axisId, 'levels', i, 'restrictions', k];
        const first = textById.get(restriction.id);
        if (first === undefined) {
          textById.set(restriction.id, { ...restriction, path });
        } else if (first.text_ja !== restriction.text_ja || first.text_en !== restriction.text_en) {
          list.add(
            [...path, 'id'],
            `restriction "${restriction.id}" has a different text at ${formatIssuePath(first.path)}`,
          );
        }
      });
    });
  }
  return list.issues;
}

/**
 * Checks `zones.yaml`: every glossary zone defined once, flows between two
 * different defined zones, each pair once, sanitization method ids unique.
 */
export function validateZones(zones: ZonesFile, file: string): PolicyPackIssue[] {
  const list = new IssueList(file);
  const defined = checkUnique(
    list,
    zones.zones,
    (zone) => zone.id,
    (i) => ['zones', i, 'id'],
    'zone',
  );
  for (const id of ZONE_IDS) {
    if (!defined.has(id)) list.add(['zones'], `zone "${id}" is missing`);
  }
  const pairs = new Map<string, number>();
  zones.flows.forEach((flow, i) => {
    if (flow.from === flow.to) {
      list.add(['flows', i, 'to'], 'a flow goes between two different zones');
      return;
    }
    const pair = `${flow.from} → ${flow.to}`;
    const first = pairs.get(pair);
    if (first === undefined) pairs.set(pair, i);
    else
      list.add(
        ['flows', i],
        `flow ${pair} is listed more than once (first at flows[${String(first)}])`,
      );
  });
  checkUnique(
    list,
    zones.sanitization_methods,
    (method) => method.id,
    (i) => ['sanitization_methods', i, 'id'],
    'sanitization method',
  );
  return list.issues;
}

/**
 * Checks `organization.yaml`: ids unique, `allowed_parents` naming defined
 * kinds, no kind under a kind of a lower level (a 部局 under a 係), and at
 * least one in-scope root kind.
 */
export function validateOrganization(
  organization: OrganizationFile,
  file: string,
): PolicyPackIssue[] {
  const list = new IssueList(file);
  const kinds = checkUnique(
    list,
    organization.unit_kinds,
    (kind) => kind.id,
    (i) => ['unit_kinds', i, 'id'],
    'unit kind',
  );
  const rank = (level: UnitLevel) => UNIT_LEVELS.indexOf(level);
  organization.unit_kinds.forEach((kind, i) => {
    kind.allowed_parents.forEach((parentId, k) => {
      const path = ['unit_kinds', i, 'allowed_parents', k];
      const parentIndex = kinds.get(parentId);
      const parent = parentIndex === undefined ? undefined : organization.unit_kinds[parentIndex];
      if (parent === undefined) {
        list.add(path, `unit kind "${parentId}" does not exist`);
      } else if (rank(parent.acts_as) > rank(kind.acts_as)) {
        list.add(
          path,
          `"${kind.id}" acts as ${kind.acts_as} and cannot sit under "${parentId}", which acts as ${parent.acts_as}`,
        );
      }
    });
    if (new Set(kind.allowed_parents).size !== kind.allowed_parents.length) {
      list.add(['unit_kinds', i, 'allowed_parents'], 'a parent kind is listed more than once');
    }
  });
  if (
    !organization.unit_kinds.some(
      (kind) => kind.allowed_parents.length === 0 && !kind.may_be_out_of_scope,
    )
  ) {
    list.add(['unit_kinds'], 'no in-scope unit kind may be a root (empty allowed_parents)');
  }
  checkUnique(
    list,
    organization.employment_kinds,
    (kind) => kind.id,
    (i) => ['employment_kinds', i, 'id'],
    'employment kind',
  );
  checkUnique(
    list,
    organization.position_titles,
    (title) => title.id,
    (i) => ['position_titles', i, 'id'],
    'position title',
  );
  organization.position_titles.forEach((title, i) => {
    if (title.head_of !== undefined && !kinds.has(title.head_of)) {
      list.add(['position_titles', i, 'head_of'], `unit kind "${title.head_of}" does not exist`);
    }
  });
  return list.issues;
}

/**
 * Cross-file check of `roles.yaml` against `organization.yaml`: a role held
 * per department or per section needs some in-scope unit kind acting at that
 * level, or the role could never be assigned.
 */
export function validateRoleScopesAgainstOrganization(
  roles: RolesFile,
  organization: OrganizationFile,
  rolesFile: string,
  organizationFile: string,
): PolicyPackIssue[] {
  const list = new IssueList(rolesFile);
  roles.roles.forEach((role, i) => {
    if (role.scope !== 'department' && role.scope !== 'section') return;
    const level = role.scope;
    const satisfied = organization.unit_kinds.some(
      (kind) => kind.acts_as === level && !kind.may_be_out_of_scope,
    );
    if (!satisfied) {
      list.add(
        ['roles', i, 'scope'],
        `role "${role.id}" is held per ${level}, but no in-scope unit kind of ${organizationFile} acts as "${level}"`,
      );
    }
  });
  return list.issues;
}

/** Ids a setting's options may reference, by kind (see `options_ref`). */
export type OptionsRefIds = Readonly<Record<(typeof OPTIONS_REFS)[number], readonly string[]>>;

function optionsRefIdsOf(pack: PolicyPack): OptionsRefIds {
  const levels = (axis: ClassificationAxis) => axis.levels.map((level) => level.id);
  return {
    role: pack.roles.roles.map((role) => role.id),
    zone: pack.zones.zones.map((zone) => zone.id),
    incident_severity: pack.settings.incident_severities.map((severity) => severity.id),
    confidentiality_level: levels(pack.classification.axes.confidentiality),
    integrity_level: levels(pack.classification.axes.integrity),
    availability_level: levels(pack.classification.axes.availability),
  };
}

const REF_NAMES: Readonly<Record<keyof OptionsRefIds, string>> = {
  role: 'a role',
  zone: 'a zone',
  incident_severity: 'an incident severity',
  confidentiality_level: 'a confidentiality level',
  integrity_level: 'an integrity level',
  availability_level: 'an availability level',
};

function checkOptionsRef(
  list: IssueList,
  path: Path,
  options: readonly string[],
  ref: keyof OptionsRefIds | undefined,
  refIds: OptionsRefIds,
): void {
  if (ref === undefined) return;
  options.forEach((option, k) => {
    if (!refIds[ref].includes(option)) {
      list.add([...path, k], `"${option}" is not ${REF_NAMES[ref]} of this pack`);
    }
  });
}

function checkPattern(list: IssueList, path: Path, pattern: string | undefined): boolean {
  if (pattern === undefined) return true;
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    list.add(path, 'not a valid regular expression');
    return false;
  }
}

function validateSetting(
  list: IssueList,
  setting: SettingDefinition,
  i: number,
  refIds: OptionsRefIds,
): void {
  const path = ['settings', i];
  let constraintsValid = true;
  switch (setting.type) {
    case 'duration': {
      const family = durationFamily(setting.default.unit);
      setting.units?.forEach((unit, k) => {
        if (durationFamily(unit) !== family) {
          constraintsValid = false;
          list.add(
            [...path, 'units', k],
            `${unit} cannot be compared with the default's ${setting.default.unit}`,
          );
        }
      });
      for (const bound of ['min', 'max'] as const) {
        const limit = setting[bound];
        if (limit !== undefined && durationFamily(limit.unit) !== family) {
          constraintsValid = false;
          list.add(
            [...path, bound, 'unit'],
            `${limit.unit} cannot be compared with the default's ${setting.default.unit}`,
          );
        }
      }
      if (constraintsValid && setting.min !== undefined && setting.max !== undefined) {
        const order = compareDurations(setting.min, setting.max);
        if (order !== undefined && order > 0) {
          constraintsValid = false;
          list.add([...path, 'min'], 'the minimum is above the maximum');
        }
      }
      break;
    }
    case 'integer':
      if (setting.min !== undefined && setting.max !== undefined && setting.min > setting.max) {
        constraintsValid = false;
        list.add([...path, 'min'], 'the minimum is above the maximum');
      }
      break;
    case 'enum':
      checkOptionsRef(list, [...path, 'options'], setting.options, setting.options_ref, refIds);
      break;
    case 'string':
      constraintsValid = checkPattern(list, [...path, 'pattern'], setting.pattern);
      break;
    case 'list':
      if (setting.item.type === 'enum') {
        checkOptionsRef(
          list,
          [...path, 'item', 'options'],
          setting.item.options,
          setting.item.options_ref,
          refIds,
        );
      } else {
        constraintsValid = checkPattern(list, [...path, 'item', 'pattern'], setting.item.pattern);
      }
      if (
        setting.min_items !== undefined &&
        setting.max_items !== undefined &&
        setting.min_items > setting.max_items
      ) {
        constraintsValid = false;
        list.add([...path, 'min_items'], 'min_items is above max_items');
      }
      break;
    case 'boolean':
      break;
  }
  if (!constraintsValid) return;
  for (const problem of checkSettingValue(setting, setting.default)) {
    list.add([...path, 'default'], `"${setting.key}": ${problem}`);
  }
}

/**
 * Checks `settings.yaml`: keys and severity ids unique, constraints coherent
 * (comparable units, min ≤ max, valid patterns, options that exist in the
 * pack), and every default valid for its own type and range.
 */
export function validateSettings(
  settings: SettingsFile,
  file: string,
  refIds: OptionsRefIds,
): PolicyPackIssue[] {
  const list = new IssueList(file);
  checkUnique(
    list,
    settings.incident_severities,
    (severity) => severity.id,
    (i) => ['incident_severities', i, 'id'],
    'incident severity',
  );
  checkUnique(
    list,
    settings.settings,
    (setting) => setting.key,
    (i) => ['settings', i, 'key'],
    'setting',
  );
  settings.settings.forEach((setting, i) => {
    validateSetting(list, setting, i, refIds);
  });
  return list.issues;
}

/** A clause key cited somewhere in a pack. */
export interface ClauseCitation {
  readonly file: string;
  readonly path: string;
  readonly key: string;
}

/** Every clause key the pack cites, with where it is cited (clauses.yaml itself excluded). */
export function citedClauseKeys(pack: PolicyPack): ClauseCitation[] {
  const files = pack.manifest.files;
  const citations: ClauseCitation[] = [];
  const cite = (file: string, path: Path, key: string) => {
    citations.push({ file, path: formatIssuePath(path), key });
  };
  pack.roles.roles.forEach((role, i) => {
    role.clauses.forEach((key, k) => {
      cite(files.roles, ['roles', i, 'clauses', k], key);
    });
  });
  for (const axisId of AXIS_IDS) {
    const axis = pack.classification.axes[axisId];
    cite(files.classification, ['axes', axisId, 'clause'], axis.clause);
    axis.levels.forEach((level, i) => {
      level.restrictions.forEach((restriction, k) => {
        const path = ['axes', axisId, 'levels', i, 'restrictions', k];
        cite(files.classification, [...path, 'clause'], restriction.clause);
        restriction.related_clauses?.forEach((key, r) => {
          cite(files.classification, [...path, 'related_clauses', r], key);
        });
      });
    });
  }
  pack.zones.zones.forEach((zone, i) => {
    zone.clauses.forEach((key, k) => {
      cite(files.zones, ['zones', i, 'clauses', k], key);
    });
  });
  pack.zones.flows.forEach((flow, i) => {
    cite(files.zones, ['flows', i, 'clause'], flow.clause);
  });
  pack.zones.sanitization_methods.forEach((method, i) => {
    cite(files.zones, ['sanitization_methods', i, 'clause'], method.clause);
  });
  pack.settings.settings.forEach((setting, i) => {
    setting.clauses.forEach((key, k) => {
      cite(files.settings, ['settings', i, 'clauses', k], key);
    });
  });
  pack.organization.unit_kinds.forEach((kind, i) => {
    kind.clauses.forEach((key, k) => {
      cite(files.organization, ['unit_kinds', i, 'clauses', k], key);
    });
  });
  pack.organization.employment_kinds.forEach((kind, i) => {
    kind.clauses?.forEach((key, k) => {
      cite(files.organization, ['employment_kinds', i, 'clauses', k], key);
    });
  });
  return citations;
}

/**
 * Checks `pack.yaml`: no file is listed twice (nor as the manifest itself).
 * The loader runs this before reading the listed files.
 */
export function validatePackManifest(manifest: PackManifest): PolicyPackIssue[] {
  const list = new IssueList(PACK_MANIFEST_FILE);
  const seen = new Map<string, string>([[PACK_MANIFEST_FILE, 'the manifest']]);
  const claim = (path: Path, file: string) => {
    const owner = seen.get(file);
    if (owner === undefined) seen.set(file, formatIssuePath(path));
    else list.add(path, `"${file}" is already listed as ${owner}`);
  };
  for (const kind of PACK_FILE_KINDS) claim(['files', kind], manifest.files[kind]);
  manifest.files.request_types.forEach((file, i) => {
    claim(['files', 'request_types', i], file);
  });
  manifest.files.checks.forEach((file, i) => {
    claim(['files', 'checks', i], file);
  });
  return list.issues;
}

/**
 * Validates what the per-file schemas cannot: references within and across
 * the pack's files. Returns every problem found (empty when the pack is
 * consistent); each names the file, the path in it and the problem.
 */
export function validatePolicyPack(pack: PolicyPack): PolicyPackIssue[] {
  const files = pack.manifest.files;
  const issues: PolicyPackIssue[] = [
    ...validatePackManifest(pack.manifest),
    ...validateRoles(pack.roles, files.roles),
    ...validateClassification(pack.classification, files.classification),
    ...validateZones(pack.zones, files.zones),
    ...validateSettings(pack.settings, files.settings, optionsRefIdsOf(pack)),
    ...validateOrganization(pack.organization, files.organization),
    ...validateRoleScopesAgainstOrganization(
      pack.roles,
      pack.organization,
      files.roles,
      files.organization,
    ),
  ];
  const clauses = new IssueList(files.clauses);
  const clauseKeys = checkUnique(
    clauses,
    pack.clauses.clauses,
    (clause) => clause.key,
    (i) => ['clauses', i, 'key'],
    'clause',
  );
  issues.push(...clauses.issues);
  for (const citation of citedClauseKeys(pack)) {
    if (!clauseKeys.has(citation.key)) {
      issues.push({
        file: citation.file,
        path: citation.path,
        message: `clause "${citation.key}" is not in ${files.clauses}`,
      });
    }
  }
  return issues;
}
