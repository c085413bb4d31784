import canonicalize from 'canonicalize';
import fc from 'fast-check';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';
import { createTenant, type TestTenant } from '../../../test/factories.js';
import { tamper } from '../../../test/tamper.js';
import { inTenant, tenantScope } from '../db/database.js';
import { chainHash, entryCanonicalBytes, GENESIS_HASH, payloadDigest } from './canonical.js';
import { recordOperation, type Actor } from './oplog.service.js';
import { verifyChain } from './verify-chain.js';

const noNul = (s: string) => s.replaceAll('\u0000', '');

let db: TestDatabase;
let a: TestTenant;
const actor: Actor = { type: 'account', id: '00000000-0000-4000-8000-000000000001' };

beforeAll(async () => {
  db = await createTestDatabase();
  a = await createTenant(db.ownerUrl);
});
afterAll(async () => {
  await db.drop();
});

const inT = <T>(t: TestTenant, fn: Parameters<typeof inTenant<T>>[2]) =>
  inTenant(db.app, tenantScope(t.id), fn);

async function appendMany(t: TestTenant, n: number, label = 'x'): Promise<void> {
  for (let i = 0; i < n; i++) {
    await inT(t, (tx) =>
      recordOperation(tx, actor, {
        action: 'test.recorded',
        subject: { type: 'test', id: `${label}-${String(i)}` },
        payload: { i, 名前: `試験${String(i)}` },
      }),
    );
  }
}

