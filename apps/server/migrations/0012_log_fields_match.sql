-- The operation log's `fields` check (std-7.1.4.2), made cheap for verify-log:
-- true when the stored canonical bytes are exactly the canonical form of the
-- row's columns, i.e. the same answer as
--   p_canonical = convert_to(mamori_log_canonical(...), 'UTF8')
-- (the canonical form itself is unchanged; mamori_log_append still uses
-- mamori_log_canonical, so the bytes of new entries stay identical).
--
-- mamori_log_canonical escapes every field with to_json(), nine calls per row
-- (~3 s per million rows). RFC 8785 escaping only changes a string that holds
-- '"', '\' or a control character (U+0000–U+001F), and each of those grows by at
-- least one byte when escaped. So one to_json() over the six free-text fields
-- joined together tells, by its length alone, whether any of them needs escaping:
-- when none does, escaping is the identity and plain concatenation yields exactly
-- the canonical bytes; otherwise the full mamori_log_canonical is used. The other
-- three fields are made by output functions (to_char with a fixed format in UTC,
-- bigint, uuid) and never contain such characters. Either way the comparison is
-- exact, byte for byte.
--
-- STABLE (to_char and to_json are STABLE) and not STRICT so PostgreSQL inlines it
-- into the verify query; PARALLEL SAFE so that query can use parallel workers.
-- Independent of the session TimeZone (AT TIME ZONE 'UTC'). A NULL column gives
-- NULL, which the caller treats as a mismatch.
CREATE FUNCTION mamori_log_fields_match(
  p_canonical bytea, p_tenant uuid, p_seq bigint, p_logged_at timestamptz, p_actor_type text,
  p_actor_id text, p_action text, p_subject_type text, p_subject_id text, p_payload_digest text
) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN octet_length(to_json(p_action || p_actor_id || p_actor_type || p_payload_digest
             || p_subject_id || p_subject_type)::text)
       = octet_length(p_action) + octet_length(p_actor_id) + octet_length(p_actor_type)
         + octet_length(p_payload_digest) + octet_length(p_subject_id) + octet_length(p_subject_type) + 2
    THEN p_canonical = convert_to('{"action":"' || p_action
      || '","actor_id":"' || p_actor_id
      || '","actor_type":"' || p_actor_type
      || '","logged_at":"' || to_char(p_logged_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
      || '","payload_digest":"' || p_payload_digest
      || '","seq":"' || p_seq::text
      || '","subject_id":"' || p_subject_id
      || '","subject_type":"' || p_subject_type
      || '","tenant":"' || p_tenant::text
      || '"}', 'UTF8')
    ELSE p_canonical = convert_to(mamori_log_canonical(p_tenant, p_seq, p_logged_at, p_actor_type,
      p_actor_id, p_action, p_subject_type, p_subject_id, p_payload_digest), 'UTF8')
  END
$$;
