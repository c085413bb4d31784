import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { resolveSettings } from '@mamori/policy';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';
import { createTenant, type TestTenant } from '../../../test/factories.js';
import { tamper } from '../../../test/tamper.js';
import { repoRoot } from '../config.js';
import { inTenant, tenantScope } from '../db/database.js';
import { loadPolicyPack, type LoadedPolicyPack } from '../policy-pack/index.js';
import { JobRunner } from '../jobs/job-runner.js';
import { waitFor } from '../../../test/wait-for.js';
import {
  checkpointJob,
  checkpointSweepJob,
  checkpointTenant,
  registerCheckpointJobs,
  sweepCheckpoints,
} from './checkpoint-job.js';
import {
  checkpointOrigin,
  createCheckpointIfDue,
  listCheckpoints,
  readCheckpointPolicy,
  type CheckpointPolicy,
} from './checkpoints.js';
import { recordOperation } from './oplog.service.js';
import { openCheckpoint, splitNotes } from './signed-note.js';
import { ensureSigningKey, loadSigningKey, type SigningKey } from './signing-key.js';

let db: TestDatabase;
let pack: LoadedPolicyPack;
let key: SigningKey;
let tmp: string;

beforeAll(async () => {
  db = await createTestDatabase();
  pack = await loadPolicyPack(path.join(repoRoot, 'policy-packs/hokuto'));
  tmp = await mkdtemp(path.join(os.tmpdir(), 'mamori-cp-'));
  await ensureSigningKey(path.join(tmp, 'keys'), { keyName: 'mamori-test-oplog' });
  key = await loadSigningKey(path.join(tmp, 'keys'));
});
afterAll(async () => {
  await db.drop();
  await rm(tmp, { recursive: true, force: true });
});

const MINUTE = 60_000;

async function append(t: TestTenant, n: number): Promise<Date> {
  let at = new Date(0);
  for (let i = 0; i < n; i++) {
    const entry = await inTenant(db.app, tenantScope(t.id), (tx) =>
      recordOperation(
        tx,
        { type: 'system', id: 'checkpoint-test' },
        { action: 'test.recorded', subject: { type: 'test', id: String(i) }, payload: { i } },
      ),
    );
    // new Date(): drizzle's execute() hands timestamptz back as text.
    at = new Date(entry.loggedAt);
  }
  return at;
}

function checkpoint(t: TestTenant, policy: CheckpointPolicy, file: string | null, now?: Date) {
  return inTenant(db.app, tenantScope(t.id), (tx) =>
    createCheckpointIfDue(tx, t, policy, key, file, now ? { now } : {}),
  );
}

describe('checkpoint settings (std-7.1.6.2)', () => {
  it('default to every 1000 entries or 60 minutes', () => {
    expect(readCheckpointPolicy(resolveSettings(pack.settings.settings))).toEqual({
      everyEntries: 1000,
      intervalMs: 60 * MINUTE,
    });
  });

  it('accept hours, and reject 0 entries', () => {
    const resolved = resolveSettings(pack.settings.settings, {
      'log.checkpoint.every_entries': 0,
      'log.checkpoint.interval': { amount: 2, unit: 'hours' },
    });
    expect(resolved.issues.map((i) => i.key)).toEqual(['log.checkpoint.every_entries']);
    expect(readCheckpointPolicy(resolved)).toEqual({
      everyEntries: 1000,
      intervalMs: 120 * MINUTE,
    });
  });
});

