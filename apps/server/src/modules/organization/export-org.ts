import type { OrgImportKind } from '@mamori/contracts';
import type { IsoDate, PackUnitKind } from '@mamori/policy';
import type { TenantTx } from '../../platform/db/database.js';
import { exportTabular, type CsvEncoding } from '../../platform/tabular/index.js';
import {
  personImportSpec,
  unitImportSpec,
  type EmploymentLabel,
  type PersonImportRow,
  type UnitImportRow,
} from './import-specs.js';
import { listAllPeople, listContractors, membershipsAsOf } from './people.repository.js';
import { listUnitsAsOf } from './units.repository.js';

/*
 * Export of people and units in the import's own form (export → import gives
 * the same rows): CSV in UTF-8 with BOM or Shift_JIS (CP932), or xlsx. On
 * CP932 a character Shift_JIS cannot hold (𠮷, ①… outside CP932) is an
 * `export_unencodable` error naming every such cell by row and column, never
 * written as 「?」 (std-7.3.5.3).
 */

const LABEL_OF_EMPLOYMENT: Record<string, EmploymentLabel> = {
  regular: 'regular',
  non_regular: 'part_time',
  contractor_staff: 'contractor',
};

/** The people in force on `asOf` as rows of the HR file (people who left are not exported). */
export async function peopleExportRows(tx: TenantTx, asOf: IsoDate): Promise<PersonImportRow[]> {
  const persons = await listAllPeople(tx);
  const memberships = await membershipsAsOf(tx, asOf);
  const units = await listUnitsAsOf(tx, asOf);
  const contractors = await listContractors(tx);
  const unit = new Map(units.map((u) => [u.unitId, u]));
  const contractor = new Map(contractors.map((c) => [c.id, c.name]));
  const primary = new Map(
    memberships.filter((m) => m.kind === 'primary').map((m) => [m.personId, m]),
  );
  const rows: PersonImportRow[] = [];
  for (const p of persons.sort((a, b) => a.sortKey.localeCompare(b.sortKey, 'ja'))) {
    const m = primary.get(p.id);
    const u = m ? unit.get(m.unitId) : undefined;
    if (p.status === 'left' || !u?.code) continue;
    rows.push({
      employeeNumber: p.employeeNumber ?? '',
      familyName: p.familyName,
      givenName: p.givenName,
      familyNameKana: p.familyNameKana,
      givenNameKana: p.givenNameKana,
      unitCode: u.code,
      unitName: u.name,
      ...(m?.positionTitle ? { positionTitle: m.positionTitle } : {}),
      employment: LABEL_OF_EMPLOYMENT[p.employment] ?? 'regular',
      ...(p.contractorId ? { contractorName: contractor.get(p.contractorId) ?? '' } : {}),
      ...(p.email ? { email: p.email } : {}),
    });
  }
  return rows;
}

/** The units in force on `asOf` as rows of the units file. */
export async function unitsExportRows(tx: TenantTx, asOf: IsoDate): Promise<UnitImportRow[]> {
  const units = await listUnitsAsOf(tx, asOf);
  const code = new Map(units.map((u) => [u.unitId, u.code]));
  return units.map((u) => ({
    code: u.code ?? '',
    name: u.name,
    ...(u.nameKana ? { nameKana: u.nameKana } : {}),
    kind: u.kind,
    ...(u.parentId && code.get(u.parentId) ? { parentCode: code.get(u.parentId) ?? '' } : {}),
    outOfScope: u.outOfScopeReason !== null,
    sortOrder: u.sortOrder,
  }));
}

export interface OrgExportFile {
  readonly body: Buffer;
  readonly contentType: string;
  readonly fileName: string;
}

/**
 * The file of people or units as of `asOf`. Throws `export_unencodable` (422)
 * with every unencodable cell by row and column when CP932 cannot hold one.
 */
export async function exportOrg(
  tx: TenantTx,
  kind: OrgImportKind,
  unitKinds: readonly PackUnitKind[],
  options: { format: 'csv' | 'xlsx'; encoding: CsvEncoding; asOf: IsoDate },
): Promise<OrgExportFile> {
  const body =
    kind === 'people'
      ? await exportTabular(await peopleExportRows(tx, options.asOf), personImportSpec, options)
      : await exportTabular(
          await unitsExportRows(tx, options.asOf),
          unitImportSpec(unitKinds),
          options,
        );
  const base = `${kind === 'people' ? 'people' : 'units'}-${options.asOf}`;
  if (options.format === 'xlsx')
    return {
      body,
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      fileName: `${base}.xlsx`,
    };
  return {
    body,
    contentType: `text/csv; charset=${options.encoding === 'cp932' ? 'Shift_JIS' : 'utf-8'}`,
    fileName: `${base}${options.encoding === 'cp932' ? '-sjis' : ''}.csv`,
  };
}
