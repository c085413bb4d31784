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
import type { PersonnelPack } from './personnel-events.service.js';

/*
 * HR import of people and units: upload → dry run (every row's change, every
 * error by row and column) → apply, all-or-nothing in one transaction, with
 * ONE operation-log entry for the file (its SHA-256 + a digest of the applied
 * rows), never one per row. Progress of the apply is polled by the wizard.
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

/** Uploaded files and their progress are kept this long in the process. */
const IMPORT_TTL_MS = 2 * 60 * 60 * 1000;

interface ImportRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly kind: OrgImportKind;
  readonly fileName: string | null;
  readonly bytes: Uint8Array;
  readonly uploadedBy: string;
  readonly createdAt: number;
  preview: OrgImportPreview;
  state: OrgImportStatus['state'];
  processed: number;
  total: number;
  error: OrgImportStatus['error'];
  result: OrgImportStatus['result'];
}

/**
 * Uploaded imports and their progress, in this process (a single app server,
 * the usual municipal install). A shared `org_imports` table would let
 * several servers share them (requested in briefs/requests-org.md).
 */
const records = new Map<string, ImportRecord>();

function prune(now = Date.now()): void {
  for (const [id, r] of records)
    if (now - r.createdAt > IMPORT_TTL_MS && r.state !== 'applying') records.delete(id);
}

function recordOf(tenantId: string, id: string): ImportRecord {
  prune();
  const r = records.get(id);
  // Another tenant's import is "not found", never "forbidden".
  if (r?.tenantId !== tenantId) throw new AppError('not_found', 'import not found');
  return r;
}

interface Planned {
  readonly preview: ImportPreview;
  readonly actions: Map<number, ImportPlanRow<unknown>>;
  readonly parsed: { encoding: OrgImportPreview['encoding']; format: OrgImportPreview['format'] };
  readonly apply: (tx: TenantTx, actor: Actor, onRow: () => void) => Promise<AppliedCounts>;
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
 * dry run and keeps the file for the apply. Nothing is written.
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
  prune();
  records.set(id, {
    id,
    tenantId: scope.tenantId,
    kind: input.kind,
    fileName: input.fileName,
    bytes: input.bytes,
    uploadedBy: input.uploadedBy,
    createdAt: Date.now(),
    preview,
    state: 'previewed',
    processed: 0,
    total:
      preview.summary.create +
      preview.summary.update +
      preview.summary.transfer +
      preview.summary.leave,
    error: null,
    result: null,
  });
  return preview;
}

/** The dry run of an uploaded file. */
export function getOrgImportPreview(scope: TenantScope, id: string): OrgImportPreview {
  return recordOf(scope.tenantId, id).preview;
}

/** Where an import stands (the wizard polls it while applying). */
export function getOrgImportStatus(scope: TenantScope, id: string): OrgImportStatus {
  const r = recordOf(scope.tenantId, id);
  return {
    id: r.id,
    kind: r.kind,
    state: r.state,
    processed: r.processed,
    total: r.total,
    error: r.error,
    result: r.result,
  };
}

/**
 * Applies an uploaded file: the dry run is repeated inside the transaction
 * and must still match `planDigest` (409 otherwise) and have no error (422,
 * nothing written). Every row is written in ONE transaction with ONE
 * operation-log entry. Returns once the apply is started; the promise
 * `done` settles when it ends (the route does not wait for it).
 */
export function startOrgImportApply(
  db: Database,
  scope: TenantScope,
  pack: PersonnelPack,
  actor: Actor,
  id: string,
  planDigest: string,
  today: IsoDate,
): { status: OrgImportStatus; done: Promise<void> } {
  const r = recordOf(scope.tenantId, id);
  if (r.state === 'applying' || r.state === 'applied')
    throw new AppError('conflict', `The import is already ${r.state}.`, { state: r.state });
  if (!r.preview.summary.valid) {
    const errors = [...r.preview.fileErrors, ...r.preview.rows.flatMap((row) => row.errors)];
    throw new AppError(
      'import_rows_invalid',
      `Nothing was imported: ${String(errors.length)} error(s) in the file.`,
      {
        errorCount: errors.length,
        errors: errors.slice(0, 100),
      },
    );
  }
  if (planDigest !== r.preview.planDigest)
    throw new AppError('conflict', 'The data changed since the preview; check the preview again.', {
      reason: 'preview_stale',
    });
  r.state = 'applying';
  r.processed = 0;
  r.error = null;
  const done = applyOrgImport(db, scope, pack, actor, r, planDigest, today).then(
    (result) => {
      r.state = 'applied';
      r.result = result;
    },
    (err: unknown) => {
      r.state = 'failed';
      r.error =
        err instanceof AppError
          ? { code: err.code, message: err.message }
          : { code: 'internal', message: 'The import failed; nothing was written.' };
    },
  );
  return { status: getOrgImportStatus(scope, id), done };
}

async function applyOrgImport(
  db: Database,
  scope: TenantScope,
  pack: PersonnelPack,
  actor: Actor,
  r: ImportRecord,
  planDigest: string,
  today: IsoDate,
): Promise<NonNullable<OrgImportStatus['result']>> {
  return inTenant(db, scope, async (tx) => {
    // One import of the organization at a time per tenant.
    await tx.execute(
      sql`SELECT pg_advisory_xact_lock(hashtext(${'mamori.org_import:' + scope.tenantId}))`,
    );
    const planned = await planFile(tx, pack, r.kind, r.bytes, today);
    const { logPayload } = assertImportable(planned.preview, planDigest);
    const counts = await planned.apply(tx, actor, () => {
      r.processed++;
    });
    const preview = toContractPreview(r.id, r.kind, r.fileName, planned);
    const entry = await recordOperation(tx, actor, {
      action: r.kind === 'people' ? 'organization.people_imported' : 'organization.units_imported',
      subject: { type: 'org_import', id: r.id },
      payload: {
        fileName: r.fileName,
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
    return { ...counts, logSeq: entry.seq };
  });
}
