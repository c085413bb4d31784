import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { AppError } from '../errors.js';
import {
  checkImportSize,
  decodeText,
  DEFAULT_MAX_IMPORT_BYTES,
  detectFormat,
  type DetectedEncoding,
  type TabularFormat,
} from './decode.js';
import { readCsvGrid, readXlsxGrid, type GridRow } from './grid.js';
import { columnLabel, mapHeaders, type FileColumn } from './headers.js';
import type { TabularColumn, TabularSpec } from './spec.js';

/**
 * A problem in the file, located as the user sees it in Excel: `row` counts
 * the header row as 1; `column` is the letter and the header (`C 職員番号`),
 * or the spec's header when the column is not in the file.
 */
export interface TabularIssue {
  readonly row: number;
  readonly column: string | null;
  readonly columnLetter: string | null;
  readonly key: string | null;
  readonly code: string;
  readonly message_ja: string;
  readonly message_en: string;
}

/** A row that passed every check, with its number in the file. */
export interface ParsedRow<Row> {
  readonly rowNumber: number;
  readonly value: Row;
}

/** What {@link parseTabular} found. `errors` empty means every row is valid. */
export interface ParsedTabular<Row> {
  /** The CSV's encoding; null for xlsx. */
  readonly encoding: DetectedEncoding | null;
  readonly format: TabularFormat;
  /** SHA-256 (hex) of the file as uploaded (std-7.3.5.2: the log names the exact file). */
  readonly fileSha256: string;
  readonly headerRow: number;
  /** Valid rows only; a row with any error is in `errors` instead. */
  readonly rows: readonly ParsedRow<Row>[];
  /** Numbers of the rows that have at least one error. */
  readonly invalidRows: readonly number[];
  readonly errors: readonly TabularIssue[];
  readonly warnings: readonly TabularIssue[];
}

/** Progress of a parse: rows checked so far of the file's data rows. */
export interface TabularProgress {
  readonly processed: number;
  readonly total: number;
}

export interface ParseTabularOptions {
  readonly onProgress?: (progress: TabularProgress) => void;
  /** Data rows allowed (default 50,000); more is a file error. */
  readonly maxRows?: number;
  /** File size allowed in bytes (default 20 MiB). */
  readonly maxBytes?: number;
  /** The xlsx sheet to read; when given it must exist (else the spec's sheet or the first). */
  readonly sheetName?: string;
  /** Rows between progress reports and yields to the event loop (default 500). */
  readonly progressEvery?: number;
}

export const DEFAULT_MAX_ROWS = 50_000;

/** Japanese for zod's issue codes; the English message is zod's own. */
function issueJa(issue: z.core.$ZodIssue): string {
  const params = (issue as { params?: { message_ja?: unknown } }).params;
  if (typeof params?.message_ja === 'string') return params.message_ja;
  switch (issue.code) {
    case 'too_big':
      return issue.origin === 'string'
        ? `${String(issue.maximum)}文字以内で入力してください`
        : `${String(issue.maximum)}以下の値を入力してください`;
    case 'too_small':
      return issue.origin === 'string'
        ? `${String(issue.minimum)}文字以上で入力してください`
        : `${String(issue.minimum)}以上の値を入力してください`;
    case 'invalid_format':
      return issue.format === 'email'
        ? 'メールアドレスの形式ではありません'
        : '入力の形式が正しくありません';
    case 'invalid_value':
      return `次のいずれかを入力してください: ${issue.values.map(String).join('、')}`;
    case 'invalid_type':
      return '値の種類が正しくありません';
    default:
      return '入力内容が正しくありません';
  }
}

function issueCode(issue: z.core.$ZodIssue): string {
  const params = (issue as { params?: { code?: unknown } }).params;
  if (typeof params?.code === 'string') return params.code;
  return issue.code === 'custom' ? 'invalid' : issue.code;
}

const cellIssue = (
  row: number,
  at: { column: FileColumn | null; spec: TabularColumn | null },
  code: string,
  message_ja: string,
  message_en: string,
): TabularIssue => ({
  row,
  column: at.column ? columnLabel(at.column) : (at.spec?.header_ja ?? null),
  columnLetter: at.column?.letter ?? null,
  key: at.spec?.key ?? null,
  code,
  message_ja,
  message_en,
});

const isBlankRow = (r: GridRow) => r.cells.every((c) => c.trim() === '');
const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The grid of a file, whichever format it is. */
async function readGrid(
  bytes: Uint8Array,
  spec: TabularSpec<unknown>,
  options: ParseTabularOptions,
): Promise<{ format: TabularFormat; encoding: DetectedEncoding | null; grid: GridRow[] }> {
  const format = detectFormat(bytes);
  if (format === 'xlsx') {
    const sheet =
      options.sheetName !== undefined
        ? { name: options.sheetName, strict: true }
        : spec.sheetName !== undefined
          ? { name: spec.sheetName, strict: false }
          : undefined;
    return { format, encoding: null, grid: await readXlsxGrid(bytes, sheet) };
  }
  const { text, encoding } = decodeText(bytes, { maxBytes: options.maxBytes });
  return { format, encoding, grid: readCsvGrid(text) };
}

