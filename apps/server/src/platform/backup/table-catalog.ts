import type pg from 'pg';
import { TABLE_NAME, type ManifestColumn } from './manifest.js';

/** One table of the `public` schema as backup and restore see it. */
export interface CatalogTable {
  readonly name: string;
  /** Stored columns in attribute order (generated columns are left out: PostgreSQL recomputes them). */
  readonly columns: readonly ManifestColumn[];
  readonly primaryKey: readonly string[];
  /** Row-level security is on: rows are visible one tenant at a time (`app.tenant_id`). */
  readonly tenantScoped: boolean;
  /** Tables this one references through a foreign key (itself excluded). */
  readonly references: readonly string[];
  /** Sequences owned by a column (serial or identity), to be moved past the restored values. */
  readonly sequences: readonly { column: string; sequence: string }[];
}

/**
 * Every ordinary or partitioned table of the `public` schema (not its
 * partitions), in load order: each table after the tables it references.
 * drizzle's bookkeeping lives in the `drizzle` schema and pg-boss's in
 * `pgboss`: neither is business data, and restore rebuilds both.
 */
export async function readTableCatalog(client: pg.ClientBase): Promise<CatalogTable[]> {
  const tables = await client.query<{ name: string; rls: boolean }>(`
    SELECT c.relname AS name, c.relrowsecurity AS rls
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
     ORDER BY c.relname`);
  const columns = await client.query<{ table: string; name: string; type: string }>(`
    SELECT c.relname AS table, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
      FROM pg_attribute a
      JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
     ORDER BY c.relname, a.attnum`);
  const keys = await client.query<{ table: string; name: string }>(`
    SELECT c.relname AS table, a.attname AS name
      FROM pg_index i
      JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
     WHERE n.nspname = 'public' AND i.indisprimary
     ORDER BY c.relname, k.ord`);
  const fks = await client.query<{ child: string; parent: string }>(`
    SELECT DISTINCT cc.relname AS child, pc.relname AS parent
      FROM pg_constraint con
      JOIN pg_class cc ON cc.oid = con.conrelid JOIN pg_namespace cn ON cn.oid = cc.relnamespace
      JOIN pg_class pc ON pc.oid = con.confrelid JOIN pg_namespace pn ON pn.oid = pc.relnamespace
     WHERE con.contype = 'f' AND cn.nspname = 'public' AND pn.nspname = 'public'`);
  const sequences = await client.query<{ table: string; column: string; sequence: string }>(`
    SELECT t.relname AS table, a.attname AS column, quote_ident(sn.nspname) || '.' || quote_ident(s.relname) AS sequence
      FROM pg_depend d
      JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
      JOIN pg_namespace sn ON sn.oid = s.relnamespace
      JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = t.relnamespace
      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
     WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
       AND d.deptype IN ('a', 'i') AND tn.nspname = 'public'`);

  const byTable = <R extends { table: string }>(rows: R[]) => {
    const map = new Map<string, R[]>();
    for (const r of rows) map.set(r.table, [...(map.get(r.table) ?? []), r]);
    return map;
  };
  const columnsOf = byTable(columns.rows);
  const keysOf = byTable(keys.rows);
  const sequencesOf = byTable(sequences.rows);
  const refs = new Map<string, string[]>();
  for (const fk of fks.rows) {
    if (fk.child !== fk.parent) refs.set(fk.child, [...(refs.get(fk.child) ?? []), fk.parent]);
  }

  const catalog = tables.rows.map((t): CatalogTable => {
    if (!TABLE_NAME.test(t.name)) {
      throw new Error(`table "${t.name}" has a name backup does not support (a-z, 0-9, _)`);
    }
    const cols = (columnsOf.get(t.name) ?? []).map((c) => ({ name: c.name, type: c.type }));
    // The only row-level security policy Mamori installs filters on tenant_id
    // (mamori_enable_tenant_rls); a table with another policy needs thought here.
    if (t.rls && !cols.some((c) => c.name === 'tenant_id')) {
      throw new Error(`table "${t.name}" has row-level security but no tenant_id column`);
    }
    return {
      name: t.name,
      columns: cols,
      primaryKey: (keysOf.get(t.name) ?? []).map((k) => k.name),
      tenantScoped: t.rls,
      references: [...new Set(refs.get(t.name) ?? [])].sort(),
      sequences: (sequencesOf.get(t.name) ?? []).map((s) => ({
        column: s.column,
        sequence: s.sequence,
      })),
    };
  });
  return sortForLoading(catalog);
}

/** Parents before children (Kahn's algorithm, ties by name so the order is stable). */
export function sortForLoading<T extends { name: string; references: readonly string[] }>(
  tables: readonly T[],
): T[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const placed = new Set<string>();
  const ordered: T[] = [];
  while (ordered.length < tables.length) {
    const ready = tables.filter(
      (t) => !placed.has(t.name) && t.references.every((r) => placed.has(r) || !byName.has(r)),
    );
    if (ready.length === 0) {
      const rest = tables.filter((t) => !placed.has(t.name)).map((t) => t.name);
      throw new Error(`foreign keys form a cycle between tables: ${rest.join(', ')}`);
    }
    for (const t of ready) {
      placed.add(t.name);
      ordered.push(t);
    }
  }
  return ordered;
}

/**
 * Session settings under which every type's text form is unambiguous and
 * round-trips exactly through its input function (what pg_dump sets):
 * timestamps in UTC ISO form with their milliseconds, bytea as hex, floats
 * with full precision.
 */
export const TEXT_FORMAT_SETTINGS = [
  `SET LOCAL timezone = 'UTC'`,
  `SET LOCAL datestyle = 'ISO, YMD'`,
  `SET LOCAL intervalstyle = 'postgres'`,
  `SET LOCAL extra_float_digits = 3`,
  `SET LOCAL bytea_output = 'hex'`,
];

/** A quoted identifier. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
