import { randomUUID } from 'node:crypto';
import type {
  OrgImportAction,
  OrgImportKind,
  OrgImportPreview,
  OrgImportStatus,
} from '@mamori/contracts';
import type { IsoDate } from '@mamori/policy';
import { sql } from 'drizzle-orm';
import {
  inTenant,
  type Database,
  type TenantScope,
  type TenantTx,
} from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { recordOperation, type Actor } from '../../platform/oplog/oplog.service.js';
import {
  assertImportable,
  parseTabular,
  planImport,
  type ImportPreview,
  type RowChange,
} from '../../platform/tabular/index.js';
import { applyPeopleImport, planPeopleImport, type AppliedCounts } from './import-people.js';
import { personImportSpec } from './import-specs.js';
import { unitImportSpec } from './import-specs.js';
import { applyUnitsImport, planUnitsImport } from './import-units.js';
import {
  findOrgImport,
  insertOrgImport,
  markOrgImportApplied,
  markOrgImportFailed,
  reportOrgImportProgress,
  type OrgImportRow,
} from './import-records.repository.js';
import type { PersonnelPack } from './personnel-events.service.js';

/*
 * HR import of people and units: upload → dry run (every row's change, every
 * error by row and column) → apply, all-or-nothing in one transaction, with
 * ONE operation-log entry for the file (its SHA-256 + a digest of the applied
 * rows), never one per row. The file, its preview and the apply's progress
 * are kept in `org_imports` (app servers are stateless); the apply runs as a
 * job (import-job.ts) and the wizard polls its progress.
 */

/** What a row of the plan does, with the data the apply needs. */
export interface ImportPlanRow<T> {
  readonly action: OrgImportAction;
  /** 職員番号 or 所属コード. */
  readonly subject: string | null;
  readonly data: T | null;
}

/** The largest HR file accepted (bytes); the route's body limit matches it. */
export const MAX_ORG_IMPORT_BYTES = 10 * 1024 * 1024;

interface Planned {
  readonly preview: ImportPreview;
  readonly actions: Map<number, ImportPlanRow<unknown>>;
  readonly parsed: { encoding: OrgImportPreview['encoding']; format: OrgImportPreview['format'] };
  readonly apply: (
    tx: TenantTx,
    actor: Actor,
    onRow: () => Promise<void>,
  ) => Promise<AppliedCounts>;
}

/** Parses and plans a file against the stored organization (reads only). */
async function planFile(
  tx: TenantTx,
  pack: PersonnelPack,
  kind: OrgImportKind,
  bytes: Uint8Array,
  today: IsoDate,
): Promise<Planned> {
  if (kind === 'people') {
    const parsed = await parseTabular(bytes, personImportSpec, { maxBytes: MAX_ORG_IMPORT_BYTES });
    let plans = new Map<number, ImportPlanRow<never>>();
    const preview = await planImport({
      parsed,
      diff: async (rows): Promise<RowChange[]> => {
        const planned = await planPeopleImport(tx, rows, today);
        plans = planned.plans as Map<number, ImportPlanRow<never>>;
        return planned.changes;
      },
    });
    return {
      preview,
      actions: plans,
      parsed: { encoding: parsed.encoding, format: parsed.format },
      apply: (applyTx, actor, onRow) =>
        applyPeopleImport(applyTx, pack, actor, [...plans.values()], {
          today,
          fileSha256: parsed.fileSha256,
          onRow,
        }),
    };
  }
  const spec = unitImportSpec(pack.organization.unit_kinds);
  const parsed = await parseTabular(bytes, spec, { maxBytes: MAX_ORG_IMPORT_BYTES });
  let plans = new Map<number, ImportPlanRow<never>>();
  const preview = await planImport({
    parsed,
    diff: async (rows) => {
      const planned = await planUnitsImport(tx, rows, pack.organization.unit_kinds, today);
      plans = planned.plans as Map<number, ImportPlanRow<never>>;
      return planned.changes;
    },
  });
  return {
    preview,
    actions: plans,
    parsed: { encoding: parsed.encoding, format: parsed.format },
    apply: async (applyTx, _actor, onRow) => {
      const done = await applyUnitsImport(applyTx, [...plans.values()], { onRow });
      return { ...done, transferred: 0, left: 0, scheduled: 0 };
    },
  };
}

