import type { Dirent } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  PACK_FILE_KINDS,
  PACK_MANIFEST_FILE,
  packFileSchemas,
  packManifestSchema,
  validatePackManifest,
  validatePolicyPack,
  WHOLE_FILE_PATH,
  zodIssuesToPackIssues,
  type PackExtensionFile,
  type PackManifest,
  type PolicyPack,
  type PolicyPackIssue,
} from '@mamori/policy';
import type { z } from 'zod';
import { hashPolicyPackFiles, type PackFileBytes } from './content-hash.js';
import { PolicyPackError } from './policy-pack-error.js';
import { parseYamlFile, type YamlFile } from './yaml-file.js';

/** A pack as loaded from disk: its content, folder and content hash. */
export interface LoadedPolicyPack extends PolicyPack {
  /** The absolute path of the pack folder. */
  readonly dir: string;
  /** SHA-256 (hex) over the pack's files; see {@link hashPolicyPackFiles}. */
  readonly contentHash: string;
}

/** What {@link listPolicyPacks} tells about each pack, from its `pack.yaml`. */
export interface PolicyPackSummary {
  readonly id: string;
  readonly version: string;
  readonly name_ja: string;
  readonly name_en: string;
  readonly fictional: boolean;
  readonly dir: string;
}

type ReadResult = { ok: true; bytes: Uint8Array } | { ok: false; issue: PolicyPackIssue };

