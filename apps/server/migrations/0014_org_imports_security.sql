-- HR imports kept in the database (any app server continues the wizard):
-- row-level security, the app role's grants and the checks drizzle-kit does not emit.
SELECT mamori_enable_tenant_rls('org_imports');
--> statement-breakpoint
-- Imports are marked expired (their file and preview cleared), never deleted by the app.
GRANT SELECT, INSERT, UPDATE ON org_imports TO mamori_app;
--> statement-breakpoint
ALTER TABLE org_imports ADD CONSTRAINT org_imports_kind_check CHECK (kind IN ('people', 'units'));
--> statement-breakpoint
ALTER TABLE org_imports ADD CONSTRAINT org_imports_state_check
  CHECK (state IN ('previewed', 'applying', 'applied', 'failed', 'expired'));
--> statement-breakpoint
ALTER TABLE org_imports ADD CONSTRAINT org_imports_progress_check
  CHECK (processed >= 0 AND total >= 0 AND processed <= total);
--> statement-breakpoint
-- Only an applied or expired import may have lost its file.
ALTER TABLE org_imports ADD CONSTRAINT org_imports_file_check
  CHECK (file IS NOT NULL OR state IN ('applied', 'expired'));
