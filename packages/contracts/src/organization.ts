import { z } from 'zod';
import { abilitiesSchema } from './permissions.js';
import { optionalText, requiredText } from './text.js';

/**
 * The organization (module `organization`, 対策基準2 組織体制): units as an
 * effective-dated tree, people, contractors, information systems, role
 * assignments and delegations (代行者).
 *
 * Dates are calendar dates in Asia/Tokyo (`YYYY-MM-DD`); a row holds for
 * `validFrom <= d < validTo` (`validTo` null = open-ended, exclusive end).
 */

/** A calendar date `YYYY-MM-DD` (Asia/Tokyo). */
export const isoDateSchema = z.iso.date();

const uuid = z.uuid();

// ── Units ───────────────────────────────────────────────────────────────────

/** A unit as of one date: its identity with the version in force. */
export const unitSchema = z.object({
  id: uuid,
  /** A unit kind id of the pack's organization.yaml. */
  kind: z.string(),
  /** The role level the kind acts as (department / section / team). */
  actsAs: z.enum(['department', 'section', 'team']),
  code: z.string().nullable(),
  name: z.string(),
  nameKana: z.string().nullable(),
  parentId: uuid.nullable(),
  sortOrder: z.number().int(),
  /** pol-4.1: set when the unit is outside the policy's scope (学校, 病院). */
  outOfScopeReason: z.string().nullable(),
  /** The version in force: from / to. */
  validFrom: isoDateSchema,
  validTo: isoDateSchema.nullable(),
  /** The unit's own life (abolished units have `abolishedOn`). */
  establishedOn: isoDateSchema,
  abolishedOn: isoDateSchema.nullable(),
  abilities: abilitiesSchema,
});
export type Unit = z.infer<typeof unitSchema>;

export const unitTreeQuerySchema = z.object({ asOf: isoDateSchema.optional() });

/** The whole tree as of a date, flat (parentId links); the client nests it. */
export const unitTreeSchema = z.object({
  asOf: isoDateSchema,
  units: z.array(unitSchema),
  abilities: abilitiesSchema,
});
export type UnitTree = z.infer<typeof unitTreeSchema>;

export const createUnitSchema = z.object({
  kind: z.string().min(1).max(64),
  name: requiredText(200),
  nameKana: optionalText(200),
  code: optionalText(64),
  parentId: uuid.nullable(),
  sortOrder: z.number().int().min(0).max(1_000_000).optional(),
  validFrom: isoDateSchema,
});
export type CreateUnitInput = z.infer<typeof createUnitSchema>;

/** Rename and/or move: ends the version in force and starts a new one from `effectiveDate`. */
export const changeUnitSchema = z
  .object({
    name: requiredText(200).optional(),
    nameKana: optionalText(200).nullable(),
    parentId: uuid.nullable().optional(),
    sortOrder: z.number().int().min(0).max(1_000_000).optional(),
    effectiveDate: isoDateSchema,
  })
  .refine(
    (v) =>
      v.name !== undefined ||
      v.nameKana !== undefined ||
      v.parentId !== undefined ||
      v.sortOrder !== undefined,
    { message: 'nothing to change' },
  );
export type ChangeUnitInput = z.infer<typeof changeUnitSchema>;

/** pol-4.1: mark a unit out of the policy's scope (reason) or back in scope (null). */
export const unitScopeSchema = z.object({
  outOfScopeReason: requiredText(500).nullable(),
  effectiveDate: isoDateSchema,
});
export type UnitScopeInput = z.infer<typeof unitScopeSchema>;

export const abolishUnitSchema = z.object({
  effectiveDate: isoDateSchema,
  reason: requiredText(500),
});
export type AbolishUnitInput = z.infer<typeof abolishUnitSchema>;

/** One version of a unit (name, parent, scope) over time. */
export const unitVersionSchema = z.object({
  id: uuid,
  name: z.string(),
  nameKana: z.string().nullable(),
  parentId: uuid.nullable(),
  parentName: z.string().nullable(),
  outOfScopeReason: z.string().nullable(),
  validFrom: isoDateSchema,
  validTo: isoDateSchema.nullable(),
});

