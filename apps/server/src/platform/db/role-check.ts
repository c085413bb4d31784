import type pg from 'pg';

/**
 * Row-level security is only a boundary if the app's role cannot bypass it:
 * refuse to start when the app role (or a role it inherits from) is a
 * superuser or has BYPASSRLS, or when it owns any object in the database
 * (owners can disable RLS and FORCE it off).
 */
export async function appRoleProblems(app: pg.Pool): Promise<string[]> {
  const problems: string[] = [];
  const roles = await app.query<{ rolname: string; rolsuper: boolean; rolbypassrls: boolean }>(
    `SELECT r.rolname, r.rolsuper, r.rolbypassrls
       FROM pg_roles r
      WHERE pg_has_role(current_user, r.oid, 'USAGE')`,
  );
  for (const r of roles.rows) {
    if (r.rolsuper) problems.push(`role "${r.rolname}" is a superuser`);
    if (r.rolbypassrls) problems.push(`role "${r.rolname}" has BYPASSRLS`);
  }
  const owned = await app.query<{ kind: string; name: string }>(
    `SELECT 'relation' AS kind, c.relname AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE pg_has_role(current_user, c.relowner, 'USAGE')
        AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
     UNION ALL
     SELECT 'schema', n.nspname FROM pg_namespace n
      WHERE pg_has_role(current_user, n.nspowner, 'USAGE') AND n.nspname NOT LIKE 'pg_%'
        AND n.nspname <> 'information_schema'
     UNION ALL
     SELECT 'function', p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE pg_has_role(current_user, p.proowner, 'USAGE')
        AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      LIMIT 20`,
  );
  for (const o of owned.rows) problems.push(`the app role owns ${o.kind} "${o.name}"`);
  const member = await app.query<{ ok: boolean }>(
    `SELECT pg_has_role(current_user, 'mamori_app', 'USAGE') AS ok`,
  );
  if (!member.rows[0]?.ok) problems.push('the app role is not (a member of) "mamori_app"');
  return problems;
}
