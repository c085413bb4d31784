import { and, eq, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import type { TenantTx } from '../../platform/db/database.js';
import { orgImports } from './organization.tables.js';

/* SQL of the HR imports kept between upload, preview and apply (org_imports). */

export type OrgImportRow = typeof orgImports.$inferSelect;
export type OrgImportState = 'previewed' | 'applying' | 'applied' | 'failed' | 'expired';

/** An upload waits this long for its apply; then its file and preview are cleared. */
export const ORG_IMPORT_TTL = sql`interval '24 hours'`;

/** An apply that reported no progress for this long was interrupted (its job gave up). */
export const ORG_IMPORT_STALLED = sql`interval '3 hours'`;

const waiting: OrgImportState[] = ['previewed', 'failed'];

export async function insertOrgImport(
  tx: TenantTx,
  row: Omit<typeof orgImports.$inferInsert, 'tenantId' | 'state'>,
): Promise<OrgImportRow> {
  const [created] = await tx
    .insert(orgImports)
    .values({ ...row, tenantId: tx.scope.tenantId, state: 'previewed' })
    .returning();
  if (!created) throw new Error('org import insert returned no row');
  return created;
}

/**
 * The import, after expiring it if its time is up (expiry is also swept
 * hourly; this makes it exact on read). Locked for update when `lock`.
 */
export async function findOrgImport(
  tx: TenantTx,
  id: string,
  options: { lock?: boolean } = {},
): Promise<OrgImportRow | null> {
  await expireOrgImports(tx, id);
  const query = tx.select().from(orgImports).where(eq(orgImports.id, id)).limit(1);
  const rows = options.lock ? await query.for('update') : await query;
  return rows[0] ?? null;
}

/**
 * Expires uploads not applied within 24 h (previewed or failed: file and
 * preview cleared, the HR file holds personal data) and clears the preview of
 * imports applied more than 24 h ago. One import when `id` is given.
 */
export async function expireOrgImports(tx: TenantTx, id?: string): Promise<number> {
  const old = lt(orgImports.createdAt, sql`now() - ${ORG_IMPORT_TTL}`);
  const one = id === undefined ? undefined : eq(orgImports.id, id);
  const expired = await tx
    .update(orgImports)
    .set({ state: 'expired', file: null, preview: null, updatedAt: sql`now()` })
    .where(and(inArray(orgImports.state, waiting), old, one))
    .returning({ id: orgImports.id });
  await tx
    .update(orgImports)
    .set({ preview: null, updatedAt: sql`now()` })
    .where(and(eq(orgImports.state, 'applied'), isNotNull(orgImports.preview), old, one));
  return expired.length;
}

/** Applies whose job stopped reporting (crashed, gave up) become failed, so they can be retried. */
export async function failStalledOrgImports(
  tx: TenantTx,
  error: { code: string; message: string },
): Promise<number> {
  const rows = await tx
    .update(orgImports)
    .set({ state: 'failed', processed: 0, error, updatedAt: sql`now()` })
    .where(
      and(
        eq(orgImports.state, 'applying'),
        lt(orgImports.updatedAt, sql`now() - ${ORG_IMPORT_STALLED}`),
      ),
    )
    .returning({ id: orgImports.id });
  return rows.length;
}

/** previewed/failed → applying; false when the import is not waiting for an apply. */
export async function markOrgImportApplying(
  tx: TenantTx,
  id: string,
): Promise<OrgImportRow | null> {
  const [row] = await tx
    .update(orgImports)
    .set({ state: 'applying', processed: 0, error: null, result: null, updatedAt: sql`now()` })
    .where(and(eq(orgImports.id, id), inArray(orgImports.state, waiting)))
    .returning();
  return row ?? null;
}

/** Progress of a running apply (its own short transaction, so that polling sees it). */
export async function reportOrgImportProgress(
  tx: TenantTx,
  id: string,
  processed: number,
): Promise<void> {
  await tx
    .update(orgImports)
    .set({ processed: sql`least(${processed}, ${orgImports.total})`, updatedAt: sql`now()` })
    .where(and(eq(orgImports.id, id), eq(orgImports.state, 'applying')));
}

/**
 * applying → applied, in the apply's transaction (the row lock of this UPDATE
 * re-checks the state); the file is no longer needed. False when the import
 * is no longer applying.
 */
export async function markOrgImportApplied(
  tx: TenantTx,
  id: string,
  processed: number,
  result: unknown,
): Promise<boolean> {
  const rows = await tx
    .update(orgImports)
    .set({
      state: 'applied',
      processed: sql`least(${processed}, ${orgImports.total})`,
      result,
      error: null,
      file: null,
      updatedAt: sql`now()`,
    })
    .where(and(eq(orgImports.id, id), eq(orgImports.state, 'applying')))
    .returning({ id: orgImports.id });
  return rows.length === 1;
}

/** applying → failed with the error (nothing of the import was written). */
export async function markOrgImportFailed(
  tx: TenantTx,
  id: string,
  error: { code: string; message: string },
): Promise<boolean> {
  const rows = await tx
    .update(orgImports)
    .set({ state: 'failed', processed: 0, error, updatedAt: sql`now()` })
    .where(and(eq(orgImports.id, id), eq(orgImports.state, 'applying')))
    .returning({ id: orgImports.id });
  return rows.length === 1;
}