function toContractPreview(
  id: string,
  kind: OrgImportKind,
  fileName: string | null,
  planned: Planned,
): OrgImportPreview {
  const { preview, actions } = planned;
  const rows = preview.rows.map((r) => {
    const action: OrgImportAction =
      r.action === 'error' ? 'error' : (actions.get(r.rowNumber)?.action ?? r.action);
    return {
      rowNumber: r.rowNumber,
      action,
      subject: actions.get(r.rowNumber)?.subject ?? null,
      changes: r.changes.map((c) => ({ field: c.field, before: c.before, after: c.after })),
      errors: [...r.errors],
    };
  });
  const count = (a: OrgImportAction) => rows.filter((r) => r.action === a).length;
  return {
    id,
    kind,
    fileName,
    fileSha256: preview.fileSha256,
    format: planned.parsed.format,
    encoding: planned.parsed.encoding,
    planDigest: preview.planDigest,
    rows,
    fileErrors: [...preview.fileErrors],
    warnings: [...preview.warnings],
    summary: {
      total: preview.summary.total,
      create: count('create'),
      update: count('update'),
      transfer: count('transfer'),
      leave: count('leave'),
      unchanged: count('unchanged'),
      error: count('error'),
      errorCount: preview.summary.errorCount,
      valid: preview.summary.valid,
    },
  };
}

/**
 * Takes an uploaded HR file (CSV UTF-8 / UTF-8 BOM / CP932, or xlsx), runs the
 * dry run and keeps the file and its preview in `org_imports` for the apply
 * (any app server can continue; 24 h). Nothing of the organization is written.
 */
export async function uploadOrgImport(
  db: Database,
  scope: TenantScope,
  pack: PersonnelPack,
  input: {
    kind: OrgImportKind;
    bytes: Uint8Array;
    fileName: string | null;
    uploadedBy: string;
    today: IsoDate;
  },
): Promise<OrgImportPreview> {
  const id = randomUUID();
  const planned = await inTenant(
    db,
    scope,
    (tx) => planFile(tx, pack, input.kind, input.bytes, input.today),
    { snapshot: true },
  );
  const preview = toContractPreview(id, input.kind, input.fileName, planned);
  const { summary } = preview;
  await inTenant(db, scope, (tx) =>
    insertOrgImport(tx, {
      id,
      kind: input.kind,
      fileName: input.fileName,
      fileSha256: preview.fileSha256,
      file: Buffer.from(input.bytes),
      planDigest: preview.planDigest,
      preview,
      total: summary.create + summary.update + summary.transfer + summary.leave,
      uploadedBy: input.uploadedBy,
    }),
  );
  return preview;
}

/** The import, or 404 (another tenant's import is "not found" through RLS). */
export async function loadOrgImport(
  tx: TenantTx,
  id: string,
  options: { lock?: boolean } = {},
): Promise<OrgImportRow> {
  const row = await findOrgImport(tx, id, options);
  if (!row) throw new AppError('not_found', 'import not found');
  return row;
}

function assertNotExpired(row: OrgImportRow): OrgImportPreview {
  if (row.state === 'expired' || row.preview === null)
    throw new AppError(
      'import_expired',
      'The upload has expired (kept 24 h); upload the file again.',
      { state: row.state },
    );
  return row.preview as OrgImportPreview;
}

/** The dry run of an uploaded file (410 `import_expired` after 24 h). */
export async function getOrgImportPreview(
  db: Database,
  scope: TenantScope,
  id: string,
): Promise<OrgImportPreview> {
  return assertNotExpired(await inTenant(db, scope, (tx) => loadOrgImport(tx, id)));
}

/** The contract's view of a stored import's progress. */
export function presentOrgImportStatus(row: OrgImportRow): OrgImportStatus {
  return {
    id: row.id,
    kind: row.kind as OrgImportKind,
    state: row.state as OrgImportStatus['state'],
    processed: row.processed,
    total: row.total,
    error: row.error as OrgImportStatus['error'],
    result: row.result as OrgImportStatus['result'],
  };
}

/**
 * Where an import stands (the wizard polls it while applying; the progress is
 * written by the job from its own transactions). 410 once expired.
 */
export async function getOrgImportStatus(
  db: Database,
  scope: TenantScope,
  id: string,
): Promise<OrgImportStatus> {
  const row = await inTenant(db, scope, (tx) => loadOrgImport(tx, id));
  if (row.state === 'expired') assertNotExpired(row);
  return presentOrgImportStatus(row);
}

