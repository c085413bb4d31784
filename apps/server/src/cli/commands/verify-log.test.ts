import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';
import { commandContext, runCommand } from '../../../test/cli.js';
import { createTenant, type TestTenant } from '../../../test/factories.js';
import { tamper } from '../../../test/tamper.js';
import { inTenant, tenantScope } from '../../platform/db/database.js';
import { createCheckpointIfDue } from '../../platform/oplog/checkpoints.js';
import { recordOperation } from '../../platform/oplog/oplog.service.js';
import { splitNotes } from '../../platform/oplog/signed-note.js';
import {
  ensureSigningKey,
  loadSigningKey,
  type SigningKey,
} from '../../platform/oplog/signing-key.js';
import { exportCheckpointsCommand } from './export-checkpoints.js';
import { verifyLogCommand } from './verify-log.js';

let db: TestDatabase;
let tmp: string;
let keyDir: string;
let key: SigningKey;
let clean: TestTenant;
let broken: TestTenant;
const context = () => commandContext(db, { MAMORI_LOG_KEY_DIR: keyDir });

async function logEntries(t: TestTenant, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await inTenant(db.app, tenantScope(t.id), (tx) =>
      recordOperation(
        tx,
        { type: 'operator', id: 'cli-test' },
        { action: 'test.recorded', subject: { type: 'test', id: String(i) }, payload: { i } },
      ),
    );
  }
  await inTenant(db.app, tenantScope(t.id), (tx) =>
    createCheckpointIfDue(
      tx,
      t,
      { everyEntries: 1, intervalMs: 3_600_000 },
      key,
      key.paths.checkpoints,
    ),
  );
}

beforeAll(async () => {
  db = await createTestDatabase();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'mamori-cli-verify-'));
  keyDir = path.join(tmp, 'keys');
  await ensureSigningKey(keyDir, { keyName: 'mamori-test-oplog' });
  key = await loadSigningKey(keyDir);
  clean = await createTenant(db.ownerUrl, { name: '検証市' });
  broken = await createTenant(db.ownerUrl, { name: '改ざん町' });
  await logEntries(clean, 4);
  await logEntries(broken, 4);
});
afterAll(async () => {
  await db.drop();
  await rm(tmp, { recursive: true, force: true });
});

describe('verify-log command (std-7.1.4.2, std-7.1.6.3)', () => {
  it('exits 0 with a summary per tenant when the log verifies', async () => {
    const { ctx, lines } = context();
    const file = key.paths.checkpoints;
    expect(await runCommand(verifyLogCommand, ['--checkpoints', file], ctx)).toBe(0);
    expect(lines[0]).toBe(`verify-log: public key ${key.verifier.text}`);
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^${clean.code} 検証市: OK — size 4, head [0-9a-f]{64}, checkpoints 1 in database, 1 in file, anchored records 0$`,
        ),
      ),
    );
    expect(lines.at(-1)).toBe('verify-log: OK (2 tenant(s))');
  });

  it('exits 1 naming the tenant, entry and kind when an entry was edited', async () => {
    await tamper(db.ownerUrl, broken.id, [
      `UPDATE operation_log SET action = 'test.hidden' WHERE seq = 2`,
    ]);
    const { ctx, lines } = context();
    expect(await runCommand(verifyLogCommand, [], ctx)).toBe(1);
    expect(lines).toContain(
      `${broken.code} 改ざん町: FAILED at seq 2: fields: the entry was edited: its fields no longer match the hashed bytes`,
    );
    await expect(verifyLogCommand.run([], context().ctx)).rejects.toThrow(
      `the operation log does not verify (tenant ${broken.code})`,
    );
    // --tenant limits the check to one tenant.
    const one = context();
    expect(await runCommand(verifyLogCommand, ['--tenant', clean.code], one.ctx)).toBe(0);
    expect(one.lines.join('\n')).not.toContain(broken.code);
  });

  it('exits 1 when a checkpoint in the external file does not match', async () => {
    const text = await readFile(key.paths.checkpoints, 'utf8');
    const alteredFile = path.join(tmp, 'altered.txt');
    await writeFile(alteredFile, text.replace(/\n4\n/, '\n3\n'));
    const { ctx, lines } = context();
    const code = await runCommand(
      verifyLogCommand,
      ['--tenant', clean.code, '--checkpoints', alteredFile],
      ctx,
    );
    expect(code).toBe(1);
    expect(lines.join('\n')).toMatch(
      new RegExp(
        `${clean.code} 検証市: FAILED at seq 3: checkpoint_bad_signature \\(checkpoint file checkpoint 3\\)`,
      ),
    );
  });

  it('rejects bad arguments (exit 2)', async () => {
    const run = (args: string[]) => runCommand(verifyLogCommand, args, context().ctx);
    expect(await run(['--tenant', 'abc'])).toBe(2);
    expect(await run(['--tenant', '999999'])).toBe(2);
    expect(await run(['--checkpoints', path.join(tmp, 'missing.txt')])).toBe(2);
    expect(await run(['--bogus'])).toBe(2);
  });

  it('exits 1 when the public key file is missing', async () => {
    const { ctx } = context();
    await expect(
      verifyLogCommand.run(['--public-key', path.join(tmp, 'none.pub')], ctx),
    ).rejects.toThrow(/No operation-log public key/);
  });
});

describe('export-checkpoints command (std-10.1.6)', () => {
  it('prints the stored notes as a checkpoint file that verify-log accepts', async () => {
    const { ctx, lines } = context();
    await exportCheckpointsCommand.run(['--tenant', clean.code], ctx);
    const text = lines.map((l) => `${l}\n`).join('');
    const notes = splitNotes(text);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(new RegExp(`^mamori/${clean.code}/oplog\n4\n`));
    const exported = path.join(tmp, 'exported.txt');
    await writeFile(exported, text);
    const verify = context();
    expect(
      await runCommand(
        verifyLogCommand,
        ['--tenant', clean.code, '--checkpoints', exported],
        verify.ctx,
      ),
    ).toBe(0);
    expect(verify.lines.join('\n')).toContain('1 in file');

    const all = context();
    await exportCheckpointsCommand.run([], all.ctx);
    expect(splitNotes(all.lines.map((l) => `${l}\n`).join(''))).toHaveLength(2);
  });
});
