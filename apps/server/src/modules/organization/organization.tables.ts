import { sql } from 'drizzle-orm';
import {
  customType,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { accounts } from '../../platform/auth/accounts.tables.js';

const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/*
 * Everything here is effective-dated (issue 4): a row holds for the calendar
 * dates `valid_from <= d < valid_to` (Asia/Tokyo dates; `valid_to` null = open).
 * A change on 4月1日 ends the old row and starts a new one; nothing is
 * overwritten, so "who was the security_manager of this 課 on date X" has an
 * answer.
 */

/** Organizational units (部局, 課, 係, 出先機関 …): identity only; names and place in the tree are versioned. */
export const orgUnits = pgTable(
  'org_units',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id')
      .notNull()
      .default(sql`gen_random_uuid()`),
    // A unit kind id of the pack's organization.yaml (e.g. department, section).
    kind: text('kind').notNull(),
    // The HR system's unit code, used to match rows on import.
    code: text('code'),
    validFrom: date('valid_from').notNull(),
    validTo: date('valid_to'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('org_units_code').on(t.tenantId, t.code),
  ],
);

/** A unit's name, parent and scope over time (the tree itself is effective-dated). */
export const orgUnitVersions = pgTable(
  'org_unit_versions',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id')
      .notNull()
      .default(sql`gen_random_uuid()`),
    unitId: uuid('unit_id').notNull(),
    name: text('name').notNull(),
    nameKana: text('name_kana'),
    parentId: uuid('parent_id'),
    sortOrder: integer('sort_order').notNull().default(0),
    // pol-4.1: units such as 学校 and 病院 are outside the policy's scope.
    outOfScope: text('out_of_scope_reason'),
    validFrom: date('valid_from').notNull(),
    validTo: date('valid_to'),
    // The reorganization (組織改正) that produced this version, if any.
    reorganizationId: uuid('reorganization_id'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('org_unit_versions_unit').on(t.tenantId, t.unitId, t.validFrom),
    index('org_unit_versions_parent').on(t.tenantId, t.parentId),
    foreignKey({
      columns: [t.tenantId, t.unitId],
      foreignColumns: [orgUnits.tenantId, orgUnits.id],
    }),
    foreignKey({
      columns: [t.tenantId, t.parentId],
      foreignColumns: [orgUnits.tenantId, orgUnits.id],
    }),
  ],
);

/** 外部委託事業者 (contractor organizations) whose staff are people here. */
export const contractors = pgTable(
  'contractors',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id')
      .notNull()
      .default(sql`gen_random_uuid()`),
    name: text('name').notNull(),
    nameKana: text('name_kana'),
    searchText: text('search_text').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

/**
 * People: 職員 (regular), 非常勤/臨時 (non_regular), contractor staff. Names
 * with フリガナ; lists sort by `sort_key` (読み); `search_text` is the
 * NFKC-normalized, kana-folded text that partial search matches.
 */
export const people = pgTable(
  'people',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id')
      .notNull()
      .default(sql`gen_random_uuid()`),
    // 職員番号 from the HR system: the key for imports.
    employeeNumber: text('employee_number'),
    familyName: text('family_name').notNull(),
    givenName: text('given_name').notNull(),
    familyNameKana: text('family_name_kana').notNull(),
    givenNameKana: text('given_name_kana').notNull(),
    sortKey: text('sort_key').notNull(),
    searchText: text('search_text').notNull(),
    email: text('email'),
    // regular | non_regular | contractor_staff
    employment: text('employment').notNull(),
    contractorId: uuid('contractor_id'),
    // active | on_leave (休職) | left (退職); kept current by personnel events.
    status: text('status').notNull().default('active'),
    accountId: uuid('account_id'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('people_employee_number').on(t.tenantId, t.employeeNumber),
    unique('people_account').on(t.tenantId, t.accountId),
    index('people_sort_key').on(t.tenantId, t.sortKey),
    foreignKey({
      columns: [t.tenantId, t.contractorId],
      foreignColumns: [contractors.tenantId, contractors.id],
    }),
    foreignKey({
      columns: [t.tenantId, t.accountId],
      foreignColumns: [accounts.tenantId, accounts.id],
    }),
  ],
);

/** A person's place in units over time: one primary unit, any number of additional assignments (兼務). */
export const unitMemberships = pgTable(
  'unit_memberships',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id')
      .notNull()
      .default(sql`gen_random_uuid()`),
    personId: uuid('person_id').notNull(),
    unitId: uuid('unit_id').notNull(),
    // primary | additional
    kind: text('kind').notNull(),
    // 役職 as HR writes it (課長, 主査 …): informative; roles are assigned separately.
    positionTitle: text('position_title'),
    validFrom: date('valid_from').notNull(),
    validTo: date('valid_to'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('unit_memberships_person').on(t.tenantId, t.personId, t.validFrom),
    index('unit_memberships_unit').on(t.tenantId, t.unitId, t.validFrom),
    foreignKey({ columns: [t.tenantId, t.personId], foreignColumns: [people.tenantId, people.id] }),
    foreignKey({
      columns: [t.tenantId, t.unitId],
      foreignColumns: [orgUnits.tenantId, orgUnits.id],
    }),
  ],
);

/**
 * A minimal register of information systems (情報システム), so that roles
 * scoped to a system (system_manager, system_operator) exist from the start.
 * The systems issue extends it.
 */
export const informationSystems = pgTable(
  'information_systems',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id')
      .notNull()
      .default(sql`gen_random_uuid()`),
    name: text('name').notNull(),
    searchText: text('search_text').notNull(),
    // The owning 課 (its 担当課長 is usually the system_manager).
    owningUnitId: uuid('owning_unit_id').notNull(),
    // A zone id of the pack's zones.yaml (mynumber, lgwan, internet, offline).
    zone: text('zone').notNull(),
    description: text('description'),
    inServiceFrom: date('in_service_from').notNull(),
    retiredOn: date('retired_on'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({
      columns: [t.tenantId, t.owningUnitId],
      foreignColumns: [orgUnits.tenantId, orgUnits.id],
    }),
  ],
);

/**
 * The policy's roles (対策基準2), held by a person or a unit (the PoC is a
 * unit), for a scope (the tenant, a unit, an information system), over time.
 */
export const roleAssignments = pgTable(
  'role_assignments',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id')
      .notNull()
      .default(sql`gen_random_uuid()`),
    role: text('role').notNull(),
    holderPersonId: uuid('holder_person_id'),
    holderUnitId: uuid('holder_unit_id'),
    // tenant | unit | system
    scopeKind: text('scope_kind').notNull(),
    scopeUnitId: uuid('scope_unit_id'),
    scopeSystemId: uuid('scope_system_id'),
    validFrom: date('valid_from').notNull(),
    validTo: date('valid_to'),
    note: text('note'),
    // std-2.9: an assignment that breaks a separation-of-duties rule needs a recorded reason.
    exceptionReason: text('exception_reason'),
    createdBy: uuid('created_by'),
    endedBy: uuid('ended_by'),
    endReason: text('end_reason'),
    reorganizationId: uuid('reorganization_id'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('role_assignments_role').on(t.tenantId, t.role, t.validFrom),
    index('role_assignments_person').on(t.tenantId, t.holderPersonId),
    foreignKey({
      columns: [t.tenantId, t.holderPersonId],
      foreignColumns: [people.tenantId, people.id],
    }),
    foreignKey({
      columns: [t.tenantId, t.holderUnitId],
      foreignColumns: [orgUnits.tenantId, orgUnits.id],
    }),
    foreignKey({
      columns: [t.tenantId, t.scopeUnitId],
      foreignColumns: [orgUnits.tenantId, orgUnits.id],
    }),
    foreignKey({
      columns: [t.tenantId, t.scopeSystemId],
      foreignColumns: [informationSystems.tenantId, informationSystems.id],
    }),
  ],
);

/** 代行者 (std-7.2.1.3b/c): a holder names a deputy for a dated absence. */
export const delegations = pgTable(
  'delegations',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id')
      .notNull()
      .default(sql`gen_random_uuid()`),
    assignmentId: uuid('assignment_id').notNull(),
    deputyPersonId: uuid('deputy_person_id').notNull(),
    startsAt: instant('starts_at').notNull(),
    endsAt: instant('ends_at').notNull(),
    reason: text('reason').notNull(),
    createdBy: uuid('created_by'),
    revokedAt: instant('revoked_at'),
    revokedBy: uuid('revoked_by'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('delegations_assignment').on(t.tenantId, t.assignmentId),
    foreignKey({
      columns: [t.tenantId, t.assignmentId],
      foreignColumns: [roleAssignments.tenantId, roleAssignments.id],
    }),
    foreignKey({
      columns: [t.tenantId, t.deputyPersonId],
      foreignColumns: [people.tenantId, people.id],
    }),
  ],
);

/**
 * Personnel events (異動, 退職, 休職, 復職, 採用) with an effective date. A
 * future-dated event is `scheduled` and applied by a daily job on its date.
 */
export const personnelEvents = pgTable(
  'personnel_events',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id')
      .notNull()
      .default(sql`gen_random_uuid()`),
    personId: uuid('person_id').notNull(),
    // hire | transfer | leave (退職) | leave_of_absence (休職) | return (復職)
    kind: text('kind').notNull(),
    effectiveDate: date('effective_date').notNull(),
    details: jsonb('details').notNull(),
    // scheduled | applied | cancelled
    status: text('status').notNull(),
    // The import (file SHA-256) the event came from, if any.
    importDigest: text('import_digest'),
    createdBy: uuid('created_by'),
    appliedAt: instant('applied_at'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('personnel_events_due').on(t.tenantId, t.status, t.effectiveDate),
    foreignKey({ columns: [t.tenantId, t.personId], foreignColumns: [people.tenantId, people.id] }),
  ],
);

/** 組織改正: a prepared, previewed set of unit changes applied together on one date. */
export const reorganizations = pgTable(
  'reorganizations',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id')
      .notNull()
      .default(sql`gen_random_uuid()`),
    title: text('title').notNull(),
    effectiveDate: date('effective_date').notNull(),
    operations: jsonb('operations').notNull(),
    // draft | applied | cancelled
    status: text('status').notNull(),
    createdBy: uuid('created_by'),
    appliedBy: uuid('applied_by'),
    appliedAt: instant('applied_at'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

/**
 * HR imports (people or units, std-7.3.5.1): the uploaded file, its dry run
 * and the progress of its apply, in the database so that any app server can
 * continue the wizard and a restart loses nothing. The apply runs as a job
 * (import-job.ts). The file is cleared once applied or expired (24 h).
 */
export const orgImports = pgTable(
  'org_imports',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id')
      .notNull()
      .default(sql`gen_random_uuid()`),
    // people | units
    kind: text('kind').notNull(),
    fileName: text('file_name'),
    fileSha256: text('file_sha256').notNull(),
    // The uploaded bytes (size checked at upload); null once applied or expired.
    file: bytea('file'),
    planDigest: text('plan_digest').notNull(),
    // The dry run shown to the user (OrgImportPreview); null once expired.
    preview: jsonb('preview'),
    // previewed | applying | applied | failed | expired
    state: text('state').notNull().default('previewed'),
    processed: integer('processed').notNull().default(0),
    total: integer('total').notNull().default(0),
    error: jsonb('error'),
    result: jsonb('result'),
    uploadedBy: uuid('uploaded_by').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('org_imports_state').on(t.tenantId, t.state, t.createdAt),
    foreignKey({
      columns: [t.tenantId, t.uploadedBy],
      foreignColumns: [accounts.tenantId, accounts.id],
    }),
  ],
);
