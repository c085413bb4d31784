import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';
import {
  createAccount,
  createTenant,
  type TestAccount,
  type TestTenant,
} from '../../../test/factories.js';
import { tamper } from '../../../test/tamper.js';
import { inTenant, tenantScope } from '../db/database.js';
import { AppError } from '../errors.js';
import { encodeCsv } from '../export/csv.js';
import { verifyAnchoredRecords } from './anchors.js';
import { listLogReviews, recordLogReview } from './log-reviews.js';
import { exportOperationLogCsv } from './oplog-csv.js';
import { iterateOperationLog, listOperationLog } from './oplog.query.js';
import { recordOperation } from './oplog.service.js';

let db: TestDatabase;
let t: TestTenant;
let reviewer: TestAccount;
const inT = <T>(fn: Parameters<typeof inTenant<T>>[2]) => inTenant(db.app, tenantScope(t.id), fn);

beforeAll(async () => {
  db = await createTestDatabase();
  t = await createTenant(db.ownerUrl);
  reviewer = await createAccount(db.ownerUrl, t.id, { displayName: '監査 花子' });
  for (let i = 1; i <= 12; i++) {
    await inT((tx) =>
      recordOperation(
        tx,
        { type: 'account', id: i % 2 ? reviewer.id : 'someone-else' },
        {
          action: i % 3 ? 'asset.updated' : 'asset.created',
          subject: { type: 'information_asset', id: `asset-${String(i)}` },
          payload: { name: `住民記録〜${String(i)}` },
        },
      ),
    );
  }
});
afterAll(async () => {
  await db.drop();
});

describe('operation log viewer (std-7.1.6.3)', () => {
  it('lists newest first with keyset paging and per-entry verification', async () => {
    const first = await inT((tx) => listOperationLog(tx, {}, { limit: 5 }));
    expect(first.entries.map((e) => e.seq)).toEqual([12, 11, 10, 9, 8]);
    expect(first.entries.every((e) => e.verification === 'verified')).toBe(true);
    const second = await inT((tx) =>
      listOperationLog(tx, {}, { limit: 5, beforeSeq: first.nextBeforeSeq ?? 0 }),
    );
    expect(second.entries.map((e) => e.seq)).toEqual([7, 6, 5, 4, 3]);
    const last = await inT((tx) => listOperationLog(tx, {}, { limit: 5, beforeSeq: 3 }));
    expect(last).toMatchObject({ nextBeforeSeq: null });
    expect(last.entries.map((e) => e.seq)).toEqual([2, 1]);
  });

  it('filters by actor, action, subject and Tokyo calendar dates', async () => {
    const byActor = await inT((tx) =>
      listOperationLog(tx, { actorId: reviewer.id }, { limit: 50 }),
    );
    expect(byActor.entries).toHaveLength(6);
    const created = await inT((tx) =>
      listOperationLog(tx, { action: 'asset.created' }, { limit: 50 }),
    );
    expect(created.entries.map((e) => e.seq)).toEqual([12, 9, 6, 3]);
    const one = await inT((tx) =>
      listOperationLog(
        tx,
        { subjectType: 'information_asset', subjectId: 'asset-7' },
        { limit: 50 },
      ),
    );
    expect(one.entries.map((e) => e.seq)).toEqual([7]);
    const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo' }).format(new Date());
    const all = await inT((tx) =>
      listOperationLog(tx, { fromDate: today, toDate: today }, { limit: 50 }),
    );
    expect(all.entries).toHaveLength(12);
    const none = await inT((tx) =>
      listOperationLog(tx, { fromDate: '2000-01-01', toDate: '2000-01-31' }, { limit: 50 }),
    );
    expect(none.entries).toHaveLength(0);
  });

  it('marks an edited entry as broken', async () => {
    const other = await createTenant(db.ownerUrl);
    for (let i = 0; i < 3; i++) {
      await inTenant(db.app, tenantScope(other.id), (tx) =>
        recordOperation(
          tx,
          { type: 'system', id: 'test' },
          { action: 'x.y', subject: { type: 't', id: String(i) }, payload: i },
        ),
      );
    }
    await tamper(db.ownerUrl, other.id, [
      `UPDATE operation_log SET subject_id = 'forged' WHERE seq = 2`,
    ]);
    const page = await inTenant(db.app, tenantScope(other.id), (tx) =>
      listOperationLog(tx, {}, { limit: 10 }),
    );
    expect(page.entries.map((e) => [e.seq, e.verification])).toEqual([
      [3, 'verified'],
      [2, 'broken'],
      [1, 'verified'],
    ]);
  });

  it('iterates oldest first across batches', async () => {
    const seqs: number[] = [];
    await inT(async (tx) => {
      for await (const e of iterateOperationLog(tx, {}, 5)) seqs.push(e.seq);
    });
    expect(seqs).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });
});

