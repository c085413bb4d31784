import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import pg from 'pg';
import * as tar from 'tar';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';
import { createAccount, createTenant, type TestTenant } from '../../../test/factories.js';
import { withDatabase } from '../../../test/urls.js';
import { inTenant, openDatabase, tenantScope } from '../db/database.js';
import { recordOperation, type Actor } from '../oplog/oplog.service.js';
import { verifyChain } from '../oplog/verify-chain.js';
import { createBackup, type BackupResult } from './create-backup.js';
import { MANIFEST_DIGEST_PATH, MANIFEST_PATH, type BackupManifest } from './manifest.js';
import { knownMigrations, migrateTo } from './migration-level.js';
import { restoreBackup } from './restore-backup.js';
import { readTableCatalog, TEXT_FORMAT_SETTINGS } from './table-catalog.js';

const actor: Actor = { type: 'operator', id: 'backup-test' };
const PRIVATE_KEY = `PRIVATE-KEY-${randomBytes(16).toString('hex')}`;

let source: TestDatabase;
let work: string;
let keyDir: string;
let hokuto: TestTenant;
let second: TestTenant;
let backup: BackupResult;

async function record(
  t: TestTenant,
  action: string,
  payload: Parameters<typeof recordOperation>[2]['payload'],
) {
  return inTenant(source.app, tenantScope(t.id), (tx) =>
    recordOperation(tx, actor, { action, subject: { type: 'test', id: action }, payload }),
  );
}

/** Every row of every public table, as PostgreSQL's row text, per table, sorted. */
async function accountColumns(ownerUrl: string): Promise<string[]> {
  const c = new pg.Client({ connectionString: ownerUrl });
  await c.connect();
  try {
    const r = await c.query<{ name: string }>(
      `SELECT column_name AS name FROM information_schema.columns
        WHERE table_name = 'accounts' ORDER BY ordinal_position`,
    );
    return r.rows.map((x) => x.name);
  } finally {
    await c.end();
  }
}

/** Every account row as text, with only `columns`, across tenants. */
async function accountsAs(ownerUrl: string, columns: readonly string[]): Promise<string[]> {
  const c = new pg.Client({ connectionString: ownerUrl });
  await c.connect();
  try {
    await c.query('BEGIN');
    for (const s of TEXT_FORMAT_SETTINGS) await c.query(s);
    const rows: string[] = [];
    for (const t of (await c.query<{ id: string }>('SELECT id::text AS id FROM tenants')).rows) {
      await c.query(`SELECT set_config('app.tenant_id', $1, true)`, [t.id]);
      const list = columns.map((col) => `"${col}"`).join(', ');
      const r = await c.query<{ r: string }>(`SELECT (${list})::text AS r FROM accounts`);
      rows.push(...r.rows.map((x) => x.r));
    }
    await c.query('COMMIT');
    return rows.sort();
  } finally {
    await c.end();
  }
}

async function dumpAll(ownerUrl: string): Promise<Record<string, string[]>> {
  const c = new pg.Client({ connectionString: ownerUrl });
  await c.connect();
  try {
    await c.query('BEGIN');
    for (const s of TEXT_FORMAT_SETTINGS) await c.query(s);
    const tenants = (await c.query<{ id: string }>('SELECT id::text AS id FROM tenants')).rows;
    const out: Record<string, string[]> = {};
    for (const table of await readTableCatalog(c)) {
      const rows: string[] = [];
      for (const t of table.tenantScoped ? tenants : [{ id: '' }]) {
        await c.query(`SELECT set_config('app.tenant_id', $1, true)`, [t.id]);
        const r = await c.query<{ r: string }>(`SELECT t::text AS r FROM public."${table.name}" t`);
        rows.push(...r.rows.map((x) => x.r));
      }
      out[table.name] = rows.sort();
    }
    await c.query('COMMIT');
    return out;
  } finally {
    await c.end();
  }
}

async function heads(db: TestDatabase, tenants: TestTenant[]) {
  const out: Record<string, { size: number; head: string | null }> = {};
  for (const t of tenants) {
    const v = await inTenant(db.app, tenantScope(t.id), (tx) => verifyChain(tx));
    expect(v.problem).toBeNull();
    out[t.code] = { size: v.size, head: v.headHash?.toString('hex') ?? null };
  }
  return out;
}

