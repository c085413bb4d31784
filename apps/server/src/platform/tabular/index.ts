/**
 * Tabular import/export: the platform piece every register uses to take in
 * and give out CSV (UTF-8, UTF-8 with BOM, Shift_JIS/CP932) and xlsx.
 * See docs/import-export.md.
 */
export {
  checkImportSize,
  decodeText,
  DEFAULT_MAX_IMPORT_BYTES,
  detectFormat,
  type DetectedEncoding,
  type TabularFormat,
} from './decode.js';
export { exportTabular, type ExportTabularOptions } from './export.js';
export {
  cellText,
  guardFormula,
  readCsvGrid,
  readXlsxGrid,
  unguardFormula,
  type GridRow,
} from './grid.js';
export {
  columnLabel,
  mapHeaders,
  normalizeHeader,
  type FileColumn,
  type HeaderMapping,
} from './headers.js';
export {
  DEFAULT_MAX_ROWS,
  parseTabular,
  type ParsedRow,
  type ParsedTabular,
  type ParseTabularOptions,
  type TabularIssue,
  type TabularProgress,
} from './parse.js';
export {
  assertImportable,
  importDigest,
  planImport,
  type FieldChange,
  type ImportPreview,
  type PreviewRow,
  type RowChange,
} from './plan.js';
export {
  booleanCell,
  dateCell,
  defineTabularSpec,
  enumCell,
  formatBoolean,
  integerCell,
  textCell,
  type RowIssue,
  type TabularCellOut,
  type TabularColumn,
  type TabularColumnOf,
  type TabularSpec,
} from './spec.js';
export { columnLetter, type CsvEncoding, type UnencodableCell } from '../export/csv.js';