async function readPackFile(
  dir: string,
  file: string,
  listedAs: string | undefined,
): Promise<ReadResult> {
  try {
    return { ok: true, bytes: await readFile(path.join(dir, ...file.split('/'))) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code !== 'ENOENT'
        ? `cannot be read (${code ?? String(error)})`
        : listedAs === undefined
          ? 'file not found (is this a policy pack folder?)'
          : `file not found (listed in ${PACK_MANIFEST_FILE} as ${listedAs})`;
    return { ok: false, issue: { file, path: WHOLE_FILE_PATH, message } };
  }
}

function withLines(issues: readonly PolicyPackIssue[], yamlByFile: ReadonlyMap<string, YamlFile>) {
  return issues.map((issue) => {
    if (issue.line !== undefined) return issue;
    const line = yamlByFile.get(issue.file)?.lineOf(issue.path);
    return line === undefined ? issue : { ...issue, line };
  });
}

/** Reads, parses and validates one YAML file of a pack with its schema. */
function parseWith<T extends z.ZodType>(
  schema: T,
  file: string,
  bytes: Uint8Array,
  yamlByFile: Map<string, YamlFile>,
): { ok: true; data: z.output<T> } | { ok: false; issues: PolicyPackIssue[] } {
  const parsed = parseYamlFile(file, bytes);
  if (!parsed.ok) return parsed;
  yamlByFile.set(file, parsed.yaml);
  const result = schema.safeParse(parsed.yaml.value);
  if (!result.success) {
    return {
      ok: false,
      issues: withLines(zodIssuesToPackIssues(file, result.error.issues), yamlByFile),
    };
  }
  return { ok: true, data: result.data };
}

async function readManifest(
  dir: string,
  yamlByFile: Map<string, YamlFile>,
): Promise<
  { ok: true; manifest: PackManifest; bytes: Uint8Array } | { ok: false; issues: PolicyPackIssue[] }
> {
  const read = await readPackFile(dir, PACK_MANIFEST_FILE, undefined);
  if (!read.ok) return { ok: false, issues: [read.issue] };
  const parsed = parseWith(packManifestSchema, PACK_MANIFEST_FILE, read.bytes, yamlByFile);
  if (!parsed.ok) return parsed;
  return { ok: true, manifest: parsed.data, bytes: read.bytes };
}

/** Every `.yaml`/`.yml` file under the pack folder, as relative POSIX paths. */
async function findYamlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .map((entry) =>
      path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'),
    )
    .filter(
      (file) => !file.split('/').some((part) => part.startsWith('.') || part === 'node_modules'),
    );
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * Loads the policy pack in `dir`: reads `pack.yaml` and every file it lists,
 * parses them as YAML, validates each with its schema and the whole pack with
 * the cross-reference checks, and computes the content hash. The result is
 * deeply frozen.
 *
 * @throws {PolicyPackError} listing every problem as `<file>: <path>: <problem>`
 *   (YAML syntax errors with their line) when the pack cannot be used.
 */
export async function loadPolicyPack(dir: string): Promise<LoadedPolicyPack> {
  const packDir = path.resolve(dir);
  const yamlByFile = new Map<string, YamlFile>();
  const manifestRead = await readManifest(packDir, yamlByFile);
  if (!manifestRead.ok) throw new PolicyPackError(packDir, manifestRead.issues);
  const { manifest } = manifestRead;
  const manifestIssues = validatePackManifest(manifest);
  if (manifestIssues.length > 0) {
    throw new PolicyPackError(packDir, withLines(manifestIssues, yamlByFile));
  }

  const issues: PolicyPackIssue[] = [];
  const folderName = path.basename(packDir);
  if (manifest.id !== folderName) {
    issues.push({
      file: PACK_MANIFEST_FILE,
      path: 'id',
      message: `"${manifest.id}" does not match the folder name "${folderName}"`,
      ...lineField(yamlByFile, PACK_MANIFEST_FILE, 'id'),
    });
  }

  const hashed: PackFileBytes[] = [{ path: PACK_MANIFEST_FILE, bytes: manifestRead.bytes }];
  const parts: Partial<Record<(typeof PACK_FILE_KINDS)[number], unknown>> = {};
  await Promise.all(
    PACK_FILE_KINDS.map(async (kind) => {
      const file = manifest.files[kind];
      const read = await readPackFile(packDir, file, `files.${kind}`);
      if (!read.ok) {
        issues.push(read.issue);
        return;
      }
      hashed.push({ path: file, bytes: read.bytes });
      const parsed = parseWith(packFileSchemas[kind], file, read.bytes, yamlByFile);
      if (parsed.ok) parts[kind] = parsed.data;
      else issues.push(...parsed.issues);
    }),
  );

  const readExtensions = async (kind: 'request_types' | 'checks') => {
    const files = await Promise.all(
      manifest.files[kind].map(async (file, i): Promise<PackExtensionFile | undefined> => {
        const read = await readPackFile(packDir, file, `files.${kind}[${String(i)}]`);
        if (!read.ok) {
          issues.push(read.issue);
          return undefined;
        }
        hashed.push({ path: file, bytes: read.bytes });
        const parsed = parseYamlFile(file, read.bytes);
        if (!parsed.ok) {
          issues.push(...parsed.issues);
          return undefined;
        }
        return { file, document: parsed.yaml.value };
      }),
    );
    return files.filter((file) => file !== undefined);
  };
  const [requestTypes, checks] = await Promise.all([
    readExtensions('request_types'),
    readExtensions('checks'),
  ]);

  const listed = new Set([
    PACK_MANIFEST_FILE,
    ...PACK_FILE_KINDS.map((kind) => manifest.files[kind]),
    ...manifest.files.request_types,
    ...manifest.files.checks,
  ]);
  for (const file of await findYamlFiles(packDir)) {
    if (!listed.has(file)) {
      issues.push({
        file,
        path: WHOLE_FILE_PATH,
        message: `not listed in ${PACK_MANIFEST_FILE} files (every YAML file of a pack is listed there)`,
      });
    }
  }

  if (issues.length > 0) throw new PolicyPackError(packDir, sortIssues(issues, manifest));

  const pack = {
    manifest,
    roles: parts.roles,
    classification: parts.classification,
    zones: parts.zones,
    settings: parts.settings,
    clauses: parts.clauses,
    organization: parts.organization,
    request_types: requestTypes,
    checks,
  } as PolicyPack;
  const crossIssues = validatePolicyPack(pack);
  if (crossIssues.length > 0) {
    throw new PolicyPackError(packDir, sortIssues(withLines(crossIssues, yamlByFile), manifest));
  }

  return deepFreeze({ ...pack, dir: packDir, contentHash: hashPolicyPackFiles(hashed) });
}

function lineField(yamlByFile: ReadonlyMap<string, YamlFile>, file: string, issuePath: string) {
  const line = yamlByFile.get(file)?.lineOf(issuePath);
  return line === undefined ? {} : { line };
}

/** Issues in a stable order: by the manifest's file order, then by line. */
function sortIssues(issues: readonly PolicyPackIssue[], manifest: PackManifest): PolicyPackIssue[] {
  const order = [
    PACK_MANIFEST_FILE,
    ...PACK_FILE_KINDS.map((kind) => manifest.files[kind]),
    ...manifest.files.request_types,
    ...manifest.files.checks,
  ];
  const rank = (file: string) => {
    const index = order.indexOf(file);
    return index === -1 ? order.length : index;
  };
  return issues
    .map((issue, index) => ({ issue, index }))
    .sort(
      (a, b) =>
        rank(a.issue.file) - rank(b.issue.file) ||
        (a.issue.file < b.issue.file ? -1 : a.issue.file > b.issue.file ? 1 : 0) ||
        (a.issue.line ?? 0) - (b.issue.line ?? 0) ||
        a.index - b.index,
    )
    .map(({ issue }) => issue);
}

/**
 * The packs in `rootDir`: every sub-folder with a `pack.yaml`, sorted by id.
 * Reads and validates only the manifests; load a pack with {@link loadPolicyPack}.
 *
 * @throws {PolicyPackError} when a manifest is invalid (its file is named
 *   `<folder>/pack.yaml`).
 */
export async function listPolicyPacks(rootDir: string): Promise<PolicyPackSummary[]> {
  const root = path.resolve(rootDir);
  let entries: Dirent[];
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new PolicyPackError(root, [
      { file: '.', path: WHOLE_FILE_PATH, message: `the packs folder cannot be read (${code})` },
    ]);
  }
  const summaries: PolicyPackSummary[] = [];
  const issues: PolicyPackIssue[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const dir = path.join(root, entry.name);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path.join(dir, PACK_MANIFEST_FILE));
    } catch {
      continue; // not a pack folder
    }
    const yamlByFile = new Map<string, YamlFile>();
    const parsed = parseWith(packManifestSchema, PACK_MANIFEST_FILE, bytes, yamlByFile);
    if (!parsed.ok) {
      issues.push(
        ...parsed.issues.map((issue) => ({ ...issue, file: `${entry.name}/${issue.file}` })),
      );
      continue;
    }
    const { id, version, name_ja, name_en, fictional } = parsed.data;
    summaries.push({ id, version, name_ja, name_en, fictional, dir });
  }
  if (issues.length > 0) throw new PolicyPackError(root, issues);
  return summaries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
