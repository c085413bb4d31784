import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';
import { commandContext, runCommand } from '../../../test/cli.js';
import { createTenant, type TestTenant } from '../../../test/factories.js';
import { inTenant, tenantScope } from '../../platform/db/database.js';
import { recordOperation } from '../../platform/oplog/oplog.service.js';
import { backupCommand, defaultBackupName } from './backup.js';
import { restoreCommand } from './restore.js';

let source: TestDatabase;
let target: TestDatabase;
let work: string;
let tenant: TestTenant;

// External mode: restore provisions nothing and uses these URLs.
const context = (db: TestDatabase, keyDir: string) =>
  commandContext(db, {
    DATABASE_URL: db.ownerUrl,
    DATABASE_APP_URL: db.appUrl,
    MAMORI_DATA_DIR: work,
    MAMORI_LOG_KEY_DIR: keyDir,
  });

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'mamori-restore-cli-'));
  source = await createTestDatabase();
  target = await createTestDatabase();
  tenant = await createTenant(source.ownerUrl, { name: '北杜市' });
  await inTenant(source.app, tenantScope(tenant.id), (tx) =>
    recordOperation(
      tx,
      { type: 'operator', id: 'cli-test' },
      {
        action: 'test.created',
        subject: { type: 'test', id: '1' },
        payload: { 件名: 'CLI 試験' },
      },
    ),
  );
});
afterAll(async () => {
  await source.drop();
  await target.drop();
  await fs.rm(work, { recursive: true, force: true });
});

describe('backup and restore commands (std-7.1.2, std-10.1.6)', () => {
  it('names the default archive after the time in JST', () => {
    expect(defaultBackupName(new Date('2026-03-31T15:04:05.678Z'))).toBe(
      'mamori-backup-20260401-000405.tar.gz',
    );
  });

  it('exit codes: 0 on success, 2 for bad arguments, 1 for a refused archive or database', async () => {
    const sourceKeys = path.join(work, 'source-keys');
    await fs.mkdir(sourceKeys);
    await fs.writeFile(path.join(sourceKeys, 'log-signing.key'), 'secret', { mode: 0o600 });
    await fs.writeFile(path.join(sourceKeys, 'log-signing.pub'), 'public\n');
    const file = path.join(work, 'cli.tar.gz');

    const made = context(source, sourceKeys);
    expect(await runCommand(backupCommand, ['--out', file], made.ctx)).toBe(0);
    expect(made.lines[0]).toBe(`wrote ${file}`);
    expect(made.lines.join('\n')).toMatch(
      new RegExp(`${tenant.code} 北杜市: operation log 1 entries, head [0-9a-f]{64}`),
    );
    // Never overwrites; unknown options are usage errors.
    expect(await runCommand(backupCommand, ['--out', file], made.ctx)).toBe(1);
    expect(await runCommand(backupCommand, ['--bogus'], made.ctx)).toBe(2);

    const targetKeys = path.join(work, 'target-keys');
    const restore = (args: string[], db = target) => {
      const c = context(db, targetKeys);
      return { run: runCommand(restoreCommand, args, c.ctx), lines: c.lines };
    };
    expect(await restore([]).run).toBe(2);
    expect(await restore(['--from']).run).toBe(2);
    expect(await restore(['--from', path.join(work, 'absent.tar.gz')]).run).toBe(1);

    const damaged = path.join(work, 'damaged.tar.gz');
    const bytes = await fs.readFile(file);
    bytes[Math.floor(bytes.length / 2)] = (bytes[Math.floor(bytes.length / 2)] ?? 0) ^ 0xff;
    await fs.writeFile(damaged, bytes);
    expect(await restore(['--from', damaged]).run).toBe(1);
    // A database with a tenant is refused.
    expect(await restore(['--from', file], source).run).toBe(1);

    const ok = restore(['--from', file]);
    expect(await ok.run).toBe(0);
    const head = made.lines.find((l) => l.startsWith(`  ${tenant.code}`))?.split('head ')[1];
    expect(ok.lines).toContain('log-signing.pub: restored (was absent)');
    expect(ok.lines).toContain('checkpoints.txt: not in the archive');
    expect(ok.lines.at(-1)).toBe(
      `${tenant.code} 北杜市: operation log 1 entries, head ${head ?? '?'} — matches the backup`,
    );
    await expect(fs.access(path.join(targetKeys, 'log-signing.key'))).rejects.toThrow();
    // Once restored, the database is no longer empty.
    expect(await restore(['--from', file]).run).toBe(1);
  });
});
