import {
  readDurationSetting,
  resolveSettings,
  type Duration,
  type PolicyPack,
} from '@mamori/policy';

/** decisions.md: temporary password lifetime (default 72 h). */
export const TEMPORARY_PASSWORD_LIFETIME = 'auth.temporary_password.lifetime';

const CLOCK_HOURS: Partial<Record<Duration['unit'], number>> = {
  minutes: 1 / 60,
  hours: 1,
  days: 24,
};

/** A clock duration (minutes, hours, days) in hours. */
export function durationHours(d: Duration): number {
  const factor = CLOCK_HOURS[d.unit];
  if (factor === undefined) throw new Error(`${d.unit} is not a clock duration`);
  return d.amount * factor;
}

/**
 * The temporary password lifetime of a pack's defaults (used by `init`, when
 * the tenant has no overrides yet).
 */
export function temporaryPasswordLifetimeHours(pack: Pick<PolicyPack, 'settings'>): number {
  const resolved = resolveSettings(pack.settings.settings);
  return durationHours(readDurationSetting(resolved, TEMPORARY_PASSWORD_LIFETIME));
}