describe('CSV export (Excel: UTF-8 with BOM or Shift_JIS)', () => {
  it('UTF-8 starts with a BOM and has the Japanese header', async () => {
    const csv = await inT((tx) => exportOperationLogCsv(tx, {}, 'utf8-bom'));
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = csv.subarray(3).toString('utf8');
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      '連番,日時（日本時間）,操作者種別,操作者,操作,対象種別,対象ID,ペイロードダイジェスト,ハッシュ,検証,署名済みチェックポイント',
    );
    expect(lines).toHaveLength(13);
    expect(lines[1]).toMatch(/^1,\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3},account,/);
    expect(lines[1]).toContain('検証済み');
  });

  it('Shift_JIS (CP932) decodes back to the same text', async () => {
    const csv = await inT((tx) => exportOperationLogCsv(tx, {}, 'cp932'));
    const text = iconv.decode(csv, 'cp932');
    expect(text.startsWith('連番,日時（日本時間）')).toBe(true);
  });

  it('maps 〜 to the CP932 ～ and refuses characters Shift_JIS cannot hold, naming where', () => {
    const ok = iconv.decode(encodeCsv(['件名'], [['9時〜17時']], 'cp932'), 'cp932');
    expect(ok).toContain('9時～17時');
    const err = (() => {
      try {
        encodeCsv(['件名', '備考'], [['ok', '𠮷野家']], 'cp932');
        return null;
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('export_unencodable');
    expect((err as AppError).details).toMatchObject({ row: 2, column: 'B 備考', character: '𠮷' });
  });

  it('quotes commas, quotes and newlines (RFC 4180)', () => {
    const text = encodeCsv(['a'], [['x,"y"\nz']], 'utf8-bom')
      .subarray(3)
      .toString('utf8');
    expect(text).toBe('a\r\n"x,""y""\nz"\r\n');
  });
});

describe('log reviews (std-7.1.6.3)', () => {
  it('records who reviewed which range, anchored in the log', async () => {
    const r = await inT((tx) =>
      recordLogReview(tx, reviewer.id, {
        periodFrom: '2026-11-01',
        periodTo: '2026-11-30',
        fromSeq: 1,
        toSeq: 12,
        result: 'findings',
        findings: '深夜の一括更新を確認。担当課に照会済み。',
      }),
    );
    expect(r.logSeq).toBe(13);
    const reviews = await inT((tx) => listLogReviews(tx));
    expect(reviews).toHaveLength(1);
    expect(reviews[0]).toMatchObject({
      fromSeq: 1,
      toSeq: 12,
      result: 'findings',
      reviewedBy: reviewer.id,
    });
    expect(await inT((tx) => verifyAnchoredRecords(tx))).toMatchObject({ problem: null });
  });

  it('refuses a range beyond the log, a reversed range, or findings left empty', async () => {
    for (const bad of [
      { fromSeq: 1, toSeq: 999, result: 'no_issues' as const, findings: '' },
      { fromSeq: 5, toSeq: 2, result: 'no_issues' as const, findings: '' },
      { fromSeq: 1, toSeq: 2, result: 'findings' as const, findings: '  ' },
    ]) {
      const err = await inT((tx) =>
        recordLogReview(tx, reviewer.id, {
          periodFrom: '2026-11-01',
          periodTo: '2026-11-30',
          ...bad,
        }),
      ).catch((e: unknown) => e);
      expect((err as AppError).code).toBe('validation_failed');
    }
  });

  it('a review edited in SQL afterwards is caught', async () => {
    const [review] = await inT((tx) => listLogReviews(tx));
    await tamper(db.ownerUrl, t.id, [
      `UPDATE log_reviews SET result = 'no_issues', findings = '' WHERE id = '${review?.id ?? ''}'`,
    ]);
    const v = await inT((tx) => verifyAnchoredRecords(tx));
    expect(v.problem).toMatchObject({ recordType: 'log_review', recordId: review?.id });
  });
});
