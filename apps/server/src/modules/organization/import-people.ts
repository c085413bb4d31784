import { buildSearchText, type OrgImportAction } from '@mamori/contracts';
import { addDays, type IsoDate, type OrgSnapshot } from '@mamori/policy';
import type { TenantTx } from '../../platform/db/database.js';
import type { Actor } from '../../platform/oplog/oplog.service.js';
import type {
  FieldChange,
  ParsedRow,
  RowChange,
  TabularIssue,
} from '../../platform/tabular/index.js';
import {
  insertContractor,
  listAllPeople,
  listContractors,
  membershipsAsOf,
  updatePerson,
  type PersonRow,
} from './people.repository.js';
import { listPersonnelEvents, listUnitIdentities } from './personnel-events.repository.js';
import { personFields } from './person-fields.js';
import { recordPersonnelEvent, type PersonnelPack } from './personnel-events.service.js';
import { EMPLOYMENT_OF_LABEL, personImportSpec, type PersonImportRow } from './import-specs.js';
import type { ImportPlanRow } from './import-plan.js';
import { listUnitsAsOf } from './units.repository.js';

/*
 * HR import of people (職員): each row is matched by 職員番号 and becomes a
 * hire (create), a field update, a transfer (所属 changed, 異動日), a leaving
 * (退職日) or nothing. Transfers and leavings are personnel events, so a
 * future 異動日 (4月1日) is scheduled and the daily job applies it.
 */

const issue = (
  row: number,
  key: keyof PersonImportRow,
  code: string,
  message_ja: string,
  message_en: string,
): TabularIssue => {
  const col = personImportSpec.columns.find((c) => c.key === key);
  return {
    row,
    column: col?.header_ja ?? key,
    columnLetter: null,
    key,
    code,
    message_ja,
    message_en,
  };
};

/** What the plan decided for one row, with what the apply needs. */
interface PersonPlan {
  readonly row: ParsedRow<PersonImportRow>;
  readonly action: OrgImportAction;
  readonly person: PersonRow | null;
  readonly unitId: string | null;
  readonly changes: FieldChange[];
  readonly fieldsChanged: boolean;
  readonly titleChanged: boolean;
}

interface PeopleContext {
  readonly today: IsoDate;
  readonly byNumber: Map<string, PersonRow>;
  readonly unitByCode: Map<string, { id: string; code: string }>;
  readonly codeOfUnit: Map<string, string>;
  readonly primary: Map<string, { unitId: string; positionTitle: string | null }>;
  readonly contractorName: Map<string, string>;
  readonly unitsInForce: (date: string) => Promise<Set<string>>;
  readonly scheduled: {
    personId: string;
    kind: string;
    effectiveDate: string;
    toUnitId: unknown;
  }[];
}

async function loadContext(tx: TenantTx, today: IsoDate): Promise<PeopleContext> {
  // One transaction is one connection: queries run one after another.
  const persons = await listAllPeople(tx);
  const identities = await listUnitIdentities(tx);
  const memberships = await membershipsAsOf(tx, today);
  const contractors = await listContractors(tx);
  const scheduled = await listPersonnelEvents(tx, { status: 'scheduled' }, 1_000_000);
  const byNumber = new Map<string, PersonRow>();
  for (const p of persons) if (p.employeeNumber) byNumber.set(p.employeeNumber, p);
  const unitByCode = new Map<string, { id: string; code: string }>();
  const codeOfUnit = new Map<string, string>();
  for (const u of identities)
    if (u.code) {
      unitByCode.set(u.code, { id: u.id, code: u.code });
      codeOfUnit.set(u.id, u.code);
    }
  const primary = new Map<string, { unitId: string; positionTitle: string | null }>();
  for (const m of memberships)
    if (m.kind === 'primary')
      primary.set(m.personId, { unitId: m.unitId, positionTitle: m.positionTitle });
  const cache = new Map<string, Promise<Set<string>>>();
  return {
    today,
    byNumber,
    unitByCode,
    codeOfUnit,
    primary,
    contractorName: new Map(contractors.map((c) => [c.id, c.name])),
    unitsInForce: (date) => {
      let hit = cache.get(date);
      if (!hit) {
        hit = listUnitsAsOf(tx, date).then((us) => new Set(us.map((u) => u.unitId)));
        cache.set(date, hit);
      }
      return hit;
    },
    scheduled: scheduled.map((e) => ({
      personId: e.personId,
      kind: e.kind,
      effectiveDate: e.effectiveDate,
      toUnitId: (e.details as Record<string, unknown>).toUnitId,
    })),
  };
}