async function tenantCount(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM tenants');
    return r.rows[0]?.n ?? 0;
  } finally {
    await c.end();
  }
}

/** Unpacks the archive, lets `change` alter the parts, and packs them again. */
async function repack(
  name: string,
  change: (dir: string) => Promise<void>,
  from = backup.file,
): Promise<string> {
  const dir = await fs.mkdtemp(path.join(work, 'repack-'));
  await tar.x({ file: from, cwd: dir });
  await change(dir);
  const files: string[] = [];
  for (const top of await fs.readdir(dir, { withFileTypes: true })) {
    if (!top.isDirectory()) files.push(top.name);
    else for (const f of await fs.readdir(path.join(dir, top.name))) files.push(`${top.name}/${f}`);
  }
  const out = path.join(work, name);
  await tar.c({ file: out, cwd: dir, gzip: true, portable: true }, files);
  return out;
}

async function flipByte(file: string, at?: number): Promise<void> {
  const bytes = await fs.readFile(file);
  const i = at ?? Math.floor(bytes.length / 2);
  bytes[i] = (bytes[i] ?? 0) ^ 0x01;
  await fs.writeFile(file, bytes);
}

async function emptyDir(prefix: string): Promise<string> {
  return fs.mkdtemp(path.join(work, prefix));
}

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'mamori-backup-test-'));
  keyDir = path.join(work, 'keys');
  await fs.mkdir(keyDir);
  await fs.writeFile(path.join(keyDir, 'log-signing.key'), PRIVATE_KEY, { mode: 0o600 });
  await fs.writeFile(path.join(keyDir, 'log-signing.pub'), 'mamori-test+abcd1234+PUBLICKEY\n');
  await fs.writeFile(path.join(keyDir, 'checkpoints.txt'), 'checkpoint 北杜市 1\n\n— sig\n');

  source = await createTestDatabase();
  hokuto = await createTenant(source.ownerUrl, { name: '北杜市（バックアップ試験）' });
  second = await createTenant(source.ownerUrl, { name: '第二村' });
  const account = await createAccount(source.ownerUrl, hokuto.id, {
    displayName: '山梨 花子',
    email: 'hanako@backup.example',
  });
  // A timestamp with milliseconds and a non-UTC input offset.
  const c = new pg.Client({ connectionString: source.ownerUrl });
  await c.connect();
  await c.query('BEGIN');
  await c.query(`SELECT set_config('app.tenant_id', $1, true)`, [hokuto.id]);
  await c.query(
    `UPDATE accounts SET locked_until = '2026-04-01T09:15:30.123+09:00', failed_login_count = 3 WHERE id = $1`,
    [account.id],
  );
  await c.query('COMMIT');
  await c.end();

  await record(hokuto, 'test.created', {
    件名: '庁舎サーバ室の入退室記録',
    nested: { 数: 12345678901234, 小数: 0.1, 真: true, 無: null, 配列: ['ガ', 'カ\u3099', '🗾'] },
    quote: 'a "quoted" \\ back\nslash\ttab',
  });
  await record(hokuto, 'test.updated', { 理由: '年度更新' });
  await record(second, 'test.created', { 名前: '第二村の記録' });
  const erased = await record(second, 'test.personal', { 氏名: '消去 対象' });
  // A payload erased at the end of its retention (chain unaffected).
  await inTenant(source.app, tenantScope(second.id), async (tx) => {
    const { sql } = await import('drizzle-orm');
    await tx.execute(
      sql`UPDATE operation_log_payloads SET payload = NULL, erased_at = now(), erased_reason = '保存期間満了' WHERE seq = ${erased.seq}`,
    );
  });
  await record(second, 'test.after_erase', { 件: 1 });

  backup = await createBackup({
    ownerUrl: source.ownerUrl,
    logKeyDir: keyDir,
    out: path.join(work, 'mamori-backup.tar.gz'),
  });
});

afterAll(async () => {
  await source.drop();
  await fs.rm(work, { recursive: true, force: true });
});

