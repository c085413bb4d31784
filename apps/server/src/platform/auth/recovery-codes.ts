import { createHash, randomInt } from 'node:crypto';

/**
 * Recovery codes (std-5.4.2: for a lost authenticator). Each is 10 random
 * characters of a 32-letter alphabet (50 bits), so a plain SHA-256 is enough
 * to store them (no password hash needed: they cannot be guessed offline from
 * a list). Single use: the caller marks a code used in the same statement
 * that accepts it.
 */
export const RECOVERY_CODE_COUNT = 10;

/** Lower-case letters and digits without look-alikes (0/o, 1/l/i). */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Normalizes a code as typed: NFKC, no spaces or hyphens, lower case. */
export function normalizeRecoveryCode(code: string): string {
  return code
    .normalize('NFKC')
    .replace(/[\s-]+/g, '')
    .toLowerCase();
}

/** SHA-256 hex of the normalized code: what is stored. */
export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(normalizeRecoveryCode(code), 'utf8').digest('hex');
}

/** New codes, printed as `xxxxx-xxxxx`; show once, store only their hashes. */
export function generateRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  const codes: string[] = [];
  for (let i = 0; i < count; i++) {
    let code = '';
    for (let j = 0; j < 10; j++) code += ALPHABET.charAt(randomInt(ALPHABET.length));
    codes.push(`${code.slice(0, 5)}-${code.slice(5)}`);
  }
  return codes;
}
