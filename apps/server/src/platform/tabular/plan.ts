import { AppError } from '../errors.js';
import { payloadDigest, type JsonValue } from '../oplog/canonical.js';
import type { ParsedRow, ParsedTabular, TabularIssue } from './parse.js';

/** One field a row would change: the stored value and the file's value. */
export interface FieldChange {
  readonly field: string;
  readonly before: JsonValue;
  readonly after: JsonValue;
}

/**
 * What the caller's `diff` says about one valid row. A row the register
 * refuses (an unknown 所属コード, a duplicate 職員番号 in the file) is
 * `error` with its issues, located like parse errors.
 */
export interface RowChange {
  readonly rowNumber: number;
  readonly action: 'create' | 'update' | 'unchanged' | 'error';
  readonly changes: readonly FieldChange[];
  readonly errors?: readonly TabularIssue[];
}

/** A row of the dry-run preview. */
export interface PreviewRow {
  readonly rowNumber: number;
  readonly action: 'create' | 'update' | 'unchanged' | 'error';
  readonly changes: readonly FieldChange[];
  readonly errors: readonly TabularIssue[];
}

/** The dry run: every row's changes and every error, and whether applying is allowed. */
export interface ImportPreview {
  readonly rows: readonly PreviewRow[];
  /** Errors not tied to a data row (the header: missing or duplicate columns). */
  readonly fileErrors: readonly TabularIssue[];
  readonly warnings: readonly TabularIssue[];
  readonly summary: {
    readonly total: number;
    readonly create: number;
    readonly update: number;
    readonly unchanged: number;
    readonly error: number;
    readonly errorCount: number;
    readonly warningCount: number;
    /** True when nothing is wrong: the whole file may be applied. */
    readonly valid: boolean;
  };
  readonly fileSha256: string;
  /** {@link importDigest} of the rows: apply checks it to refuse a stale preview. */
  readonly planDigest: string;
}

/**
 * The dry run of an import. `diff` compares the valid rows with what is
 * stored (it reads, never writes) and returns one change per row; rows with
 * parse errors are listed as `error`. When the header itself is wrong (a
 * required column missing) no row is compared.
 */
export async function planImport<Row>(input: {
  readonly parsed: ParsedTabular<Row>;
  readonly diff: (rows: readonly ParsedRow<Row>[]) => Promise<readonly RowChange[]>;
}): Promise<ImportPreview> {
  const { parsed } = input;
  const fileErrors = parsed.errors.filter((e) => e.row === parsed.headerRow);
  const rowErrors = new Map<number, TabularIssue[]>();
  for (const e of parsed.errors) {
    if (e.row === parsed.headerRow) continue;
    const list = rowErrors.get(e.row) ?? [];
    list.push(e);
    rowErrors.set(e.row, list);
  }
  const byRow = new Map<number, PreviewRow>();
  for (const [rowNumber, errors] of rowErrors)
    byRow.set(rowNumber, { rowNumber, action: 'error', changes: [], errors });

  if (fileErrors.length === 0 && parsed.rows.length > 0) {
    const expected = new Set(parsed.rows.map((r) => r.rowNumber));
    for (const change of await input.diff(parsed.rows)) {
      if (!expected.delete(change.rowNumber))
        throw new Error(`diff returned row ${String(change.rowNumber)} twice or out of the file`);
      const errors = change.errors ?? [];
      byRow.set(change.rowNumber, {
        rowNumber: change.rowNumber,
        action: errors.length > 0 ? 'error' : change.action,
        changes: change.changes,
        errors,
      });
    }
    if (expected.size > 0)
      throw new Error(`diff returned no change for rows ${[...expected].join(', ')}`);
  }

  const rows = [...byRow.values()].sort((a, b) => a.rowNumber - b.rowNumber);
  const count = (action: PreviewRow['action']) => rows.filter((r) => r.action === action).length;
  const errorCount = fileErrors.length + rows.reduce((n, r) => n + r.errors.length, 0);
  return {
    rows,
    fileErrors,
    warnings: parsed.warnings,
    summary: {
      total: parsed.rows.length + parsed.invalidRows.length,
      create: count('create'),
      update: count('update'),
      unchanged: count('unchanged'),
      error: count('error'),
      errorCount,
      warningCount: parsed.warnings.length,
      valid: errorCount === 0,
    },
    fileSha256: parsed.fileSha256,
    planDigest: importDigest(rows),
  };
}

/**
 * SHA-256 over the canonical JSON (RFC 8785, NFC; `oplog/canonical.ts`) of
 * the applied rows: with the file's SHA-256 it goes into the one
 * operation-log entry of a bulk import, so the log proves what was applied
 * (std-7.3.5.2).
 */
export function importDigest(
  rows: readonly Pick<PreviewRow, 'rowNumber' | 'action' | 'changes'>[],
): string {
  return payloadDigest(
    rows.map((r) => ({
      rowNumber: r.rowNumber,
      action: r.action,
      changes: r.changes.map((c) => ({ field: c.field, before: c.before, after: c.after })),
    })),
  );
}

/**
 * Refuses to apply a preview that has any error (all-or-nothing), or that no
 * longer matches the preview the user confirmed (`expectedPlanDigest`: the
 * stored data changed in between, 409). Returns the rows to write and the
 * payload of the import's one operation-log entry.
 */
export function assertImportable(
  preview: ImportPreview,
  expectedPlanDigest?: string,
): {
  readonly rows: readonly PreviewRow[];
  readonly logPayload: {
    readonly fileSha256: string;
    readonly digest: string;
    readonly created: number;
    readonly updated: number;
    readonly unchanged: number;
  };
} {
  if (!preview.summary.valid) {
    const errors = [...preview.fileErrors, ...preview.rows.flatMap((r) => r.errors)];
    throw new AppError(
      'import_rows_invalid',
      `Nothing was imported: ${String(errors.length)} error(s) in the file.`,
      { errorCount: errors.length, errors: errors.slice(0, 100) },
    );
  }
  if (expectedPlanDigest !== undefined && expectedPlanDigest !== preview.planDigest)
    throw new AppError('conflict', 'The data changed since the preview; check the preview again.', {
      reason: 'preview_stale',
    });
  const applied = preview.rows.filter((r) => r.action === 'create' || r.action === 'update');
  return {
    rows: applied,
    logPayload: {
      fileSha256: preview.fileSha256,
      digest: importDigest(applied),
      created: preview.summary.create,
      updated: preview.summary.update,
      unchanged: preview.summary.unchanged,
    },
  };
}
