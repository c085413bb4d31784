import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';
import { createTenant, type TestTenant } from '../../../test/factories.js';
import { inTenant, tenantScope } from '../db/database.js';
import { verifyChain } from './verify-chain.js';

// A writer process killed with SIGKILL in the middle of a write: the business
// row and its log entry are in one transaction, so both exist or neither does.

let db: TestDatabase;
let t: TestTenant;
beforeAll(async () => {
  db = await createTestDatabase();
  t = await createTenant(db.ownerUrl);
});
afterAll(async () => {
  await db.drop();
});

/** A separate node process that writes an account and its log entry, then waits. */
function writer(login: string, commit: boolean) {
  const script = `
    // payload {} and its RFC 8785 digest (sha256 of the two bytes '{}')
    const pg = require('pg');
    const c = new pg.Client({ connectionString: process.env.URL });
    (async () => {
      await c.connect();
      await c.query('BEGIN');
      await c.query("SELECT set_config('app.tenant_id', $1, true)", [process.env.TENANT]);
      const a = await c.query("INSERT INTO accounts (tenant_id, login_name, display_name, password_hash) VALUES ($1, $2, '試験', 'x') RETURNING id", [process.env.TENANT, process.env.LOGIN]);
      await c.query("SELECT * FROM mamori_log_append($1, 'system', 'crash-test', 'account.created', 'account', $2, '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a', '{}'::jsonb)", [process.env.TENANT, a.rows[0].id]);
      if (process.env.COMMIT === '1') await c.query('COMMIT');
      console.log('ready');
      setInterval(() => {}, 1000);
    })().catch((e) => { console.error(e); process.exit(1); });`;
  const child = spawn(process.execPath, ['-e', script], {
    env: { ...process.env, URL: db.appUrl, TENANT: t.id, LOGIN: login, COMMIT: commit ? '1' : '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line === 'ready') resolve();
    });
    child.on('exit', (code) => {
      reject(new Error(`writer exited early (${String(code)})`));
    });
  });
  const killed = new Promise<void>((resolve) =>
    child.on('exit', () => {
      resolve();
    }),
  );
  return { ready, kill: () => child.kill('SIGKILL'), killed };
}

async function state(login: string) {
  return inTenant(db.app, tenantScope(t.id), async (tx) => {
    const acc = await tx.execute<{ id: string }>(
      sql`SELECT id FROM accounts WHERE login_name = ${login}`,
    );
    const id = acc.rows[0]?.id ?? '00000000-0000-0000-0000-000000000000';
    const log = await tx.execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM operation_log WHERE subject_id = ${id}`,
    );
    return { account: acc.rows.length, entries: log.rows[0]?.n ?? 0, chain: await verifyChain(tx) };
  });
}

async function waitForBackendGone(): Promise<void> {
  // The server notices the dead client and rolls its transaction back.
  for (let i = 0; i < 100; i++) {
    const r = await db.app.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'`,
    );
    if (r.rows[0]?.n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('kill -9 during a write (std-7.1.4.2)', () => {
  it('before commit: neither the business row nor its log entry', async () => {
    const w = writer('crash-before', false);
    await w.ready;
    w.kill();
    await w.killed;
    await waitForBackendGone();
    const s = await state('crash-before');
    expect([s.account, s.entries]).toEqual([0, 0]);
    expect(s.chain.problem).toBeNull();
  });

  it('after commit: both, and the chain verifies', async () => {
    const w = writer('crash-after', true);
    await w.ready;
    w.kill();
    await w.killed;
    const s = await state('crash-after');
    expect([s.account, s.entries]).toEqual([1, 1]);
    expect(s.chain).toMatchObject({ size: 1, problem: null });
  });
});
