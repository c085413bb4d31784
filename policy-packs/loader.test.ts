import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatPolicyPackIssue, type PolicyPackIssue } from '@mamori/policy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  hashPolicyPackFiles,
  listPolicyPacks,
  loadPolicyPack,
  PolicyPackError,
} from '../apps/server/src/platform/policy-pack/index.js';

const packsDir = path.dirname(fileURLToPath(import.meta.url));

let tmp: string;

beforeEach(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'mamori-pack-'));
});

afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** Copies a pack into the temp dir (same folder name) and returns its path. */
async function copyPack(id: string): Promise<string> {
  const dir = path.join(tmp, id);
  await cp(path.join(packsDir, id), dir, {
    recursive: true,
    filter: (source) => !source.endsWith('.test.ts'),
  });
  return dir;
}

/** Replaces text in a file of a copied pack; fails if the text is not there exactly `count` times. */
async function edit(dir: string, file: string, from: string, to: string, count = 1) {
  const target = path.join(dir, file);
  const text = await readFile(target, 'utf8');
  expect(text.split(from).length - 1, `"${from}" in ${file}`).toBe(count);
  await writeFile(target, text.split(from).join(to));
  return text;
}

/** The 1-based line of the first occurrence of `needle` in a copied pack's file. */
async function lineOf(dir: string, file: string, needle: string): Promise<number> {
  const text = await readFile(path.join(dir, file), 'utf8');
  const index = text.indexOf(needle);
  expect(index, `"${needle}" in ${file}`).toBeGreaterThanOrEqual(0);
  return text.slice(0, index).split('\n').length;
}

/** Loads a pack that must fail and returns its issues (and checks the message lists each). */
async function issuesOf(dir: string): Promise<PolicyPackIssue[]> {
  const error: unknown = await loadPolicyPack(dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PolicyPackError);
  const packError = error as PolicyPackError;
  for (const issue of packError.issues) {
    expect(packError.message).toContain(formatPolicyPackIssue(issue));
  }
  return [...packError.issues];
}

const lines = (issues: readonly PolicyPackIssue[]) =>
  issues.map((issue) => `${issue.file}: ${issue.path}: ${issue.message}`);