/**
 * Reads an import file (CSV in UTF-8 / UTF-8 BOM / CP932, or xlsx) against a
 * spec: maps the header row, checks every cell with its zod schema and every
 * row with the spec's refinement (std-7.3.5.1), and reports every problem by
 * row and column. Nothing is written here; see `planImport` for the dry run.
 * A file that cannot be read at all throws `import_file_invalid`.
 */
export async function parseTabular<Row>(
  bytes: Uint8Array,
  spec: TabularSpec<Row>,
  options: ParseTabularOptions = {},
): Promise<ParsedTabular<Row>> {
  checkImportSize(bytes, options.maxBytes ?? DEFAULT_MAX_IMPORT_BYTES);
  const fileSha256 = createHash('sha256').update(bytes).digest('hex');
  const columns = spec.columns as readonly TabularColumn[];
  const { format, encoding, grid } = await readGrid(bytes, spec as TabularSpec<unknown>, options);

  const headerIndex = grid.findIndex((r) => !isBlankRow(r));
  const header = grid[headerIndex];
  if (!header)
    throw new AppError('import_file_invalid', 'The file has no header row.', {
      reason: 'no_header',
    });
  const dataRows = grid.slice(headerIndex + 1).filter((r) => !isBlankRow(r));
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  if (dataRows.length > maxRows)
    throw new AppError(
      'import_file_invalid',
      `The file has ${String(dataRows.length)} rows; at most ${String(maxRows)} can be imported at once.`,
      { reason: 'too_many_rows', rows: dataRows.length, maxRows },
    );

  const errors: TabularIssue[] = [];
  const warnings: TabularIssue[] = [];
  const mapping = mapHeaders(header.cells, columns);
  const h = header.rowNumber;
  for (const col of mapping.missing)
    if (col.required)
      errors.push(
        cellIssue(
          h,
          { column: null, spec: col },
          'column_missing',
          `必須の列「${col.header_ja}」がありません`,
          `The required column "${col.header_en}" (${col.header_ja}) is missing`,
        ),
      );
  for (const { key, column } of mapping.duplicates) {
    const spec = columns.find((c) => c.key === key) ?? null;
    errors.push(
      cellIssue(
        h,
        { column, spec },
        'column_duplicate',
        `列「${spec?.header_ja ?? key}」が重複しています`,
        `The column "${spec?.header_en ?? key}" appears more than once`,
      ),
    );
  }
  for (const column of mapping.unknown)
    warnings.push(
      cellIssue(
        h,
        { column, spec: null },
        'column_unknown',
        `列「${column.header}」は取り込みません`,
        `The column "${column.header}" is not imported`,
      ),
    );
  if (dataRows.length === 0)
    warnings.push(
      cellIssue(
        h,
        { column: null, spec: null },
        'no_rows',
        'データ行がありません',
        'The file has no data rows',
      ),
    );

  const rows: ParsedRow<Row>[] = [];
  const invalidRows: number[] = [];
  const every = Math.max(1, options.progressEvery ?? 500);
  const hasAllColumns = mapping.missing.every((c) => !c.required);
  for (let i = 0; i < dataRows.length; i++) {
    const gridRow = dataRows[i];
    if (!gridRow) continue;
    const rowErrors: TabularIssue[] = [];
    const value: Record<string, unknown> = {};
    for (const col of columns) {
      const at = mapping.byKey.get(col.key);
      if (!at) continue; // a missing column is reported once, on the header row
      const text = (gridRow.cells[at.index] ?? '').normalize('NFC').trim();
      if (text === '') {
        if (col.required)
          rowErrors.push(
            cellIssue(
              gridRow.rowNumber,
              { column: at, spec: col },
              'required',
              '入力が必要です',
              'A value is required',
            ),
          );
        continue;
      }
      const result = col.schema.safeParse(text);
      if (result.success) value[col.key] = result.data;
      else {
        const issue = result.error.issues[0];
        if (issue)
          rowErrors.push(
            cellIssue(
              gridRow.rowNumber,
              { column: at, spec: col },
              issueCode(issue),
              issueJa(issue),
              issue.message,
            ),
          );
      }
    }
    if (rowErrors.length === 0 && hasAllColumns && spec.refine) {
      for (const issue of spec.refine(value as Row)) {
        const col = issue.key ? (columns.find((c) => c.key === issue.key) ?? null) : null;
        rowErrors.push(
          cellIssue(
            gridRow.rowNumber,
            { column: issue.key ? (mapping.byKey.get(issue.key) ?? null) : null, spec: col },
            issue.code,
            issue.message_ja,
            issue.message_en,
          ),
        );
      }
    }
    if (rowErrors.length > 0) {
      errors.push(...rowErrors);
      invalidRows.push(gridRow.rowNumber);
    } else rows.push({ rowNumber: gridRow.rowNumber, value: value as Row });
    if ((i + 1) % every === 0 || i + 1 === dataRows.length) {
      options.onProgress?.({ processed: i + 1, total: dataRows.length });
      // Let other requests run while a large file is checked.
      if ((i + 1) % every === 0) await nextTick();
    }
  }
  if (dataRows.length === 0) options.onProgress?.({ processed: 0, total: 0 });
  return {
    encoding,
    format,
    fileSha256,
    headerRow: h,
    rows,
    invalidRows,
    errors,
    warnings,
  };
}
