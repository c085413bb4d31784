import { mkdtemp, readFile, rm, stat, chmod, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { formatCheckpoint, openCheckpoint, signNote } from './signed-note.js';
import {
  defaultKeyName,
  ensureSigningKey,
  loadSigningKey,
  loadVerifierKey,
  logKeyPaths,
} from './signing-key.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mamori-key-'));
  dirs.push(dir);
  return path.join(dir, 'keys');
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('operation-log signing key custody (std-7.1.4.2, std-10.1.6)', () => {
  it('creates a 0600 PKCS#8 private key and a public verifier key file once', async () => {
    const dir = await tempDir();
    const first = await ensureSigningKey(dir, { keyName: 'mamori-test-oplog' });
    expect(first.created).toBe(true);
    const paths = logKeyPaths(dir);
    expect((await stat(paths.privateKey)).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect(await readFile(paths.privateKey, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect((await readFile(paths.publicKey, 'utf8')).trim()).toBe(first.verifierKey);
    expect(first.verifierKey).toMatch(/^mamori-test-oplog\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);

    const again = await ensureSigningKey(dir);
    expect(again).toMatchObject({ created: false, verifierKey: first.verifierKey });

    const key = await loadSigningKey(dir);
    const verifier = await loadVerifierKey(paths.publicKey);
    const note = signNote(
      formatCheckpoint({ origin: 'mamori/192091/oplog', size: 1, rootHash: Buffer.alloc(32, 7) }),
      key,
    );
    expect(openCheckpoint(note, [verifier]).size).toBe(1);
  });

  it('refuses a private key that group or others can read (0644, 0640)', async () => {
    const dir = await tempDir();
    await ensureSigningKey(dir, { keyName: 'mamori-test-oplog' });
    const file = logKeyPaths(dir).privateKey;
    for (const mode of [0o644, 0o640]) {
      await chmod(file, mode);
      const refused = loadSigningKey(dir);
      await expect(refused).rejects.toThrow(AppError);
      await expect(loadSigningKey(dir)).rejects.toThrow(
        `its mode is 0${mode.toString(8)}, so other users may read it. Make it private: chmod 600 ${file}`,
      );
      await expect(ensureSigningKey(dir)).rejects.toThrow(/chmod 600/);
    }
    await chmod(file, 0o600);
    await expect(loadSigningKey(dir)).resolves.toMatchObject({ name: 'mamori-test-oplog' });
  });

  it('refuses a public key that is not the private key’s, and a lone public key', async () => {
    const dir = await tempDir();
    const other = await tempDir();
    await ensureSigningKey(dir, { keyName: 'mamori-test-oplog' });
    const stranger = await ensureSigningKey(other, { keyName: 'mamori-test-oplog' });
    await writeFile(logKeyPaths(dir).publicKey, `${stranger.verifierKey}\n`);
    await expect(loadSigningKey(dir)).rejects.toThrow(/is not the public key of/);

    await rm(logKeyPaths(other).privateKey);
    await expect(ensureSigningKey(other)).rejects.toThrow(/exists but .* does not/);
    await expect(loadSigningKey(other)).rejects.toThrow(/No operation-log signing key/);
  });

  it('names the key after the host, within the characters a key name allows', () => {
    expect(defaultKeyName('Chosha-Srv01.hokuto.lg.jp')).toBe(
      'mamori-chosha-srv01-hokuto-lg-jp-oplog',
    );
    expect(defaultKeyName('庁舎')).toMatch(/^mamori-[0-9a-f]{8}-oplog$/);
  });
});
