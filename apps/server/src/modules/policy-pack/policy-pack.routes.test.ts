import type { PackVocabulary } from '@mamori/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAs, type SignedIn } from '../../../test/auth-as.js';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';
import { createTenant, type TestTenant } from '../../../test/factories.js';
import { createTestServer, type TestServer } from '../../../test/test-server.js';

let db: TestDatabase;
let server: TestServer;
let hokuto: TestTenant;
let kanagi: TestTenant;
let hokutoStaff: SignedIn;
let kanagiStaff: SignedIn;

beforeAll(async () => {
  db = await createTestDatabase();
  // A shared install: two municipalities on different packs, chosen by the /t/{code} prefix.
  server = await createTestServer(db.app, { MAMORI_TENANCY: 'shared' });
  hokuto = await createTenant(db.ownerUrl, { name: '架空市' });
  kanagi = await createTenant(db.ownerUrl, { name: '仮名木市', policyPackId: 'test-kanagi' });
  hokutoStaff = await signInAs(db.ownerUrl, hokuto.id);
  kanagiStaff = await signInAs(db.ownerUrl, kanagi.id);
});
afterAll(async () => {
  await server.app.close();
  await db.drop();
});

const url = (t: TestTenant) => `/t/${t.code}/api/policy-pack/vocabulary`;

async function vocabularyOf(t: TestTenant, who: SignedIn): Promise<PackVocabulary> {
  const res = await server.app.inject({ url: url(t), headers: who.headers });
  expect(res.statusCode).toBe(200);
  return res.json<PackVocabulary>();
}

const titleOf = (v: PackVocabulary, id: string) => v.roles.find((r) => r.id === id)?.titleJa;

describe('GET /api/policy-pack/vocabulary (issue 5: the pack names things, not the code)', () => {
  it('is 401 without a session', async () => {
    const res = await server.app.inject({ url: url(hokuto) });
    expect(res.statusCode).toBe(401);
  });

  it("is 401 with another tenant's session", async () => {
    const res = await server.app.inject({ url: url(kanagi), headers: hokutoStaff.headers });
    expect(res.statusCode).toBe(401);
  });

  it("gives staff the Hokuto pack's role titles, unit kinds, employment kinds and zones", async () => {
    const v = await vocabularyOf(hokuto, hokutoStaff);
    expect(v.pack).toMatchObject({
      id: 'hokuto',
      nameJa: expect.stringContaining('北杜市') as unknown,
    });
    // std-2.1.1, std-2.4.1: the policy's own titles, with their abbreviations.
    expect(v.roles.find((r) => r.id === 'ciso')).toEqual({
      id: 'ciso',
      titleJa: '最高情報セキュリティ責任者',
      titleEn: expect.any(String) as unknown,
      abbreviation: 'CISO',
      scope: 'tenant',
      cardinality: 'exactly_one',
      privileged: true,
      holderKind: 'person',
    });
    expect(titleOf(v, 'security_manager')).toBe('情報セキュリティ管理者');
    expect(titleOf(v, 'chief_security_officer')).toBe('統括情報セキュリティ責任者');
    expect(v.roles.find((r) => r.id === 'security_manager')?.abbreviation).toBeUndefined();
    expect(v.unitKinds.find((k) => k.id === 'section')).toEqual({
      id: 'section',
      labelJa: '課',
      labelEn: 'Section',
      actsAs: 'section',
      mayBeOutOfScope: false,
    });
    // pol-4.1: 学校及び病院を除く.
    expect(v.unitKinds.find((k) => k.id === 'school')?.mayBeOutOfScope).toBe(true);
    expect(v.employmentKinds.map((k) => k.labelJa)).toContain('非常勤及び臨時職員');
    expect(v.positionTitles.find((p) => p.id === 'section_chief')).toMatchObject({
      labelJa: '課長',
      headOf: 'section',
    });
    expect(v.zones.map((z) => z.id)).toEqual(['mynumber', 'lgwan', 'internet', 'offline']);
    expect(v.zones.find((z) => z.id === 'lgwan')?.labelJa).toBe('ＬＧＷＡＮ接続系');
  });

  it("gives a tenant on the test-kanagi pack that pack's titles and unit kinds (局/室/班)", async () => {
    const v = await vocabularyOf(kanagi, kanagiStaff);
    expect(v.pack.id).toBe('test-kanagi');
    expect(titleOf(v, 'ciso')).toBe('最高情報セキュリティ統括者');
    expect(titleOf(v, 'security_manager')).toBe('課情報セキュリティ管理者');
    expect(v.unitKinds.map((k) => [k.id, k.labelJa, k.actsAs])).toEqual([
      ['bureau', '局', 'department'],
      ['office', '室', 'section'],
      ['squad', '班', 'team'],
      ['clinic', '診療所', 'section'],
    ]);
    expect(v.unitKinds.map((k) => k.labelJa)).not.toContain('課');
    expect(v.employmentKinds.find((k) => k.id === 'non_regular')?.labelJa).toBe('会計年度任用職員');
    expect(v.positionTitles).toEqual([]);
  });
});
