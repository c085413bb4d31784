import { CSRF_HEADER, errorBodySchema, LOGIN_REQUEST_HEADER } from '@mamori/contracts';
import type { TFunction } from 'i18next';
import type { z } from 'zod';
import { currentTenantPathPrefix } from '../app/tenant-path.js';
import type { ApiErrorCode } from './error-codes.js';

/** The API lives under this path on the same origin as the app (after a shared install's `/t/{code}`). */
export const apiBasePath = `${currentTenantPathPrefix()}/api`;

/**
 * A failed API call. `code` is the server's stable error code (contracts `errorCodes`) or a
 * client-side one (`network_error`, `unexpected_response`); `status` is the HTTP status, 0 when
 * no response arrived. Show it to users with `localizeApiError`, never with `message`.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: ApiErrorCode;
  readonly status: number;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    code: ApiErrorCode,
    status: number,
    details?: Readonly<Record<string, unknown>>,
    message?: string,
    options?: ErrorOptions,
  ) {
    super(message ?? `${code} (HTTP ${status})`, options);
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

export type WriteMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  readonly signal?: AbortSignal;
}

export interface ApiClient {
  /** GETs `path` (relative to /api, e.g. `/health`) and parses the JSON body with `schema`. */
  apiGet<S extends z.ZodType>(
    path: string,
    schema: S,
    options?: RequestOptions,
  ): Promise<z.output<S>>;
  /**
   * Sends `body` as JSON with `method` and parses the reply with `schema`. A 204 reply is parsed
   * as `undefined` (use `z.undefined()`).
   */
  apiSend<S extends z.ZodType>(
    method: WriteMethod,
    path: string,
    body: unknown,
    schema: S,
    options?: RequestOptions,
  ): Promise<z.output<S>>;
}

/**
 * What the client needs from the login session, filled in by the identity module's
 * SessionProvider (the client itself holds no session state).
 */
export interface SessionBridge {
  /** The current session's CSRF token (contracts `SessionInfo.csrfToken`); null before login. */
  csrfToken: string | null;
  /**
   * Called when a call shows the session is gone (401 `unauthenticated` / `session_expired`) or
   * must take a login step first (403 `password_change_required`, `mfa_enrolment_required`,
   * `mfa_required`): the app goes to the login page or that step.
   */
  onSessionProblem: ((error: ApiError) => void) | null;
  /**
   * Called when a call answers 403 `step_up_required` (std-7.2.5): asks the user for a factor.
   * Resolves true once the session is elevated (the call is then sent again, once), false when
   * the user cancelled.
   */
  onStepUpRequired: ((error: ApiError) => Promise<boolean>) | null;
}

/** A bridge with nothing connected yet. */
export function createSessionBridge(): SessionBridge {
  return { csrfToken: null, onSessionProblem: null, onStepUpRequired: null };
}

/** The bridge of the app's default client (see `apiGet`, `apiSend`). */
export const sessionBridge: SessionBridge = createSessionBridge();

/** Codes that mean the session ended or must take a login step before anything else. */
const sessionProblemCodes = new Set<ApiErrorCode>([
  'unauthenticated',
  'session_expired',
  'password_change_required',
  'mfa_enrolment_required',
  'mfa_required',
]);

export interface ApiClientOptions {
  /** The fetch to use; the browser's by default. */
  readonly fetch?: typeof globalThis.fetch;
  readonly basePath?: string;
  /** The session it works with; the app's `sessionBridge` by default. */
  readonly session?: SessionBridge;
}

