import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

describe('database', () => {
  it('stores text as UTF8 so Japanese is checked, not stored as SQL_ASCII bytes', async () => {
    const r = await db.app.pool.query<{ server_encoding: string; enc: string }>(
      `SELECT current_setting('server_encoding') AS server_encoding,
              pg_encoding_to_char(encoding) AS enc FROM pg_database WHERE datname = current_database()`,
    );
    expect(r.rows[0]).toEqual({ server_encoding: 'UTF8', enc: 'UTF8' });
    const jp = await db.app.pool.query<{ s: string; n: number }>(
      `SELECT $1::text AS s, length($1::text) AS n`,
      ['北杜市情報セキュリティ'],
    );
    expect(jp.rows[0]).toEqual({ s: '北杜市情報セキュリティ', n: 11 });
  });
});
