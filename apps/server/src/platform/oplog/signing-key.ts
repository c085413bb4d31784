import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../errors.js';
import {
  ed25519Signer,
  parseVerifierKey,
  rawEd25519PublicKey,
  formatVerifierKey,
  type NoteSigner,
  type NoteVerifier,
} from './signed-note.js';

/**
 * Custody of the operation-log signing key (std-7.1.4.2, std-10.1.6): the
 * Ed25519 key pair lives in files under `config.logKeyDir`, never in the
 * database, so someone who can rewrite the database cannot sign a rewritten
 * chain.
 */

export const PRIVATE_KEY_FILE = 'log-signing.key';
export const PUBLIC_KEY_FILE = 'log-signing.pub';
export const CHECKPOINT_FILE = 'checkpoints.txt';

/** The paths of the key directory's three files. */
export interface LogKeyPaths {
  readonly dir: string;
  /** PKCS#8 PEM, mode 0600. */
  readonly privateKey: string;
  /** The C2SP verifier key text (name+id+key). */
  readonly publicKey: string;
  /** Append-only file of signed checkpoint notes. */
  readonly checkpoints: string;
}

/** The files of a key directory. */
export function logKeyPaths(dir: string): LogKeyPaths {
  return {
    dir,
    privateKey: path.join(dir, PRIVATE_KEY_FILE),
    publicKey: path.join(dir, PUBLIC_KEY_FILE),
    checkpoints: path.join(dir, CHECKPOINT_FILE),
  };
}

/** The loaded signing key: signs notes; the private key cannot be read back from it. */
export interface SigningKey extends NoteSigner {
  readonly verifier: NoteVerifier;
  readonly paths: LogKeyPaths;
}

/** `mamori-<host name>-oplog`, reduced to the characters a key name may hold. */
export function defaultKeyName(hostname = os.hostname()): string {
  const host = hostname
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  return `mamori-${host || randomBytes(4).toString('hex')}-oplog`;
}

function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (err) {
    if (isMissing(err)) return false;
    throw err;
  }
}

/** Refuses a private key file that its group or others may read or write. */
async function checkPrivateKeyMode(file: string): Promise<void> {
  if (process.platform === 'win32') return;
  const mode = (await stat(file)).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new AppError(
      'internal',
      `Refusing to use the operation-log signing key ${file}: its mode is ${mode.toString(8).padStart(4, '0')}, ` +
        `so other users may read it. Make it private: chmod 600 ${file}`,
    );
  }
}

export interface EnsuredSigningKey {
  readonly created: boolean;
  readonly paths: LogKeyPaths;
  /** The verifier key text to keep elsewhere and give to auditors. */
  readonly verifierKey: string;
}

/**
 * Creates the signing key pair in `dir` if it has none: `log-signing.key`
 * (PKCS#8 PEM, 0600, created exclusively) and `log-signing.pub` (verifier key
 * text). An existing pair is checked (mode, matching public key), never replaced.
 */
export async function ensureSigningKey(
  dir: string,
  options: { keyName?: string } = {},
): Promise<EnsuredSigningKey> {
  const paths = logKeyPaths(dir);
  if (await exists(paths.privateKey)) {
    const key = await loadSigningKey(dir);
    return { created: false, paths, verifierKey: key.verifier.text };
  }
  if (await exists(paths.publicKey)) {
    throw new AppError(
      'internal',
      `${paths.publicKey} exists but ${paths.privateKey} does not: restore the private key from its custody, ` +
        'or move the public key away to create a new pair (old checkpoints stay verifiable with the old public key)',
    );
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const name = options.keyName ?? defaultKeyName();
  const verifierKey = formatVerifierKey(name, rawEd25519PublicKey(publicKey));
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' });
  // 'wx': never overwrite a key another process created meanwhile.
  await writeFile(paths.privateKey, pem, { mode: 0o600, flag: 'wx' });
  await writeFile(paths.publicKey, `${verifierKey}\n`, { mode: 0o644, flag: 'wx' });
  return { created: true, paths, verifierKey };
}

/** Reads a public verifier key file (`log-signing.pub` or a copy an auditor keeps). */
export async function loadVerifierKey(file: string): Promise<NoteVerifier> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (isMissing(err)) {
      throw new AppError(
        'log_key_unavailable',
        `No operation-log public key at ${file}: run \`npm run cli -- init\` or give the key file`,
      );
    }
    throw err;
  }
  try {
    return parseVerifierKey(text.trim());
  } catch (err) {
    throw new AppError(
      'log_key_unavailable',
      `${file} is not a verifier key: ${(err as Error).message}`,
    );
  }
}

/**
 * Loads the signing key of `dir`. Refuses a private key file readable by group
 * or others, and a public key file that is not the private key's.
 */
export async function loadSigningKey(dir: string): Promise<SigningKey> {
  const paths = logKeyPaths(dir);
  let pem: string;
  try {
    await checkPrivateKeyMode(paths.privateKey);
    pem = await readFile(paths.privateKey, 'utf8');
  } catch (err) {
    if (isMissing(err)) {
      throw new AppError(
        'internal',
        `No operation-log signing key at ${paths.privateKey}: run \`npm run cli -- init\``,
      );
    }
    throw err;
  }
  let privateKey;
  try {
    privateKey = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new AppError('internal', `${paths.privateKey} is not a PKCS#8 PEM private key`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new AppError('internal', `${paths.privateKey} is not an Ed25519 key`);
  }
  const verifier = await loadVerifierKey(paths.publicKey);
  if (!verifier.publicKey.equals(rawEd25519PublicKey(privateKey))) {
    throw new AppError(
      'internal',
      `${paths.publicKey} is not the public key of ${paths.privateKey}: restore the matching pair`,
    );
  }
  const signer = ed25519Signer(verifier.name, privateKey);
  return { ...signer, verifier, paths };
}
