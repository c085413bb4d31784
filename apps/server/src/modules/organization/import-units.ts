import type { OrgImportAction } from '@mamori/contracts';
import type { IsoDate, PackUnitKind } from '@mamori/policy';
import type { TenantTx } from '../../platform/db/database.js';
import type {
  FieldChange,
  ParsedRow,
  RowChange,
  TabularIssue,
} from '../../platform/tabular/index.js';
import type { ImportPlanRow } from './import-plan.js';
import { OUT_OF_SCOPE_REASON, unitImportSpec, type UnitImportRow } from './import-specs.js';
import { listUnitIdentities } from './personnel-events.repository.js';
import {
  correctUnitVersion,
  endUnitVersion,
  insertUnit,
  insertUnitVersion,
  listUnitsAsOf,
  type UnitVersionRow,
} from './units.repository.js';

/*
 * HR import of units (所属): matched by 所属コード; a new code creates the
 * unit, a changed name, parent, scope or order starts a new version on the
 * 適用日 (the old one stays for the dates before). The kind of an existing
 * unit is not changed by import (a 組織改正 does that).
 */

interface UnitPlan {
  readonly row: ParsedRow<UnitImportRow>;
  readonly action: OrgImportAction;
  readonly existing: UnitVersionRow | null;
  readonly existingId: string | null;
  readonly effective: IsoDate;
}

export async function planUnitsImport(
  tx: TenantTx,
  rows: readonly ParsedRow<UnitImportRow>[],
  unitKinds: readonly PackUnitKind[],
  today: IsoDate,
): Promise<{ changes: RowChange[]; plans: Map<number, ImportPlanRow<UnitPlan>> }> {
  const spec = unitImportSpec(unitKinds);
  const issue = (
    row: number,
    key: keyof UnitImportRow,
    code: string,
    ja: string,
    en: string,
  ): TabularIssue => ({
    row,
    column: spec.columns.find((c) => c.key === key)?.header_ja ?? key,
    columnLetter: null,
    key,
    code,
    message_ja: ja,
    message_en: en,
  });
  const kinds = new Map(unitKinds.map((k) => [k.id, k]));
  const identities = await listUnitIdentities(tx);
  const idByCode = new Map(identities.filter((u) => u.code).map((u) => [u.code as string, u]));
  const versionsCache = new Map<string, Map<string, UnitVersionRow>>();
  const versionsOn = async (date: string) => {
    let hit = versionsCache.get(date);
    if (!hit) {
      hit = new Map((await listUnitsAsOf(tx, date)).map((v) => [v.unitId, v]));
      versionsCache.set(date, hit);
    }
    return hit;
  };
  // The file's own units: a parent may be created further down the file.
  const fileKind = new Map<string, string>();
  const fileParent = new Map<string, string | null>();
  for (const r of rows) {
    fileKind.set(r.value.code, r.value.kind);
    fileParent.set(r.value.code, r.value.parentCode ?? null);
  }
  const changes: RowChange[] = [];
  const plans = new Map<number, ImportPlanRow<UnitPlan>>();
  const seen = new Set<string>();
  for (const parsed of rows) {
    const r = parsed.value;
    const n = parsed.rowNumber;
    const errors: TabularIssue[] = [];
    const effective = r.effectiveDate ?? today;
    if (seen.has(r.code))
      errors.push(
        issue(
          n,
          'code',
          'duplicate',
          'この所属コードはファイル内で重複しています',
          'This unit code appears twice in the file',
        ),
      );
    seen.add(r.code);
    const identity = idByCode.get(r.code) ?? null;
    const versions = await versionsOn(effective);
    const existing = identity ? (versions.get(identity.id) ?? null) : null;
    if (identity && !existing)
      errors.push(
        issue(
          n,
          'code',
          'unit_abolished',
          `所属コード「${r.code}」の所属は ${effective} に存在しません（廃止済み）`,
          `The unit "${r.code}" does not exist on ${effective} (abolished)`,
        ),
      );
    if (identity && identity.kind !== r.kind)
      errors.push(
        issue(
          n,
          'kind',
          'kind_changed',
          '既存の所属の種別は取込みでは変更できません（組織改正で行ってください）',
          'The kind of an existing unit cannot change by import (use a reorganization)',
        ),
      );
    const kind = kinds.get(r.kind);
    let parentKind: string | null = null;
    if (r.parentCode) {
      const parentIdentity = idByCode.get(r.parentCode);
      if (parentIdentity && versions.has(parentIdentity.id)) {
        parentKind = fileKind.get(r.parentCode) ?? parentIdentity.kind;
      } else if (fileKind.has(r.parentCode)) parentKind = fileKind.get(r.parentCode) ?? null;
      else
        errors.push(
          issue(
            n,
            'parentCode',
            'unknown_parent',
            `上位所属コード「${r.parentCode}」の所属がありません`,
            `No unit has the code "${r.parentCode}"`,
          ),
        );
    }
    if (kind && parentKind !== null && !kind.allowed_parents.includes(parentKind))
      errors.push(
        issue(
          n,
          'parentCode',
          'parent_kind_not_allowed',
          `${kind.label_ja}はこの上位所属の下に置けません`,
          `A ${kind.label_en} cannot sit under this parent`,
        ),
      );
    if (kind && !r.parentCode && kind.allowed_parents.length > 0)
      errors.push(
        issue(
          n,
          'parentCode',
          'parent_required',
          `${kind.label_ja}には上位所属コードが必要です`,
          `A ${kind.label_en} needs a parent unit`,
        ),
      );
    if (r.outOfScope && kind && !kind.may_be_out_of_scope)
      errors.push(
        issue(
          n,
          'outOfScope',
          'out_of_scope_not_allowed',
          `${kind.label_ja}は適用範囲外にできません（方針4(1)）`,
          `A ${kind.label_en} cannot be out of scope (pol-4.1)`,
        ),
      );
    // A cycle through the file's parents (A under B under A).
    const chain = new Set<string>([r.code]);
    let up = r.parentCode ?? null;
    while (up !== null) {
      if (chain.has(up)) {
        errors.push(
          issue(
            n,
            'parentCode',
            'cycle',
            '上位所属が循環しています',
            'The parent units form a cycle',
          ),
        );
        break;
      }
      chain.add(up);
      up = fileParent.has(up) ? (fileParent.get(up) ?? null) : null;
    }
    const rowChanges: FieldChange[] = [];
    const diff = (
      f: string,
      before: string | number | boolean | null,
      after: string | number | boolean | null,
    ) => {
      if (before !== after) rowChanges.push({ field: f, before, after });
    };
    const parentCodeNow = existing?.parentId
      ? (identities.find((u) => u.id === existing.parentId)?.code ?? existing.parentId)
      : null;
    diff('name', existing?.name ?? null, r.name);
    if (r.nameKana !== undefined || !existing)
      diff('nameKana', existing?.nameKana ?? null, r.nameKana ?? null);
    diff('kind', identity?.kind ?? null, r.kind);
    diff('parent', parentCodeNow, r.parentCode ?? null);
    diff('outOfScope', existing ? existing.outOfScopeReason !== null : null, r.outOfScope ?? false);
    if (r.sortOrder !== undefined || !existing)
      diff('sortOrder', existing?.sortOrder ?? null, r.sortOrder ?? 0);
    const action: OrgImportAction =
      errors.length > 0
        ? 'error'
        : !identity
          ? 'create'
          : rowChanges.length > 0
            ? 'update'
            : 'unchanged';
    if (action === 'update')
      rowChanges.push({ field: 'effectiveDate', before: null, after: effective });
    plans.set(n, {
      action,
      subject: r.code,
      data:
        errors.length > 0
          ? null
          : { row: parsed, action, existing, existingId: identity?.id ?? null, effective },
    });
    changes.push({
      rowNumber: n,
      action:
        action === 'create' || action === 'update' || action === 'unchanged' ? action : 'error',
      changes: errors.length > 0 ? [] : rowChanges,
      errors,
    });
  }
  return { changes, plans };
}

