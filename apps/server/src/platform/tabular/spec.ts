import { z } from 'zod';

/** A value a cell is written as on export. */
export type TabularCellOut = string | number | null;

/**
 * One column of a register's import/export. `schema` turns the cell's text
 * (NFC-normalized, trimmed, never empty) into the typed value; `format` turns
 * the value back into the cell text on export (default: `String(value)`), so
 * that export → import gives the same value.
 */
export interface TabularColumn<K extends string = string, T = unknown> {
  readonly key: K;
  /** The header written on export and matched on import (Japanese first). */
  readonly header_ja: string;
  readonly header_en: string;
  /** Other names an HR system may use for this column (e.g. 社員番号 for 職員番号). */
  readonly aliases?: readonly string[];
  readonly schema: z.ZodType<T, string>;
  /** A required column must be in the header, and each row must fill it. */
  readonly required: boolean;
  readonly format?: (value: T) => TabularCellOut;
  /** Written as a text cell in xlsx (keeps leading zeros such as 00123). Default true. */
  readonly text?: boolean;
}

/** The columns of `Row`, each keyed to a property and typed by it. */
export type TabularColumnOf<Row> = {
  [K in keyof Row & string]: TabularColumn<K, Exclude<Row[K], undefined>>;
}[keyof Row & string];

/** A problem a row-level rule finds, optionally at one column. */
export interface RowIssue<Row> {
  readonly key?: keyof Row & string;
  readonly code: string;
  readonly message_ja: string;
  readonly message_en: string;
}

/** A register's tabular form: ordered columns and an optional row-level check. */
export interface TabularSpec<Row> {
  readonly columns: readonly TabularColumnOf<Row>[];
  /** Checks across cells of one row (e.g. 退職日 after 採用日). */
  readonly refine?: (row: Row) => readonly RowIssue<Row>[];
  /** The xlsx sheet written on export and preferred on import. */
  readonly sheetName?: string;
}

/**
 * Identity helper that keeps the row type while a spec is written as a literal.
 * @example defineTabularSpec<PersonRow>({ columns: [...] })
 */
export function defineTabularSpec<Row>(spec: TabularSpec<Row>): TabularSpec<Row> {
  return spec;
}

// ---- cell schemas every register can reuse (std-7.3.5.1: range and validity checks) ----

/** Text of at most `max` characters; control characters are refused. */
export const textCell = (max: number) =>
  z
    .string()
    .max(max)
    // Tabs and newlines inside a cell are allowed (Excel Alt+Enter); other C0/C1 controls are not.
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    .refine((s) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/.test(s), {
      message: 'contains control characters',
      params: { message_ja: '制御文字が含まれています' },
    });

/** A whole number in a range; full-width digits and thousands separators are accepted. */
export const integerCell = (min: number, max: number) =>
  z
    .string()
    .transform((s) => s.normalize('NFKC').replace(/,/g, ''))
    .pipe(z.string().regex(/^-?\d+$/, { message: 'not a whole number' }))
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const DATE_PATTERN = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]00:00(?::00)?)?$/;

/**
 * A calendar date written 2026-04-01, 2026/4/1 or 2026.4.1 (an xlsx date cell
 * arrives as 2026-04-01); the value is `YYYY-MM-DD`.
 */
export const dateCell = () =>
  z.string().transform((s, ctx) => {
    const m = DATE_PATTERN.exec(s.normalize('NFKC'));
    if (m) {
      const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
      const date = new Date(Date.UTC(y, mo - 1, d));
      if (date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d)
        return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    }
    ctx.addIssue({
      code: 'custom',
      message: 'not a date (write 2026-04-01)',
      params: { message_ja: '日付ではありません（2026-04-01 の形で入力してください）' },
    });
    return z.NEVER;
  });

/** 'はい' / 'いいえ' and the usual marks (○ ×, 1 0, true false, 有 無). */
export const booleanCell = () =>
  z.string().transform((s, ctx) => {
    const v = s.normalize('NFKC').toLowerCase();
    if (['はい', '○', '〇', '◯', '1', 'true', 'yes', 'y', '有', 'あり'].includes(v)) return true;
    if (['いいえ', '×', '✕', '0', 'false', 'no', 'n', '無', 'なし', '-'].includes(v)) return false;
    ctx.addIssue({
      code: 'custom',
      message: 'write はい or いいえ',
      params: { message_ja: '「はい」か「いいえ」で入力してください' },
    });
    return z.NEVER;
  });

/** Formats a boolean for export as はい / いいえ. */
export const formatBoolean = (v: boolean): string => (v ? 'はい' : 'いいえ');

/**
 * A choice from a fixed list, written in the file by its label (e.g. 在職 for
 * `active`); the stored value or its English label are accepted too. Spread
 * the result into a column: `{ key, header_ja, ..., ...enumCell({ active: '在職' }) }`.
 */
export function enumCell<V extends string>(
  labels: Readonly<Record<V, string>>,
): { schema: z.ZodType<V, string>; format: (value: V) => string } {
  const byLabel = new Map<string, V>();
  for (const [value, label] of Object.entries(labels) as [V, string][]) {
    byLabel.set(label.normalize('NFKC'), value);
    byLabel.set(value.normalize('NFKC').toLowerCase(), value);
  }
  const choices = Object.values<string>(labels).join('、');
  const schema = z.string().transform((s, ctx) => {
    const v = byLabel.get(s.normalize('NFKC')) ?? byLabel.get(s.normalize('NFKC').toLowerCase());
    if (v !== undefined) return v;
    ctx.addIssue({
      code: 'custom',
      message: `choose one of: ${choices}`,
      params: { message_ja: `次のいずれかを入力してください: ${choices}` },
    });
    return z.NEVER;
  });
  return { schema, format: (value: V) => labels[value] };
}