export const unitMemberSchema = z.object({
  membershipId: uuid,
  personId: uuid,
  displayName: z.string(),
  displayNameKana: z.string(),
  employment: z.string(),
  kind: z.enum(['primary', 'additional']),
  positionTitle: z.string().nullable(),
  validFrom: isoDateSchema,
  validTo: isoDateSchema.nullable(),
});

/** Who holds what, for display. */
export const holderRefSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('person'), personId: uuid, name: z.string() }),
  z.object({ kind: z.literal('unit'), unitId: uuid, name: z.string() }),
]);
export const scopeRefSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('tenant') }),
  z.object({ kind: z.literal('unit'), unitId: uuid, name: z.string() }),
  z.object({ kind: z.literal('system'), systemId: uuid, name: z.string() }),
]);

export const roleAssignmentSchema = z.object({
  id: uuid,
  role: z.string(),
  holder: holderRefSchema,
  scope: scopeRefSchema,
  validFrom: isoDateSchema,
  validTo: isoDateSchema.nullable(),
  note: z.string().nullable(),
  /** std-2.9: the recorded reason for a separation-of-duties exception. */
  exceptionReason: z.string().nullable(),
  endReason: z.string().nullable(),
  abilities: abilitiesSchema,
});
export type RoleAssignmentView = z.infer<typeof roleAssignmentSchema>;

export const unitPageSchema = z.object({
  asOf: isoDateSchema,
  unit: unitSchema,
  /** Ancestors, root first. */
  path: z.array(z.object({ id: uuid, name: z.string() })),
  children: z.array(unitSchema),
  history: z.array(unitVersionSchema),
  members: z.array(unitMemberSchema),
  /** Roles scoped to or held by the unit, in force on `asOf`. */
  roleHolders: z.array(roleAssignmentSchema),
});
export type UnitPage = z.infer<typeof unitPageSchema>;

// ── People ──────────────────────────────────────────────────────────────────

export const employmentSchema = z.enum(['regular', 'non_regular', 'contractor_staff']);
export type Employment = z.infer<typeof employmentSchema>;
export const personStatusSchema = z.enum(['active', 'on_leave', 'left']);

/** フリガナ: kana only (hiragana is stored as typed; sorting folds it). */
const kanaText = requiredText(100).pipe(
  z.string().regex(/^[\p{Script=Katakana}\p{Script=Hiragana}ー・\s]+$/u, 'フリガナ must be kana'),
);

export const personSummarySchema = z.object({
  id: uuid,
  employeeNumber: z.string().nullable(),
  familyName: z.string(),
  givenName: z.string(),
  familyNameKana: z.string(),
  givenNameKana: z.string(),
  employment: employmentSchema,
  status: personStatusSchema,
  primaryUnit: z.object({ id: uuid, name: z.string() }).nullable(),
  abilities: abilitiesSchema,
});
export type PersonSummary = z.infer<typeof personSummarySchema>;

