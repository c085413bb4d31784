import { z } from 'zod';

/**
 * Stable API error codes. The client localizes messages from the code
 * (i18n key `errors.<code>`); the server's English message is a fallback for
 * operators and API users.
 */
export const errorCodes = [
  'validation_failed',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'tenant_unknown',
  'database_unavailable',
  'setting_invalid',
  'export_unencodable',
  'import_file_invalid',
  'import_rows_invalid',
  'import_expired',
  'invalid_credentials',
  'password_change_required',
  'mfa_required',
  'mfa_enrolment_required',
  'mfa_failed',
  'password_rejected',
  'temporary_password_expired',
  'csrf_rejected',
  'step_up_required',
  'session_expired',
  'insecure_transport',
  'org_structure_invalid',
  'role_cardinality_exceeded',
  'role_exception_reason_required',
  'delegation_invalid',
  'last_tenant_admin',
  'log_key_unavailable',
  'internal',
] as const;

export const errorCodeSchema = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

/** The one HTTP status for each error code. */
export const errorStatus: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  tenant_unknown: 404,
  database_unavailable: 503,
  setting_invalid: 400,
  export_unencodable: 422,
  import_file_invalid: 422,
  import_rows_invalid: 422,
  import_expired: 410,
  invalid_credentials: 401,
  password_change_required: 403,
  mfa_required: 403,
  mfa_enrolment_required: 403,
  mfa_failed: 401,
  password_rejected: 400,
  temporary_password_expired: 401,
  csrf_rejected: 403,
  step_up_required: 403,
  session_expired: 401,
  insecure_transport: 403,
  org_structure_invalid: 422,
  role_cardinality_exceeded: 409,
  role_exception_reason_required: 422,
  delegation_invalid: 422,
  last_tenant_admin: 409,
  log_key_unavailable: 503,
  internal: 500,
};

export const fieldIssueSchema = z.object({
  path: z.string(),
  message: z.string(),
  code: z.string(),
});
export type FieldIssue = z.infer<typeof fieldIssueSchema>;

/** Every API error has this body: `{ "error": { "code", "message", "details" } }`. */
export const errorBodySchema = z.object({
  error: z.object({
    code: errorCodeSchema,
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
