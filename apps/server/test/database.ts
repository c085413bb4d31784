import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../src/platform/db/database.js';
import { withDatabase } from './urls.js';

export interface TestDatabase {
  readonly name: string;
  readonly ownerUrl: string;
  readonly appUrl: string;
  /** The app role's pool: what requests and jobs use. */
  readonly app: Database;
  /** Drops the database. */
  drop(): Promise<void>;
}

/** A fresh database cloned from the migrated template, for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const info = inject('db');
  const name = `mamori_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: info.adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${info.template} OWNER mamori_owner`);
  } finally {
    await admin.end();
  }
  const appUrl = withDatabase(info, name, 'app');
  const app = openDatabase(appUrl, { max: 10 });
  return {
    name,
    ownerUrl: withDatabase(info, name, 'owner'),
    appUrl,
    app,
    drop: async () => {
      await app.close();
      const c = new pg.Client({ connectionString: info.adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
