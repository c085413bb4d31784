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
