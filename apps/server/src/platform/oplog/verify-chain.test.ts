import canonicalize from 'canonicalize';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';
import { createTenant, type TestTenant } from '../../../test/factories.js';
import { tamper } from '../../../test/tamper.js';
import { inTenant, tenantScope } from '../db/database.js';
import { recordOperation, type Actor } from './oplog.service.js';
import { verifyChain } from './verify-chain.js';

// verifyChain's per-entry `fields` check (mamori_log_fields_match, migration 0012)
// and the ordering of its two passes (std-7.1.4.2). The tamper suite of
// oplog.test.ts and verify-log.test.ts covers each problem kind on its own.

const noNul = (s: string) => s.replaceAll('\u0000', '');
// Every character RFC 8785 escapes, and some it must leave alone: DEL, the
// line/paragraph separators, a non-BMP character, NFD and NFC kana.
const SPECIAL = [
  ...Array.from({ length: 31 }, (_, i) => String.fromCharCode(i + 1)),
  '"',
  '\\',
  '\u007f',
  '\u2028',
  '\u2029',
  '𠮷',
  '😀',
  'カ\u3099',
  'ガ',
  '/',
  '\\u0022',
];

let db: TestDatabase;
let owner: pg.Client;
let a: TestTenant;
const actor: Actor = { type: 'account', id: '00000000-0000-4000-8000-000000000001' };

beforeAll(async () => {
  db = await createTestDatabase();
  a = await createTenant(db.ownerUrl);
  owner = new pg.Client({ connectionString: db.ownerUrl });
  await owner.connect();
});
afterAll(async () => {
  await owner.end();
  await db.drop();
});

const inT = <T>(t: TestTenant, fn: Parameters<typeof inTenant<T>>[2]) =>
  inTenant(db.app, tenantScope(t.id), fn);
const verify = (t: TestTenant) => inT(t, (tx) => verifyChain(tx)).then((v) => v.problem);

interface Fields {
  actor_id: string;
  action: string;
  subject_id: string;
}

/** The canonical text with no escaping at all: what a careless forger would store. */
function unescaped(f: Fields): string {
  return (
    `{"action":"${f.action}","actor_id":"${f.actor_id}","actor_type":"account",` +
    `"logged_at":"2026-11-25T09:00:00.123Z","payload_digest":"ab","seq":"42",` +
    `"subject_id":"${f.subject_id}","subject_type":"test","tenant":"${a.id}"}`
  );
}

/** mamori_log_fields_match(canonical, fields) and the full canonical form, in SQL. */
async function sqlCheck(
  f: Fields,
  canonical: string,
  timeZone = 'UTC',
): Promise<{ match: boolean | null; full: string }> {
  await owner.query('BEGIN');
  try {
    await owner.query(`SELECT set_config('TimeZone', $1, true)`, [timeZone]);
    const r = await owner.query<{ match: boolean | null; full: string }>(
      `SELECT mamori_log_fields_match(convert_to($5, 'UTF8'), $1, 42, '2026-11-25T18:00:00.123+09:00',
                'account', $2, $3, 'test', $4, 'ab') AS match,
              mamori_log_canonical($1, 42, '2026-11-25T18:00:00.123+09:00', 'account', $2, $3,
                'test', $4, 'ab') AS full`,
      [a.id, f.actor_id, f.action, f.subject_id, canonical],
    );
    const row = r.rows[0];
    if (!row) throw new Error('no row');
    return row;
  } finally {
    await owner.query('COMMIT');
  }
}