export const listPeopleQuerySchema = z.object({
  q: z.string().max(200).optional(),
  unitId: uuid.optional(),
  /** Include people of the unit's sub-units too. */
  includeSubunits: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  employment: employmentSchema.optional(),
  status: personStatusSchema.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListPeopleQuery = z.infer<typeof listPeopleQuerySchema>;

export const peoplePageSchema = z.object({
  items: z.array(personSummarySchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  abilities: abilitiesSchema,
});

const personFields = {
  employeeNumber: optionalText(32),
  familyName: requiredText(100),
  givenName: requiredText(100),
  familyNameKana: kanaText,
  givenNameKana: kanaText,
  email: z.email().max(320).optional(),
  employment: employmentSchema,
  contractorId: uuid.optional(),
};

const contractorRequired = (v: { employment: Employment; contractorId?: string | undefined }) =>
  (v.employment === 'contractor_staff') === (v.contractorId !== undefined);
const contractorMessage = {
  message: 'contractor staff need a contractor organization; others have none',
  path: ['contractorId'],
};

export const createPersonSchema = z
  .object({
    ...personFields,
    primaryUnitId: uuid,
    positionTitle: optionalText(100),
    additionalUnitIds: z.array(uuid).max(20).default([]),
    validFrom: isoDateSchema,
  })
  .refine(contractorRequired, contractorMessage);
export type CreatePersonInput = z.infer<typeof createPersonSchema>;

/** The person's own (undated) attributes; unit membership changes are dated, separately. */
export const updatePersonSchema = z
  .object(personFields)
  .refine(contractorRequired, contractorMessage);
export type UpdatePersonInput = z.infer<typeof updatePersonSchema>;

export const addMembershipSchema = z.object({
  unitId: uuid,
  kind: z.enum(['primary', 'additional']),
  positionTitle: optionalText(100),
  /** A new primary unit ends the current primary membership on this date. */
  validFrom: isoDateSchema,
});
export type AddMembershipInput = z.infer<typeof addMembershipSchema>;

export const endMembershipSchema = z.object({ validTo: isoDateSchema });

export const membershipSchema = z.object({
  id: uuid,
  unitId: uuid,
  unitName: z.string(),
  kind: z.enum(['primary', 'additional']),
  positionTitle: z.string().nullable(),
  validFrom: isoDateSchema,
  validTo: isoDateSchema.nullable(),
});

export const delegationSchema = z.object({
  id: uuid,
  assignmentId: uuid,
  role: z.string(),
  scope: scopeRefSchema,
  holder: z.object({ personId: uuid, name: z.string() }),
  deputy: z.object({ personId: uuid, name: z.string() }),
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.iso.datetime({ offset: true }),
  reason: z.string(),
  revokedAt: z.iso.datetime({ offset: true }).nullable(),
  abilities: abilitiesSchema,
});
export type DelegationView = z.infer<typeof delegationSchema>;

/**
 * The person page. Contact fields and history are present only when the
 * caller may see them (own 課's security_manager, admins, the person): see
 * organization.policy.ts; `restricted` tells the UI why they are absent.
 */
export const personPageSchema = z.object({
  person: personSummarySchema.extend({
    email: z.string().nullable(),
    contractor: z.object({ id: uuid, name: z.string() }).nullable(),
    accountId: uuid.nullable(),
  }),
  restricted: z.boolean(),
  memberships: z.array(membershipSchema),
  roles: z.array(roleAssignmentSchema),
  delegations: z.array(delegationSchema),
});
export type PersonPage = z.infer<typeof personPageSchema>;

// ── Contractors ─────────────────────────────────────────────────────────────

export const contractorSchema = z.object({
  id: uuid,
  name: z.string(),
  nameKana: z.string().nullable(),
  abilities: abilitiesSchema,
});
export const saveContractorSchema = z.object({
  name: requiredText(200),
  nameKana: optionalText(200),
});
export type SaveContractorInput = z.infer<typeof saveContractorSchema>;

// ── Information systems ─────────────────────────────────────────────────────

export const informationSystemSchema = z.object({
  id: uuid,
  name: z.string(),
  owningUnit: z.object({ id: uuid, name: z.string() }),
  zone: z.string(),
  description: z.string().nullable(),
  inServiceFrom: isoDateSchema,
  retiredOn: isoDateSchema.nullable(),
  systemManagers: z.array(holderRefSchema),
  systemOperators: z.array(holderRefSchema),
  abilities: abilitiesSchema,
});
export type InformationSystemView = z.infer<typeof informationSystemSchema>;

export const saveInformationSystemSchema = z.object({
  name: requiredText(200),
  owningUnitId: uuid,
  /** A zone id of the pack's zones.yaml. */
  zone: z.string().min(1).max(64),
  description: optionalText(2000),
  inServiceFrom: isoDateSchema,
  retiredOn: isoDateSchema.optional(),
});
export type SaveInformationSystemInput = z.infer<typeof saveInformationSystemSchema>;

// ── Role assignments ────────────────────────────────────────────────────────

export const roleHolderInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('person'), personId: uuid }),
  z.object({ kind: z.literal('unit'), unitId: uuid }),
]);
export const roleScopeInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('tenant') }),
  z.object({ kind: z.literal('unit'), unitId: uuid }),
  z.object({ kind: z.literal('system'), systemId: uuid }),
]);
export type RoleScopeInput = z.infer<typeof roleScopeInputSchema>;

