import { columnLetter } from '../export/csv.js';
import type { TabularColumn } from './spec.js';

/**
 * The form a header is compared in: NFKC (全角/半角 folded, U+3000 → space),
 * lower case, without whitespace, and without the marks HR templates put on
 * required columns (※, *, ＊ → *).
 */
export function normalizeHeader(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\u200B\uFEFF]+/g, '')
    .replace(/^[※*]+|[※*]+$/g, '');
}

/** One file column, located as the user sees it. */
export interface FileColumn {
  /** 0-based index in the file. */
  readonly index: number;
  readonly letter: string;
  /** The header text as written in the file. */
  readonly header: string;
}

/** How the file's header row maps onto a spec's columns. */
export interface HeaderMapping {
  /** spec key → file column. Missing columns are absent. */
  readonly byKey: ReadonlyMap<string, FileColumn>;
  /** File columns no spec column claims. */
  readonly unknown: readonly FileColumn[];
  /** A second file column claiming a key that another column already took. */
  readonly duplicates: readonly { readonly key: string; readonly column: FileColumn }[];
  /** Spec columns not in the file. */
  readonly missing: readonly TabularColumn[];
}

/** `C 職員番号`: the column letter and the header as written in the file. */
export const columnLabel = (c: FileColumn): string => `${c.letter} ${c.header}`.trim();

/** Maps a header row onto the spec by Japanese name, English name or alias. */
export function mapHeaders(
  headerRow: readonly string[],
  columns: readonly TabularColumn[],
): HeaderMapping {
  const names = new Map<string, TabularColumn>();
  for (const col of columns)
    for (const name of [col.header_ja, col.header_en, col.key, ...(col.aliases ?? [])])
      if (!names.has(normalizeHeader(name))) names.set(normalizeHeader(name), col);
  const byKey = new Map<string, FileColumn>();
  const unknown: FileColumn[] = [];
  const duplicates: { key: string; column: FileColumn }[] = [];
  headerRow.forEach((header, index) => {
    const fileColumn: FileColumn = { index, letter: columnLetter(index), header: header.trim() };
    const normalized = normalizeHeader(header);
    if (normalized === '') return; // an unnamed (often empty) column
    const col = names.get(normalized);
    if (!col) unknown.push(fileColumn);
    else if (byKey.has(col.key)) duplicates.push({ key: col.key, column: fileColumn });
    else byKey.set(col.key, fileColumn);
  });
  return { byKey, unknown, duplicates, missing: columns.filter((c) => !byKey.has(c.key)) };
}
