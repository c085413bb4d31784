import { createHash, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ed25519Signer,
  ed25519Verifier,
  formatCheckpoint,
  openCheckpoint,
  openNote,
  parseCheckpoint,
  parseVerifierKey,
  rawEd25519PublicKey,
  signNote,
  SignedNoteError,
  splitNotes,
  type NoteSigner,
  type NoteVerifier,
} from './signed-note.js';

// The example of golang.org/x/mod/sumdb/note (the C2SP signed-note reference).
const GO_VERIFIER = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const GO_SEED = 'AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz'; // base64(0x01 ‖ seed)
const GO_TEXT =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_NOTE = `${GO_TEXT}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

function newKey(name: string): { signer: NoteSigner; verifier: NoteVerifier } {
  const { privateKey } = generateKeyPairSync('ed25519');
  return {
    signer: ed25519Signer(name, privateKey),
    verifier: ed25519Verifier(name, rawEd25519PublicKey(privateKey)),
  };
}

function problemOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof SignedNoteError) return err.problem;
    throw err;
  }
  throw new Error('expected a SignedNoteError');
}

const root = createHash('sha256').update('head').digest();
const checkpoint = { origin: 'mamori/192091/oplog', size: 1234, rootHash: root };

describe('C2SP signed-note (std-7.1.4.2)', () => {
  it('verifies the reference example and signs it byte for byte', () => {
    const verifier = parseVerifierKey(GO_VERIFIER);
    expect(verifier.name).toBe('PeterNeumann');
    expect(verifier.text).toBe(GO_VERIFIER);
    expect(openNote(GO_NOTE, [verifier])).toEqual({ text: GO_TEXT, keyName: 'PeterNeumann' });
    const seed = Buffer.from(GO_SEED, 'base64').subarray(1);
    const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
    const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
    expect(signNote(GO_TEXT, ed25519Signer('PeterNeumann', key))).toBe(GO_NOTE);
  });

  it('computes the key ID as SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key)[0:4]', () => {
    const { verifier } = newKey('mamori-test-oplog');
    const expected = createHash('sha256')
      .update(Buffer.concat([Buffer.from('mamori-test-oplog\n\u0001'), verifier.publicKey]))
      .digest()
      .subarray(0, 4);
    expect(verifier.keyId.equals(expected)).toBe(true);
    expect(verifier.text).toBe(
      `mamori-test-oplog+${expected.toString('hex')}+${Buffer.concat([Buffer.from([1]), verifier.publicKey]).toString('base64')}`,
    );
    expect(parseVerifierKey(verifier.text).publicKey.equals(verifier.publicKey)).toBe(true);
  });

  it('rejects verifier keys with a wrong key ID, algorithm or shape', () => {
    const [name, id, key] = GO_VERIFIER.split('+') as [string, string, string];
    expect(problemOf(() => parseVerifierKey(`${name}+00000000+${key}`))).toBe('format');
    expect(problemOf(() => parseVerifierKey(`${name}+${id}`))).toBe('format');
    expect(problemOf(() => parseVerifierKey(`Other+${id}+${key}`))).toBe('format');
    const wrongAlg = Buffer.from(key, 'base64');
    wrongAlg[0] = 2;
    expect(problemOf(() => parseVerifierKey(`${name}+${id}+${wrongAlg.toString('base64')}`))).toBe(
      'format',
    );
  });
});

describe('signed checkpoints: rejection (std-7.1.4.2, std-7.1.6.2)', () => {
  const { signer, verifier } = newKey('mamori-test-oplog');
  const note = signNote(formatCheckpoint(checkpoint), signer);

  it('formats the checkpoint as origin, size and base64 root, and opens it', () => {
    expect(note.split('\n').slice(0, 4)).toEqual([
      'mamori/192091/oplog',
      '1234',
      root.toString('base64'),
      '',
    ]);
    expect(note).toMatch(/\n\n— mamori-test-oplog [A-Za-z0-9+/]{91}=\n$/);
    expect(openCheckpoint(note, [verifier])).toEqual({
      ...checkpoint,
      keyName: 'mamori-test-oplog',
    });
  });

  it('rejects an altered size', () => {
    const altered = note.replace('\n1234\n', '\n1235\n');
    expect(problemOf(() => openCheckpoint(altered, [verifier]))).toBe('bad_signature');
  });

  it('rejects an altered root', () => {
    const other = createHash('sha256').update('forged head').digest().toString('base64');
    const altered = note.replace(root.toString('base64'), other);
    expect(problemOf(() => openCheckpoint(altered, [verifier]))).toBe('bad_signature');
  });

  it('rejects a note signed by an unknown key, also one using the same key name', () => {
    const stranger = newKey('mamori-test-oplog'); // same name, different key: another key ID
    const forged = signNote(formatCheckpoint(checkpoint), stranger.signer);
    expect(problemOf(() => openCheckpoint(forged, [verifier]))).toBe('unknown_key');
    const other = signNote(formatCheckpoint(checkpoint), newKey('attacker').signer);
    expect(problemOf(() => openCheckpoint(other, [verifier]))).toBe('unknown_key');
  });

  it('rejects a signature with the right key ID whose bytes were changed', () => {
    const line = note.split('\n').at(-2) ?? '';
    const blob = Buffer.from(line.split(' ')[2] ?? '', 'base64');
    blob[10] = (blob[10] ?? 0) ^ 1;
    const altered = note.replace(line, `— mamori-test-oplog ${blob.toString('base64')}`);
    expect(problemOf(() => openCheckpoint(altered, [verifier]))).toBe('bad_signature');
  });

  it('rejects malformed notes and checkpoints', () => {
    const malformed = [
      note.replace('\n\n', '\n'), // no blank line before the signatures
      note.replace('— ', '- '), // not an em dash
      note.replace(/\n$/, ''), // no final newline
      note.replaceAll('\n', '\r\n'),
      note.replace('mamori-test-oplog ', 'mamori-test-oplog  '), // two spaces
      note.replace(/ [A-Za-z0-9+/]+=\n$/, ' not*base64\n'),
    ];
    for (const m of malformed)
      expect(problemOf(() => openCheckpoint(m, [verifier]))).toBe('format');
    const texts = [
      'mamori/192091/oplog\n01234\n' + root.toString('base64') + '\n', // leading zero
      'mamori/192091/oplog\n-1\n' + root.toString('base64') + '\n',
      'mamori/192091/oplog\n1234\n' + root.subarray(1).toString('base64') + '\n', // 31 bytes
      'mamori/19209/oplog\n1234\n' + root.toString('base64') + '\n', // 5-digit code
      'mamori/192091/oplog\n1234\n' + root.toString('base64') + '\nextension\n',
      'mamori/192091/oplog\n1234\n',
    ];
    for (const t of texts) {
      expect(problemOf(() => parseCheckpoint(t))).toBe('format');
      // Even correctly signed, a malformed checkpoint is rejected.
      expect(problemOf(() => openCheckpoint(signNote(t, signer), [verifier]))).toBe('format');
    }
  });

  it('splits a checkpoint file into notes and names the line of a broken block', () => {
    const second = signNote(formatCheckpoint({ ...checkpoint, size: 2000 }), signer);
    expect(splitNotes(`${note}\n${second}\n`)).toEqual([note, second]);
    expect(splitNotes('')).toEqual([]);
    expect(() => splitNotes(`${note}\n${second.replace('\n\n', '\n')}`)).toThrow(/line 7/);
    expect(() => splitNotes(`${note}garbage\n`)).toThrow(SignedNoteError);
  });
});
