import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import { AppError } from '../errors.js';

/** How a CSV is encoded for Excel: UTF-8 with BOM, or Shift_JIS (Windows-31J / CP932). */
export type CsvEncoding = 'utf8-bom' | 'cp932';

/**
 * Characters that JIS X 0208 text uses but Windows-31J writes with another
 * code point (the 〜 problem): mapped before encoding so Excel shows them.
 */
const CP932_VARIANTS: Readonly<Record<string, string>> = {
  '\u301C': '\uFF5E', // 〜 → ～
  '\u2212': '\uFF0D', // − → －
  '\u2016': '\u2225', // ‖ → ∥
  '\u00A2': '\uFFE0', // ¢ → ￠
  '\u00A3': '\uFFE1', // £ → ￡
  '\u00AC': '\uFFE2', // ¬ → ￢
  '\u2014': '\u2015', // — → ―
};

/**
 * Writes rows as CSV (RFC 4180, CRLF) in the chosen encoding. Shift_JIS cannot
 * hold every character: rather than silently writing 「?」 into a record, an
 * unencodable character is an error naming its row and column.
 */
export function encodeCsv(
  header: readonly string[],
  rows: readonly (readonly (string | number | boolean | null)[])[],
  encoding: CsvEncoding,
): Buffer {
  const text = stringify([header, ...rows], { record_delimiter: '\r\n' });
  if (encoding === 'utf8-bom')
    return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
  const mapped = text.replace(
    /[\u301C\u2212\u2016\u00A2\u00A3\u00AC\u2014]/g,
    (c) => CP932_VARIANTS[c] ?? c,
  );
  const bytes = iconv.encode(mapped, 'cp932');
  if (iconv.decode(bytes, 'cp932') !== mapped) {
    const lines = [header, ...rows];
    for (let r = 0; r < lines.length; r++) {
      const line = lines[r] ?? [];
      for (let c = 0; c < line.length; c++) {
        const cell = String(line[c] ?? '').replace(
          /[\u301C\u2212\u2016\u00A2\u00A3\u00AC\u2014]/g,
          (ch) => CP932_VARIANTS[ch] ?? ch,
        );
        if (iconv.decode(iconv.encode(cell, 'cp932'), 'cp932') !== cell) {
          throw new AppError(
            'export_unencodable',
            'This text cannot be written in Shift_JIS; export as UTF-8.',
            {
              row: r,
              column: header[c] ?? c,
            },
          );
        }
      }
    }
  }
  return bytes;
}
