import { errorCodes, errorStatus, healthResponseSchema } from '@mamori/contracts';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createI18n } from '../i18n/index.js';
import { ApiError, createApiClient, localizeApiError, toApiError } from './client.js';

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
    expect(new Headers(calls[0]?.init.headers).has('X-Requested-With')).toBe(false);
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
    const result = await createApiClient({ fetch }).apiSend(
      'POST',
      '/assets',
      { name: '住民基本台帳' },
      z.object({ id: z.string() }),
    );
    expect(result).toEqual({ id: 'a1' });
    const headers = new Headers(calls[0]?.init.headers);
    expect(calls[0]?.init.method).toBe('POST');
    expect(calls[0]?.init.credentials).toBe('same-origin');
    expect(headers.get('X-Requested-With')).toBe('mamori');
    expect(headers.get('Content-Type')).toBe('application/json');
    expect(calls[0]?.init.body).toBe(JSON.stringify({ name: '住民基本台帳' }));
  });

  it('parses a 204 as undefined', async () => {
    const { fetch, calls } = fakeFetch(() => new Response(null, { status: 204 }));
    await expect(
      createApiClient({ fetch }).apiSend('DELETE', '/assets/a1', undefined, z.undefined()),
    ).resolves.toBeUndefined();
    expect(new Headers(calls[0]?.init.headers).get('X-Requested-With')).toBe('mamori');
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