export const assignRoleSchema = z.object({
  role: z.string().min(1).max(64),
  holder: roleHolderInputSchema,
  scope: roleScopeInputSchema,
  validFrom: isoDateSchema,
  note: optionalText(500),
  /** std-2.9.1/2.9.2: required when the assignment breaks a separation-of-duties rule. */
  exceptionReason: optionalText(1000),
  /**
   * Assignments this one replaces: they end on `validFrom` in the same
   * request (the new 課長 replaces the old as security_manager).
   */
  replacesAssignmentIds: z.array(uuid).max(10).default([]),
});
export type AssignRoleInput = z.infer<typeof assignRoleSchema>;

export const endRoleAssignmentSchema = z.object({
  validTo: isoDateSchema,
  reason: requiredText(500),
});
export type EndRoleAssignmentInput = z.infer<typeof endRoleAssignmentSchema>;

export const listRoleAssignmentsQuerySchema = z.object({
  role: z.string().max(64).optional(),
  personId: uuid.optional(),
  unitId: uuid.optional(),
  systemId: uuid.optional(),
  /** Only those in force on this date; omitted = every assignment incl. ended ones. */
  asOf: isoDateSchema.optional(),
});

/** A role problem (cardinality, 兼務 / separation of duties, privileged holders). */
export const roleProblemSchema = z.object({
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  role: z.string().nullable(),
  scope: scopeRefSchema.nullable(),
  message: z.string(),
  clauses: z.array(z.string()),
  assignmentIds: z.array(uuid),
});
export type RoleProblem = z.infer<typeof roleProblemSchema>;

/** One role × one scope with its holders (incl. the deputy acting now) and problems. */
export const roleOverviewEntrySchema = z.object({
  role: z.string(),
  cardinality: z.string(),
  scope: scopeRefSchema,
  holders: z.array(
    roleAssignmentSchema.extend({
      actingDeputy: z.object({ personId: uuid, name: z.string(), until: z.string() }).nullable(),
    }),
  ),
  problems: z.array(roleProblemSchema),
});

export const roleOverviewSchema = z.object({
  asOf: isoDateSchema,
  entries: z.array(roleOverviewEntrySchema),
  problems: z.array(roleProblemSchema),
  /** std-7.2.1.3a: holders of privileged roles (tenant_admin grants and policy roles). */
  privileged: z.object({
    holders: z.array(
      z.object({
        kind: z.enum(['account', 'person']),
        id: uuid,
        name: z.string(),
        roles: z.array(z.string()),
      }),
    ),
    count: z.number().int(),
    max: z.number().int(),
    exceeded: z.boolean(),
  }),
  abilities: abilitiesSchema,
});
export type RoleOverview = z.infer<typeof roleOverviewSchema>;

/** "Who held role R for scope S on date X" (approvals and incidents cite the holder of that day). */
export const roleHoldersQuerySchema = z.object({
  role: z.string().min(1).max(64),
  scopeKind: z.enum(['tenant', 'unit', 'system']),
  unitId: uuid.optional(),
  systemId: uuid.optional(),
  date: isoDateSchema.optional(),
  /** An instant within the day for delegations (default: noon of `date`, Asia/Tokyo). */
  at: z.iso.datetime({ offset: true }).optional(),
});

export const roleHoldersSchema = z.object({
  role: z.string(),
  scope: scopeRefSchema,
  date: isoDateSchema,
  holders: z.array(
    z.object({
      assignment: roleAssignmentSchema,
      /** Who acts: the holder, or the deputy during a delegation. */
      actingPerson: z.object({ personId: uuid, name: z.string() }).nullable(),
      deputyForPersonId: uuid.nullable(),
    }),
  ),
});

// ── Delegations (代行者, std-7.2.1.3b/c) ─────────────────────────────────────

export const createDelegationSchema = z.object({
  deputyPersonId: uuid,
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.iso.datetime({ offset: true }),
  reason: requiredText(500),
});
export type CreateDelegationInput = z.infer<typeof createDelegationSchema>;

export const revokeDelegationSchema = z.object({ reason: requiredText(500) });

export const listDelegationsQuerySchema = z.object({
  /** `mine`: as holder or deputy; `all`: every delegation (admins, chief_security_officer). */
  view: z.enum(['mine', 'all']).default('mine'),
});

export const idParamSchema = z.object({ id: uuid });
