import type { TenantTx } from '../../platform/db/database.js';
import type { JsonValue } from '../../platform/oplog/canonical.js';
import {
  recordOperation,
  type Actor,
  type LoggedEntry,
} from '../../platform/oplog/oplog.service.js';

/**
 * The organization module's operation-log events (house style 4): every write
 * appends one, in the same transaction, as its last statement.
 */
type Event<A extends string, S extends string, P extends Record<string, JsonValue>> = {
  readonly action: `organization.${A}`;
  readonly subject: { readonly type: S; readonly id: string };
  readonly payload: P;
};

type Dated = { validFrom: string; validTo: string | null };

export type OrganizationEvent =
  | Event<
      'unit_created',
      'org_unit',
      {
        kind: string;
        code: string | null;
        name: string;
        parentId: string | null;
        validFrom: string;
      }
    >
  | Event<
      'unit_changed',
      'org_unit',
      {
        effectiveDate: string;
        /** `new_version`: the old version ended; `corrected`: a same-day version fixed in place. */
        mode: 'new_version' | 'corrected';
        before: {
          name: string;
          nameKana: string | null;
          parentId: string | null;
          sortOrder: number;
        };
        after: {
          name: string;
          nameKana: string | null;
          parentId: string | null;
          sortOrder: number;
        };
      }
    >
  | Event<
      'unit_scope_changed',
      'org_unit',
      { effectiveDate: string; outOfScopeReason: string | null; mode: 'new_version' | 'corrected' }
    >
  | Event<'unit_abolished', 'org_unit', { effectiveDate: string; reason: string }>
  | Event<
      'person_created',
      'person',
      {
        employeeNumber: string | null;
        name: string;
        employment: string;
        contractorId: string | null;
        primaryUnitId: string;
        additionalUnitIds: string[];
        validFrom: string;
      }
    >
  | Event<'person_updated', 'person', { changed: string[] }>
  | Event<
      'membership_added',
      'person',
      {
        membershipId: string;
        unitId: string;
        kind: 'primary' | 'additional';
        validFrom: string;
        endedMembershipIds: string[];
      }
    >
  | Event<'membership_ended', 'person', { membershipId: string; unitId: string; validTo: string }>
  | Event<'person_account_linked', 'person', { accountId: string | null }>
  | Event<'contractor_saved', 'contractor', { name: string; created: boolean }>
  | Event<
      'system_saved',
      'information_system',
      { name: string; owningUnitId: string; zone: string; created: boolean } & {
        inServiceFrom: string;
        retiredOn: string | null;
      }
    >
  | Event<
      'role_assigned',
      'role_assignment',
      {
        role: string;
        holder: { kind: string; id: string };
        scope: { kind: string; id: string | null };
        note: string | null;
        exceptionReason: string | null;
        /** The separation-of-duties problems the exception covers (std-2.9). */
        exceptionFor: string[];
        replaced: string[];
      } & Dated
    >
  | Event<
      'role_assignment_ended',
      'role_assignment',
      { role: string; validTo: string; reason: string }
    >
  | Event<
      'delegation_created',
      'delegation',
      {
        assignmentId: string;
        role: string;
        holderPersonId: string;
        deputyPersonId: string;
        startsAt: string;
        endsAt: string;
        reason: string;
        notified: string[];
      }
    >
  | Event<'delegation_revoked', 'delegation', { assignmentId: string; reason: string }>;

/** Appends an organization event (call last in the transaction). */
export function recordOrganizationEvent(
  tx: TenantTx,
  actor: Actor,
  event: OrganizationEvent,
): Promise<LoggedEntry> {
  return recordOperation(tx, actor, event);
}
