import ExcelJS from 'exceljs';
import { encodeCsv, type CsvEncoding } from '../export/csv.js';
import { guardFormula } from './grid.js';
import type { TabularCellOut, TabularColumn, TabularSpec } from './spec.js';

export interface ExportTabularOptions {
  readonly format: 'csv' | 'xlsx';
  /** CSV only (default UTF-8 with BOM); xlsx is always Unicode. */
  readonly encoding?: CsvEncoding;
  /** Header language (default Japanese); import reads either. */
  readonly headerLanguage?: 'ja' | 'en';
}

function cellOut(col: TabularColumn, value: unknown): TabularCellOut {
  if (value === undefined || value === null) return null;
  if (col.format) return col.format(value);
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return JSON.stringify(value);
}

/** Display width of text in Excel's units: full-width characters count 2. */
function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text.split('\n')[0] ?? '')
    width +=
      /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]|[\u{20000}-\u{3FFFD}]/u.test(
        ch,
      )
        ? 2
        : 1;
  return width;
}

/**
 * Writes rows in a spec's tabular form, readable by Excel and by
 * `parseTabular` (export → import gives the same rows, std-7.3.5.3).
 * CSV: UTF-8 with BOM or CP932, where a character Shift_JIS cannot hold is
 * an `export_unencodable` error naming its row and column. Cells Excel would
 * run as formulas are guarded with `'` (std-7.3.5.1). xlsx: the Japanese
 * header row in bold, frozen, columns sized to their content.
 */
export async function exportTabular<Row>(
  rows: readonly Row[],
  spec: TabularSpec<Row>,
  options: ExportTabularOptions,
): Promise<Buffer> {
  const columns = spec.columns as readonly TabularColumn[];
  const header = columns.map((c) => (options.headerLanguage === 'en' ? c.header_en : c.header_ja));
  const cells = rows.map((row) =>
    columns.map((c) => cellOut(c, (row as Record<string, unknown>)[c.key])),
  );
  if (options.format === 'csv')
    return encodeCsv(
      header,
      cells.map((line) => line.map((v) => (typeof v === 'string' ? guardFormula(v) : v))),
      options.encoding ?? 'utf8-bom',
    );

  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Mamori';
  const sheet = workbook.addWorksheet(spec.sheetName ?? 'data', {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  sheet.columns = columns.map((c, i) => {
    const widest = Math.max(
      displayWidth(header[i] ?? ''),
      ...cells.slice(0, 1000).map((line) => displayWidth(String(line[i] ?? ''))),
    );
    return {
      key: c.key,
      width: Math.min(60, Math.max(8, widest + 2)),
      // Text columns stay text when the user edits them (職員番号 00123 keeps its zeros).
      ...(c.text === false ? {} : { style: { numFmt: '@' } }),
    };
  });
  const headerRow = sheet.addRow(header);
  headerRow.font = { bold: true };
  headerRow.alignment = { vertical: 'middle' };
  for (const line of cells) sheet.addRow(line.map((v) => v ?? null));
  const out = await workbook.xlsx.writeBuffer();
  return Buffer.from(out);
}
