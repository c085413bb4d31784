import { randomInt } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/** Without look-alikes (0/O, 1/l/I), so a printed temporary password is typed right. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** A random temporary password (std-7.2.4: changed at first login). */
export function generateTemporaryPassword(length = 16): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET.charAt(randomInt(ALPHABET.length));
  return out;
}

/**
 * argon2id (the library's default algorithm; a test checks the `$argon2id$`
 * prefix) with the OWASP-recommended minimum parameters (19 MiB, t=2, p=1).
 */
export async function hashPassword(password: string): Promise<string> {
  return hash(password.normalize('NFC'), {
    memoryCost: 19456,
    timeCost: 2,
    parallelism: 1,
  });
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password.normalize('NFC'));
  } catch {
    return false;
  }
}