const field = (name: string, before: string | null, after: string | null): FieldChange[] =>
  (before ?? null) === (after ?? null) ? [] : [{ field: name, before, after }];

async function planRow(
  ctx: PeopleContext,
  parsed: ParsedRow<PersonImportRow>,
  seen: Set<string>,
): Promise<{ plan: PersonPlan | null; errors: TabularIssue[] }> {
  const r = parsed.value;
  const n = parsed.rowNumber;
  const errors: TabularIssue[] = [];
  if (seen.has(r.employeeNumber))
    errors.push(
      issue(
        n,
        'employeeNumber',
        'duplicate',
        'この職員番号はファイル内で重複しています',
        'This employee number appears twice in the file',
      ),
    );
  seen.add(r.employeeNumber);
  const unit = ctx.unitByCode.get(r.unitCode);
  if (!unit)
    errors.push(
      issue(
        n,
        'unitCode',
        'unknown_unit',
        `所属コード「${r.unitCode}」の所属がありません`,
        `No unit has the code "${r.unitCode}"`,
      ),
    );
  const person = ctx.byNumber.get(r.employeeNumber) ?? null;
  const effective = r.effectiveDate ?? ctx.today;
  if (unit && !(await ctx.unitsInForce(effective)).has(unit.id))
    errors.push(
      issue(
        n,
        'unitCode',
        'unit_not_in_force',
        `所属「${r.unitCode}」は ${effective} に存在しません`,
        `The unit "${r.unitCode}" does not exist on ${effective}`,
      ),
    );
  if (!person && r.leavingDate)
    errors.push(
      issue(
        n,
        'leavingDate',
        'unknown_person',
        '登録されていない職員は退職できません',
        'A person not yet registered cannot leave',
      ),
    );
  if (person?.status === 'left' && !r.leavingDate)
    errors.push(
      issue(
        n,
        'employeeNumber',
        'person_left',
        'この職員は退職済みです（再採用は新しい職員番号で）',
        'This person has left (a re-hire needs a new employee number)',
      ),
    );
  if (errors.length > 0 || !unit) return { plan: null, errors };

  const employment = EMPLOYMENT_OF_LABEL[r.employment];
  if (!person) {
    const changes: FieldChange[] = [
      ...field('familyName', null, r.familyName),
      ...field('givenName', null, r.givenName),
      ...field('familyNameKana', null, r.familyNameKana),
      ...field('givenNameKana', null, r.givenNameKana),
      ...field('employment', null, employment),
      ...field('contractor', null, r.contractorName ?? null),
      ...field('email', null, r.email ?? null),
      ...field('unit', null, unit.code),
      ...field('positionTitle', null, r.positionTitle ?? null),
      ...field('effectiveDate', null, effective),
    ];
    return {
      plan: {
        row: parsed,
        action: 'create',
        person,
        unitId: unit.id,
        changes,
        fieldsChanged: true,
        titleChanged: false,
      },
      errors,
    };
  }
  const current = ctx.primary.get(person.id) ?? null;
  const fieldChanges: FieldChange[] = [
    ...field('familyName', person.familyName, r.familyName),
    ...field('givenName', person.givenName, r.givenName),
    ...field('familyNameKana', person.familyNameKana, r.familyNameKana),
    ...field('givenNameKana', person.givenNameKana, r.givenNameKana),
    ...field('employment', person.employment, employment),
    ...field(
      'contractor',
      person.contractorId ? (ctx.contractorName.get(person.contractorId) ?? null) : null,
      employment === 'contractor_staff' ? (r.contractorName ?? null) : null,
    ),
    ...field('email', person.email, r.email ?? null),
  ];
  if (r.leavingDate) {
    if (person.status === 'left') {
      return {
        plan: {
          row: parsed,
          action: 'unchanged',
          person,
          unitId: unit.id,
          changes: [],
          fieldsChanged: false,
          titleChanged: false,
        },
        errors,
      };
    }
    const leaveOn = addDays(r.leavingDate, 1);
    const already = ctx.scheduled.some(
      (e) => e.personId === person.id && e.kind === 'leave' && e.effectiveDate === leaveOn,
    );
    return {
      plan: {
        row: parsed,
        action: already ? 'unchanged' : 'leave',
        person,
        unitId: unit.id,
        changes: already
          ? []
          : [
              ...fieldChanges,
              { field: 'status', before: person.status, after: 'left' },
              { field: 'leavingDate', before: null, after: r.leavingDate },
            ],
        fieldsChanged: fieldChanges.length > 0,
        titleChanged: false,
      },
      errors,
    };
  }
  const unitMoved = current?.unitId !== unit.id;
  const titleChanged = !unitMoved && (current.positionTitle ?? null) !== (r.positionTitle ?? null);
  if (unitMoved) {
    const already = ctx.scheduled.some(
      (e) =>
        e.personId === person.id &&
        e.kind === 'transfer' &&
        e.toUnitId === unit.id &&
        e.effectiveDate === effective,
    );
    if (!r.effectiveDate && !already)
      errors.push(
        issue(
          n,
          'effectiveDate',
          'effective_date_required',
          '所属が変わる行には異動日を入力してください',
          'A row that changes the unit needs the effective date',
        ),
      );
    if (errors.length > 0) return { plan: null, errors };
    if (!already)
      return {
        plan: {
          row: parsed,
          action: 'transfer',
          person,
          unitId: unit.id,
          changes: [
            ...fieldChanges,
            {
              field: 'unit',
              before: current ? (ctx.codeOfUnit.get(current.unitId) ?? current.unitId) : null,
              after: unit.code,
            },
            ...field('positionTitle', current?.positionTitle ?? null, r.positionTitle ?? null),
            { field: 'effectiveDate', before: null, after: effective },
          ],
          fieldsChanged: fieldChanges.length > 0,
          titleChanged: false,
        },
        errors,
      };
  }
  const changes = [
    ...fieldChanges,
    ...(titleChanged ? field('positionTitle', current.positionTitle, r.positionTitle ?? null) : []),
  ];
  return {
    plan: {
      row: parsed,
      action: changes.length > 0 ? 'update' : 'unchanged',
      person,
      unitId: unit.id,
      changes,
      fieldsChanged: fieldChanges.length > 0,
      titleChanged,
    },
    errors,
  };
}