describe('backup (std-7.1.2, std-10.1.6)', () => {
  it('records parts, row counts, migrations and each tenant’s operation-log head', async () => {
    const m = backup.manifest;
    expect(m.format).toBe('mamori-backup');
    expect(m.migrations.applied.map((a) => a.tag)).toEqual(
      (await knownMigrations()).map((k) => k.tag),
    );
    expect(m.migrations.last).toBe(m.migrations.applied.at(-1)?.tag);
    const table = (name: string) => m.tables.find((t) => t.name === name);
    expect(table('tenants')?.rows).toBe(2);
    expect(table('operation_log')?.rows).toBe(5);
    expect(table('accounts')?.rows).toBe(1);
    expect(m.parts.map((p) => p.path)).toEqual(
      expect.arrayContaining(['keys/checkpoints.txt', 'keys/log-signing.pub']),
    );
    expect(
      Object.fromEntries(
        m.tenants.map((t) => [t.code, [t.operationLog.size, t.operationLog.problem]]),
      ),
    ).toEqual({ [hokuto.code]: [2, null], [second.code]: [3, null] });
    for (const t of m.tenants) expect(t.operationLog.headHash).toMatch(/^[0-9a-f]{64}$/);
    const live = await heads(source, [hokuto, second]);
    for (const t of m.tenants) expect(t.operationLog.headHash).toBe(live[t.code]?.head);
    // Parents load before children.
    const order = m.tables.map((t) => t.name);
    expect(order.indexOf('tenants')).toBeLessThan(order.indexOf('accounts'));
    expect(order.indexOf('operation_log')).toBeLessThan(order.indexOf('operation_log_payloads'));
    const stat = await fs.stat(backup.file);
    expect(stat.mode & 0o777).toBe(0o600);
  });

  it('never puts the signing private key in the archive, even when it sits in the key folder', async () => {
    const entries: string[] = [];
    await tar.t({ file: backup.file, onReadEntry: (e) => entries.push(e.path) });
    expect(entries).toContain(MANIFEST_PATH);
    expect(entries.filter((e) => e.includes('log-signing.key'))).toEqual([]);
    const raw = gunzipSync(await fs.readFile(backup.file));
    expect(raw.includes(Buffer.from(PRIVATE_KEY))).toBe(false);
  });

  it('refuses to overwrite an existing file', async () => {
    await expect(
      createBackup({ ownerUrl: source.ownerUrl, logKeyDir: keyDir, out: backup.file }),
    ).rejects.toThrow(/already exists/);
  });
});

