import {
  checkSettingValue,
  resolveSettings,
  type PolicyPack,
  type ResolvedSettings,
} from '@mamori/policy';
import type { TenantTx } from '../db/database.js';
import { PG, pgErrorOf } from '../db/pg-error.js';
import { AppError } from '../errors.js';
import {
  insertSettingVersion,
  latestOverrides,
  listSettingVersions,
  type SettingVersionRow,
} from './settings.repository.js';

/**
 * The tenant's settings in effect: the pack's defaults (decisions.md) with the
 * tenant's newest valid overrides. Every module reads settings through this.
 */
export async function getEffectiveSettings(
  tx: TenantTx,
  pack: Pick<PolicyPack, 'settings'>,
): Promise<ResolvedSettings> {
  return resolveSettings(pack.settings.settings, await latestOverrides(tx));
}

export interface ChangeSettingInput {
  key: string;
  /** The new value, or null to return to the pack default. */
  value: unknown;
  reason: string;
  actorAccountId: string;
}

/**
 * Records a new version of a setting after checking it against the setting's
 * type and range. A change is never an update: the history stays.
 * Who may change settings (the pack's `editable_by`, a privileged operation)
 * is enforced by the caller's policy check. The version is recorded in the
 * operation log in the same statement and carries its entry's seq and digest.
 */
export async function changeSetting(
  tx: TenantTx,
  pack: Pick<PolicyPack, 'settings'>,
  input: ChangeSettingInput,
): Promise<SettingVersionRow> {
  const definition = pack.settings.settings.find((s) => s.key === input.key);
  if (!definition) {
    throw new AppError('setting_invalid', `Unknown setting "${input.key}".`, { key: input.key });
  }
  const reason = input.reason.normalize('NFC').trim();
  if (reason.length === 0) {
    throw new AppError('validation_failed', 'A reason is required to change a setting.', {
      issues: [{ path: 'reason', message: 'required', code: 'too_small' }],
    });
  }
  if (input.value !== null) {
    const problems = checkSettingValue(definition, input.value);
    if (problems.length > 0) {
      throw new AppError('setting_invalid', `The value of "${input.key}" is not valid.`, {
        key: input.key,
        problems,
      });
    }
  }
  try {
    // Logged and anchored in the operation log (std-7.1.4.2): a privileged change.
    return await insertSettingVersion(
      tx,
      { type: 'account', id: input.actorAccountId },
      { key: input.key, value: input.value, reason },
    );
  } catch (err) {
    if (pgErrorOf(err)?.code === PG.uniqueViolation) {
      throw new AppError('conflict', 'The setting was changed at the same time; try again.', {
        key: input.key,
      });
    }
    throw err;
  }
}

/** Every version of one setting, newest first. */
export async function settingHistory(tx: TenantTx, key: string): Promise<SettingVersionRow[]> {
  return listSettingVersions(tx, key);
}
