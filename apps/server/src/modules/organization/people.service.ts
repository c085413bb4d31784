import {
  buildSearchText,
  searchFold,
  type AddMembershipInput,
  type CreatePersonInput,
  type ListPeopleQuery,
  type PersonPage,
  type PersonSummary,
  type SaveContractorInput,
  type UpdatePersonInput,
} from '@mamori/contracts';
import { buildOrgSnapshot, OrgIndex } from '@mamori/policy';
import { PG, pgErrorOf } from '../../platform/db/pg-error.js';
import type { TenantTx } from '../../platform/db/database.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { Actor } from '../../platform/oplog/oplog.service.js';
import { recordOrganizationEvent } from './organization.events.js';
import {
  organizationAbilities,
  personAbilities,
  type CallerReach,
  type PersonPlace,
} from './organization.policy.js';
import {
  endMembership,
  findContractor,
  findMembership,
  findPerson,
  insertContractor,
  insertMembership,
  insertPerson,
  listContractors,
  listPeople as listPeopleRows,
  membershipsAsOf,
  membershipsOfPerson,
  setPersonAccount,
  updateContractor,
  updatePerson as updatePersonRow,
  type MembershipRow,
  type PersonFields,
  type PersonRow,
} from './people.repository.js';
import { listDelegationViews } from './delegations.service.js';
import { personFields } from './person-fields.js';
import { presentAssignments } from './roles.service.js';
import { listAssignments } from './roles.repository.js';
import { loadOrgRows, type OrgPack } from './snapshot.service.js';
import { listUnitsAsOf, unitNames } from './units.repository.js';

function uniqueViolation(err: unknown): never {
  const pg = pgErrorOf(err);
  if (pg?.code === PG.uniqueViolation) {
    throw new AppError('conflict', 'Another person has this 職員番号 or account.', {
      constraint: pg.constraint ?? null,
    });
  }
  throw err;
}

async function checkUnitOn(tx: TenantTx, unitId: string, date: string): Promise<void> {
  const units = await listUnitsAsOf(tx, date);
  if (!units.some((u) => u.unitId === unitId)) {
    throw new AppError('org_structure_invalid', 'The unit is not in force on that date.', {
      unitId,
      date,
    });
  }
}

async function checkContractor(tx: TenantTx, contractorId: string | undefined): Promise<void> {
  if (contractorId !== undefined && !(await findContractor(tx, contractorId))) {
    throw new AppError('validation_failed', 'Unknown contractor.', {
      issues: [{ path: 'contractorId', message: 'unknown', code: 'invalid_value' }],
    });
  }
}

/** Creates a person with a primary unit (and 兼務 units) from `validFrom`. */
export async function createPerson(
  tx: TenantTx,
  actor: Actor,
  input: CreatePersonInput,
): Promise<PersonRow> {
  await checkContractor(tx, input.contractorId);
  for (const unitId of [input.primaryUnitId, ...input.additionalUnitIds]) {
    await checkUnitOn(tx, unitId, input.validFrom);
  }
  const person = await insertPerson(tx, personFields(input)).catch(uniqueViolation);
  await insertMembership(tx, {
    personId: person.id,
    unitId: input.primaryUnitId,
    kind: 'primary',
    positionTitle: input.positionTitle ?? null,
    validFrom: input.validFrom,
  });
  const additional = [...new Set(input.additionalUnitIds)].filter(
    (id) => id !== input.primaryUnitId,
  );
  for (const unitId of additional) {
    await insertMembership(tx, {
      personId: person.id,
      unitId,
      kind: 'additional',
      positionTitle: null,
      validFrom: input.validFrom,
    });
  }
  await recordOrganizationEvent(tx, actor, {
    action: 'organization.person_created',
    subject: { type: 'person', id: person.id },
    payload: {
      employeeNumber: person.employeeNumber,
      name: `${person.familyName} ${person.givenName}`,
      employment: person.employment,
      contractorId: person.contractorId,
      primaryUnitId: input.primaryUnitId,
      additionalUnitIds: additional,
      validFrom: input.validFrom,
    },
  });
  return person;
}

/** Updates a person's own attributes (names, フリガナ, contact, employment). */
export async function updatePerson(
  tx: TenantTx,
  actor: Actor,
  personId: string,
  input: UpdatePersonInput,
): Promise<PersonRow> {
  const before = await findPerson(tx, personId);
  if (!before) throw notFound('person');
  await checkContractor(tx, input.contractorId);
  const fields = personFields(input);
  const after = await updatePersonRow(tx, personId, fields).catch(uniqueViolation);
  const changed = (Object.keys(fields) as (keyof PersonFields)[]).filter(
    (key) => before[key] !== after[key],
  );
  await recordOrganizationEvent(tx, actor, {
    action: 'organization.person_updated',
    subject: { type: 'person', id: personId },
    payload: { changed },
  });
  return after;
}

