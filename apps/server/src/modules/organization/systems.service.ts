import {
  buildSearchText,
  type InformationSystemView,
  type SaveInformationSystemInput,
} from '@mamori/contracts';
import type { PolicyPack } from '@mamori/policy';
import type { TenantTx } from '../../platform/db/database.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { Actor } from '../../platform/oplog/oplog.service.js';
import { recordOrganizationEvent } from './organization.events.js';
import { systemAbilities, type CallerReach } from './organization.policy.js';
import { findPeople } from './people.repository.js';
import { listAssignments } from './roles.repository.js';
import {
  findSystem,
  insertSystem,
  listSystems,
  updateSystem,
  type SystemRow,
} from './systems.repository.js';
import { findUnit, unitNames } from './units.repository.js';

/**
 * The minimal information-system register (情報システム): name, owning 課,
 * zone; its system_manager and system_operators are role assignments scoped
 * to the system (std-2.5.1, std-2.6). The systems issue extends it.
 */

async function present(
  tx: TenantTx,
  reach: CallerReach,
  rows: readonly SystemRow[],
  today: string,
): Promise<InformationSystemView[]> {
  const units = await unitNames(
    tx,
    rows.map((r) => r.owningUnitId),
  );
  const assignments = (await listAssignments(tx, { asOf: today })).filter(
    (a) =>
      a.scopeSystemId !== null && (a.role === 'system_manager' || a.role === 'system_operator'),
  );
  const people = new Map(
    (
      await findPeople(
        tx,
        assignments.flatMap((a) => (a.holderPersonId ? [a.holderPersonId] : [])),
      )
    ).map((p) => [p.id, `${p.familyName} ${p.givenName}`]),
  );
  const holders = (systemId: string, role: string) =>
    assignments
      .filter((a) => a.scopeSystemId === systemId && a.role === role && a.holderPersonId)
      .map((a) => ({
        kind: 'person' as const,
        personId: a.holderPersonId ?? '',
        name: people.get(a.holderPersonId ?? '') ?? '',
      }));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    owningUnit: { id: r.owningUnitId, name: units.get(r.owningUnitId) ?? '' },
    zone: r.zone,
    description: r.description,
    inServiceFrom: r.inServiceFrom,
    retiredOn: r.retiredOn,
    systemManagers: holders(r.id, 'system_manager'),
    systemOperators: holders(r.id, 'system_operator'),
    abilities: systemAbilities(reach),
  }));
}

export async function listSystemViews(
  tx: TenantTx,
  reach: CallerReach,
  today: string,
): Promise<InformationSystemView[]> {
  return present(tx, reach, await listSystems(tx), today);
}

export async function systemView(
  tx: TenantTx,
  reach: CallerReach,
  id: string,
  today: string,
): Promise<InformationSystemView> {
  const row = await findSystem(tx, id);
  if (!row) throw notFound('information system');
  const [view] = await present(tx, reach, [row], today);
  if (!view) throw notFound('information system');
  return view;
}

/** Registers or updates a system; the zone must be one of the pack's zones. */
export async function saveSystem(
  tx: TenantTx,
  actor: Actor,
  pack: Pick<PolicyPack, 'zones'>,
  input: SaveInformationSystemInput,
  id?: string,
): Promise<SystemRow> {
  if (!pack.zones.zones.some((z) => z.id === input.zone)) {
    throw new AppError('validation_failed', `Unknown zone "${input.zone}".`, {
      issues: [{ path: 'zone', message: 'not a zone of the policy pack', code: 'invalid_value' }],
    });
  }
  if (!(await findUnit(tx, input.owningUnitId))) {
    throw new AppError('validation_failed', 'Unknown owning unit.', {
      issues: [{ path: 'owningUnitId', message: 'unknown', code: 'invalid_value' }],
    });
  }
  if (input.retiredOn !== undefined && input.retiredOn < input.inServiceFrom) {
    throw new AppError('validation_failed', 'A system cannot retire before it enters service.', {
      issues: [{ path: 'retiredOn', message: 'before inServiceFrom', code: 'too_small' }],
    });
  }
  const fields = {
    name: input.name,
    searchText: buildSearchText([input.name]),
    owningUnitId: input.owningUnitId,
    zone: input.zone,
    description: input.description ?? null,
    inServiceFrom: input.inServiceFrom,
    retiredOn: input.retiredOn ?? null,
  };
  if (id !== undefined && !(await findSystem(tx, id))) throw notFound('information system');
  const row =
    id === undefined ? await insertSystem(tx, fields) : await updateSystem(tx, id, fields);
  await recordOrganizationEvent(tx, actor, {
    action: 'organization.system_saved',
    subject: { type: 'information_system', id: row.id },
    payload: {
      name: row.name,
      owningUnitId: row.owningUnitId,
      zone: row.zone,
      created: id === undefined,
      inServiceFrom: row.inServiceFrom,
      retiredOn: row.retiredOn,
    },
  });
  return row;
}