describe('loadPolicyPack: the shipped packs', () => {
  it.each(['hokuto', 'test-kanagi'])('loads and validates %s', async (id) => {
    const pack = await loadPolicyPack(path.join(packsDir, id));
    expect(pack.manifest.id).toBe(id);
    expect(pack.dir).toBe(path.join(packsDir, id));
    expect(pack.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(pack.roles.roles).toHaveLength(17);
    expect(Object.keys(pack.classification.axes)).toEqual([
      'confidentiality',
      'integrity',
      'availability',
    ]);
    expect(pack.zones.zones.map((zone) => zone.id)).toEqual([
      'mynumber',
      'lgwan',
      'internet',
      'offline',
    ]);
  });

  it('returns a deeply frozen pack', async () => {
    const pack = await loadPolicyPack(path.join(packsDir, 'hokuto'));
    const level = pack.classification.axes.confidentiality.levels[0];
    expect(Object.isFrozen(pack)).toBe(true);
    expect(Object.isFrozen(level)).toBe(true);
    expect(Object.isFrozen(pack.settings.settings)).toBe(true);
  });

  it('lists the packs of a folder by id, from their manifests', async () => {
    const packs = await listPolicyPacks(packsDir);
    expect(packs.map((p) => [p.id, p.fictional])).toEqual([
      ['hokuto', false],
      ['test-kanagi', true],
    ]);
    expect(packs[0]?.name_ja).toBe('北杜市情報セキュリティポリシー');
  });
});

describe('content hash', () => {
  it('is the same for the same bytes wherever the pack lies', async () => {
    const original = await loadPolicyPack(path.join(packsDir, 'hokuto'));
    const copy = await loadPolicyPack(await copyPack('hokuto'));
    expect(copy.contentHash).toBe(original.contentHash);
  });

  it('changes when one byte of one file changes', async () => {
    const dir = await copyPack('hokuto');
    const before = (await loadPolicyPack(dir)).contentHash;
    await edit(dir, 'roles.yaml', 'holder_ja: 副市長', 'holder_ja: 副市長 ');
    expect((await loadPolicyPack(dir)).contentHash).not.toBe(before);
  });

  it('does not depend on the order files are given, but on names and boundaries', () => {
    const bytes = (text: string) => new TextEncoder().encode(text);
    const a = hashPolicyPackFiles([
      { path: 'a.yaml', bytes: bytes('xy') },
      { path: 'b.yaml', bytes: bytes('') },
    ]);
    const reversed = hashPolicyPackFiles([
      { path: 'b.yaml', bytes: bytes('') },
      { path: 'a.yaml', bytes: bytes('xy') },
    ]);
    const moved = hashPolicyPackFiles([
      { path: 'a.yaml', bytes: bytes('x') },
      { path: 'b.yaml', bytes: bytes('y') },
    ]);
    const renamed = hashPolicyPackFiles([
      { path: 'c.yaml', bytes: bytes('xy') },
      { path: 'b.yaml', bytes: bytes('') },
    ]);
    expect(reversed).toBe(a);
    expect(moved).not.toBe(a);
    expect(renamed).not.toBe(a);
  });
});

describe('loadPolicyPack: broken packs name file, path and problem', () => {
  it('reports a YAML syntax error with its file, line and column', async () => {
    const dir = await copyPack('hokuto');
    await edit(
      dir,
      'roles.yaml',
      'holder_en: Deputy Mayor\n    holder_text_ja',
      'holder_en: Deputy Mayor\n   holder_text_ja',
    );
    const issues = await issuesOf(dir);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      file: 'roles.yaml',
      path: '(yaml)',
      line: await lineOf(dir, 'roles.yaml', '   holder_text_ja'),
    });
    expect(issues[0]?.column).toBeGreaterThan(0);
  });

  it('reports duplicate keys as a YAML error', async () => {
    const dir = await copyPack('hokuto');
    await edit(
      dir,
      'pack.yaml',
      'name_en: Hokuto City\n',
      'name_en: Hokuto City\n  name_en: Hokuto\n',
    );
    const issues = await issuesOf(dir);
    expect(lines(issues)).toEqual(['pack.yaml: (yaml): Map keys must be unique']);
    expect(issues[0]?.line).toBe(await lineOf(dir, 'pack.yaml', '  name_en: Hokuto\n'));
  });

  it('reports an unknown key at the key, with its line', async () => {
    const dir = await copyPack('hokuto');
    await edit(
      dir,
      'classification.yaml',
      "      - id: '1'\n        label_ja: 機密性１\n",
      "      - id: '1'\n        colour: red\n        label_ja: 機密性１\n",
    );
    const issues = await issuesOf(dir);
    expect(lines(issues)).toEqual([
      'classification.yaml: axes.confidentiality.levels[0].colour: unknown key',
    ]);
    expect(issues[0]?.line).toBe(await lineOf(dir, 'classification.yaml', 'colour: red'));
  });

  it('reports a level that inherits from a level that does not exist', async () => {
    const dir = await copyPack('hokuto');
    await edit(dir, 'classification.yaml', "inherits: '2'", "inherits: '4'");
    const issues = await issuesOf(dir);
    expect(lines(issues)).toEqual([
      'classification.yaml: axes.confidentiality.levels[2].inherits: level "4" does not exist',
    ]);
    expect(issues[0]?.line).toBe(await lineOf(dir, 'classification.yaml', "inherits: '4'"));
  });

  it('reports a level that inherits from a higher level', async () => {
    const dir = await copyPack('test-kanagi');
    await edit(dir, 'classification.yaml', 'inherits: 3C', 'inherits: 3A');
    expect(lines(await issuesOf(dir))).toEqual([
      'classification.yaml: axes.confidentiality.levels[3].inherits: level "3A" is not lower than "3B" (a level inherits from a lower one)',
    ]);
  });

  it('reports a duplicate level id', async () => {
    const dir = await copyPack('test-kanagi');
    await edit(dir, 'classification.yaml', '      - id: 3B\n', '      - id: 3C\n');
    expect(lines(await issuesOf(dir))).toContain(
      'classification.yaml: axes.confidentiality.levels[3].id: level "3C" is defined more than once (first at axes.confidentiality.levels[2].id)',
    );
  });

  it('reports an unquoted numeric level id', async () => {
    const dir = await copyPack('hokuto');
    await edit(
      dir,
      'classification.yaml',
      "      - id: '2'\n        label_ja: 機密性２",
      '      - id: 2\n        label_ja: 機密性２',
    );
    expect(lines(await issuesOf(dir))).toEqual([
      "classification.yaml: axes.confidentiality.levels[1].id: level ids are strings: quote it ('2')",
    ]);
  });

  it('reports a setting default of the wrong type', async () => {
    const dir = await copyPack('hokuto');
    await edit(
      dir,
      'settings.yaml',
      'type: integer\n    default: 10\n',
      'type: integer\n    default: ten\n',
    );
    const issues = await issuesOf(dir);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.file).toBe('settings.yaml');
    expect(issues[0]?.path).toMatch(/^settings\[\d+\]\.default$/);
    expect(issues[0]?.message).toBe('expected number, received string');
    expect(issues[0]?.line).toBe(await lineOf(dir, 'settings.yaml', 'default: ten'));
  });

  it('reports a setting default out of its own range, with the key', async () => {
    const dir = await copyPack('hokuto');
    await edit(
      dir,
      'settings.yaml',
      'type: integer\n    default: 10\n',
      'type: integer\n    default: 1\n',
    );
    await edit(
      dir,
      'settings.yaml',
      'default: { amount: 30, unit: minutes }\n    units: [minutes, hours]\n    min: { amount: 1, unit: minutes }\n    max: { amount: 8, unit: hours }',
      'default: { amount: 9, unit: hours }\n    units: [minutes, hours]\n    min: { amount: 1, unit: minutes }\n    max: { amount: 8, unit: hours }',
    );
    const messages = (await issuesOf(dir)).map((issue) => `${issue.file}: ${issue.message}`);
    expect(messages).toEqual([
      'settings.yaml: "auth.lockout.threshold": 1 is below the minimum 3',
      'settings.yaml: "auth.session.idle_timeout": 9 hours is above the maximum 8 hours',
    ]);
  });

  it('reports a cited clause that clauses.yaml does not hold', async () => {
    const dir = await copyPack('hokuto');
    await edit(dir, 'roles.yaml', 'clauses: [std-2.8]', 'clauses: [std-2.99]');
    expect(lines(await issuesOf(dir))).toEqual([
      'roles.yaml: roles[12].clauses[0]: clause "std-2.99" is not in clauses.yaml',
    ]);
  });

  it('reports a setting option that is not in the pack', async () => {
    const dir = await copyPack('hokuto');
    await edit(
      dir,
      'settings.yaml',
      'options: [chief_security_officer, ciso]\n    options_ref: role\n    default: chief_security_officer\n  - key: exception.max_duration',
      'options: [chief_security_officer, deputy_mayor]\n    options_ref: role\n    default: chief_security_officer\n  - key: exception.max_duration',
    );
    const issues = await issuesOf(dir);
    expect(issues.map((issue) => issue.message)).toEqual([
      '"deputy_mayor" is not a role of this pack',
    ]);
    expect(issues[0]?.path).toMatch(/^settings\[\d+\]\.options\[1\]$/);
  });

  it('reports a missing file, an unlisted YAML file and a folder name that is not the id', async () => {
    const source = await copyPack('hokuto');
    const dir = path.join(tmp, 'hokuto-copy');
    await cp(source, dir, { recursive: true });
    await rm(path.join(dir, 'zones.yaml'));
    await mkdir(path.join(dir, 'request-types'));
    await writeFile(path.join(dir, 'request-types', 'carry-out.yaml'), 'id: carry_out\n');
    expect(lines(await issuesOf(dir))).toEqual([
      'pack.yaml: id: "hokuto" does not match the folder name "hokuto-copy"',
      'zones.yaml: (file): file not found (listed in pack.yaml as files.zones)',
      'request-types/carry-out.yaml: (file): not listed in pack.yaml files (every YAML file of a pack is listed there)',
    ]);
  });

  it('reads and hashes the reserved request-type files it lists', async () => {
    const dir = await copyPack('hokuto');
    const before = (await loadPolicyPack(dir)).contentHash;
    await mkdir(path.join(dir, 'request-types'));
    await writeFile(path.join(dir, 'request-types', 'carry-out.yaml'), 'id: carry_out\n');
    await edit(
      dir,
      'pack.yaml',
      '  clauses: clauses.yaml\n',
      '  clauses: clauses.yaml\n  request_types: [request-types/carry-out.yaml]\n',
    );
    const pack = await loadPolicyPack(dir);
    expect(pack.request_types).toEqual([
      { file: 'request-types/carry-out.yaml', document: { id: 'carry_out' } },
    ]);
    expect(pack.contentHash).not.toBe(before);
  });

  it('lists every problem of every file at once', async () => {
    const dir = await copyPack('hokuto');
    await edit(dir, 'classification.yaml', "inherits: '2'", "inherits: '4'");
    await edit(dir, 'zones.yaml', 'unlisted_flow_rule: forbidden', 'unlisted_flow_rule: allowed');
    await edit(
      dir,
      'roles.yaml',
      '    holder_kind: body\n    scope: tenant\n    cardinality: exactly_one',
      '    holder_kind: body\n    scope: city\n    cardinality: exactly_one',
    );
    const issues = await issuesOf(dir);
    // Per-file schema problems come first; cross-reference checks run once every file parses.
    expect(lines(issues)).toEqual([
      'roles.yaml: roles[11].scope: expected one of "tenant"|"department"|"section"|"system"|"unit"|"external_service"',
      'zones.yaml: unlisted_flow_rule: expected one of "forbidden"|"sanitized_only"|"allowed_if_necessary"',
    ]);
    await edit(dir, 'zones.yaml', 'unlisted_flow_rule: allowed', 'unlisted_flow_rule: forbidden');
    await edit(dir, 'roles.yaml', 'scope: city', 'scope: tenant');
    await edit(dir, 'roles.yaml', 'clauses: [std-2.8]', 'clauses: [std-2.99]');
    expect(lines(await issuesOf(dir))).toEqual([
      'roles.yaml: roles[12].clauses[0]: clause "std-2.99" is not in clauses.yaml',
      'classification.yaml: axes.confidentiality.levels[2].inherits: level "4" does not exist',
    ]);
  });

  it('rejects a file listed twice before reading the files', async () => {
    const dir = await copyPack('hokuto');
    await edit(dir, 'pack.yaml', 'zones: zones.yaml', 'zones: roles.yaml');
    expect(lines(await issuesOf(dir))).toEqual([
      'pack.yaml: files.zones: "roles.yaml" is already listed as files.roles',
    ]);
  });

  it('rejects a broken manifest before reading anything else', async () => {
    const dir = await copyPack('hokuto');
    await edit(dir, 'pack.yaml', 'version: 1.0.0', 'version: one');
    await edit(dir, 'pack.yaml', 'schema_version: 1', 'schema_version: 2');
    expect(lines(await issuesOf(dir))).toEqual([
      'pack.yaml: schema_version: expected 1',
      'pack.yaml: version: not a semantic version (e.g. "1.0.0")',
    ]);
  });
});

describe('missing folders', () => {
  it('names a folder that holds no pack', async () => {
    expect(lines(await issuesOf(tmp))).toEqual([
      'pack.yaml: (file): file not found (is this a policy pack folder?)',
    ]);
  });

  it('names a packs folder that does not exist', async () => {
    await expect(listPolicyPacks(path.join(tmp, 'nowhere'))).rejects.toThrow(
      '.: (file): the packs folder cannot be read (ENOENT)',
    );
  });
});

describe('listPolicyPacks', () => {
  it('ignores folders without a pack.yaml and names a broken manifest', async () => {
    await copyPack('hokuto');
    await mkdir(path.join(tmp, 'notes'));
    expect((await listPolicyPacks(tmp)).map((p) => p.id)).toEqual(['hokuto']);
    const broken = await copyPack('test-kanagi');
    await edit(broken, 'pack.yaml', 'fictional: true', 'fictional: yes please');
    const error: unknown = await listPolicyPacks(tmp).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PolicyPackError);
    expect((error as PolicyPackError).message).toContain(
      'test-kanagi/pack.yaml: fictional: expected boolean, received string',
    );
  });
});
