import path from 'node:path';
import pg from 'pg';
import { readDurationSetting, readIntegerSetting } from '@mamori/policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';
import {
  createAccount,
  createTenant,
  type TestAccount,
  type TestTenant,
} from '../../../test/factories.js';
import { repoRoot } from '../config.js';
import { inTenant, tenantScope } from '../db/database.js';
import { AppError } from '../errors.js';
import { loadPolicyPack, type LoadedPolicyPack } from '../policy-pack/index.js';
import { verifyAnchoredRecords } from '../oplog/anchors.js';
import { verifyChain } from '../oplog/verify-chain.js';
import { changeSetting, getEffectiveSettings, settingHistory } from './settings.service.js';
import { temporaryPasswordLifetimeHours } from './pack-settings.js';

let db: TestDatabase;
let pack: LoadedPolicyPack;
let a: TestTenant;
let b: TestTenant;
let actorA: TestAccount;

beforeAll(async () => {
  db = await createTestDatabase();
  pack = await loadPolicyPack(path.join(repoRoot, 'policy-packs/hokuto'));
  a = await createTenant(db.ownerUrl);
  b = await createTenant(db.ownerUrl);
  actorA = await createAccount(db.ownerUrl, a.id);
});
afterAll(async () => {
  await db.drop();
});

const inA = <T>(fn: Parameters<typeof inTenant<T>>[2]) => inTenant(db.app, tenantScope(a.id), fn);
const inB = <T>(fn: Parameters<typeof inTenant<T>>[2]) => inTenant(db.app, tenantScope(b.id), fn);

describe('settings (decisions.md defaults, per-tenant versioned overrides)', () => {
  it('starts from the pack defaults', async () => {
    const s = await inA((tx) => getEffectiveSettings(tx, pack));
    expect(s.issues).toEqual([]);
    expect(readIntegerSetting(s, 'auth.lockout.threshold')).toBe(10);
    expect(readDurationSetting(s, 'auth.temporary_password.lifetime')).toEqual({
      amount: 72,
      unit: 'hours',
    });
    expect(temporaryPasswordLifetimeHours(pack)).toBe(72);
  });

  it('an override is versioned, applies to its tenant only, and can return to the default', async () => {
    await inA((tx) =>
      changeSetting(tx, pack, {
        key: 'auth.lockout.threshold',
        value: 5,
        reason: '監査指摘により厳格化',
        actorAccountId: actorA.id,
      }),
    );
    await inA((tx) =>
      changeSetting(tx, pack, {
        key: 'auth.lockout.threshold',
        value: 6,
        reason: '運用調整',
        actorAccountId: actorA.id,
      }),
    );
    expect(
      readIntegerSetting(
        await inA((tx) => getEffectiveSettings(tx, pack)),
        'auth.lockout.threshold',
      ),
    ).toBe(6);
    expect(
      readIntegerSetting(
        await inB((tx) => getEffectiveSettings(tx, pack)),
        'auth.lockout.threshold',
      ),
    ).toBe(10);

    await inA((tx) =>
      changeSetting(tx, pack, {
        key: 'auth.lockout.threshold',
        value: null,
        reason: '既定値に戻す',
        actorAccountId: actorA.id,
      }),
    );
    const s = await inA((tx) => getEffectiveSettings(tx, pack));
    expect(readIntegerSetting(s, 'auth.lockout.threshold')).toBe(10);
    expect(s.settings.get('auth.lockout.threshold')?.source).toBe('default');
    const history = await inA((tx) => settingHistory(tx, 'auth.lockout.threshold'));
    expect(history.map((h) => [h.version, h.value])).toEqual([
      [3, null],
      [2, 6],
      [1, 5],
    ]);
    // Tenant B sees none of A's history.
    expect(await inB((tx) => settingHistory(tx, 'auth.lockout.threshold'))).toEqual([]);
  });

  it('rejects a value of the wrong type or out of range with setting_invalid, storing nothing', async () => {
    for (const value of ['ten', -1, { amount: 1 }]) {
      const err = await inA((tx) =>
        changeSetting(tx, pack, {
          key: 'auth.lockout.threshold',
          value,
          reason: 'x',
          actorAccountId: actorA.id,
        }),
      ).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('setting_invalid');
    }
    const unknown = await inA((tx) =>
      changeSetting(tx, pack, {
        key: 'no.such.setting',
        value: 1,
        reason: 'x',
        actorAccountId: actorA.id,
      }),
    ).catch((e: unknown) => e);
    expect((unknown as AppError).code).toBe('setting_invalid');
    expect(await inA((tx) => settingHistory(tx, 'no.such.setting'))).toEqual([]);
  });

  it('requires a reason', async () => {
    const err = await inA((tx) =>
      changeSetting(tx, pack, {
        key: 'auth.lockout.threshold',
        value: 7,
        reason: '   ',
        actorAccountId: actorA.id,
      }),
    ).catch((e: unknown) => e);
    expect((err as AppError).code).toBe('validation_failed');
  });

  it('the app role cannot rewrite history (no UPDATE or DELETE on setting versions)', async () => {
    const client = await db.app.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [a.id]);
      await expect(client.query(`UPDATE setting_versions SET value = '1'`)).rejects.toThrow(
        /permission denied/,
      );
      await client.query('ROLLBACK');
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [a.id]);
      await expect(client.query(`DELETE FROM setting_versions`)).rejects.toThrow(
        /permission denied/,
      );
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
  });
});

describe('setting changes in the operation log (std-7.1.4.2)', () => {
  it('each version is logged and anchored; a direct SQL edit of the row is caught by verify', async () => {
    const t = await createTenant(db.ownerUrl);
    const actor = await createAccount(db.ownerUrl, t.id);
    const row = await inTenant(db.app, tenantScope(t.id), (tx) =>
      changeSetting(tx, pack, {
        key: 'auth.lockout.threshold',
        value: 8,
        reason: '試験',
        actorAccountId: actor.id,
      }),
    );
    expect(row.logSeq).toBe(1);
    const clean = await inTenant(db.app, tenantScope(t.id), async (tx) => ({
      chain: await verifyChain(tx),
      anchors: await verifyAnchoredRecords(tx),
    }));
    expect(clean.chain.problem).toBeNull();
    expect(clean.anchors).toEqual({ problem: null, checked: 1 });

    const owner = new pg.Client({ connectionString: db.ownerUrl });
    await owner.connect();
    try {
      await owner.query('BEGIN');
      await owner.query(`SELECT set_config('app.tenant_id', $1, true)`, [t.id]);
      await owner.query(`UPDATE setting_versions SET value = '3' WHERE id = $1`, [row.id]);
      await owner.query('COMMIT');
    } finally {
      await owner.end();
    }
    const tampered = await inTenant(db.app, tenantScope(t.id), (tx) => verifyAnchoredRecords(tx));
    expect(tampered.problem).toMatchObject({
      recordType: 'setting_version',
      recordId: row.id,
      seq: 1,
    });
    expect(tampered.problem?.message).toContain('changed after it was logged');
  });
});
