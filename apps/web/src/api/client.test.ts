import { errorCodes, errorStatus, healthResponseSchema } from '@mamori/contracts';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createI18n } from '../i18n/index.js';
import {
  ApiError,
  apiPath,
  createApiClient,
  createSessionBridge,
  localizeApiError,
  toApiError,
} from './client.js';

interface Call {
  url: string;
  init: RequestInit;
}

/** A fetch that records its calls and answers with `respond`. */
function fakeFetch(respond: () => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fetch: typeof globalThis.fetch = (input, init) => {
    const url = input instanceof Request ? input.url : input.toString();
    calls.push({ url, init: init ?? {} });
    return Promise.resolve(respond());
  };
  return { fetch, calls };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

async function rejectionOf(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('apiGet', () => {
  it('GETs under /api, same-origin, and returns the parsed body', async () => {
    const { fetch, calls } = fakeFetch(() => json(200, { status: 'ok' }));
    const client = createApiClient({ fetch });
    await expect(client.apiGet('/health', healthResponseSchema)).resolves.toEqual({
      status: 'ok',
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe('/api/health');
    expect(calls[0]?.init.method).toBe('GET');
    expect(calls[0]?.init.credentials).toBe('same-origin');
    const headers = new Headers(calls[0]?.init.headers);
    expect(headers.has('x-csrf-token')).toBe(false);
    expect(headers.has('x-mamori-request')).toBe(false);
  });

  it('turns an error body into an ApiError with code, status and details', async () => {
    const details = { issues: [{ path: 'name', message: 'Required', code: 'too_small' }] };
    const { fetch } = fakeFetch(() =>
      json(400, { error: { code: 'validation_failed', message: 'Invalid input', details } }),
    );
    const error = await rejectionOf(createApiClient({ fetch }).apiGet('/x', z.unknown()));
    expect(error).toMatchObject({ code: 'validation_failed', status: 400, details });
    expect(error.message).toBe('Invalid input');
  });

  it('reads a 503 database_unavailable', async () => {
    const { fetch } = fakeFetch(() =>
      json(503, { error: { code: 'database_unavailable', message: 'Database is down' } }),
    );
    const error = await rejectionOf(
      createApiClient({ fetch }).apiGet('/health', healthResponseSchema),
    );
    expect(error).toMatchObject({ code: 'database_unavailable', status: 503, details: undefined });
  });

  it('calls an error body outside the contract (e.g. a proxy page) unexpected_response', async () => {
    const { fetch } = fakeFetch(() => new Response('<html>Bad Gateway</html>', { status: 502 }));
    const error = await rejectionOf(createApiClient({ fetch }).apiGet('/health', z.unknown()));
    expect(error).toMatchObject({ code: 'unexpected_response', status: 502 });
    expect(toApiError(500, { error: { code: 'no_such_code', message: 'x' } }).code).toBe(
      'unexpected_response',
    );
  });

  it('rejects a 200 whose body does not match the schema', async () => {
    const { fetch } = fakeFetch(() => json(200, { status: 'degraded' }));
    const error = await rejectionOf(
      createApiClient({ fetch }).apiGet('/health', healthResponseSchema),
    );
    expect(error.code).toBe('unexpected_response');
    expect(error.status).toBe(200);
    expect(error.details).toHaveProperty('issues');
  });

  it('reports a network failure as network_error with status 0', async () => {
    const fetch: typeof globalThis.fetch = () => Promise.reject(new TypeError('Failed to fetch'));
    const error = await rejectionOf(createApiClient({ fetch }).apiGet('/health', z.unknown()));
    expect(error).toMatchObject({ code: 'network_error', status: 0 });
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  it('lets an abort through as an abort', async () => {
    const fetch: typeof globalThis.fetch = () =>
      Promise.reject(new DOMException('aborted', 'AbortError'));
    await expect(createApiClient({ fetch }).apiGet('/health', z.unknown())).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('refuses a path that does not start with /', async () => {
    const { fetch, calls } = fakeFetch(() => json(200, {}));
    await expect(createApiClient({ fetch }).apiGet('health', z.unknown())).rejects.toThrow(
      TypeError,
    );
    expect(calls).toHaveLength(0);
  });
});

describe('apiSend', () => {
  it('sends JSON with the CSRF header and parses the reply', async () => {
    const { fetch, calls } = fakeFetch(() => json(201, { id: 'a1' }));
    const session = createSessionBridge();
    session.csrfToken = 'csrf-1';
    const result = await createApiClient({ fetch, session }).apiSend(
      'POST',
      '/assets',
      { name: '住民基本台帳' },
      z.object({ id: z.string() }),
    );
    expect(result).toEqual({ id: 'a1' });
    const headers = new Headers(calls[0]?.init.headers);
    expect(calls[0]?.init.method).toBe('POST');
    expect(calls[0]?.init.credentials).toBe('same-origin');
    expect(headers.get('x-csrf-token')).toBe('csrf-1');
    expect(headers.get('x-mamori-request')).toBe('1');
    expect(headers.get('Content-Type')).toBe('application/json');
    expect(calls[0]?.init.body).toBe(JSON.stringify({ name: '住民基本台帳' }));
  });

  it('parses a 204 as undefined', async () => {
    const { fetch, calls } = fakeFetch(() => new Response(null, { status: 204 }));
    await expect(
      createApiClient({ fetch }).apiSend('DELETE', '/assets/a1', undefined, z.undefined()),
    ).resolves.toBeUndefined();
    expect(new Headers(calls[0]?.init.headers).get('x-mamori-request')).toBe('1');
    expect(calls[0]?.init.body).toBeUndefined();
  });

  it('turns a 409 into a conflict ApiError', async () => {
    const { fetch } = fakeFetch(() =>
      json(409, { error: { code: 'conflict', message: 'Version mismatch', details: { v: 2 } } }),
    );
    const error = await rejectionOf(
      createApiClient({ fetch }).apiSend('PATCH', '/assets/a1', {}, z.unknown()),
    );
    expect(error).toMatchObject({ code: 'conflict', status: 409, details: { v: 2 } });
  });
});

describe('session', () => {
  it('sends no CSRF token before login, only the login request header', async () => {
    const { fetch, calls } = fakeFetch(() => json(200, {}));
    await createApiClient({ fetch, session: createSessionBridge() }).apiSend(
      'POST',
      '/auth/login',
      { loginName: 'shiken', password: 'x' },
      z.unknown(),
    );
    const headers = new Headers(calls[0]?.init.headers);
    expect(headers.has('x-csrf-token')).toBe(false);
    expect(headers.get('x-mamori-request')).toBe('1');
  });

  it('takes the newest CSRF token on each write (it rotates at login and step-up)', async () => {
    const { fetch, calls } = fakeFetch(() => json(200, {}));
    const session = createSessionBridge();
    const client = createApiClient({ fetch, session });
    session.csrfToken = 'before';
    await client.apiSend('POST', '/x', {}, z.unknown());
    session.csrfToken = 'after';
    await client.apiSend('DELETE', '/x', undefined, z.unknown());
    expect(calls.map((call) => new Headers(call.init.headers).get('x-csrf-token'))).toEqual([
      'before',
      'after',
    ]);
  });

  it('reports a 401 (session gone) and a login-step 403 to the session, but not a wrong password', async () => {
    const session = createSessionBridge();
    const reported: string[] = [];
    session.onSessionProblem = (error) => reported.push(error.code);
    for (const [status, code] of [
      [401, 'unauthenticated'],
      [401, 'session_expired'],
      [403, 'password_change_required'],
      [403, 'mfa_required'],
      [401, 'invalid_credentials'],
      [403, 'forbidden'],
    ] as const) {
      const { fetch } = fakeFetch(() => json(status, { error: { code, message: code } }));
      const error = await rejectionOf(
        createApiClient({ fetch, session }).apiGet('/x', z.unknown()),
      );
      expect(error.code).toBe(code);
    }
    expect(reported).toEqual([
      'unauthenticated',
      'session_expired',
      'password_change_required',
      'mfa_required',
    ]);
  });

  it('std-7.2.5: asks for a step-up on step_up_required and sends the call again with the new token', async () => {
    let answers = 0;
    const { fetch, calls } = fakeFetch(() => {
      answers += 1;
      return answers === 1
        ? json(403, { error: { code: 'step_up_required', message: 'Step up' } })
        : json(200, { ok: true });
    });
    const session = createSessionBridge();
    session.csrfToken = 'old';
    session.onStepUpRequired = () => {
      session.csrfToken = 'rotated';
      return Promise.resolve(true);
    };
    const result = await createApiClient({ fetch, session }).apiSend(
      'POST',
      '/accounts/a1/unlock',
      undefined,
      z.object({ ok: z.boolean() }),
    );
    expect(result).toEqual({ ok: true });
    expect(calls.map((call) => new Headers(call.init.headers).get('x-csrf-token'))).toEqual([
      'old',
      'rotated',
    ]);
  });

  it('std-7.2.5: a cancelled step-up leaves the step_up_required error, and asks only once', async () => {
    const { fetch, calls } = fakeFetch(() =>
      json(403, { error: { code: 'step_up_required', message: 'Step up' } }),
    );
    const session = createSessionBridge();
    let asked = 0;
    session.onStepUpRequired = () => {
      asked += 1;
      return Promise.resolve(asked === 1);
    };
    const error = await rejectionOf(
      createApiClient({ fetch, session }).apiSend('POST', '/x', {}, z.unknown()),
    );
    expect(error.code).toBe('step_up_required');
    // Stepped up once, the retry still refused: no endless loop of dialogs.
    expect(asked).toBe(1);
    expect(calls).toHaveLength(2);
  });
});

describe('apiPath', () => {
  it('fills in and encodes path parameters', () => {
    expect(apiPath('/accounts/:accountId/unlock', { accountId: 'a/1' })).toBe(
      '/accounts/a%2F1/unlock',
    );
    expect(() => apiPath('/auth/sessions/:sessionId', {})).toThrow(TypeError);
  });
});

describe('localizeApiError', () => {
  it('has a Japanese and an English message for every server error code', () => {
    for (const language of ['ja', 'en'] as const) {
      const { t } = createI18n(language);
      for (const code of errorCodes) {
        const message = localizeApiError(new ApiError(code, errorStatus[code]), t);
        expect(message, `${language} ${code}`).not.toBe(`errors.${code}`);
        expect(message.length, `${language} ${code}`).toBeGreaterThan(0);
      }
    }
  });

  it('speaks the language of the instance and fills in the status', () => {
    const error = new ApiError('unexpected_response', 502);
    expect(localizeApiError(error, createI18n('ja').t)).toBe(
      'サーバーから想定外の応答がありました（HTTP 502）。',
    );
    expect(localizeApiError(error, createI18n('en').t)).toBe(
      'The server sent an unexpected response (HTTP 502).',
    );
    expect(localizeApiError(new ApiError('forbidden', 403), createI18n('ja').t)).toBe(
      'この操作を行う権限がありません。',
    );
  });

  it('treats anything else as an internal error', () => {
    expect(localizeApiError(new Error('bug'), createI18n('en').t)).toBe(
      'A server error occurred. Contact your system administrator.',
    );
  });
});