describe('canonical form (std-7.1.4.2)', () => {
  it('the database computes exactly the RFC 8785 bytes Node computes', async () => {
    await fc.assert(
      // Any text PostgreSQL can hold (no NUL): Japanese, emoji, controls, quotes, backslashes.
      fc.asyncProperty(
        fc.string({ unit: 'grapheme' }).map(noNul),
        fc.string({ unit: 'grapheme-ascii' }).map(noNul),
        async (action, subject) => {
          const fields = {
            tenant: a.id,
            seq: '42',
            logged_at: '2026-11-25T09:00:00.123Z',
            actor_type: 'account',
            actor_id: subject,
            action,
            subject_type: 'test',
            subject_id: `${action}\u0001\u001f"\\\n\u2028\u007f`,
            payload_digest: 'ab',
          };
          const r = await db.app.pool.query<{ c: Buffer }>(
            `SELECT convert_to(mamori_log_canonical($1, 42, '2026-11-25T09:00:00.123Z', 'account', $2, $3, 'test', $4, 'ab'), 'UTF8') AS c`,
            [a.id, subject, action, fields.subject_id],
          );
          expect(r.rows[0]?.c.toString('utf8')).toBe(canonicalize(fields));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('hashes the same whatever the session time zone', async () => {
    const at = async (tz: string) => {
      const c = await db.app.pool.connect();
      try {
        await c.query(`SET TimeZone = '${tz}'`);
        const r = await c.query<{ c: string }>(
          `SELECT mamori_log_canonical($1, 1, '2026-04-01T00:30:00+09:00', 'system', 'x', 'a.b', 't', 'i', 'd') AS c`,
          [a.id],
        );
        return r.rows[0]?.c;
      } finally {
        await c.query('RESET TimeZone');
        c.release();
      }
    };
    const tokyo = await at('Asia/Tokyo');
    expect(tokyo).toBe(await at('UTC'));
    expect(tokyo).toContain('"logged_at":"2026-03-31T15:30:00.000Z"');
  });

  it('payload digests ignore key order and NFC/NFD, and keep string boundaries', () => {
    expect(payloadDigest({ b: 1, a: 'ガ' })).toBe(payloadDigest({ a: 'カ\u3099', b: 1 }));
    expect(payloadDigest(['ab', 'c'])).not.toBe(payloadDigest(['a', 'bc']));
  });
});

describe('append', () => {
  it('chains entries: seq from 1, prev = previous hash, hash = SHA-256(prev ‖ canonical)', async () => {
    const t = await createTenant(db.ownerUrl);
    await appendMany(t, 3);
    const rows = await inT(t, (tx) =>
      tx.execute<{
        seq: string;
        prev_hash: Buffer;
        hash: Buffer;
        canonical: Buffer;
        logged_at: string;
        payload_digest: string;
        subject_id: string;
      }>(
        sql`SELECT seq::text, prev_hash, hash, canonical, payload_digest, subject_id,
                   to_char(logged_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS logged_at
              FROM operation_log ORDER BY seq`,
      ),
    );
    let prev = GENESIS_HASH;
    rows.rows.forEach((r, i) => {
      expect(r.seq).toBe(String(i + 1));
      expect(r.prev_hash.equals(prev)).toBe(true);
      const canonical = entryCanonicalBytes({
        tenant: t.id,
        seq: r.seq,
        logged_at: r.logged_at,
        actor_type: actor.type,
        actor_id: actor.id,
        action: 'test.recorded',
        subject_type: 'test',
        subject_id: r.subject_id,
        payload_digest: r.payload_digest,
      });
      expect(r.canonical.equals(canonical)).toBe(true);
      expect(r.hash.equals(chainHash(prev, canonical))).toBe(true);
      prev = r.hash;
    });
    const v = await inT(t, (tx) => verifyChain(tx));
    expect(v).toMatchObject({ size: 3, problem: null });
    expect(v.headHash?.equals(prev)).toBe(true);
  });

  it('a rolled-back transaction leaves no entry and no gap', async () => {
    const t = await createTenant(db.ownerUrl);
    await appendMany(t, 1);
    await expect(
      inT(t, async (tx) => {
        await recordOperation(tx, actor, {
          action: 'test.recorded',
          subject: { type: 't', id: '1' },
          payload: null,
        });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    await appendMany(t, 1, 'after');
    expect(await inT(t, (tx) => verifyChain(tx))).toMatchObject({ size: 2, problem: null });
  });

  it('50 concurrent writers × 20 entries on one tenant: contiguous, no fork, verifies', async () => {
    const t = await createTenant(db.ownerUrl);
    await Promise.all(Array.from({ length: 50 }, (_, w) => appendMany(t, 20, `w${String(w)}`)));
    const v = await inT(t, (tx) => verifyChain(tx));
    expect(v).toMatchObject({ size: 1000, problem: null });
  });

  it('the app role cannot UPDATE, DELETE or TRUNCATE the log', async () => {
    await appendMany(a, 2);
    for (const statement of [
      `UPDATE operation_log SET action = 'x.y'`,
      `DELETE FROM operation_log`,
      `TRUNCATE operation_log CASCADE`,
      `DELETE FROM operation_log_payloads`,
      `UPDATE operation_log_payloads SET payload = '{"forged":true}'`,
    ]) {
      await expect(
        inT(a, (tx) => tx.execute(sql.raw(statement))),
        statement,
      ).rejects.toThrow();
    }
    expect(await inT(a, (tx) => verifyChain(tx))).toMatchObject({ problem: null });
  });

  it('the owner is stopped by the triggers too', async () => {
    const c = new pg.Client({ connectionString: db.ownerUrl });
    await c.connect();
    try {
      await c.query('BEGIN');
      await c.query(`SELECT set_config('app.tenant_id', $1, true)`, [a.id]);
      await expect(c.query('DELETE FROM operation_log WHERE seq = 1')).rejects.toThrow(
        /append-only/,
      );
      await c.query('ROLLBACK');
    } finally {
      await c.end();
    }
  });
});

describe('verify catches tampering (std-7.1.4.2)', () => {
  async function tamperedTenant(n = 6): Promise<TestTenant> {
    const t = await createTenant(db.ownerUrl);
    await appendMany(t, n);
    return t;
  }
  const verify = (t: TestTenant) => inT(t, (tx) => verifyChain(tx)).then((v) => v.problem);

  it('an edited payload digest', async () => {
    const t = await tamperedTenant();
    await tamper(db.ownerUrl, t.id, [
      `UPDATE operation_log SET payload_digest = repeat('0', 64) WHERE seq = 3`,
    ]);
    expect(await verify(t)).toMatchObject({ seq: 3, kind: 'fields' });
  });

  it('an edited payload', async () => {
    const t = await tamperedTenant();
    await tamper(db.ownerUrl, t.id, [
      `UPDATE operation_log_payloads SET payload = '{"i":99}' WHERE seq = 4`,
    ]);
    expect(await verify(t)).toMatchObject({ seq: 4, kind: 'payload' });
  });

  it('a deleted middle row', async () => {
    const t = await tamperedTenant();
    await tamper(db.ownerUrl, t.id, [
      `DELETE FROM operation_log_payloads WHERE seq = 3`,
      `DELETE FROM operation_log WHERE seq = 3`,
    ]);
    expect(await verify(t)).toMatchObject({ seq: 4, kind: 'gap' });
  });

  it('two rows swapped', async () => {
    const t = await tamperedTenant();
    await tamper(db.ownerUrl, t.id, [
      `ALTER TABLE operation_log_payloads DROP CONSTRAINT operation_log_payloads_tenant_id_seq_operation_log_tenant_id_seq_fk`,
      `UPDATE operation_log SET seq = -2 WHERE seq = 2`,
      `UPDATE operation_log SET seq = 2 WHERE seq = 5`,
      `UPDATE operation_log SET seq = 5 WHERE seq = -2`,
    ]);
    expect(await verify(t)).toMatchObject({ seq: 2, kind: 'fields' });
  });

  it('a forged row appended without recomputing', async () => {
    const t = await tamperedTenant(3);
    await tamper(db.ownerUrl, t.id, [
      `INSERT INTO operation_log SELECT tenant_id, 4, logged_at, actor_type, actor_id, 'test.forged', subject_type, subject_id, payload_digest, hash, hash, canonical FROM operation_log WHERE seq = 3`,
    ]);
    expect(await verify(t)).toMatchObject({ seq: 4, kind: 'fields' });
  });

  it('a truncated tail (the head says longer)', async () => {
    const t = await tamperedTenant();
    await tamper(db.ownerUrl, t.id, [
      `DELETE FROM operation_log_payloads WHERE seq >= 5`,
      `DELETE FROM operation_log WHERE seq >= 5`,
    ]);
    expect(await verify(t)).toMatchObject({ seq: 5, kind: 'head' });
  });
});
