import { Secret, TOTP } from 'otpauth';

/**
 * TOTP second factor (RFC 6238; std-5.4.2): SHA-1, 6 digits, 30-second steps,
 * as every authenticator app supports. A code is accepted one step either side
 * (clock drift); the caller rejects a step at or before the last accepted one,
 * so a code is accepted only once (replay).
 */
export const TOTP_PARAMETERS = { algorithm: 'SHA1', digits: 6, period: 30 } as const;

/** Steps accepted either side of the current one. */
export const TOTP_WINDOW = 1;

/** A new random secret (160 bits, RFC 4226 §4), base32-encoded. */
export function generateTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URI an authenticator app scans (issuer "Mamori", label the login name). */
export function totpUri(secretBase32: string, input: { issuer: string; label: string }): string {
  return new TOTP({
    ...TOTP_PARAMETERS,
    issuer: input.issuer,
    label: input.label,
    secret: Secret.fromBase32(secretBase32),
  }).toString();
}

/** The time step of an instant (`floor(unix seconds / 30)`). */
export function totpStep(at: Date): number {
  return TOTP.counter({ period: TOTP_PARAMETERS.period, timestamp: at.getTime() });
}

/** The code for a secret at an instant (tests and the software authenticator use it). */
export function totpCode(
  secretBase32: string,
  at: Date,
  digits: number = TOTP_PARAMETERS.digits,
): string {
  return TOTP.generate({
    ...TOTP_PARAMETERS,
    digits,
    secret: Secret.fromBase32(secretBase32),
    timestamp: at.getTime(),
  });
}

/**
 * Checks a code against the secret at `now` ±{@link TOTP_WINDOW} steps.
 * Returns the matched time step, or null. The caller must refuse a step
 * ≤ the account's last accepted step (replay) and then store it.
 */
export function verifyTotp(secretBase32: string, code: string, now: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = TOTP.validate({
    ...TOTP_PARAMETERS,
    token: code,
    secret: Secret.fromBase32(secretBase32),
    timestamp: now.getTime(),
    window: TOTP_WINDOW,
  });
  return delta === null ? null : totpStep(now) + delta;
}
