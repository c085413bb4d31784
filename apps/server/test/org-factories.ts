import path from 'node:path';
import type { AssignRoleInput, CreatePersonInput, CreateUnitInput } from '@mamori/contracts';
import { assignRole } from '../src/modules/organization/roles.service.js';
import { createPerson, linkAccountToPerson } from '../src/modules/organization/people.service.js';
import { createUnit } from '../src/modules/organization/units.service.js';
import { repoRoot } from '../src/platform/config.js';
import {
  inTenant,
  tenantScope,
  type Database,
  type TenantTx,
} from '../src/platform/db/database.js';
import type { Actor } from '../src/platform/oplog/oplog.service.js';
import { loadPolicyPack, type LoadedPolicyPack } from '../src/platform/policy-pack/index.js';

/** Synthetic organizations for tests (std-7.3.3.2c: fictional names only). */

/** The operator actor the factories write as (operation-logged like any write). */
export const factoryActor: Actor = { type: 'operator', id: 'test-factory' };

let hokuto: Promise<LoadedPolicyPack> | undefined;

/** The Hokuto pack (loaded once per test file). */
export function hokutoPack(): Promise<LoadedPolicyPack> {
  hokuto ??= loadPolicyPack(path.join(repoRoot, 'policy-packs/hokuto'));
  return hokuto;
}

/** Builds an organization in one tenant through the module's services. */
export class OrgFactory {
  constructor(
    readonly db: Database,
    readonly tenantId: string,
    readonly pack: LoadedPolicyPack,
  ) {}

  static async of(db: Database, tenantId: string): Promise<OrgFactory> {
    return new OrgFactory(db, tenantId, await hokutoPack());
  }

  /** Runs `fn` in the tenant's transaction. */
  tx<T>(fn: (tx: TenantTx) => Promise<T>): Promise<T> {
    return inTenant(this.db, tenantScope(this.tenantId), fn);
  }

  unit(
    name: string,
    kind: string,
    parentId: string | null,
    extra: Partial<CreateUnitInput> = {},
  ): Promise<string> {
    return this.tx((tx) =>
      createUnit(tx, factoryActor, this.pack, {
        kind,
        name,
        parentId,
        validFrom: '2020-04-01',
        ...extra,
      }),
    );
  }

  /** A 部局 with one 課 (and a 係 under it). */
  async department(name: string, sectionName: string) {
    const department = await this.unit(name, 'department', null);
    const section = await this.unit(sectionName, 'section', department);
    const team = await this.unit(`${sectionName}第一係`, 'team', section);
    return { department, section, team };
  }

  async person(
    familyName: string,
    givenName: string,
    familyNameKana: string,
    givenNameKana: string,
    primaryUnitId: string,
    extra: Partial<CreatePersonInput> = {},
  ): Promise<string> {
    const row = await this.tx((tx) =>
      createPerson(tx, factoryActor, {
        familyName,
        givenName,
        familyNameKana,
        givenNameKana,
        employment: 'regular',
        primaryUnitId,
        additionalUnitIds: [],
        validFrom: '2020-04-01',
        ...extra,
      }),
    );
    return row.id;
  }

  async assign(
    role: string,
    holder: AssignRoleInput['holder'],
    scope: AssignRoleInput['scope'],
    extra: Partial<AssignRoleInput> = {},
  ): Promise<string> {
    const row = await this.tx((tx) =>
      assignRole(tx, factoryActor, this.pack, {
        role,
        holder,
        scope,
        validFrom: '2020-04-01',
        replacesAssignmentIds: [],
        ...extra,
      }),
    );
    return row.id;
  }

  /** Links a person to an account (the identity module's account creation does this). */
  async link(personId: string, accountId: string): Promise<void> {
    await this.tx((tx) => linkAccountToPerson(tx, personId, accountId, factoryActor));
  }
}
