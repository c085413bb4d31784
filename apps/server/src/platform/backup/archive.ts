import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import * as tar from 'tar';
import { AppError } from '../errors.js';
import {
  BACKED_UP_KEY_FILES,
  MANIFEST_DIGEST_PATH,
  MANIFEST_PATH,
  manifestSchema,
  type BackupManifest,
} from './manifest.js';

/** SHA-256 (hex) and size of a file, streamed. */
export async function digestFile(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    const b = chunk as Buffer;
    hash.update(b);
    bytes += b.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/**
 * Packs the staged parts into a gzip-compressed tar at `out`, written to
 * `<out>.partial` (mode 0600: the archive holds personal data and password
 * hashes) and renamed when complete, so a crash never leaves a file that
 * looks like a finished backup. Refuses to overwrite an existing file.
 */
export async function writeArchive(
  stageDir: string,
  paths: readonly string[],
  out: string,
): Promise<void> {
  const partial = `${out}.partial`;
  try {
    await fs.access(out);
    throw new AppError('conflict', `${out} already exists: choose another --out`);
  } catch (err) {
    if (err instanceof AppError) throw err;
  }
  // Created here first so its mode is 0600 from the start; tar truncates and fills it.
  await fs.writeFile(partial, '', { mode: 0o600, flag: 'wx' });
  try {
    await tar.c({ file: partial, cwd: stageDir, gzip: true, portable: true }, [...paths]);
    const handle = await fs.open(partial, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await fs.link(partial, out); // fails if `out` appeared meanwhile: never overwrite
      await fs.rm(partial);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST')
        throw new AppError('conflict', `${out} already exists: choose another --out`);
      await fs.rename(partial, out); // a file system without hard links
    }
  } catch (err) {
    await fs.rm(partial, { force: true });
    throw err;
  }
}

/** Paths a Mamori archive may hold; everything else is refused. */
const ALLOWED = new RegExp(
  `^(${[MANIFEST_PATH, MANIFEST_DIGEST_PATH].map((p) => p.replace(/\./g, '\\.')).join('|')}` +
    `|database/[a-z_][a-z0-9_]*\\.ndjson` +
    `|keys/(${BACKED_UP_KEY_FILES.map((f) => f.replace(/\./g, '\\.')).join('|')}))$`,
);

/** A damaged or foreign archive: restore stops before writing anything. */
export function archiveRefused(message: string, details?: Record<string, unknown>): AppError {
  return new AppError('conflict', `refusing to restore: ${message}`, details);
}

export interface OpenedArchive {
  readonly dir: string;
  readonly manifest: BackupManifest;
  /** Absolute path of a part extracted from the archive. */
  readonly partFile: (partPath: string) => string;
}

/**
 * Unpacks `file` into `dir` and checks it before anything is restored
 * (std-7.1.2, std-10.1.6): the manifest's own SHA-256, its schema, then
 * every listed part's size and SHA-256. A flipped byte, a missing or an
 * unlisted part, or a private key inside is refused, naming the part.
 */
export async function openArchive(file: string, dir: string): Promise<OpenedArchive> {
  try {
    await fs.access(file);
  } catch {
    throw new AppError('not_found', `${file} does not exist`);
  }
  const unexpected: string[] = [];
  try {
    await tar.x({
      file,
      cwd: dir,
      strict: true,
      filter: (p, entry) => {
        const type = 'type' in entry ? entry.type : 'File';
        const clean = p.replace(/^\.\//, '');
        if (type === 'Directory' && /^(database|keys)\/?$/.test(clean)) return false;
        if (type === 'File' && ALLOWED.test(clean)) return true;
        unexpected.push(clean);
        return false;
      },
    });
  } catch (err) {
    throw archiveRefused(`${file} cannot be read as a tar.gz archive (damaged or truncated)`, {
      error: (err as Error).message,
    });
  }
  if (unexpected.length > 0) {
    throw archiveRefused(
      `the archive holds files a Mamori backup never contains: ${unexpected.join(', ')}`,
      { parts: unexpected },
    );
  }

  const read = async (p: string) => {
    try {
      return await fs.readFile(path.join(dir, p));
    } catch {
      throw archiveRefused(`part ${p} is missing`, { part: p });
    }
  };
  const manifestBytes = await read(MANIFEST_PATH);
  const recorded = (await read(MANIFEST_DIGEST_PATH)).toString('utf8').trim();
  const actual = createHash('sha256').update(manifestBytes).digest('hex');
  if (recorded !== actual) {
    throw archiveRefused(`part ${MANIFEST_PATH} is damaged (its SHA-256 does not match)`, {
      part: MANIFEST_PATH,
      expected: recorded,
      actual,
    });
  }
  let manifest: BackupManifest;
  try {
    manifest = manifestSchema.parse(JSON.parse(manifestBytes.toString('utf8')));
  } catch (err) {
    throw archiveRefused(`${MANIFEST_PATH} is not a Mamori backup manifest of a known format`, {
      part: MANIFEST_PATH,
      error: (err as Error).message.slice(0, 2000),
    });
  }

  const listed = new Set<string>();
  for (const part of manifest.parts) {
    listed.add(part.path);
    const stat = await fs.stat(path.join(dir, part.path)).catch(() => null);
    if (!stat) throw archiveRefused(`part ${part.path} is missing`, { part: part.path });
    const got = await digestFile(path.join(dir, part.path));
    if (got.bytes !== part.bytes || got.sha256 !== part.sha256) {
      throw archiveRefused(`part ${part.path} is damaged (its SHA-256 does not match)`, {
        part: part.path,
        expected: { bytes: part.bytes, sha256: part.sha256 },
        actual: got,
      });
    }
  }
  for (const table of manifest.tables) {
    if (!listed.has(table.part)) {
      throw archiveRefused(`table ${table.name} names part ${table.part}, which is not listed`, {
        part: table.part,
      });
    }
  }
  const extracted = await listFiles(dir);
  const unlisted = extracted.filter(
    (p) => !listed.has(p) && p !== MANIFEST_PATH && p !== MANIFEST_DIGEST_PATH,
  );
  if (unlisted.length > 0) {
    throw archiveRefused(`parts not listed in the manifest: ${unlisted.join(', ')}`, {
      parts: unlisted,
    });
  }
  return { dir, manifest, partFile: (p) => path.join(dir, p) };
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else out.push(rel);
  }
  return out;
}
