import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/**
 * C2SP signed notes (https://c2sp.org/signed-note) and tlog checkpoints
 * (https://c2sp.org/tlog-checkpoint) with Ed25519 keys, for the operation
 * log's signed checkpoints (std-7.1.4.2, std-7.1.6.2). Parsing is strict: a
 * note that is not exactly in our format is rejected, never repaired.
 */

/** Signature type of Ed25519 in signed-note key IDs and verifier keys. */
const ALG_ED25519 = 0x01;
const SIGNATURE_PREFIX = '\u2014 '; // "— " (em dash, space)
const KEY_NAME = /^[\x21-\x2a\x2c-\x7e]+$/; // printable ASCII, no space, no '+'
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const ORIGIN = /^mamori\/\d{6}\/oplog$/;
const SIZE = /^(?:0|[1-9][0-9]*)$/;

export type SignedNoteProblem = 'format' | 'unknown_key' | 'bad_signature';

/** A note that does not parse, or whose signature cannot be verified. */
export class SignedNoteError extends Error {
  override readonly name = 'SignedNoteError';
  constructor(
    readonly problem: SignedNoteProblem,
    message: string,
  ) {
    super(message);
  }
}

/** Anything that can sign note text: the operation-log signing key. */
export interface NoteSigner {
  readonly name: string;
  /** The 4-byte key ID (signed-note). */
  readonly keyId: Buffer;
  sign(message: Buffer): Buffer;
}

/** A public key that verifies notes signed by one key name. */
export interface NoteVerifier {
  readonly name: string;
  readonly keyId: Buffer;
  /** The raw 32-byte Ed25519 public key. */
  readonly publicKey: Buffer;
  /** The C2SP verifier key text `<name>+<hex key id>+<base64(0x01 ‖ key)>`. */
  readonly text: string;
  verify(message: Buffer, signature: Buffer): boolean;
}

function checkKeyName(name: string): void {
  if (!KEY_NAME.test(name)) {
    throw new SignedNoteError(
      'format',
      `key name "${name}" must be printable ASCII without spaces or "+"`,
    );
  }
}

function decodeBase64(text: string, what: string): Buffer {
  if (!BASE64.test(text)) throw new SignedNoteError('format', `${what} is not standard base64`);
  return Buffer.from(text, 'base64');
}

/** Key ID = first 4 bytes of SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ 32-byte public key). */
export function noteKeyId(name: string, publicKey: Buffer): Buffer {
  checkKeyName(name);
  return createHash('sha256')
    .update(name, 'utf8')
    .update(Buffer.from([0x0a, ALG_ED25519]))
    .update(publicKey)
    .digest()
    .subarray(0, 4);
}

/** The raw 32-byte public key of an Ed25519 KeyObject (public or private). */
export function rawEd25519PublicKey(key: KeyObject): Buffer {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  if (publicKey.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 key');
  const jwk = publicKey.export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new Error('Ed25519 key without x');
  return Buffer.from(jwk.x, 'base64url');
}

/** The C2SP verifier key text of a key name and a raw Ed25519 public key. */
export function formatVerifierKey(name: string, publicKey: Buffer): string {
  const id = noteKeyId(name, publicKey).toString('hex');
  return `${name}+${id}+${Buffer.concat([Buffer.from([ALG_ED25519]), publicKey]).toString('base64')}`;
}

/** A verifier for a raw Ed25519 public key. */
export function ed25519Verifier(name: string, publicKey: Buffer): NoteVerifier {
  if (publicKey.length !== 32) throw new SignedNoteError('format', 'an Ed25519 key has 32 bytes');
  const keyObject = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: publicKey.toString('base64url') },
    format: 'jwk',
  });
  return {
    name,
    keyId: noteKeyId(name, publicKey),
    publicKey,
    text: formatVerifierKey(name, publicKey),
    verify: (message, signature) =>
      signature.length === 64 && verify(null, message, keyObject, signature),
  };
}

/**
 * Parses C2SP verifier key text strictly: the key ID must be the one computed
 * from the name and key, and the algorithm Ed25519.
 */
