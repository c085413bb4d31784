import { useCallback, useState } from 'react';
import { ApiError, toApiError } from './client.js';

/*
 * File downloads (CSV, xlsx) from the API. A plain <a href download> saves whatever the server
 * answers, so a refused export (422 export_unencodable: a character Shift_JIS cannot hold) would
 * be saved as a JSON "CSV". Downloads go through fetch instead: an error becomes an ApiError the
 * page shows with localizeApiError, and only a successful reply is saved.
 */

export interface DownloadOptions {
  /** The fetch to use; the browser's by default. */
  readonly fetch?: typeof globalThis.fetch;
  /** Saves the file; by default the browser's download of an object URL. */
  readonly save?: (blob: Blob, fileName: string) => void;
  readonly signal?: AbortSignal;
}

/**
 * The file name of a `Content-Disposition` header: RFC 6266 `filename*=UTF-8''…` (Japanese names)
 * before the plain `filename="…"`; null when there is none.
 */
export function fileNameOf(contentDisposition: string | null): string | null {
  if (contentDisposition === null) return null;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(contentDisposition)?.[1];
  if (extended !== undefined) {
    try {
      return decodeURIComponent(extended.trim());
    } catch {
      // A malformed encoding: fall through to the plain name.
    }
  }
  const plain = /filename\s*=\s*(?:"([^"]*)"|([^;\s]+))/.exec(contentDisposition);
  const name = plain?.[1] ?? plain?.[2];
  return name === undefined || name === '' ? null : name;
}

/** Saves a blob as a download named `fileName` (the browser's own save, no new window). */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked after the click has handed the blob to the download.
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 0);
}

async function errorBodyOf(response: Response): Promise<unknown> {
  try {
    return JSON.parse(await response.text()) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Downloads `url` (a full same-origin API URL, as the pages build them) with the session cookie
 * and saves it under the server's file name (Content-Disposition), else `fallbackName`. Throws an
 * ApiError for a refused or failed request, so nothing is saved.
 */
export async function downloadFile(
  url: string,
  fallbackName: string,
  options: DownloadOptions = {},
): Promise<void> {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: 'GET',
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError('network_error', 0, undefined, undefined, { cause: error });
  }
  if (!response.ok) throw toApiError(response.status, await errorBodyOf(response));
  const blob = await response.blob();
  const fileName = fileNameOf(response.headers.get('content-disposition')) ?? fallbackName;
  (options.save ?? saveBlob)(blob, fileName);
}

/**
 * A download for a page: `start(url, fallbackName)` runs {@link downloadFile}; `error` holds the
 * last failure (show it with localizeApiError in an Alert) until the next start; `pendingUrl`
 * is the URL being fetched, so its button shows as loading.
 */
export function useDownload(options: DownloadOptions = {}) {
  const [error, setError] = useState<unknown>(null);
  const [pendingUrl, setPendingUrl] = useState<string | null>(null);
  const { fetch, save, signal } = options;
  const start = useCallback(
    async (url: string, fallbackName: string) => {
      setError(null);
      setPendingUrl(url);
      try {
        await downloadFile(url, fallbackName, {
          ...(fetch ? { fetch } : {}),
          ...(save ? { save } : {}),
          ...(signal ? { signal } : {}),
        });
      } catch (caught) {
        setError(caught);
      } finally {
        setPendingUrl(null);
      }
    },
    [fetch, save, signal],
  );
  return { start, error, pendingUrl };
}
