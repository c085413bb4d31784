import iconv from 'iconv-lite';
import { AppError } from '../errors.js';

/** The encoding a CSV file was found in. */
export type DetectedEncoding = 'utf8' | 'utf8-bom' | 'cp932';

/** What a file was found to be. */
export type TabularFormat = 'csv' | 'xlsx';

/** The default upper bound for an import file (bytes). */
export const DEFAULT_MAX_IMPORT_BYTES = 20 * 1024 * 1024;

const invalidFile = (reason: string, message: string, details: Record<string, unknown> = {}) =>
  new AppError('import_file_invalid', message, { reason, ...details });

/** Refuses an empty or oversized file before any parsing. */
export function checkImportSize(bytes: Uint8Array, maxBytes = DEFAULT_MAX_IMPORT_BYTES): void {
  if (bytes.length === 0) throw invalidFile('empty', 'The file is empty.');
  if (bytes.length > maxBytes)
    throw new AppError('payload_too_large', `The file is larger than ${String(maxBytes)} bytes.`, {
      maxBytes,
      size: bytes.length,
    });
}

const startsWith = (bytes: Uint8Array, magic: readonly number[]) =>
  magic.every((b, i) => bytes[i] === b);

/**
 * xlsx (a zip: `PK\x03\x04`) or CSV. Legacy .xls (OLE2) and other binaries are
 * refused with a reason the user can act on.
 */
export function detectFormat(bytes: Uint8Array): TabularFormat {
  checkImportSize(bytes, Number.POSITIVE_INFINITY);
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return 'xlsx';
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))
    throw invalidFile(
      'xls_unsupported',
      'Old Excel (.xls) files are not read; save as .xlsx or CSV.',
    );
  if (startsWith(bytes, [0x50, 0x4b]))
    throw invalidFile('zip_unsupported', 'This zip file is not an Excel workbook.');
  return 'csv';
}

/**
 * Decodes a CSV file's bytes to text: UTF-8 with BOM (BOM stripped), valid
 * UTF-8, else Shift_JIS as Windows writes it (CP932). UTF-16 and binary files
 * are refused (std-7.3.5.1: only text we can read correctly is taken in).
 */
export function decodeText(
  bytes: Uint8Array,
  options: { maxBytes?: number } = {},
): { text: string; encoding: DetectedEncoding } {
  checkImportSize(bytes, options.maxBytes);
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff]))
    throw invalidFile(
      'utf16_unsupported',
      'UTF-16 text is not read; save as CSV UTF-8 (comma-delimited) or CSV (Shift_JIS).',
    );
  let result: { text: string; encoding: DetectedEncoding };
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) {
    try {
      const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(
        bytes.subarray(3),
      );
      result = { text, encoding: 'utf8-bom' };
    } catch {
      throw invalidFile('encoding_unknown', 'The file starts with a UTF-8 BOM but is not UTF-8.');
    }
  } else {
    try {
      result = {
        text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes),
        encoding: 'utf8',
      };
    } catch {
      const text = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), 'cp932');
      // iconv-lite writes U+FFFD for a byte sequence CP932 does not define.
      if (text.includes('\uFFFD'))
        throw invalidFile(
          'encoding_unknown',
          'The text is neither UTF-8 nor Shift_JIS (CP932); save the file as CSV UTF-8.',
        );
      result = { text, encoding: 'cp932' };
    }
  }
  if (result.text.trim() === '') throw invalidFile('empty', 'The file has no text.');
  // NUL and other C0 controls (bar tab, CR, LF, FF, EOF) mean this is not a text file.
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  if (/[\u0000-\u0008\u000B\u000E-\u0019\u001B-\u001F]/.test(result.text))
    throw invalidFile('binary', 'This is not a text (CSV) file.');
  return result;
}
