import {
  readBooleanSetting,
  readDurationSetting,
  readIntegerSetting,
  readTextSetting,
  type PolicyPack,
} from '@mamori/policy';
import type { TenantTx } from '../../platform/db/database.js';
import { durationHours } from '../../platform/settings/pack-settings.js';
import { getEffectiveSettings } from '../../platform/settings/settings.service.js';
import type { PasswordPolicy } from '../../platform/auth/password-policy.js';

/** The tenant's identity settings in effect (pack defaults + overrides; decisions.md). */
export interface IdentitySettings {
  readonly password: PasswordPolicy;
  readonly temporaryPasswordLifetimeMs: number;
  readonly lockoutThreshold: number;
  readonly lockoutCooldownMs: number;
  readonly adminUnlock: boolean;
  readonly idleTimeoutMs: number;
  readonly absoluteTimeoutMs: number;
  readonly privilegedIdleTimeoutMs: number;
  readonly privilegedAbsoluteTimeoutMs: number;
  readonly elevationMs: number;
  readonly banner: string;
}

const HOUR_MS = 3_600_000;

/** Reads every `auth.*` setting the module uses through the settings service. */
export async function readIdentitySettings(
  tx: TenantTx,
  pack: Pick<PolicyPack, 'settings'>,
): Promise<IdentitySettings> {
  const s = await getEffectiveSettings(tx, pack);
  const ms = (key: string) => durationHours(readDurationSetting(s, key)) * HOUR_MS;
  const banner = s.settings.has('auth.login.banner') ? readTextSetting(s, 'auth.login.banner') : '';
  return {
    password: {
      minLength: readIntegerSetting(s, 'auth.password.min_length'),
      maxLength: readIntegerSetting(s, 'auth.password.max_length'),
      blocklist: readBooleanSetting(s, 'auth.password.blocklist_check'),
    },
    temporaryPasswordLifetimeMs: ms('auth.temporary_password.lifetime'),
    lockoutThreshold: readIntegerSetting(s, 'auth.lockout.threshold'),
    lockoutCooldownMs: ms('auth.lockout.cooldown'),
    adminUnlock: readBooleanSetting(s, 'auth.lockout.admin_unlock'),
    idleTimeoutMs: ms('auth.session.idle_timeout'),
    absoluteTimeoutMs: ms('auth.session.absolute_timeout'),
    privilegedIdleTimeoutMs: ms('auth.session.privileged_idle_timeout'),
    privilegedAbsoluteTimeoutMs: ms('auth.session.privileged_absolute_timeout'),
    elevationMs: ms('auth.elevation.duration'),
    banner,
  };
}
