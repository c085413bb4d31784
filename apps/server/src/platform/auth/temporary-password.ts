import { randomInt } from 'node:crypto';

/** Without look-alikes (0/O, 1/l/I), so a printed temporary password is typed right. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** std-7.2.4.2: at least 15 characters (≈ 5.8 bits each: > 90 bits at 16). */
export const TEMPORARY_PASSWORD_MIN_LENGTH = 15;

/**
 * A random temporary password from the CSPRNG (std-7.2.4.2: single use,
 * changed at first login, expires after `auth.temporary_password.lifetime`).
 */
export function generateTemporaryPassword(length = 16): string {
  if (length < TEMPORARY_PASSWORD_MIN_LENGTH) {
    throw new Error(
      `a temporary password has at least ${TEMPORARY_PASSWORD_MIN_LENGTH} characters`,
    );
  }
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET.charAt(randomInt(ALPHABET.length));
  return out;
}
