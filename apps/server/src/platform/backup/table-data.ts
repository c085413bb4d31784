import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import readline from 'node:readline';
import type pg from 'pg';
import { ident, type CatalogTable } from './table-catalog.js';

/**
 * Table rows in the archive: one line per row, a JSON array holding each
 * column's PostgreSQL text form (what `COPY … TO STDOUT` writes, under
 * TEXT_FORMAT_SETTINGS) or null. Restoring casts each text back through the
 * column type's own input function, so bytea, timestamptz (with its
 * milliseconds), jsonb, bigint, numeric and arrays come back exactly, with no
 * driver parsing in between. (pg_dump is not shipped with the embedded
 * PostgreSQL, and pg-copy-streams is not a dependency.)
 */
type Row = (string | null)[];

const FETCH_ROWS = 2000;
const INSERT_ROWS = 1000;

export interface WrittenPart {
  readonly rows: number;
  readonly bytes: number;
  readonly sha256: string;
}

/**
 * Writes every row of `table` to `file` (in primary-key order) and returns
 * its row count, size and SHA-256. Runs in the caller's transaction; a
 * tenant-scoped table is read once per tenant with `app.tenant_id` set,
 * because FORCE ROW LEVEL SECURITY applies to the owner role too.
 */
export async function exportTable(
  client: pg.ClientBase,
  table: CatalogTable,
  tenantIds: readonly string[],
  file: string,
): Promise<WrittenPart> {
  const out = await fs.open(file, 'wx', 0o600);
  const hash = createHash('sha256');
  let rows = 0;
  let bytes = 0;
  const select = `SELECT ${table.columns.map((c) => `${ident(c.name)}::text`).join(', ')}
    FROM public.${ident(table.name)}
    ${table.primaryKey.length > 0 ? `ORDER BY ${table.primaryKey.map(ident).join(', ')}` : ''}`;
  try {
    for (const tenantId of table.tenantScoped ? tenantIds : [null]) {
      await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId ?? '']);
      await client.query(`DECLARE mamori_backup NO SCROLL CURSOR FOR ${select}`);
      for (;;) {
        const batch = await client.query<Row>({
          text: `FETCH ${FETCH_ROWS} FROM mamori_backup`,
          rowMode: 'array',
        });
        if (batch.rows.length === 0) break;
        const chunk = Buffer.from(batch.rows.map((r) => JSON.stringify(r) + '\n').join(''));
        hash.update(chunk);
        bytes += chunk.length;
        rows += batch.rows.length;
        await out.write(chunk);
      }
      await client.query('CLOSE mamori_backup');
    }
    await out.sync();
  } finally {
    await out.close();
  }
  await client.query(`SELECT set_config('app.tenant_id', '', true)`);
  return { rows, bytes, sha256: hash.digest('hex') };
}

/** Reads a table part line by line. */
export async function* readRows(file: string): AsyncGenerator<Row> {
  const lines = readline.createInterface({
    input: createReadStream(file, { encoding: 'utf8' }),
    crlfDelay: Infinity,
  });
  for await (const line of lines) {
    if (line === '') continue;
    const row = JSON.parse(line) as unknown;
    if (!Array.isArray(row) || !row.every((v) => v === null || typeof v === 'string')) {
      throw new Error('a row is not an array of texts');
    }
    yield row as Row;
  }
}

/** Counts the rows of a part and checks each has `width` columns. */
export async function countRows(file: string, width: number): Promise<number> {
  let n = 0;
  for await (const row of readRows(file)) {
    if (row.length !== width)
      throw new Error(`row ${n + 1} has ${row.length} columns, not ${width}`);
    n += 1;
  }
  return n;
}

/**
 * Inserts a table part's rows in the caller's transaction, in batches of one
 * tenant each (`app.tenant_id` set per batch, so the tenant-isolation
 * policy's WITH CHECK passes), and returns the number of rows inserted.
 * Values are cast from text with the column's type as the target database
 * declares it (never a type name read from the archive).
 */
export async function importTable(
  client: pg.ClientBase,
  table: CatalogTable,
  file: string,
): Promise<number> {
  const cols = table.columns;
  const tenantIndex = cols.findIndex((c) => c.name === 'tenant_id');
  if (table.tenantScoped && tenantIndex < 0) {
    throw new Error(`table ${table.name} is tenant-scoped but has no tenant_id column`);
  }
  // OVERRIDING SYSTEM VALUE: identity columns keep their backed-up values.
  const insert = `INSERT INTO public.${ident(table.name)} (${cols.map((c) => ident(c.name)).join(', ')})
    OVERRIDING SYSTEM VALUE
    SELECT ${cols.map((c, i) => `u.c${i}::${c.type}`).join(', ')}
      FROM unnest(${cols.map((_, i) => `$${i + 1}::text[]`).join(', ')})
        AS u(${cols.map((_, i) => `c${i}`).join(', ')})`;
  let total = 0;
  let batch: Row[] = [];
  let batchTenant: string | null = null;
  let currentTenant: string | null = null;

  const flush = async () => {
    if (batch.length === 0) return;
    if (table.tenantScoped && batchTenant !== currentTenant) {
      await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [batchTenant ?? '']);
      currentTenant = batchTenant;
    }
    const columnsOfBatch = cols.map((_, i) => batch.map((r) => r[i] ?? null));
    const r = await client.query(insert, columnsOfBatch);
    total += r.rowCount ?? 0;
    batch = [];
  };

  for await (const row of readRows(file)) {
    if (row.length !== cols.length) {
      throw new Error(`table ${table.name}: a row has ${row.length} columns, not ${cols.length}`);
    }
    const tenant = table.tenantScoped ? (row[tenantIndex] ?? null) : null;
    if (batch.length >= INSERT_ROWS || (batch.length > 0 && tenant !== batchTenant)) await flush();
    batchTenant = tenant;
    batch.push(row);
  }
  await flush();
  await client.query(`SELECT set_config('app.tenant_id', '', true)`);
  return total;
}

/**
 * Moves each sequence owned by a column of `table` (serial or identity) past
 * the largest restored value, looking at every tenant's rows.
 */
export async function advanceSequences(
  client: pg.ClientBase,
  table: CatalogTable,
  tenantIds: readonly string[],
): Promise<void> {
  for (const { column, sequence } of table.sequences) {
    let max: string | null = null;
    for (const tenantId of table.tenantScoped ? tenantIds : [null]) {
      await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId ?? '']);
      const r = await client.query<{ m: string | null }>(
        `SELECT max(${ident(column)})::text AS m FROM public.${ident(table.name)}`,
      );
      const m = r.rows[0]?.m ?? null;
      if (m !== null && (max === null || BigInt(m) > BigInt(max))) max = m;
    }
    if (max !== null)
      await client.query(`SELECT setval($1::regclass, $2::bigint)`, [sequence, max]);
  }
  await client.query(`SELECT set_config('app.tenant_id', '', true)`);
}
