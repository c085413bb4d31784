import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root (e2e/ sits directly under it). */
export const repoRoot = join(import.meta.dirname, '..', '..');

/** Screenshots and server logs of browser runs (gitignored). */
export function artifactsDir(): string {
  const dir = join(repoRoot, 'e2e', 'artifacts');
  mkdirSync(dir, { recursive: true });
  return dir;
}