async function readJson(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Turns a non-2xx response body into an ApiError; a body outside the contract is unexpected. */
export function toApiError(status: number, body: unknown): ApiError {
  const parsed = errorBodySchema.safeParse(body);
  if (!parsed.success) return new ApiError('unexpected_response', status);
  const { code, message, details } = parsed.data.error;
  return new ApiError(code, status, details, message);
}

/**
 * An API client. Every call is same-origin with cookies (`credentials: 'same-origin'`). Writes
 * carry the session's CSRF token in `x-csrf-token` and `x-mamori-request: 1` (the login request,
 * made before a session exists, is checked by that header and its Origin). A call that needs a
 * recent step-up asks for it and is sent again once (std-7.2.5).
 */
export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const basePath = options.basePath ?? apiBasePath;
  const session = options.session ?? sessionBridge;

  async function request<S extends z.ZodType>(
    method: 'GET' | WriteMethod,
    path: string,
    body: unknown,
    schema: S,
    requestOptions: RequestOptions | undefined,
  ): Promise<z.output<S>> {
    try {
      return await requestOnce(method, path, body, schema, requestOptions);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.code === 'step_up_required' && session.onStepUpRequired !== null) {
        const isElevated = await session.onStepUpRequired(error);
        if (isElevated) return requestOnce(method, path, body, schema, requestOptions);
      } else if (sessionProblemCodes.has(error.code)) {
        session.onSessionProblem?.(error);
      }
      throw error;
    }
  }

  async function requestOnce<S extends z.ZodType>(
    method: 'GET' | WriteMethod,
    path: string,
    body: unknown,
    schema: S,
    requestOptions: RequestOptions | undefined,
  ): Promise<z.output<S>> {
    if (!path.startsWith('/')) throw new TypeError(`API path must start with '/': ${path}`);
    const headers: Record<string, string> = { Accept: 'application/json' };
    const isWrite = method !== 'GET';
    if (isWrite) {
      headers[LOGIN_REQUEST_HEADER] = '1';
      if (session.csrfToken !== null) headers[CSRF_HEADER] = session.csrfToken;
    }
    if (isWrite && body !== undefined) headers['Content-Type'] = 'application/json';
    const fetchImpl = options.fetch ?? globalThis.fetch;
    let response: Response;
    try {
      response = await fetchImpl(`${basePath}${path}`, {
        method,
        headers,
        credentials: 'same-origin',
        body: isWrite && body !== undefined ? JSON.stringify(body) : undefined,
        signal: requestOptions?.signal,
      });
    } catch (error) {
      // An abort is the caller's decision, not a failure to report.
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new ApiError('network_error', 0, undefined, undefined, { cause: error });
    }
    const json = await readJson(response);
    if (!response.ok) throw toApiError(response.status, json);
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new ApiError('unexpected_response', response.status, {
        issues: parsed.error.issues.map((issue) => ({
          path: issue.path.join('.'),
          message: issue.message,
        })),
      });
    }
    return parsed.data;
  }

  return {
    apiGet: (path, schema, requestOptions) =>
      request('GET', path, undefined, schema, requestOptions),
    apiSend: (method, path, body, schema, requestOptions) =>
      request(method, path, body, schema, requestOptions),
  };
}

const defaultClient = createApiClient();

/** GETs `path` (relative to /api) from the server and parses it with `schema`. */
export const apiGet: ApiClient['apiGet'] = (path, schema, options) =>
  defaultClient.apiGet(path, schema, options);

/** Sends a write to the server and parses the reply with `schema`. */
export const apiSend: ApiClient['apiSend'] = (method, path, body, schema, options) =>
  defaultClient.apiSend(method, path, body, schema, options);

/**
 * An API path with its `:name` parameters filled in (URL-encoded), e.g.
 * `apiPath('/accounts/:accountId/unlock', { accountId })`.
 */
export function apiPath(pattern: string, params: Readonly<Record<string, string>>): string {
  return pattern.replace(/:(\w+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new TypeError(`missing path parameter ${name} in ${pattern}`);
    return encodeURIComponent(value);
  });
}

/**
 * The user-facing message for a failed call, in the current language, from `errors.<code>`.
 * Anything that is not an ApiError (a bug) reads as `errors.internal`.
 */
export function localizeApiError(error: unknown, t: TFunction): string {
  if (error instanceof ApiError) return t(`errors.${error.code}`, { status: error.status });
  return t('errors.internal');
}