describe('createCheckpointIfDue (std-7.1.4.2, std-7.1.6.2)', () => {
  it('signs every N entries, after T minutes, and never when the head has not moved', async () => {
    const t = await createTenant(db.ownerUrl);
    const file = path.join(tmp, `due-${t.code}.txt`);
    const policy = { everyEntries: 3, intervalMs: 60 * MINUTE };

    expect(await checkpoint(t, policy, file)).toEqual({ kind: 'not_due', size: 0 });
    await append(t, 2);
    expect(await checkpoint(t, policy, file)).toEqual({ kind: 'not_due', size: 2 });

    // N entries
    await append(t, 1);
    const third = await checkpoint(t, policy, file);
    expect(third).toMatchObject({ kind: 'created', size: 3 });
    // head not moved: none, however late
    const late = new Date(Date.now() + 24 * 60 * MINUTE);
    expect(await checkpoint(t, policy, file, late)).toEqual({ kind: 'not_due', size: 3 });

    // T minutes: the oldest unsigned entry is 60 minutes old
    const loggedAt = await append(t, 1);
    const before = new Date(loggedAt.getTime() + 59 * MINUTE);
    expect(await checkpoint(t, policy, file, before)).toEqual({ kind: 'not_due', size: 4 });
    const after = new Date(loggedAt.getTime() + 60 * MINUTE);
    expect(await checkpoint(t, policy, file, after)).toMatchObject({ kind: 'created', size: 4 });
    expect(await checkpoint(t, policy, file, late)).toEqual({ kind: 'not_due', size: 4 });

    const rows = await inTenant(db.app, tenantScope(t.id), (tx) => listCheckpoints(tx));
    expect(rows.map((r) => [r.size, r.keyName])).toEqual([
      [3, 'mamori-test-oplog'],
      [4, 'mamori-test-oplog'],
    ]);
    const head = await inTenant(db.app, tenantScope(t.id), (tx) =>
      tx.execute<{ hash: Buffer }>(sql`SELECT hash FROM operation_log WHERE seq = 4`),
    );
    const signed = openCheckpoint(rows[1]?.note ?? '', [key.verifier]);
    expect(signed).toMatchObject({ origin: checkpointOrigin(t.code), size: 4 });
    expect(signed.rootHash.equals(head.rows[0]?.hash ?? Buffer.alloc(0))).toBe(true);
    expect(rows[1]?.headHash.equals(signed.rootHash)).toBe(true);

    // The file holds the same notes, one block each, separated by a blank line.
    const text = await readFile(file, 'utf8');
    expect(splitNotes(text)).toEqual(rows.map((r) => r.note));
    expect(text).toBe(rows.map((r) => `${r.note}\n`).join(''));
  });

  it('stores one checkpoint per size when two runs race (at-least-once jobs)', async () => {
    const t = await createTenant(db.ownerUrl);
    const file = path.join(tmp, `race-${t.code}.txt`);
    await append(t, 2);
    const policy = { everyEntries: 1, intervalMs: 60 * MINUTE };
    const outcomes = await Promise.all([1, 2, 3].map(() => checkpoint(t, policy, file)));
    expect(outcomes.filter((o) => o.kind === 'created')).toHaveLength(1);
    const rows = await inTenant(db.app, tenantScope(t.id), (tx) => listCheckpoints(tx));
    expect(rows.map((r) => r.size)).toEqual([2]);
    expect(splitNotes(await readFile(file, 'utf8'))).toEqual([rows[0]?.note]);
  });

  it('refuses to sign entries that do not extend the last checkpoint', async () => {
    const t = await createTenant(db.ownerUrl);
    const policy = { everyEntries: 2, intervalMs: 60 * MINUTE };
    await append(t, 2);
    expect(await checkpoint(t, policy, null)).toMatchObject({ kind: 'created', size: 2 });
    await append(t, 2);
    await tamper(db.ownerUrl, t.id, [
      `UPDATE operation_log SET payload_digest = repeat('0', 64) WHERE seq = 3`,
    ]);
    expect(await checkpoint(t, policy, null)).toMatchObject({ kind: 'refused', size: 4, seq: 3 });
    const rows = await inTenant(db.app, tenantScope(t.id), (tx) => listCheckpoints(tx));
    expect(rows.map((r) => r.size)).toEqual([2]);
  });
});

describe('checkpoint job (std-7.1.6.2)', () => {
  it('reads the tenant’s settings and signs when due; the sweep queues one job per tenant and minute', async () => {
    const t = await createTenant(db.ownerUrl);
    const loggedAt = await append(t, 2);
    const sent: { name: string; data: unknown; dedupeKey: string }[] = [];
    const deps = {
      db: db.app,
      packs: { get: () => Promise.resolve(pack) },
      key,
      logger: pino({ level: 'silent' }),
      jobs: {
        send: (job: { name: string }, data: unknown, o: { dedupeKey: string }) => {
          sent.push({ name: job.name, data, dedupeKey: o.dedupeKey });
          return Promise.resolve('job-id');
        },
      } as never,
      now: () => new Date(loggedAt.getTime() + 61 * MINUTE),
    };
    // Default settings: 1000 entries or 60 minutes; the entries are 61 minutes old.
    expect(await checkpointTenant(deps, t.id)).toMatchObject({ kind: 'created', size: 2 });
    expect(await checkpointTenant(deps, t.id)).toEqual({ kind: 'not_due', size: 2 });
    const notes = splitNotes(await readFile(key.paths.checkpoints, 'utf8'));
    expect(notes.filter((n) => n.startsWith(`${checkpointOrigin(t.code)}\n`))).toHaveLength(1);

    await sweepCheckpoints(deps);
    const mine = sent.filter((s) => (s.data as { tenantId: string }).tenantId === t.id);
    const tokyo = new Date(loggedAt.getTime() + 61 * MINUTE + 9 * 60 * MINUTE)
      .toISOString()
      .slice(0, 16);
    expect(mine).toEqual([
      { name: checkpointJob.name, data: { tenantId: t.id }, dedupeKey: `${t.id}:${tokyo}` },
    ]);
  });

  it('runs through pg-boss: the scheduled sweep queues per-tenant jobs that sign', async () => {
    const t = await createTenant(db.ownerUrl);
    const loggedAt = await append(t, 3);
    const logger = pino({ level: 'silent' });
    const runner = new JobRunner({
      db: db.app,
      logger,
      pollingIntervalSeconds: 0.5,
      schedules: false,
    });
    try {
      await registerCheckpointJobs({
        db: db.app,
        jobs: runner,
        packs: { get: () => Promise.resolve(pack) },
        key,
        logger,
        now: () => new Date(loggedAt.getTime() + 61 * MINUTE),
      });
      await runner.start();
      expect(await runner.schedules()).toContainEqual({
        name: checkpointSweepJob.name,
        cron: '* * * * *',
        timezone: 'Asia/Tokyo',
      });
      await runner.send(checkpointSweepJob, {}, { dedupeKey: 'sweep-now' });
      const rows = await waitFor('a checkpoint signed by the job', async () => {
        const r = await inTenant(db.app, tenantScope(t.id), (tx) => listCheckpoints(tx));
        return r.length > 0 ? r : undefined;
      });
      expect(rows.map((r) => r.size)).toEqual([3]);
    } finally {
      await runner.stop({ timeoutMs: 5000 });
    }
  });
});
