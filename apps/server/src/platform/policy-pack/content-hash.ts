import { createHash } from 'node:crypto';

/** One file of a pack: its path relative to the pack folder and its bytes. */
export interface PackFileBytes {
  readonly path: string;
  readonly bytes: Uint8Array;
}

/**
 * The content hash of a pack: SHA-256 (lower-case hex) over its files in the
 * order of their relative paths, each framed as `path NUL byte-length NUL bytes`
 * so that renaming a file or moving bytes between files changes the hash. A
 * tenant records it to prove which pack content it runs.
 */
export function hashPolicyPackFiles(files: readonly PackFileBytes[]): string {
  const hash = createHash('sha256');
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const file of sorted) {
    hash.update(`${file.path}\0${String(file.bytes.byteLength)}\0`, 'utf8');
    hash.update(file.bytes);
  }
  return hash.digest('hex');
}
