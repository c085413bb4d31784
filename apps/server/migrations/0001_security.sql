-- Security that drizzle-kit does not emit: the app role's grants, row-level
-- security on every tenant-owned table, and the helper later migrations use.
-- The app role is "mamori_app" (a login role, or a group role that the login
-- role of DATABASE_APP_URL is a member of). The operator creates it (see
-- docs/operations.md); the embedded database and the test setup create it.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mamori_app') THEN
    RAISE EXCEPTION 'role "mamori_app" does not exist: create it before migrating (docs/operations.md)';
  END IF;
END
$$;
--> statement-breakpoint
REVOKE ALL ON SCHEMA public FROM PUBLIC;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO mamori_app;
--> statement-breakpoint
-- Tenant isolation: a tenant-owned table is visible and writable only for the
-- tenant set with set_config('app.tenant_id', …, true) in the current
-- transaction. No setting → no rows. FORCE applies it to the table owner too.
CREATE FUNCTION mamori_enable_tenant_rls(tbl regclass) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
  EXECUTE format(
    'CREATE POLICY tenant_isolation ON %s '
    'USING (tenant_id = NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid) '
    'WITH CHECK (tenant_id = NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid)',
    tbl);
END
$$;
--> statement-breakpoint
SELECT mamori_enable_tenant_rls('accounts');
--> statement-breakpoint
SELECT mamori_enable_tenant_rls('account_roles');
--> statement-breakpoint
SELECT mamori_enable_tenant_rls('setting_versions');
--> statement-breakpoint
-- tenants is tenant-less: the app reads it to resolve a request's tenant;
-- only the operator (owner role, CLI init) creates tenants.
GRANT SELECT ON tenants TO mamori_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON accounts, account_roles TO mamori_app;
--> statement-breakpoint
-- Settings are versioned: a change is a new row, never an update.
GRANT SELECT, INSERT ON setting_versions TO mamori_app;