/** The dry run of a people file: one plan row per valid row, errors by row and column. */
export async function planPeopleImport(
  tx: TenantTx,
  rows: readonly ParsedRow<PersonImportRow>[],
  today: IsoDate,
): Promise<{ changes: RowChange[]; plans: Map<number, ImportPlanRow<PersonPlan>> }> {
  const ctx = await loadContext(tx, today);
  const seen = new Set<string>();
  const changes: RowChange[] = [];
  const plans = new Map<number, ImportPlanRow<PersonPlan>>();
  for (const row of rows) {
    const { plan, errors } = await planRow(ctx, row, seen);
    const action: OrgImportAction = errors.length > 0 || !plan ? 'error' : plan.action;
    plans.set(row.rowNumber, { action, subject: row.value.employeeNumber, data: plan });
    changes.push({
      rowNumber: row.rowNumber,
      // The tabular plan knows create/update/unchanged; transfer and leave are updates there.
      action: action === 'transfer' || action === 'leave' ? 'update' : action,
      changes: plan?.changes ?? [],
      errors,
    });
  }
  return { changes, plans };
}

/** Counts of what an import applied. */
export interface AppliedCounts {
  created: number;
  updated: number;
  transferred: number;
  left: number;
  scheduled: number;
}

/**
 * Applies the planned rows in the caller's transaction (all-or-nothing). The
 * personnel events carry the file's SHA-256 and write no log entry of their
 * own: the import writes one for the whole file.
 */
