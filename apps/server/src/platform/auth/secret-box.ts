import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';

/**
 * Encryption at rest of secrets the server must read back (TOTP secrets,
 * std-5.4.2): AES-256-GCM with a key that never enters the database — from
 * `MAMORI_SECRET_KEY` (base64 of 32 bytes) or a key file `secret-box.key`
 * (mode 0600) under the data directory's `keys/`, created at first use.
 * Someone holding only a database dump cannot use the secrets.
 */

export const SECRET_KEY_FILE = 'secret-box.key';
const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface SecretBox {
  /** Encrypts; `context` (e.g. tenant and account id) is bound as associated data. */
  seal(plaintext: string, context: string): Buffer;
  /** Decrypts; throws when the data, key or context do not match. */
  open(sealed: Buffer, context: string): string;
}

/** A secret box over a 32-byte key. */
export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('the secret key must be 32 bytes');
  return {
    seal(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
    },
    open(sealed, context) {
      if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== VERSION) {
        throw new Error('not a sealed secret');
      }
      const iv = sealed.subarray(1, 1 + IV_BYTES);
      const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([
        decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    },
  };
}

/** Reads the key file (refusing one others may read) or creates it exclusively. */
async function keyFromFile(file: string): Promise<Buffer> {
  try {
    const info = await stat(file);
    if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
      throw new AppError(
        'internal',
        `Refusing to use the secret key ${file}: other users may read it. Make it private: chmod 600 ${file}`,
      );
    }
    const key = Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
    if (key.length !== 32)
      throw new AppError('internal', `${file} does not hold a base64 32-byte key`);
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  try {
    // 'wx': never overwrite a key another process created meanwhile.
    await writeFile(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return keyFromFile(file);
    throw err;
  }
}

/** The key file's path for a configuration. */
export function secretKeyFile(config: Pick<Config, 'dataDir'>): string {
  return path.join(config.dataDir, 'keys', SECRET_KEY_FILE);
}

const boxes = new WeakMap<Config, Promise<SecretBox>>();

/**
 * The process's secret box for a configuration: `config.secretKey`, else the
 * key file; in tests without a key, an ephemeral key (nothing written to disk).
 */
export function secretBoxFor(config: Config): Promise<SecretBox> {
  let box = boxes.get(config);
  if (!box) {
    box = (async () => {
      if (config.secretKey) return createSecretBox(config.secretKey);
      if (config.env === 'test') return createSecretBox(randomBytes(32));
      return createSecretBox(await keyFromFile(secretKeyFile(config)));
    })();
    boxes.set(config, box);
  }
  return box;
}