describe('restore (std-7.1.2, std-10.1.6)', () => {
  it('backup → restore into a fresh database: same rows, same operation-log heads', async () => {
    const target = await createTestDatabase();
    try {
      const restoredKeys = path.join(await emptyDir('restored-'), 'keys');
      const result = await restoreBackup({
        ownerUrl: target.ownerUrl,
        appUrl: target.appUrl,
        logKeyDir: restoredKeys,
        from: backup.file,
      });
      expect(result.verified).toBe(true);
      expect(result.migratedForwardFrom).toBeNull();
      expect(await dumpAll(target.ownerUrl)).toEqual(await dumpAll(source.ownerUrl));
      expect(await heads(target, [hokuto, second])).toEqual(await heads(source, [hokuto, second]));
      expect(result.tenants.map((t) => [t.code, t.headHash])).toEqual(
        backup.manifest.tenants.map((t) => [t.code, t.operationLog.headHash]),
      );

      // Key folder: public files restored, the private key is not.
      expect(result.keyFiles).toEqual([
        { file: 'checkpoints.txt', outcome: 'restored' },
        { file: 'log-signing.pub', outcome: 'restored' },
      ]);
      for (const f of ['checkpoints.txt', 'log-signing.pub']) {
        expect(await fs.readFile(path.join(restoredKeys, f))).toEqual(
          await fs.readFile(path.join(keyDir, f)),
        );
      }
      await expect(fs.access(path.join(restoredKeys, 'log-signing.key'))).rejects.toThrow();

      // The restored chain continues: the next append links to the restored head.
      const next = await inTenant(target.app, tenantScope(hokuto.id), (tx) =>
        recordOperation(tx, actor, {
          action: 'test.after_restore',
          subject: { type: 'test', id: '1' },
          payload: { 復元後: true },
        }),
      );
      expect(next.seq).toBe(3);
      const after = await inTenant(target.app, tenantScope(hokuto.id), (tx) => verifyChain(tx));
      expect(after).toMatchObject({ size: 3, problem: null });

      // Restoring again into the same key folder never overwrites: a differing file is reported.
      await fs.writeFile(path.join(restoredKeys, 'checkpoints.txt'), 'changed since\n');
      const again = await createTestDatabase();
      try {
        const second = await restoreBackup({
          ownerUrl: again.ownerUrl,
          logKeyDir: restoredKeys,
          from: backup.file,
        });
        expect(second.keyFiles).toEqual([
          { file: 'checkpoints.txt', outcome: 'kept-existing' },
          { file: 'log-signing.pub', outcome: 'identical' },
        ]);
        expect(await fs.readFile(path.join(restoredKeys, 'checkpoints.txt'), 'utf8')).toBe(
          'changed since\n',
        );
      } finally {
        await again.drop();
      }
    } finally {
      await target.drop();
    }
  });

  it('refuses a database that already has a tenant, writing nothing', async () => {
    const before = await dumpAll(source.ownerUrl);
    await expect(
      restoreBackup({ ownerUrl: source.ownerUrl, logKeyDir: keyDir, from: backup.file }),
    ).rejects.toThrow(/already has 2 tenant\(s\)/);
    expect(await dumpAll(source.ownerUrl)).toEqual(before);
  });

  describe('a damaged archive is refused before anything is written', () => {
    let target: TestDatabase;
    let targetKeys: string;
    beforeAll(async () => {
      target = await createTestDatabase();
      targetKeys = path.join(work, 'untouched-keys');
    });
    afterAll(async () => {
      await target.drop();
    });

    async function expectRefused(file: string, pattern: RegExp): Promise<void> {
      await expect(
        restoreBackup({ ownerUrl: target.ownerUrl, logKeyDir: targetKeys, from: file }),
      ).rejects.toThrow(pattern);
      expect(await tenantCount(target.ownerUrl)).toBe(0);
      await expect(fs.access(targetKeys)).rejects.toThrow();
    }

    it('a flipped byte in any part names that part', async () => {
      const parts = [
        MANIFEST_PATH,
        MANIFEST_DIGEST_PATH,
        ...backup.manifest.parts.filter((p) => p.bytes > 0).map((p) => p.path),
      ];
      expect(parts).toEqual(
        expect.arrayContaining(['database/operation_log.ndjson', 'keys/checkpoints.txt']),
      );
      for (const [i, part] of parts.entries()) {
        const damaged = await repack(`flip-${String(i)}.tar.gz`, (dir) =>
          flipByte(path.join(dir, part)),
        );
        const named = part === MANIFEST_DIGEST_PATH ? MANIFEST_PATH : part;
        await expectRefused(
          damaged,
          new RegExp(`^refusing to restore: part ${named.replace(/\./g, '\\.')} is damaged`),
        );
      }
    });

    it('a flipped byte in the compressed archive itself', async () => {
      const copy = path.join(work, 'flipped-raw.tar.gz');
      await fs.copyFile(backup.file, copy);
      await flipByte(copy);
      await expectRefused(copy, /cannot be read as a tar\.gz archive/);
    });

    it('a missing part', async () => {
      for (const part of ['database/operation_log.ndjson', 'keys/log-signing.pub', MANIFEST_PATH]) {
        const damaged = await repack(`missing-${path.basename(part)}.tar.gz`, (dir) =>
          fs.rm(path.join(dir, part)),
        );
        await expectRefused(damaged, new RegExp(`part ${part.replace(/\./g, '\\.')} is missing`));
      }
    });

    it('an added file, or a private key slipped in', async () => {
      const extra = await repack('extra.tar.gz', (dir) =>
        fs.writeFile(path.join(dir, 'keys/log-signing.key'), PRIVATE_KEY),
      );
      await expectRefused(extra, /never contains: keys\/log-signing\.key/);
    });

    it('an archive from a newer or different migration history', async () => {
      const rewrite = (change: (m: BackupManifest) => void) => async (dir: string) => {
        const m = JSON.parse(
          await fs.readFile(path.join(dir, MANIFEST_PATH), 'utf8'),
        ) as BackupManifest;
        change(m);
        const bytes = Buffer.from(JSON.stringify(m));
        await fs.writeFile(path.join(dir, MANIFEST_PATH), bytes);
        await fs.writeFile(
          path.join(dir, MANIFEST_DIGEST_PATH),
          createHash('sha256').update(bytes).digest('hex'),
        );
      };
      const newer = await repack(
        'newer.tar.gz',
        rewrite((m) => {
          m.migrations.applied.push({ tag: '9999_future', when: 9e12, sha256: 'a'.repeat(64) });
        }),
      );
      await expectRefused(newer, /9999_future, which this version of Mamori does not have/);
      const different = await repack(
        'different.tar.gz',
        rewrite((m) => {
          const first = m.migrations.applied[0];
          if (first) first.sha256 = 'b'.repeat(64);
        }),
      );
      await expectRefused(different, /different migration history/);
    });
  });

  describe('an archive made at an older migration level', () => {
    const info = () => inject('db');
    const bare: string[] = [];
    async function bareDatabase(): Promise<{ ownerUrl: string; appUrl: string }> {
      const name = `mamori_test_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: info().adminUrl });
      await admin.connect();
      try {
        await admin.query(
          `CREATE DATABASE ${name} OWNER mamori_owner ENCODING 'UTF8' TEMPLATE template0`,
        );
      } finally {
        await admin.end();
      }
      bare.push(name);
      return {
        ownerUrl: withDatabase(info(), name, 'owner'),
        appUrl: withDatabase(info(), name, 'app'),
      };
    }
    afterAll(async () => {
      const admin = new pg.Client({ connectionString: info().adminUrl });
      await admin.connect();
      try {
        for (const name of bare) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    });

    it('is loaded at its own level and migrated forward; a database already past it is refused', async () => {
      const known = await knownMigrations();
      const level = known.findIndex((k) => k.tag === '0003_notifications_security') + 1;
      expect(level).toBeGreaterThan(0);
      const old = await bareDatabase();
      await migrateTo(old.ownerUrl, known, level);
      const t = await createTenant(old.ownerUrl, { name: '旧版市' });
      await createAccount(old.ownerUrl, t.id, { displayName: '旧版 一郎' });
      const oldBackup = await createBackup({
        ownerUrl: old.ownerUrl,
        logKeyDir: await emptyDir('old-keys-'),
        out: path.join(work, 'old-level.tar.gz'),
      });
      expect(oldBackup.manifest.migrations.last).toBe('0003_notifications_security');
      expect(oldBackup.manifest.tables.map((x) => x.name)).not.toContain('operation_log');

      const fresh = await bareDatabase();
      const result = await restoreBackup({
        ownerUrl: fresh.ownerUrl,
        appUrl: fresh.appUrl,
        logKeyDir: await emptyDir('fresh-keys-'),
        from: oldBackup.file,
      });
      expect(result.migratedForwardFrom).toBe('0003_notifications_security');
      expect(result.verified).toBe(true);
      const restored = await dumpAll(fresh.ownerUrl);
      const original = await dumpAll(old.ownerUrl);
      // Later migrations add columns (null in the restored rows): compare the old level's columns.
      const oldColumns = await accountColumns(old.ownerUrl);
      expect(await accountsAs(fresh.ownerUrl, oldColumns)).toEqual(
        await accountsAs(old.ownerUrl, oldColumns),
      );
      expect(restored.tenants).toEqual(original.tenants);
      // Now at this version: the tenant can log.
      const app = openDatabase(fresh.appUrl, { max: 1 });
      try {
        const entry = await inTenant(app, tenantScope(t.id), (tx) =>
          recordOperation(tx, actor, {
            action: 'test.migrated',
            subject: { type: 'test', id: '1' },
            payload: {},
          }),
        );
        expect(entry.seq).toBe(1);
      } finally {
        await app.close();
      }

      const current = await createTestDatabase();
      try {
        await expect(
          restoreBackup({
            ownerUrl: current.ownerUrl,
            logKeyDir: await emptyDir('current-keys-'),
            from: oldBackup.file,
          }),
        ).rejects.toThrow(/already migrated to .*past the archive's 0003_notifications_security/);
      } finally {
        await current.drop();
      }
    });
  });
});