export async function applyPeopleImport(
  tx: TenantTx,
  pack: PersonnelPack,
  actor: Actor,
  plans: readonly ImportPlanRow<PersonPlan>[],
  options: { today: IsoDate; fileSha256: string; onRow?: () => Promise<void> },
): Promise<AppliedCounts> {
  const counts: AppliedCounts = { created: 0, updated: 0, transferred: 0, left: 0, scheduled: 0 };
  const snapshots = new Map<string, OrgSnapshot>();
  const contractors = new Map((await listContractors(tx)).map((c) => [c.name, c.id]));
  const contractorId = async (name: string | undefined): Promise<string | null> => {
    if (!name) return null;
    const found = contractors.get(name);
    if (found) return found;
    const created = await insertContractor(tx, {
      name,
      nameKana: null,
      searchText: buildSearchText([name]),
    });
    contractors.set(name, created.id);
    return created.id;
  };
  const eventOptions = {
    today: options.today,
    importDigest: options.fileSha256,
    log: false,
    snapshots,
  } as const;
  for (const plan of plans) {
    const p = plan.data;
    if (!p) continue;
    const r = p.row.value;
    const employment = EMPLOYMENT_OF_LABEL[r.employment];
    const contractor =
      employment === 'contractor_staff' ? await contractorId(r.contractorName) : null;
    const effective = r.effectiveDate ?? options.today;
    if (p.action === 'create' && p.unitId) {
      const { event } = await recordPersonnelEvent(
        tx,
        pack,
        actor,
        {
          kind: 'hire',
          effectiveDate: effective,
          employeeNumber: r.employeeNumber,
          familyName: r.familyName,
          givenName: r.givenName,
          familyNameKana: r.familyNameKana,
          givenNameKana: r.givenNameKana,
          ...(r.email ? { email: r.email } : {}),
          employment,
          ...(contractor ? { contractorId: contractor } : {}),
          unitId: p.unitId,
          ...(r.positionTitle ? { positionTitle: r.positionTitle } : {}),
        },
        eventOptions,
      );
      counts.created++;
      if (event.status === 'scheduled') counts.scheduled++;
    } else if (p.person) {
      if (p.fieldsChanged) {
        await updatePerson(
          tx,
          p.person.id,
          personFields({ ...r, employment, contractorId: contractor }),
        );
      }
      if ((p.action === 'transfer' || p.titleChanged) && p.unitId) {
        const { event } = await recordPersonnelEvent(
          tx,
          pack,
          actor,
          {
            kind: 'transfer',
            personId: p.person.id,
            effectiveDate: effective,
            toUnitId: p.unitId,
            ...(r.positionTitle ? { positionTitle: r.positionTitle } : {}),
          },
          eventOptions,
        );
        if (p.action === 'transfer') counts.transferred++;
        if (event.status === 'scheduled') counts.scheduled++;
      }
      if (p.action === 'leave' && r.leavingDate) {
        // 退職日 is the last day of service: the leaving takes effect the next day.
        const { event } = await recordPersonnelEvent(
          tx,
          pack,
          actor,
          {
            kind: 'leave',
            personId: p.person.id,
            effectiveDate: addDays(r.leavingDate, 1),
          },
          eventOptions,
        );
        counts.left++;
        if (event.status === 'scheduled') counts.scheduled++;
      }
      if (p.action === 'update') counts.updated++;
    }
    // Progress counts the rows that change something (the status's total).
    if (p.action !== 'unchanged') await options.onRow?.();
  }
  return counts;
}