export function parseVerifierKey(text: string): NoteVerifier {
  const parts = text.split('+');
  // The base64 key may itself contain "+": name and id are the first two parts.
  const [name, idHex] = parts;
  const keyText = parts.slice(2).join('+');
  if (!name || !idHex || !keyText) {
    throw new SignedNoteError('format', 'verifier key must be <name>+<key id>+<key>');
  }
  checkKeyName(name);
  if (!/^[0-9a-f]{8}$/.test(idHex)) {
    throw new SignedNoteError('format', 'verifier key ID must be 8 lower-case hex digits');
  }
  const key = decodeBase64(keyText, 'verifier key');
  if (key.length !== 33 || key[0] !== ALG_ED25519) {
    throw new SignedNoteError('format', 'verifier key is not an Ed25519 key (0x01 ‖ 32 bytes)');
  }
  const verifier = ed25519Verifier(name, key.subarray(1));
  if (verifier.keyId.toString('hex') !== idHex) {
    throw new SignedNoteError('format', 'verifier key ID does not match its name and key');
  }
  return verifier;
}

/** A signer for an Ed25519 private KeyObject (the key never leaves the object). */
export function ed25519Signer(name: string, privateKey: KeyObject): NoteSigner {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error('an Ed25519 private key is required');
  }
  return {
    name,
    keyId: noteKeyId(name, rawEd25519PublicKey(privateKey)),
    sign: (message) => sign(null, message, privateKey),
  };
}

function checkNoteText(text: string): void {
  if (text.length === 0 || !text.endsWith('\n')) {
    throw new SignedNoteError('format', 'note text must be non-empty and end with a newline');
  }
  if (text.includes('\n\n') || text.startsWith('\n')) {
    throw new SignedNoteError('format', 'note text must not contain a blank line');
  }
  if (text.includes('\r')) throw new SignedNoteError('format', 'note text must not contain CR');
}

/**
 * Signs note text: the text, a blank line, and one signature line
 * `— <key name> <base64(key ID ‖ signature)>`. The signature is over the
 * text's bytes (UTF-8).
 */
export function signNote(text: string, signer: NoteSigner): string {
  checkNoteText(text);
  const signature = signer.sign(Buffer.from(text, 'utf8'));
  const blob = Buffer.concat([signer.keyId, signature]).toString('base64');
  return `${text}\n${SIGNATURE_PREFIX}${signer.name} ${blob}\n`;
}

export interface OpenedNote {
  /** The signed text (ends with a newline). */
  readonly text: string;
  /** The name of the key whose signature verified. */
  readonly keyName: string;
}

/**
 * Verifies a signed note with the known keys and returns its text. Rejects
 * (SignedNoteError): a malformed note (`format`), a note with no signature by
 * a known key (`unknown_key`), and any signature by a known key that does not
 * verify (`bad_signature`: the text was altered, e.g. its size or root).
 */
export function openNote(note: string, verifiers: readonly NoteVerifier[]): OpenedNote {
  if (note.includes('\r')) throw new SignedNoteError('format', 'note must not contain CR');
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) {
    throw new SignedNoteError('format', 'note must be text, a blank line and signature lines');
  }
  const text = note.slice(0, split + 1);
  checkNoteText(text);
  const lines = note.slice(split + 2, -1).split('\n');
  let verifiedBy: string | null = null;
  for (const line of lines) {
    if (!line.startsWith(SIGNATURE_PREFIX)) {
      throw new SignedNoteError('format', `not a signature line: "${line.slice(0, 40)}"`);
    }
    const parts = line.slice(SIGNATURE_PREFIX.length).split(' ');
    const [name, blobText] = parts;
    if (parts.length !== 2 || !name || !blobText) {
      throw new SignedNoteError('format', 'signature line must be "— <key name> <signature>"');
    }
    checkKeyName(name);
    const blob = decodeBase64(blobText, 'signature');
    if (blob.length < 5) throw new SignedNoteError('format', 'signature is too short');
    const keyId = blob.subarray(0, 4);
    const verifier = verifiers.find((v) => v.name === name && v.keyId.equals(keyId));
    if (!verifier) continue;
    if (!verifier.verify(Buffer.from(text, 'utf8'), blob.subarray(4))) {
      throw new SignedNoteError(
        'bad_signature',
        `the signature of ${name} does not verify: the note was altered`,
      );
    }
    verifiedBy ??= name;
  }
  if (verifiedBy === null) {
    const names = lines.map((l) => l.slice(SIGNATURE_PREFIX.length).split(' ')[0]).join(', ');
    throw new SignedNoteError('unknown_key', `no signature by a known key (signed by: ${names})`);
  }
  return { text, keyName: verifiedBy };
}

