import pg from 'pg';

/**
 * Runs SQL as the table owner with the append-only triggers disabled: what a
 * DBA with direct access could do. For tamper tests only.
 */
export async function tamper(
  ownerUrl: string,
  tenantId: string,
  statements: string[],
): Promise<void> {
  const c = new pg.Client({ connectionString: ownerUrl });
  await c.connect();
  try {
    await c.query('BEGIN');
    await c.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
    await c.query('ALTER TABLE operation_log DISABLE TRIGGER USER');
    await c.query('ALTER TABLE operation_log_payloads DISABLE TRIGGER USER');
    for (const s of statements) await c.query(s);
    await c.query('ALTER TABLE operation_log ENABLE TRIGGER USER');
    await c.query('ALTER TABLE operation_log_payloads ENABLE TRIGGER USER');
    await c.query('COMMIT');
  } catch (err) {
    await c.query('ROLLBACK');
    throw err;
  } finally {
    await c.end();
  }
}
