-- Identity and organization: row-level security on every new tenant-owned
-- table, the app role's grants, and the checks drizzle-kit does not emit.
SELECT mamori_enable_tenant_rls('sessions');
--> statement-breakpoint
SELECT mamori_enable_tenant_rls('login_attempts');
--> statement-breakpoint
SELECT mamori_enable_tenant_rls('totp_credentials');
--> statement-breakpoint
SELECT mamori_enable_tenant_rls('webauthn_credentials');
--> statement-breakpoint
SELECT mamori_enable_tenant_rls('recovery_codes');
--> statement-breakpoint
SELECT mamori_enable_tenant_rls('org_units');
--> statement-breakpoint
SELECT mamori_enable_tenant_rls('org_unit_versions');
--> statement-breakpoint
SELECT mamori_enable_tenant_rls('contractors');
--> statement-breakpoint
SELECT mamori_enable_tenant_rls('people');
--> statement-breakpoint
SELECT mamori_enable_tenant_rls('unit_memberships');
--> statement-breakpoint
SELECT mamori_enable_tenant_rls('information_systems');
--> statement-breakpoint
SELECT mamori_enable_tenant_rls('role_assignments');
--> statement-breakpoint
SELECT mamori_enable_tenant_rls('delegations');
--> statement-breakpoint
SELECT mamori_enable_tenant_rls('personnel_events');
--> statement-breakpoint
SELECT mamori_enable_tenant_rls('reorganizations');
--> statement-breakpoint
SELECT mamori_enable_tenant_rls('tasks');
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON sessions, totp_credentials, webauthn_credentials, recovery_codes TO mamori_app;
--> statement-breakpoint
-- std-7.2.3: every login attempt is kept; the app role may add and read, never rewrite.
GRANT SELECT, INSERT ON login_attempts TO mamori_app;
--> statement-breakpoint
CREATE TRIGGER login_attempts_no_update_delete BEFORE UPDATE OR DELETE ON login_attempts
  FOR EACH ROW EXECUTE FUNCTION mamori_log_forbid_change();
--> statement-breakpoint
CREATE TRIGGER login_attempts_no_truncate BEFORE TRUNCATE ON login_attempts
  FOR EACH STATEMENT EXECUTE FUNCTION mamori_log_forbid_change();
--> statement-breakpoint
-- Effective-dated rows are ended (valid_to), never deleted: no DELETE for the app role.
GRANT SELECT, INSERT, UPDATE ON org_units, org_unit_versions, contractors, people, unit_memberships,
  information_systems, role_assignments, delegations, personnel_events, reorganizations, tasks TO mamori_app;
--> statement-breakpoint
ALTER TABLE sessions ADD CONSTRAINT sessions_state_check
  CHECK (state IN ('password_change_required', 'mfa_enrolment_required', 'mfa_required', 'active'));
--> statement-breakpoint
ALTER TABLE login_attempts ADD CONSTRAINT login_attempts_outcome_check
  CHECK (outcome IN ('succeeded', 'failed', 'locked', 'disabled', 'throttled'));
--> statement-breakpoint
ALTER TABLE org_units ADD CONSTRAINT org_units_valid_check CHECK (valid_to IS NULL OR valid_to > valid_from);
--> statement-breakpoint
ALTER TABLE org_unit_versions ADD CONSTRAINT org_unit_versions_valid_check CHECK (valid_to IS NULL OR valid_to > valid_from);
--> statement-breakpoint
ALTER TABLE org_unit_versions ADD CONSTRAINT org_unit_versions_not_own_parent CHECK (parent_id IS DISTINCT FROM unit_id);
--> statement-breakpoint
ALTER TABLE people ADD CONSTRAINT people_employment_check
  CHECK (employment IN ('regular', 'non_regular', 'contractor_staff'));
--> statement-breakpoint
ALTER TABLE people ADD CONSTRAINT people_contractor_check
  CHECK ((employment = 'contractor_staff') = (contractor_id IS NOT NULL));
--> statement-breakpoint
ALTER TABLE people ADD CONSTRAINT people_status_check CHECK (status IN ('active', 'on_leave', 'left'));
--> statement-breakpoint
ALTER TABLE unit_memberships ADD CONSTRAINT unit_memberships_kind_check CHECK (kind IN ('primary', 'additional'));
--> statement-breakpoint
ALTER TABLE unit_memberships ADD CONSTRAINT unit_memberships_valid_check CHECK (valid_to IS NULL OR valid_to > valid_from);
--> statement-breakpoint
ALTER TABLE information_systems ADD CONSTRAINT information_systems_retired_check
  CHECK (retired_on IS NULL OR retired_on >= in_service_from);
--> statement-breakpoint
ALTER TABLE role_assignments ADD CONSTRAINT role_assignments_holder_check
  CHECK ((holder_person_id IS NULL) <> (holder_unit_id IS NULL));
--> statement-breakpoint
ALTER TABLE role_assignments ADD CONSTRAINT role_assignments_scope_check CHECK (
  (scope_kind = 'tenant' AND scope_unit_id IS NULL AND scope_system_id IS NULL)
  OR (scope_kind = 'unit' AND scope_unit_id IS NOT NULL AND scope_system_id IS NULL)
  OR (scope_kind = 'system' AND scope_system_id IS NOT NULL AND scope_unit_id IS NULL));
--> statement-breakpoint
ALTER TABLE role_assignments ADD CONSTRAINT role_assignments_valid_check CHECK (valid_to IS NULL OR valid_to > valid_from);
--> statement-breakpoint
ALTER TABLE delegations ADD CONSTRAINT delegations_period_check CHECK (ends_at > starts_at);
--> statement-breakpoint
ALTER TABLE personnel_events ADD CONSTRAINT personnel_events_kind_check
  CHECK (kind IN ('hire', 'transfer', 'leave', 'leave_of_absence', 'return'));
--> statement-breakpoint
ALTER TABLE personnel_events ADD CONSTRAINT personnel_events_status_check
  CHECK (status IN ('scheduled', 'applied', 'cancelled'));
--> statement-breakpoint
ALTER TABLE reorganizations ADD CONSTRAINT reorganizations_status_check
  CHECK (status IN ('draft', 'applied', 'cancelled'));
--> statement-breakpoint
ALTER TABLE tasks ADD CONSTRAINT tasks_status_check CHECK (status IN ('open', 'done', 'cancelled'));
--> statement-breakpoint
ALTER TABLE tasks ADD CONSTRAINT tasks_owner_check CHECK (owner_person_id IS NOT NULL OR owner_unit_id IS NOT NULL);
