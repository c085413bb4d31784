import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import { AppError } from '../errors.js';

/** How a CSV is encoded for Excel: UTF-8 with BOM, or Shift_JIS (Windows-31J / CP932). */
export type CsvEncoding = 'utf8-bom' | 'cp932';

/** A cell as written to a CSV. */
export type CsvCell = string | number | boolean | null;

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
const CP932_VARIANT_PATTERN = /[\u301C\u2212\u2016\u00A2\u00A3\u00AC\u2014]/g;

/** Text with the JIS X 0208 variants replaced by the code points Windows-31J holds. */
export function mapCp932Variants(text: string): string {
  return text.replace(CP932_VARIANT_PATTERN, (c) => CP932_VARIANTS[c] ?? c);
}

/** The spreadsheet letter of a 0-based column index: 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** A cell Shift_JIS cannot hold, located as the user sees it in Excel. */
export interface UnencodableCell {
  /** 1-based row as Excel shows it: the header is row 1, the first data row is 2. */
  readonly row: number;
  /** Column letter and header, e.g. `B 備考`. */
  readonly column: string;
  readonly columnLetter: string;
  readonly header: string;
  /** The first character that cannot be written, e.g. `𠮷`. */
  readonly character: string;
  /** Its code point, e.g. `U+20BB7`. */
  readonly codePoint: string;
}

const isCp932Encodable = (ch: string): boolean =>
  iconv.decode(iconv.encode(ch, 'cp932'), 'cp932') === ch;

/**
 * Every cell (header included) holding a character that Windows-31J cannot
 * encode, after the 〜-style variants are mapped; at most `limit` of them.
 */
export function findCp932Unencodable(
  header: readonly string[],
  rows: readonly (readonly CsvCell[])[],
  limit = 100,
): UnencodableCell[] {
  const found: UnencodableCell[] = [];
  const lines = [header, ...rows];
  for (let r = 0; r < lines.length && found.length < limit; r++) {
    const line = lines[r] ?? [];
    for (let c = 0; c < line.length && found.length < limit; c++) {
      const cell = mapCp932Variants(String(line[c] ?? ''));
      if (isCp932Encodable(cell)) continue;
      const bad = Array.from(cell).find((ch) => !isCp932Encodable(ch)) ?? cell;
      const letter = columnLetter(c);
      const name = header[c] ?? '';
      found.push({
        row: r + 1,
        column: `${letter} ${name}`.trim(),
        columnLetter: letter,
        header: name,
        character: bad,
        codePoint: `U+${(bad.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`,
      });
    }
  }
  return found;
}

/**
 * Writes rows as CSV (RFC 4180, CRLF) in the chosen encoding. Shift_JIS cannot
 * hold every character: rather than silently writing 「?」 into a record, an
 * unencodable character is an error naming its row and column (std-7.3.5.3):
 * details `{ row, column, character, cells }`, row counted as Excel shows it.
 */
export function encodeCsv(
  header: readonly string[],
  rows: readonly (readonly CsvCell[])[],
  encoding: CsvEncoding,
): Buffer {
  const text = stringify([header, ...rows], { record_delimiter: '\r\n' });
  if (encoding === 'utf8-bom')
    return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
  const mapped = mapCp932Variants(text);
  const bytes = iconv.encode(mapped, 'cp932');
  if (iconv.decode(bytes, 'cp932') !== mapped) {
    const cells = findCp932Unencodable(header, rows);
    const first = cells[0];
    throw new AppError(
      'export_unencodable',
      first
        ? `Row ${String(first.row)}, column ${first.column}: ${first.character} (${first.codePoint}) cannot be written in Shift_JIS; export as UTF-8.`
        : 'This text cannot be written in Shift_JIS; export as UTF-8.',
      first
        ? { row: first.row, column: first.column, character: first.character, cells }
        : { cells },
    );
  }
  return bytes;
}
