import { hash, verify } from '@node-rs/argon2';
import { normalizePassword } from './password-policy.js';

export { generateTemporaryPassword } from './temporary-password.js';

/** OWASP-recommended minimum argon2id parameters (19 MiB, t=2, p=1). */
const ARGON2_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/**
 * argon2id (the library's default algorithm; a test checks the `$argon2id$`
 * prefix) of the NFKC-normalized password (NIST 800-63B-4). The whole password
 * is hashed: no truncation at any length.
 */
export async function hashPassword(password: string): Promise<string> {
  return hash(normalizePassword(password), ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, normalizePassword(password));
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Verifies against a fixed dummy hash with the same parameters: an unknown
 * login name costs as much time as a wrong password (std-7.2.3), so timing
 * does not tell which names exist.
 */
export async function verifyDummyPassword(password: string): Promise<void> {
  dummyHash ??= hash('mamori-dummy-password-for-timing', ARGON2_OPTIONS);
  await verifyPassword(await dummyHash, password);
}
