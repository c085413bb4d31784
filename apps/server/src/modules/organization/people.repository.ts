import { and, asc, desc, eq, inArray, like, sql, type SQL } from 'drizzle-orm';
import type { TenantTx } from '../../platform/db/database.js';
import { inForce } from './effective-dated.js';
import { contractors, people, unitMemberships } from './organization.tables.js';

export type PersonRow = typeof people.$inferSelect;
export type MembershipRow = typeof unitMemberships.$inferSelect;
export type ContractorRow = typeof contractors.$inferSelect;

/** The stored fields of a person (search and sort columns computed by the service). */
export interface PersonFields {
  employeeNumber: string | null;
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  sortKey: string;
  searchText: string;
  email: string | null;
  employment: string;
  contractorId: string | null;
}

export async function insertPerson(tx: TenantTx, fields: PersonFields): Promise<PersonRow> {
  const [row] = await tx
    .insert(people)
    .values({ ...fields, tenantId: tx.scope.tenantId })
    .returning();
  if (!row) throw new Error('person insert returned no row');
  return row;
}

export async function updatePerson(
  tx: TenantTx,
  personId: string,
  fields: PersonFields,
): Promise<PersonRow> {
  const [row] = await tx.update(people).set(fields).where(eq(people.id, personId)).returning();
  if (!row) throw new Error('person update returned no row');
  return row;
}

export async function findPerson(tx: TenantTx, personId: string): Promise<PersonRow | null> {
  const rows = await tx.select().from(people).where(eq(people.id, personId)).limit(1);
  return rows[0] ?? null;
}

export async function findPersonByAccount(
  tx: TenantTx,
  accountId: string,
): Promise<PersonRow | null> {
  const rows = await tx.select().from(people).where(eq(people.accountId, accountId)).limit(1);
  return rows[0] ?? null;
}

export async function findPeople(tx: TenantTx, ids: readonly string[]): Promise<PersonRow[]> {
  if (ids.length === 0) return [];
  return tx
    .select()
    .from(people)
    .where(inArray(people.id, [...new Set(ids)]));
}

/** Sets (or clears) the person's Mamori account. */
export async function setPersonAccount(
  tx: TenantTx,
  personId: string,
  accountId: string | null,
): Promise<void> {
  await tx.update(people).set({ accountId }).where(eq(people.id, personId));
}

/** Every person (snapshot building). */
export async function listAllPeople(tx: TenantTx): Promise<PersonRow[]> {
  return tx.select().from(people);
}

export interface PeopleFilter {
  /** Already folded with searchFold; matched as a substring of search_text. */
  search?: string;
  /** People with a membership in force on `date` in one of these units. */
  unitIds?: readonly string[];
  employment?: string;
  status?: string;
  date: string;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function peopleWhere(filter: PeopleFilter): SQL | undefined {
  const conditions: (SQL | undefined)[] = [];
  if (filter.search) conditions.push(like(people.searchText, `%${escapeLike(filter.search)}%`));
  if (filter.employment) conditions.push(eq(people.employment, filter.employment));
  if (filter.status) conditions.push(eq(people.status, filter.status));
  if (filter.unitIds) {
    if (filter.unitIds.length === 0) return sql`false`;
    conditions.push(
      sql`EXISTS (SELECT 1 FROM ${unitMemberships} m
        WHERE m.tenant_id = ${people.tenantId} AND m.person_id = ${people.id}
          AND m.unit_id IN (${sql.join(
            filter.unitIds.map((id) => sql`${id}::uuid`),
            sql`, `,
          )})
          AND m.valid_from <= ${filter.date} AND (m.valid_to IS NULL OR m.valid_to > ${filter.date}))`,
    );
  }
  return and(...conditions);
}

/** A page of people, sorted by 読み (sort_key), and the total count. */
export async function listPeople(
  tx: TenantTx,
  filter: PeopleFilter,
  page: { offset: number; limit: number },
): Promise<{ rows: PersonRow[]; total: number }> {
  const where = peopleWhere(filter);
  const rows = await tx
    .select()
    .from(people)
    .where(where)
    .orderBy(asc(people.sortKey), asc(people.id))
    .offset(page.offset)
    .limit(page.limit);
  const [count] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(people)
    .where(where);
  return { rows, total: count?.n ?? 0 };
}

// ── Memberships ─────────────────────────────────────────────────────────────

export async function insertMembership(
  tx: TenantTx,
  m: {
    personId: string;
    unitId: string;
    kind: 'primary' | 'additional';
    positionTitle: string | null;
    validFrom: string;
    validTo?: string | null;
  },
): Promise<MembershipRow> {
  const [row] = await tx
    .insert(unitMemberships)
    .values({ ...m, validTo: m.validTo ?? null, tenantId: tx.scope.tenantId })
    .returning();
  if (!row) throw new Error('membership insert returned no row');
  return row;
}

export async function endMembership(
  tx: TenantTx,
  membershipId: string,
  validTo: string,
): Promise<void> {
  await tx.update(unitMemberships).set({ validTo }).where(eq(unitMemberships.id, membershipId));
}

export async function findMembership(
  tx: TenantTx,
  membershipId: string,
): Promise<MembershipRow | null> {
  const rows = await tx
    .select()
    .from(unitMemberships)
    .where(eq(unitMemberships.id, membershipId))
    .limit(1);
  return rows[0] ?? null;
}

/** Every membership of a person, newest first. */
export async function membershipsOfPerson(
  tx: TenantTx,
  personId: string,
): Promise<MembershipRow[]> {
  return tx
    .select()
    .from(unitMemberships)
    .where(eq(unitMemberships.personId, personId))
    .orderBy(desc(unitMemberships.validFrom));
}

/** Memberships in force on `date` (all people, or those of some units). */
export async function membershipsAsOf(
  tx: TenantTx,
  date: string,
  unitIds?: readonly string[],
): Promise<MembershipRow[]> {
  if (unitIds?.length === 0) return [];
  return tx
    .select()
    .from(unitMemberships)
    .where(
      and(
        inForce(unitMemberships.validFrom, unitMemberships.validTo, date),
        unitIds ? inArray(unitMemberships.unitId, [...unitIds]) : undefined,
      ),
    )
    .orderBy(asc(unitMemberships.kind), asc(unitMemberships.validFrom));
}

// ── Contractors ─────────────────────────────────────────────────────────────

export async function listContractors(tx: TenantTx): Promise<ContractorRow[]> {
  return tx.select().from(contractors).orderBy(asc(contractors.nameKana), asc(contractors.name));
}

export async function findContractor(tx: TenantTx, id: string): Promise<ContractorRow | null> {
  const rows = await tx.select().from(contractors).where(eq(contractors.id, id)).limit(1);
  return rows[0] ?? null;
}

export async function insertContractor(
  tx: TenantTx,
  c: { name: string; nameKana: string | null; searchText: string },
): Promise<ContractorRow> {
  const [row] = await tx
    .insert(contractors)
    .values({ ...c, tenantId: tx.scope.tenantId })
    .returning();
  if (!row) throw new Error('contractor insert returned no row');
  return row;
}

export async function updateContractor(
  tx: TenantTx,
  id: string,
  c: { name: string; nameKana: string | null; searchText: string },
): Promise<ContractorRow> {
  const [row] = await tx.update(contractors).set(c).where(eq(contractors.id, id)).returning();
  if (!row) throw new Error('contractor update returned no row');
  return row;
}
