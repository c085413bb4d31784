import { describe, expect, it } from 'vitest';
import { createI18n } from '../i18n/index.js';
import { ApiError, localizeApiError } from './client.js';
import { downloadFile, fileNameOf } from './download.js';

interface Saved {
  blob: Blob;
  fileName: string;
}

/** A fetch that records its calls and answers with `respond`, and a save that records files. */
function fakes(respond: () => Response) {
  const calls: { url: string; init: RequestInit }[] = [];
  const saved: Saved[] = [];
  const fetch: typeof globalThis.fetch = (input, init) => {
    calls.push({ url: input instanceof Request ? input.url : input.toString(), init: init ?? {} });
    return Promise.resolve(respond());
  };
  const save = (blob: Blob, fileName: string) => {
    saved.push({ blob, fileName });
  };
  return { fetch, save, calls, saved };
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the download to fail');
}

const exportUrl = '/t/192091/api/organization/exports/people?format=csv&encoding=cp932';

describe('downloadFile (CSV for Excel: UTF-8 BOM or Shift_JIS)', () => {
  it('saves the body under the file name the server gives, with the session cookie', async () => {
    const csv = '\uFEFF氏名,所属\r\n試験 太郎,情報政策課\r\n';
    const f = fakes(
      () =>
        new Response(csv, {
          status: 200,
          headers: {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': `attachment; filename="people-2026-04-01.csv"; filename*=UTF-8''${encodeURIComponent('職員-2026-04-01.csv')}`,
          },
        }),
    );
    await downloadFile(exportUrl, 'people.csv', { fetch: f.fetch, save: f.save });
    expect(f.calls).toHaveLength(1);
    expect(f.calls[0]?.url).toBe(exportUrl);
    expect(f.calls[0]?.init.credentials).toBe('same-origin');
    expect(f.saved).toHaveLength(1);
    expect(f.saved[0]?.fileName).toBe('職員-2026-04-01.csv');
    // The BOM Excel needs is kept (Blob.text() would strip it, so compare bytes).
    const saved = new Uint8Array(await (f.saved[0]?.blob.arrayBuffer() ?? new ArrayBuffer(0)));
    expect(saved).toEqual(new TextEncoder().encode(csv));
    expect([...saved.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('keeps Shift_JIS bytes as they are (the blob is not decoded)', async () => {
    const bytes = new Uint8Array([0x8e, 0x8e, 0x8c, 0xb1]); // 試験 in Shift_JIS
    const f = fakes(
      () =>
        new Response(bytes, {
          status: 200,
          headers: { 'content-disposition': 'attachment; filename="operation-log-192091.csv"' },
        }),
    );
    await downloadFile(exportUrl, 'fallback.csv', { fetch: f.fetch, save: f.save });
    expect(f.saved[0]?.fileName).toBe('operation-log-192091.csv');
    expect(new Uint8Array(await (f.saved[0]?.blob.arrayBuffer() ?? new ArrayBuffer(0)))).toEqual(
      bytes,
    );
  });

  it('uses the fallback name when the server names no file', async () => {
    const f = fakes(() => new Response('a,b\r\n', { status: 200 }));
    await downloadFile(exportUrl, 'people.csv', { fetch: f.fetch, save: f.save });
    expect(f.saved[0]?.fileName).toBe('people.csv');
  });

  it('a refused Shift_JIS export (422) is an ApiError shown in words, and nothing is saved', async () => {
    const f = fakes(
      () =>
        new Response(
          JSON.stringify({
            error: {
              code: 'export_unencodable',
              message: 'Some text cannot be written in Shift_JIS.',
              details: { row: 3, column: '氏名' },
            },
          }),
          { status: 422, headers: { 'content-type': 'application/json' } },
        ),
    );
    const error = await rejectionOf(
      downloadFile(exportUrl, 'people.csv', { fetch: f.fetch, save: f.save }),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'export_unencodable', status: 422 });
    expect(f.saved).toEqual([]);
    expect(localizeApiError(error, createI18n('ja').t)).toContain('Shift_JIS');
  });

  it('an error reply outside the contract is unexpected_response; nothing is saved', async () => {
    const f = fakes(() => new Response('<html>Bad gateway</html>', { status: 502 }));
    const error = await rejectionOf(
      downloadFile(exportUrl, 'people.csv', { fetch: f.fetch, save: f.save }),
    );
    expect(error).toMatchObject({ code: 'unexpected_response', status: 502 });
    expect(f.saved).toEqual([]);
  });

  it('no answer at all is a network_error', async () => {
    const fetch: typeof globalThis.fetch = () => Promise.reject(new TypeError('Failed to fetch'));
    const error = await rejectionOf(
      downloadFile(exportUrl, 'people.csv', { fetch, save: () => undefined }),
    );
    expect(error).toMatchObject({ code: 'network_error', status: 0 });
  });
});

describe('fileNameOf', () => {
  it('prefers the RFC 6266 UTF-8 name, then the plain one', () => {
    expect(
      fileNameOf(`attachment; filename="a.csv"; filename*=UTF-8''%E8%81%B7%E5%93%A1.csv`),
    ).toBe('職員.csv');
    expect(fileNameOf('attachment; filename="operation-log.csv"')).toBe('operation-log.csv');
    expect(fileNameOf('attachment; filename=units.xlsx')).toBe('units.xlsx');
    expect(fileNameOf('attachment')).toBeNull();
    expect(fileNameOf(null)).toBeNull();
  });
});