/**
 * Adds a unit membership from `validFrom`. A new primary unit ends the
 * current primary membership on that date (a person has one primary unit).
 */
export async function addMembership(
  tx: TenantTx,
  actor: Actor,
  personId: string,
  input: AddMembershipInput,
): Promise<MembershipRow> {
  if (!(await findPerson(tx, personId))) throw notFound('person');
  await checkUnitOn(tx, input.unitId, input.validFrom);
  const current = (await membershipsOfPerson(tx, personId)).filter(
    (m) => m.validTo === null || m.validTo > input.validFrom,
  );
  const ended: string[] = [];
  if (current.some((m) => m.unitId === input.unitId && m.validFrom <= input.validFrom)) {
    throw new AppError('conflict', 'The person already belongs to this unit on that date.');
  }
  for (const m of current) {
    if (m.kind !== input.kind || input.kind !== 'primary') continue;
    if (m.validFrom >= input.validFrom) {
      throw new AppError('conflict', 'A primary unit already starts on or after that date.', {
        membershipId: m.id,
      });
    }
    await endMembership(tx, m.id, input.validFrom);
    ended.push(m.id);
  }
  const row = await insertMembership(tx, {
    personId,
    unitId: input.unitId,
    kind: input.kind,
    positionTitle: input.positionTitle ?? null,
    validFrom: input.validFrom,
  });
  await recordOrganizationEvent(tx, actor, {
    action: 'organization.membership_added',
    subject: { type: 'person', id: personId },
    payload: {
      membershipId: row.id,
      unitId: row.unitId,
      kind: input.kind,
      validFrom: row.validFrom,
      endedMembershipIds: ended,
    },
  });
  return row;
}

/** Ends a membership on `validTo` (exclusive). */
export async function endPersonMembership(
  tx: TenantTx,
  actor: Actor,
  personId: string,
  membershipId: string,
  validTo: string,
): Promise<void> {
  const m = await findMembership(tx, membershipId);
  if (!m || m.personId !== personId) throw notFound('membership');
  if (validTo <= m.validFrom || (m.validTo !== null && m.validTo <= validTo)) {
    throw new AppError('validation_failed', 'The end date must fall within the membership.', {
      issues: [{ path: 'validTo', message: 'out of range', code: 'invalid_value' }],
    });
  }
  await endMembership(tx, membershipId, validTo);
  await recordOrganizationEvent(tx, actor, {
    action: 'organization.membership_ended',
    subject: { type: 'person', id: personId },
    payload: { membershipId, unitId: m.unitId, validTo },
  });
}

/**
 * Links a person to their Mamori account (the identity module calls it when
 * it creates an account for a person). Operation-logged in the caller's
 * transaction; not_found when the person does not exist; conflict when the
 * account already belongs to someone else.
 */
export async function linkAccountToPerson(
  tx: TenantTx,
  personId: string,
  accountId: string | null,
  actor?: Actor,
): Promise<void> {
  if (!(await findPerson(tx, personId))) throw notFound('person');
  await setPersonAccount(tx, personId, accountId).catch(uniqueViolation);
  if (actor) {
    await recordOrganizationEvent(tx, actor, {
      action: 'organization.person_account_linked',
      subject: { type: 'person', id: personId },
      payload: { accountId },
    });
  }
}

/** Units of each person in force on `date` (for the policy and the primary unit label). */
async function placesOf(
  tx: TenantTx,
  date: string,
  personIds: readonly string[],
): Promise<Map<string, MembershipRow[]>> {
  const wanted = new Set(personIds);
  const all = await membershipsAsOf(tx, date);
  const map = new Map<string, MembershipRow[]>();
  for (const m of all) {
    if (!wanted.has(m.personId)) continue;
    map.set(m.personId, [...(map.get(m.personId) ?? []), m]);
  }
  return map;
}

function summary(
  p: PersonRow,
  memberships: readonly MembershipRow[],
  names: Map<string, string>,
  reach: CallerReach,
): PersonSummary {
  const primary = memberships.find((m) => m.kind === 'primary');
  const place: PersonPlace = { personId: p.id, unitIds: memberships.map((m) => m.unitId) };
  return {
    id: p.id,
    employeeNumber: p.employeeNumber,
    familyName: p.familyName,
    givenName: p.givenName,
    familyNameKana: p.familyNameKana,
    givenNameKana: p.givenNameKana,
    employment: p.employment as PersonSummary['employment'],
    status: p.status as PersonSummary['status'],
    primaryUnit: primary ? { id: primary.unitId, name: names.get(primary.unitId) ?? '' } : null,
    abilities: personAbilities(reach, place),
  };
}