describe('the fields check (std-7.1.4.2)', () => {
  it('matches exactly the RFC 8785 bytes Node computes, and nothing else', async () => {
    const text = fc.oneof(
      fc.string({ unit: 'grapheme' }).map(noNul),
      fc.array(fc.constantFrom(...SPECIAL, 'a', 'あ', ' ')).map((xs) => xs.join('')),
    );
    await fc.assert(
      fc.asyncProperty(text, text, text, async (action, actorId, subjectId) => {
        const f = { action, actor_id: actorId, subject_id: subjectId };
        const jcs = canonicalize({
          tenant: a.id,
          seq: '42',
          logged_at: '2026-11-25T09:00:00.123Z',
          actor_type: 'account',
          actor_id: actorId,
          action,
          subject_type: 'test',
          subject_id: subjectId,
          payload_digest: 'ab',
        });
        if (jcs === undefined) throw new Error('not canonicalizable');
        const right = await sqlCheck(f, jcs);
        expect(right.full).toBe(jcs);
        expect(right.match).toBe(true);
        // Stored bytes without escaping match only when escaping changes nothing.
        const forged = unescaped(f);
        expect((await sqlCheck(f, forged)).match).toBe(forged === jcs);
      }),
      { numRuns: 200 },
    );
  });

  it('gives the same answer whatever the session time zone', async () => {
    const f = { action: 'a.b', actor_id: 'x', subject_id: 'y' };
    for (const tz of ['Asia/Tokyo', 'UTC', 'America/Los_Angeles']) {
      expect(await sqlCheck(f, unescaped(f), tz), tz).toEqual({
        match: true,
        full: unescaped(f),
      });
      const other = { ...f, subject_id: 'z' };
      expect((await sqlCheck(other, unescaped(f), tz)).match, tz).toBe(false);
    }
  });

  it('a chain whose fields need escaping verifies, and an edit of them is caught', async () => {
    const t = await createTenant(db.ownerUrl);
    for (const id of [
      '"quoted"',
      'back\\slash',
      'line\nfeed\u2028',
      '\u0001\u001f\u007f',
      'カ\u3099😀',
    ]) {
      await inT(t, (tx) =>
        recordOperation(
          tx,
          { type: 'account', id: `actor ${id}` },
          {
            action: 'test.recorded',
            subject: { type: 'test', id },
            payload: { id },
          },
        ),
      );
    }
    expect(await inT(t, (tx) => verifyChain(tx))).toMatchObject({ size: 5, problem: null });
    await tamper(db.ownerUrl, t.id, [
      `UPDATE operation_log SET subject_id = 'back\\\\slash' WHERE seq = 2`,
    ]);
    expect(await verify(t)).toMatchObject({ seq: 2, kind: 'fields' });
  });

  it('a rewritten entry stored without escaping is caught even with its hash recomputed', async () => {
    // 'plain' needs no escaping: its rewrite is byte-identical and verifies, which
    // shows the rewrite below is the exact canonical form but for the escaping.
    for (const [injected, expected] of [
      ['plain', null],
      ['x","injected":"y', { seq: 3, kind: 'fields' }],
      ['x\ny', { seq: 3, kind: 'fields' }],
      ['x\u0001y', { seq: 3, kind: 'fields' }],
    ] as const) {
      const t = await createTenant(db.ownerUrl);
      await appendMany(t, 3);
      const forged = `'{"action":"test.recorded","actor_id":"' || actor_id || '","actor_type":"account","logged_at":"' || to_char(logged_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '","payload_digest":"' || payload_digest || '","seq":"3","subject_id":"' || subject_id || '","subject_type":"test","tenant":"' || tenant_id || '"}'`;
      await tamper(db.ownerUrl, t.id, [
        `UPDATE operation_log SET subject_id = ${owner.escapeLiteral(injected)} WHERE seq = 3`,
        `UPDATE operation_log SET canonical = convert_to(${forged}, 'UTF8') WHERE seq = 3`,
        `UPDATE operation_log SET hash = sha256(prev_hash || canonical) WHERE seq = 3`,
      ]);
      const found = await verify(t);
      if (expected) expect(found, JSON.stringify(injected)).toMatchObject(expected);
      else expect(found, injected).toBeNull();
    }
  });

  it('a column set to NULL is a fields problem', async () => {
    const t = await createTenant(db.ownerUrl);
    await appendMany(t, 3);
    await tamper(db.ownerUrl, t.id, [
      `ALTER TABLE operation_log ALTER COLUMN subject_id DROP NOT NULL`,
      `UPDATE operation_log SET subject_id = NULL WHERE seq = 2`,
    ]);
    try {
      expect(await verify(t)).toMatchObject({ seq: 2, kind: 'fields' });
    } finally {
      await tamper(db.ownerUrl, t.id, [
        `UPDATE operation_log SET subject_id = '' WHERE subject_id IS NULL`,
        `ALTER TABLE operation_log ALTER COLUMN subject_id SET NOT NULL`,
      ]);
    }
  });
});

async function appendMany(t: TestTenant, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await inT(t, (tx) =>
      recordOperation(tx, actor, {
        action: 'test.recorded',
        subject: { type: 'test', id: `s-${String(i)}` },
        payload: { i },
      }),
    );
  }
}

describe('the first problem of several (std-7.1.4.2)', () => {
  it('names the smallest seq across both passes', async () => {
    const t = await createTenant(db.ownerUrl);
    await appendMany(t, 8);
    await tamper(db.ownerUrl, t.id, [
      `UPDATE operation_log SET payload_digest = repeat('0', 64) WHERE seq = 6`,
      `DELETE FROM operation_log_payloads WHERE seq = 4`,
      `DELETE FROM operation_log WHERE seq = 4`,
    ]);
    expect(await verify(t)).toMatchObject({ seq: 5, kind: 'gap' });
    const u = await createTenant(db.ownerUrl);
    await appendMany(u, 8);
    await tamper(db.ownerUrl, u.id, [
      `UPDATE operation_log SET payload_digest = repeat('0', 64) WHERE seq = 3`,
      `DELETE FROM operation_log_payloads WHERE seq = 6`,
      `DELETE FROM operation_log WHERE seq = 6`,
    ]);
    expect(await verify(u)).toMatchObject({ seq: 3, kind: 'fields' });
  });

  it('ranks the kinds on one entry: link before hash', async () => {
    const t = await createTenant(db.ownerUrl);
    await appendMany(t, 5);
    await tamper(db.ownerUrl, t.id, [`UPDATE operation_log SET hash = sha256(hash) WHERE seq = 4`]);
    // seq 4 no longer hashes to its hash; seq 5 no longer links to it.
    expect(await verify(t)).toMatchObject({ seq: 4, kind: 'hash' });
    const u = await createTenant(db.ownerUrl);
    await appendMany(u, 5);
    await tamper(db.ownerUrl, u.id, [
      `UPDATE operation_log SET prev_hash = sha256(prev_hash) WHERE seq = 3`,
    ]);
    // seq 3 both fails to link and to hash: link is named.
    expect(await verify(u)).toMatchObject({ seq: 3, kind: 'link' });
  });

  it('a duplicated entry (primary key dropped) is a gap', async () => {
    const t = await createTenant(db.ownerUrl);
    await appendMany(t, 4);
    await tamper(db.ownerUrl, t.id, [
      `ALTER TABLE operation_log_payloads DROP CONSTRAINT operation_log_payloads_tenant_id_seq_operation_log_tenant_id_seq_fk`,
      `ALTER TABLE operation_log DROP CONSTRAINT operation_log_tenant_id_seq_pk CASCADE`,
      `INSERT INTO operation_log SELECT * FROM operation_log WHERE seq = 2`,
    ]);
    expect(await verify(t)).toMatchObject({ seq: 2, kind: 'gap' });
  });
});
