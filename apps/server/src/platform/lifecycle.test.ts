import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/database.js';
import { withDatabase } from '../../test/urls.js';
import { loadConfig, repoRoot } from './config.js';
import { openRuntime, StartupError } from './lifecycle.js';
import { PolicyPackLoadError } from './policy-pack-registry.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

describe('start-up checks', () => {
  it('starts on an external database with separate owner and app roles', async () => {
    const config = loadConfig({
      DATABASE_URL: db.ownerUrl,
      DATABASE_APP_URL: db.appUrl,
      LOG_LEVEL: 'silent',
    });
    const runtime = await openRuntime({ applicationName: 'mamori-test', config });
    try {
      expect(runtime.target.embedded).toBeNull();
      expect(runtime.packs.default.manifest.id).toBe('hokuto');
      const who = await runtime.db.pool.query<{ u: string }>('SELECT current_user AS u');
      expect(who.rows[0]?.u).toBe('mamori_app');
    } finally {
      await runtime.close();
    }
  });

  it('refuses to start when the app role owns the tables (DATABASE_APP_URL = the owner)', async () => {
    const config = loadConfig({
      DATABASE_URL: db.ownerUrl,
      DATABASE_APP_URL: db.ownerUrl,
      LOG_LEVEL: 'silent',
    });
    const err = await openRuntime({ applicationName: 'mamori-test', config }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StartupError);
    expect((err as Error).message).toMatch(/could bypass row-level security[\s\S]*owns relation/);
  });

  it('refuses to start when the app role is a superuser', async () => {
    const superuser = withDatabase(inject('db'), db.name, 'admin');
    const config = loadConfig({
      DATABASE_URL: db.ownerUrl,
      DATABASE_APP_URL: superuser,
      LOG_LEVEL: 'silent',
    });
    const err = await openRuntime({ applicationName: 'mamori-test', config }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StartupError);
    expect((err as Error).message).toMatch(/is a superuser/);
  });

  it('an invalid policy pack stops start-up naming file, path and problem', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mamori-packs-'));
    try {
      await fs.cp(path.join(repoRoot, 'policy-packs/hokuto'), path.join(dir, 'hokuto'), {
        recursive: true,
      });
      const file = path.join(dir, 'hokuto', 'classification.yaml');
      const text = await fs.readFile(file, 'utf8');
      await fs.writeFile(file, text.replace(/inherits: '2'/, "inherits: '9'"));
      const config = loadConfig({
        DATABASE_URL: db.ownerUrl,
        DATABASE_APP_URL: db.appUrl,
        MAMORI_POLICY_PACKS_DIR: dir,
        LOG_LEVEL: 'silent',
      });
      const err = await openRuntime({ applicationName: 'mamori-test', config }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(PolicyPackLoadError);
      expect((err as Error).message).toMatch(
        /classification\.yaml: axes\.confidentiality\.levels\[\d\]\.inherits: .*"9"/,
      );
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