/** The staff directory: search (kana/kanji, any width), unit and employment filters, by 読み. */
export async function listPeople(
  tx: TenantTx,
  pack: OrgPack,
  reach: CallerReach,
  query: ListPeopleQuery,
  today: string,
) {
  let unitIds: string[] | undefined;
  if (query.unitId !== undefined) {
    unitIds = [query.unitId];
    if (query.includeSubunits === true) {
      const snapshot = buildOrgSnapshot(await loadOrgRows(tx, today, pack), today);
      const index = new OrgIndex(snapshot);
      const root = query.unitId;
      unitIds = snapshot.units.filter((u) => index.isWithin(u.id, root)).map((u) => u.id);
    }
  }
  const search = query.q === undefined ? '' : searchFold(query.q);
  const { rows, total } = await listPeopleRows(
    tx,
    {
      ...(search ? { search } : {}),
      ...(unitIds ? { unitIds } : {}),
      ...(query.employment ? { employment: query.employment } : {}),
      ...(query.status ? { status: query.status } : {}),
      date: today,
    },
    { offset: (query.page - 1) * query.pageSize, limit: query.pageSize },
  );
  const places = await placesOf(
    tx,
    today,
    rows.map((r) => r.id),
  );
  const names = await unitNames(
    tx,
    [...places.values()].flat().map((m) => m.unitId),
  );
  return {
    items: rows.map((p) => summary(p, places.get(p.id) ?? [], names, reach)),
    total,
    page: query.page,
    pageSize: query.pageSize,
    abilities: organizationAbilities(reach),
  };
}

/**
 * The person page: everyone sees the directory entry and the roles held
 * today; contact fields, the units and roles history and delegations only
 * when the policy allows (organization.policy.ts).
 */
export async function personPage(
  tx: TenantTx,
  pack: OrgPack,
  reach: CallerReach,
  personId: string,
  today: string,
): Promise<PersonPage> {
  const p = await findPerson(tx, personId);
  if (!p) throw notFound('person');
  const history = await membershipsOfPerson(tx, personId);
  const current = history.filter(
    (m) => m.validFrom <= today && (m.validTo === null || m.validTo > today),
  );
  // A section chief acts for people who are, or were, in their 課.
  const place: PersonPlace = { personId, unitIds: [...new Set(history.map((m) => m.unitId))] };
  const allowed = personAbilities(reach, place).viewDetails === true;
  const names = await unitNames(
    tx,
    history.map((m) => m.unitId),
  );
  const person = summary(p, current, names, reach);
  person.abilities = personAbilities(reach, place);
  const contractor = allowed && p.contractorId ? await findContractor(tx, p.contractorId) : null;
  // Role history is public within the tenant (organization.policy.ts).
  const assignments = await listAssignments(tx, { holderPersonId: personId });
  return {
    person: {
      ...person,
      email: allowed ? p.email : null,
      contractor: contractor ? { id: contractor.id, name: contractor.name } : null,
      accountId: allowed ? p.accountId : null,
    },
    restricted: !allowed,
    memberships: (allowed ? history : current).map((m) => ({
      id: m.id,
      unitId: m.unitId,
      unitName: names.get(m.unitId) ?? '',
      kind: m.kind as 'primary' | 'additional',
      positionTitle: m.positionTitle,
      validFrom: m.validFrom,
      validTo: m.validTo,
    })),
    roles: await presentAssignments(tx, pack, reach, assignments, today),
    delegations: allowed
      ? await listDelegationViews(tx, reach, { personId, personVisible: true })
      : [],
  };
}

// ── Contractors (外部委託事業者) ─────────────────────────────────────────────

export async function contractorsList(tx: TenantTx, reach: CallerReach) {
  return (await listContractors(tx)).map((c) => ({
    id: c.id,
    name: c.name,
    nameKana: c.nameKana,
    abilities: { update: reach.isAdmin },
  }));
}

export async function saveContractor(
  tx: TenantTx,
  actor: Actor,
  input: SaveContractorInput,
  id?: string,
) {
  const fields = {
    name: input.name,
    nameKana: input.nameKana ?? null,
    searchText: buildSearchText([input.name, input.nameKana]),
  };
  if (id !== undefined && !(await findContractor(tx, id))) throw notFound('contractor');
  const row =
    id === undefined ? await insertContractor(tx, fields) : await updateContractor(tx, id, fields);
  await recordOrganizationEvent(tx, actor, {
    action: 'organization.contractor_saved',
    subject: { type: 'contractor', id: row.id },
    payload: { name: row.name, created: id === undefined },
  });
  return row;
}
