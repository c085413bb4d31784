import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { createSecretBox, secretBoxFor, secretKeyFile } from './secret-box.js';
import { generateRecoveryCodes, hashRecoveryCode } from './recovery-codes.js';
import { generateTemporaryPassword } from './temporary-password.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('secret box (TOTP secrets at rest, std-5.4.2)', () => {
  it('round-trips and refuses another context or key', () => {
    const box = createSecretBox(randomBytes(32));
    const sealed = box.seal('JBSWY3DPEHPK3PXP', 'tenant/account');
    expect(sealed.toString('utf8')).not.toContain('JBSWY3DPEHPK3PXP');
    expect(box.open(sealed, 'tenant/account')).toBe('JBSWY3DPEHPK3PXP');
    expect(() => box.open(sealed, 'tenant/other')).toThrow();
    expect(() => createSecretBox(randomBytes(32)).open(sealed, 'tenant/account')).toThrow();
  });

  it('uses MAMORI_SECRET_KEY when set', async () => {
    const key = randomBytes(32);
    const config = loadConfig({
      NODE_ENV: 'production',
      MAMORI_SECRET_KEY: key.toString('base64'),
    });
    const sealed = (await secretBoxFor(config)).seal('s', 'c');
    expect(createSecretBox(key).open(sealed, 'c')).toBe('s');
  });

  it('creates a 0600 key file under the data directory when no key is configured', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'mamori-secret-'));
    dirs.push(dataDir);
    const config = loadConfig({ NODE_ENV: 'production', MAMORI_DATA_DIR: dataDir });
    const sealed = (await secretBoxFor(config)).seal('s', 'c');
    const file = secretKeyFile(config);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    // A second process (new config object) reads the same key.
    const again = loadConfig({ NODE_ENV: 'production', MAMORI_DATA_DIR: dataDir });
    expect((await secretBoxFor(again)).open(sealed, 'c')).toBe('s');
  });

  it('rejects a MAMORI_SECRET_KEY that is not 32 bytes', () => {
    expect(() => loadConfig({ MAMORI_SECRET_KEY: randomBytes(16).toString('base64') })).toThrow(
      /MAMORI_SECRET_KEY/,
    );
  });
});

describe('recovery codes and temporary passwords', () => {
  it('issues 10 distinct codes and hashes them ignoring case and hyphens', () => {
    const codes = generateRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    const code = codes[0] ?? '';
    expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    expect(hashRecoveryCode(code.toUpperCase().replace('-', ' '))).toBe(hashRecoveryCode(code));
  });

  it('temporary passwords are random and at least 15 characters (std-7.2.4.2)', () => {
    const a = generateTemporaryPassword();
    expect(a.length).toBeGreaterThanOrEqual(15);
    expect(generateTemporaryPassword()).not.toBe(a);
    expect(() => generateTemporaryPassword(12)).toThrow();
  });
});