/**
 * Checks that a waiting import may be applied with `planDigest` (locked row):
 * 410 when expired, 409 when already applying/applied or the preview is not
 * the one stored, 422 with every error when the file has errors.
 */
export function assertApplicable(row: OrgImportRow, planDigest: string): void {
  const preview = assertNotExpired(row);
  if (row.state === 'applying' || row.state === 'applied')
    throw new AppError('conflict', `The import is already ${row.state}.`, { state: row.state });
  if (!preview.summary.valid) {
    const errors = [...preview.fileErrors, ...preview.rows.flatMap((r) => r.errors)];
    throw new AppError(
      'import_rows_invalid',
      `Nothing was imported: ${String(errors.length)} error(s) in the file.`,
      { errorCount: errors.length, errors: errors.slice(0, 100) },
    );
  }
  if (planDigest !== row.planDigest)
    throw new AppError('conflict', 'The data changed since the preview; check the preview again.', {
      reason: 'preview_stale',
    });
}

/** Rows between two progress reports of an apply. */
export const PROGRESS_EVERY = 25;

/** What one delivery of the apply job did. */
export type OrgImportApplyOutcome = 'applied' | 'skipped' | 'failed';

/**
 * Applies a stored import that is `applying` (the job's work). The dry run is
 * repeated inside the transaction and must still match the stored plan
 * digest and have no error; every row is written in ONE transaction with ONE
 * operation-log entry. Progress is reported every `PROGRESS_EVERY` rows from
 * separate short transactions, so polling sees it while this one is open.
 *
 * Idempotent (at-least-once delivery): deliveries serialize on the tenant's
 * import lock and re-read the state after it; the final UPDATE re-checks it
 * under the row lock, so an applied import is never applied twice. On any
 * error the transaction rolls back (nothing of the import is written) and the
 * import becomes `failed` with the error.
 */
export async function runOrgImportApply(
  db: Database,
  scope: TenantScope,
  pack: PersonnelPack,
  input: { id: string; actor: Actor; today: IsoDate; progressEvery?: number },
): Promise<OrgImportApplyOutcome> {
  const every = input.progressEvery ?? PROGRESS_EVERY;
  try {
    return await inTenant(db, scope, async (tx) => {
      // One import of the organization at a time per tenant; a second delivery waits here.
      await tx.execute(
        sql`SELECT pg_advisory_xact_lock(hashtext(${'mamori.org_import:' + scope.tenantId}))`,
      );
      // Read after the lock: READ COMMITTED sees what an earlier delivery committed.
      const row = await findOrgImport(tx, input.id);
      if (row?.state !== 'applying' || !row.file) return 'skipped';
      const kind = row.kind as OrgImportKind;
      const planned = await planFile(tx, pack, kind, new Uint8Array(row.file), input.today);
      const { logPayload } = assertImportable(planned.preview, row.planDigest);
      let processed = 0;
      const counts = await planned.apply(tx, input.actor, async () => {
        processed++;
        if (processed % every === 0)
          await inTenant(db, scope, (progressTx) =>
            reportOrgImportProgress(progressTx, input.id, processed),
          );
      });
      const preview = toContractPreview(row.id, kind, row.fileName, planned);
      const entry = await recordOperation(tx, input.actor, {
        action: kind === 'people' ? 'organization.people_imported' : 'organization.units_imported',
        subject: { type: 'org_import', id: row.id },
        payload: {
          fileName: row.fileName,
          fileSha256: logPayload.fileSha256,
          digest: logPayload.digest,
          rows: preview.summary.total,
          created: counts.created,
          updated: counts.updated,
          transferred: counts.transferred,
          left: counts.left,
          scheduled: counts.scheduled,
          unchanged: preview.summary.unchanged,
        },
      });
      const result: NonNullable<OrgImportStatus['result']> = { ...counts, logSeq: entry.seq };
      if (!(await markOrgImportApplied(tx, row.id, processed, result)))
        throw new AppError('conflict', 'The import is no longer being applied.');
      return 'applied';
    });
  } catch (err) {
    const error =
      err instanceof AppError
        ? { code: err.code, message: err.message }
        : { code: 'internal', message: 'The import failed; nothing was written.' };
    // If this write fails too, the job is retried and finds the import still applying.
    await inTenant(db, scope, (tx) => markOrgImportFailed(tx, input.id, error));
    if (!(err instanceof AppError)) throw err;
    return 'failed';
  }
}