/** A checkpoint of a tenant's operation-log chain. */
export interface Checkpoint {
  /** `mamori/<tenant code>/oplog`. */
  readonly origin: string;
  /** Number of entries covered (the seq of the last one). */
  readonly size: number;
  /**
   * The C2SP "root hash" line: for our hash chain (not a Merkle tree), the
   * hash of entry `size` — the chain head at that size.
   */
  readonly rootHash: Buffer;
}

/** The checkpoint's note text: `<origin>\n<size>\n<base64 root hash>\n`. */
export function formatCheckpoint(c: Checkpoint): string {
  if (!ORIGIN.test(c.origin)) throw new Error(`not an operation-log origin: ${c.origin}`);
  if (!Number.isSafeInteger(c.size) || c.size < 0) throw new Error(`bad size ${String(c.size)}`);
  if (c.rootHash.length !== 32) throw new Error('the root hash has 32 bytes');
  return `${c.origin}\n${String(c.size)}\n${c.rootHash.toString('base64')}\n`;
}

/** Parses checkpoint note text strictly (three lines, no extensions). */
export function parseCheckpoint(text: string): Checkpoint {
  checkNoteText(text);
  const lines = text.slice(0, -1).split('\n');
  const [origin, sizeText, rootText] = lines;
  if (lines.length !== 3 || origin === undefined || !sizeText || !rootText) {
    throw new SignedNoteError('format', 'a checkpoint has exactly three lines');
  }
  if (!ORIGIN.test(origin)) {
    throw new SignedNoteError('format', `origin "${origin}" is not mamori/<tenant code>/oplog`);
  }
  if (!SIZE.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) {
    throw new SignedNoteError('format', `size "${sizeText}" is not a decimal number`);
  }
  const rootHash = decodeBase64(rootText, 'root hash');
  if (rootHash.length !== 32) throw new SignedNoteError('format', 'the root hash has 32 bytes');
  return { origin, size: Number(sizeText), rootHash };
}

/** Verifies a signed checkpoint note and parses it. */
export function openCheckpoint(
  note: string,
  verifiers: readonly NoteVerifier[],
): Checkpoint & { readonly keyName: string } {
  const opened = openNote(note, verifiers);
  return { ...parseCheckpoint(opened.text), keyName: opened.keyName };
}

/**
 * Splits a checkpoint file (notes separated by a blank line) into notes. A
 * note is its text lines, a blank line and its signature lines; anything else
 * is a format error naming the line.
 */
export function splitNotes(fileText: string): string[] {
  if (fileText.includes('\r')) {
    throw new SignedNoteError('format', 'the checkpoint file has CR line endings (expected LF)');
  }
  const lines = fileText.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const notes: string[] = [];
  let i = 0;
  while (i < lines.length) {
    while (i < lines.length && lines[i] === '') i++;
    if (i >= lines.length) break;
    const start = i + 1;
    const text: string[] = [];
    while (i < lines.length && lines[i] !== '' && !lines[i]?.startsWith(SIGNATURE_PREFIX)) {
      text.push(lines[i] ?? '');
      i++;
    }
    if (lines[i] !== '' || text.length === 0) {
      throw new SignedNoteError('format', `line ${String(start)}: a note must start with its text`);
    }
    i++;
    const signatures: string[] = [];
    while (i < lines.length && lines[i]?.startsWith(SIGNATURE_PREFIX)) {
      signatures.push(lines[i] ?? '');
      i++;
    }
    if (signatures.length === 0 || (i < lines.length && lines[i] !== '')) {
      throw new SignedNoteError(
        'format',
        `line ${String(start)}: a note must end with signature lines and a blank line`,
      );
    }
    notes.push(`${text.join('\n')}\n\n${signatures.join('\n')}\n`);
  }
  return notes;
}