/** Applies the planned unit rows (parents before children) in the caller's transaction. */
export async function applyUnitsImport(
  tx: TenantTx,
  plans: readonly ImportPlanRow<UnitPlan>[],
  options: { onRow?: () => Promise<void> },
): Promise<{ created: number; updated: number }> {
  const idByCode = new Map<string, string>();
  for (const u of await listUnitIdentities(tx)) if (u.code) idByCode.set(u.code, u.id);
  const pending = plans.filter((p) => p.data && (p.action === 'create' || p.action === 'update'));
  let created = 0;
  let updated = 0;
  // Parents first: repeat until every row whose parent is known is done.
  while (pending.length > 0) {
    const ready = pending.findIndex((p) => {
      const parent = p.data?.row.value.parentCode;
      return !parent || idByCode.has(parent);
    });
    if (ready < 0) throw new Error('unit import: parents not resolvable (planned without a cycle)');
    const [plan] = pending.splice(ready, 1);
    const data = plan?.data;
    if (!data) continue;
    const r = data.row.value;
    const parentId = r.parentCode ? (idByCode.get(r.parentCode) ?? null) : null;
    const outOfScopeReason = r.outOfScope ? OUT_OF_SCOPE_REASON : null;
    if (data.action === 'create') {
      const { unitId, versionId } = await insertUnit(tx, {
        kind: r.kind,
        code: r.code,
        name: r.name,
        nameKana: r.nameKana ?? null,
        parentId,
        sortOrder: r.sortOrder ?? 0,
        validFrom: data.effective,
      });
      if (outOfScopeReason)
        await correctUnitVersion(tx, versionId, {
          name: r.name,
          nameKana: r.nameKana ?? null,
          parentId,
          sortOrder: r.sortOrder ?? 0,
          outOfScopeReason,
        });
      idByCode.set(r.code, unitId);
      created++;
    } else if (data.existing && data.existingId) {
      const next = {
        name: r.name,
        nameKana: r.nameKana !== undefined ? r.nameKana : data.existing.nameKana,
        parentId,
        sortOrder: r.sortOrder ?? data.existing.sortOrder,
        outOfScopeReason,
      };
      if (data.existing.validFrom < data.effective) {
        await endUnitVersion(tx, data.existing.versionId, data.effective);
        await insertUnitVersion(tx, {
          unitId: data.existingId,
          ...next,
          validFrom: data.effective,
          validTo: data.existing.validTo,
        });
      } else await correctUnitVersion(tx, data.existing.versionId, next);
      updated++;
    }
    await options.onRow?.();
  }
  return { created, updated };
}
