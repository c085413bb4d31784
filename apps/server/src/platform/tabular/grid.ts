import { CsvError, parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { AppError } from '../errors.js';

/** A row of raw cell texts with the row number Excel shows for it. */
export interface GridRow {
  readonly rowNumber: number;
  readonly cells: readonly string[];
}

/**
 * A cell starting with one of these is run as a formula by Excel (CSV
 * injection); export prefixes `'`, import removes it again (std-7.3.5.1).
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-\d+(?:\.\d+)?$/;

/** The CSV text of a cell with a `'` guard before anything Excel would run as a formula. */
export function guardFormula(text: string): string {
  if (!FORMULA_START.test(text) || PLAIN_NUMBER.test(text)) return text;
  return `'${text}`;
}

/** Undoes {@link guardFormula}. */
export function unguardFormula(text: string): string {
  return text.startsWith("'") && FORMULA_START.test(text) ? text.slice(1) : text;
}

/** Parses CSV text (RFC 4180: quotes, CRLF, newlines in quoted cells) into rows. */
export function readCsvGrid(text: string): GridRow[] {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  // Tab-separated text (Excel's テキスト (タブ区切り)) is read too.
  const delimiter = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  let records: string[][];
  try {
    // A trailing Ctrl-Z (EOF mark of old DOS tools) is not data.
    // eslint-disable-next-line no-control-regex -- removing a control character is the point
    records = parse(text.replace(/\u001A+$/, ''), {
      delimiter,
      relax_column_count: true,
      skip_empty_lines: false,
    });
  } catch (e) {
    if (e instanceof CsvError)
      throw new AppError('import_file_invalid', `The CSV cannot be read: ${e.message}`, {
        reason: 'csv_malformed',
        csvCode: e.code,
        line: (e as CsvError & { lines?: number }).lines ?? null,
      });
    throw e;
  }
  return records.map((cells, i) => ({
    rowNumber: i + 1,
    cells: cells.map((c) => unguardFormula(c.replace(/\r\n/g, '\n'))),
  }));
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The text of an exceljs cell value: rich text joined, formula results, dates as ISO. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) {
    // exceljs gives Excel's (zone-less) date-time as the same wall time in UTC.
    const date = `${pad(value.getUTCFullYear(), 4)}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
    const secs = value.getUTCHours() * 3600 + value.getUTCMinutes() * 60 + value.getUTCSeconds();
    return secs === 0
      ? date
      : `${date} ${pad(value.getUTCHours())}:${pad(value.getUTCMinutes())}:${pad(value.getUTCSeconds())}`;
  }
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('hyperlink' in value) return cellText(value.text);
  if ('formula' in value || 'sharedFormula' in value) return cellText(value.result);
  if ('error' in value) return value.error;
  return '';
}

/** Reads the named worksheet (else the first; `strict`: the named one or an error) into rows. */
export async function readXlsxGrid(
  bytes: Uint8Array,
  sheet?: { readonly name: string; readonly strict: boolean },
): Promise<GridRow[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length) as unknown as ArrayBuffer,
    );
  } catch {
    throw new AppError('import_file_invalid', 'The Excel file cannot be read.', {
      reason: 'xlsx_unreadable',
    });
  }
  const named = sheet ? workbook.getWorksheet(sheet.name) : undefined;
  if (sheet?.strict && !named)
    throw new AppError('import_file_invalid', `The Excel file has no sheet named ${sheet.name}.`, {
      reason: 'sheet_missing',
      sheet: sheet.name,
    });
  const worksheet = named ?? workbook.worksheets[0];
  if (!worksheet)
    throw new AppError('import_file_invalid', 'The Excel file has no worksheet.', {
      reason: 'no_sheet',
    });
  const rows: GridRow[] = [];
  worksheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(cellText(row.getCell(c).value));
    rows.push({ rowNumber, cells });
  });
  return rows;
}
