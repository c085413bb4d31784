-- Operation log: canonical form, append, append-only protection, RLS, grants.
-- The canonical form is defined once, here, and documented in docs/operation-log.md:
-- RFC 8785 (JCS) JSON of the entry's fields, every value a string (seq too),
-- keys in code-unit order, UTF-8. to_json(text) escapes strings exactly as
-- JCS (ECMAScript JSON.stringify) does: \" \\ \b \f \n \r \t and \u00xx.
CREATE FUNCTION mamori_log_canonical(
  p_tenant uuid, p_seq bigint, p_logged_at timestamptz, p_actor_type text, p_actor_id text,
  p_action text, p_subject_type text, p_subject_id text, p_payload_digest text
) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT '{"action":' || to_json(p_action)::text
    || ',"actor_id":' || to_json(p_actor_id)::text
    || ',"actor_type":' || to_json(p_actor_type)::text
    || ',"logged_at":' || to_json(to_char(p_logged_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text
    || ',"payload_digest":' || to_json(p_payload_digest)::text
    || ',"seq":' || to_json(p_seq::text)::text
    || ',"subject_id":' || to_json(p_subject_id)::text
    || ',"subject_type":' || to_json(p_subject_type)::text
    || ',"tenant":' || to_json(p_tenant::text)::text
    || '}'
$$;
--> statement-breakpoint
-- Appends one entry to the tenant's chain in the caller's transaction and
-- returns its seq and hash. The head row's lock (taken by the UPDATE) orders
-- appends per tenant and is held only until the caller commits; call it as
-- the transaction's last statement. Tenants never wait for each other.
CREATE FUNCTION mamori_log_append(
  p_tenant uuid, p_actor_type text, p_actor_id text, p_action text,
  p_subject_type text, p_subject_id text, p_payload_digest text, p_payload jsonb
) RETURNS TABLE (seq bigint, hash bytea, logged_at timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
  v_seq bigint;
  v_prev bytea;
  v_at timestamptz := date_trunc('milliseconds', clock_timestamp());
  v_canonical bytea;
  v_hash bytea;
BEGIN
  INSERT INTO operation_log_heads (tenant_id, seq, hash)
    VALUES (p_tenant, 0, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea)
    ON CONFLICT (tenant_id) DO NOTHING;
  UPDATE operation_log_heads h SET seq = h.seq + 1 WHERE h.tenant_id = p_tenant
    RETURNING h.seq, h.hash INTO v_seq, v_prev;
  IF v_seq IS NULL THEN
    RAISE EXCEPTION 'operation log head of tenant % is not visible', p_tenant;
  END IF;
  v_canonical := convert_to(mamori_log_canonical(p_tenant, v_seq, v_at, p_actor_type, p_actor_id,
    p_action, p_subject_type, p_subject_id, p_payload_digest), 'UTF8');
  v_hash := sha256(v_prev || v_canonical);
  INSERT INTO operation_log (tenant_id, seq, logged_at, actor_type, actor_id, action, subject_type,
      subject_id, payload_digest, prev_hash, hash, canonical)
    VALUES (p_tenant, v_seq, v_at, p_actor_type, p_actor_id, p_action, p_subject_type,
      p_subject_id, p_payload_digest, v_prev, v_hash, v_canonical);
  INSERT INTO operation_log_payloads (tenant_id, seq, payload) VALUES (p_tenant, v_seq, p_payload);
  UPDATE operation_log_heads h SET hash = v_hash WHERE h.tenant_id = p_tenant;
  RETURN QUERY SELECT v_seq, v_hash, v_at;
END
$$;
--> statement-breakpoint
-- Append-only, for every role: UPDATE, DELETE and TRUNCATE raise.
CREATE FUNCTION mamori_log_forbid_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the operation log is append-only (% on %)', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END
$$;
--> statement-breakpoint
CREATE TRIGGER operation_log_no_update_delete BEFORE UPDATE OR DELETE ON operation_log
  FOR EACH ROW EXECUTE FUNCTION mamori_log_forbid_change();
--> statement-breakpoint
CREATE TRIGGER operation_log_no_truncate BEFORE TRUNCATE ON operation_log
  FOR EACH STATEMENT EXECUTE FUNCTION mamori_log_forbid_change();
--> statement-breakpoint
CREATE TRIGGER operation_log_checkpoints_no_update_delete BEFORE UPDATE OR DELETE ON operation_log_checkpoints
  FOR EACH ROW EXECUTE FUNCTION mamori_log_forbid_change();
--> statement-breakpoint
CREATE TRIGGER operation_log_checkpoints_no_truncate BEFORE TRUNCATE ON operation_log_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION mamori_log_forbid_change();
--> statement-breakpoint
-- Payloads may only be erased (retention), never rewritten or deleted.
CREATE FUNCTION mamori_log_payload_erase_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'UPDATE' OR NEW.payload IS NOT NULL OR NEW.erased_at IS NULL
     OR NEW.tenant_id <> OLD.tenant_id OR NEW.seq <> OLD.seq OR OLD.erased_at IS NOT NULL THEN
    RAISE EXCEPTION 'an operation log payload can only be erased once (% on %)', TG_OP, TG_TABLE_NAME
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER operation_log_payloads_erase_only BEFORE UPDATE OR DELETE ON operation_log_payloads
  FOR EACH ROW EXECUTE FUNCTION mamori_log_payload_erase_only();
--> statement-breakpoint
CREATE TRIGGER operation_log_payloads_no_truncate BEFORE TRUNCATE ON operation_log_payloads
  FOR EACH STATEMENT EXECUTE FUNCTION mamori_log_forbid_change();
--> statement-breakpoint
SELECT mamori_enable_tenant_rls('operation_log');
--> statement-breakpoint
SELECT mamori_enable_tenant_rls('operation_log_payloads');
--> statement-breakpoint
SELECT mamori_enable_tenant_rls('operation_log_heads');
--> statement-breakpoint
SELECT mamori_enable_tenant_rls('operation_log_checkpoints');
--> statement-breakpoint
GRANT SELECT, INSERT ON operation_log, operation_log_checkpoints TO mamori_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON operation_log_payloads TO mamori_app;
--> statement-breakpoint
GRANT UPDATE (payload, erased_at, erased_reason) ON operation_log_payloads TO mamori_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON operation_log_heads TO mamori_app;
--> statement-breakpoint
REVOKE ALL ON FUNCTION mamori_log_append(uuid, text, text, text, text, text, text, jsonb) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION mamori_log_append(uuid, text, text, text, text, text, text, jsonb) TO mamori_app;
