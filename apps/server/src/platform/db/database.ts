import { sql } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';

export type TenantId = string & { readonly __brand: 'TenantId' };

/** A request, job or command acting for one tenant. */
export interface TenantScope {
  readonly kind: 'tenant';
  readonly tenantId: TenantId;
}

/** Acting on tenant-less tables (tenants, global indexes) only. */
export interface SystemScope {
  readonly kind: 'system';
}

type DrizzleTx = Parameters<Parameters<NodePgDatabase['transaction']>[0]>[0];
declare const scoped: unique symbol;

/**
 * A transaction bound to one tenant: `app.tenant_id` is set for this
 * transaction only (set_config(..., true)), so row-level security applies.
 * Repository functions take a TenantTx, so they cannot run without a tenant.
 */
export type TenantTx = DrizzleTx & { readonly scope: TenantScope; readonly [scoped]: 'tenant' };

/** A transaction with no tenant: tenant-owned tables show 0 rows in it. */
export type SystemTx = DrizzleTx & { readonly scope: SystemScope; readonly [scoped]: 'system' };

export interface Database {
  /** The pool of the app role (requests and jobs). */
  readonly pool: pg.Pool;
  readonly orm: NodePgDatabase;
  close(): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function tenantScope(tenantId: string): TenantScope {
  if (!UUID.test(tenantId)) throw new Error(`not a tenant id: ${tenantId}`);
  return { kind: 'tenant', tenantId: tenantId as TenantId };
}

export const systemScope: SystemScope = { kind: 'system' };

export function openDatabase(
  connectionString: string,
  options: { max?: number; applicationName?: string; onError?: (err: Error) => void } = {},
): Database {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'mamori-server',
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
  });
  // An idle client losing its connection must not crash the process.
  pool.on('error', (err) => options.onError?.(err));
  const orm = drizzle(pool);
  let closed = false;
  return {
    pool,
    orm,
    close: async () => {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

/**
 * Runs `fn` in a transaction scoped to one tenant. `snapshot: true` makes it a
 * read-only REPEATABLE READ transaction: every query sees the same snapshot
 * (verification, exports), so writes committed meanwhile cannot look like a
 * mismatch.
 */
export async function inTenant<T>(
  db: Database,
  scope: TenantScope,
  fn: (tx: TenantTx) => Promise<T>,
  options: { snapshot?: boolean } = {},
): Promise<T> {
  return db.orm.transaction(
    async (tx) => {
      await tx.execute(sql`SELECT set_config('app.tenant_id', ${scope.tenantId}, true)`);
      return fn(Object.assign(tx, { scope }) as TenantTx);
    },
    options.snapshot ? { isolationLevel: 'repeatable read', accessMode: 'read only' } : undefined,
  );
}

/** Runs `fn` in a transaction with no tenant (tenant-less tables only). */
export async function inSystem<T>(db: Database, fn: (tx: SystemTx) => Promise<T>): Promise<T> {
  return db.orm.transaction(async (tx) => {
    await tx.execute(sql`SELECT set_config('app.tenant_id', '', true)`);
    return fn(Object.assign(tx, { scope: systemScope }) as SystemTx);
  });
}

/**
 * Moves an operator's system transaction into one tenant (creating a tenant
 * and its first account in one transaction). Not for request handling.
 */
export async function enterTenant(tx: SystemTx, scope: TenantScope): Promise<TenantTx> {
  await tx.execute(sql`SELECT set_config('app.tenant_id', ${scope.tenantId}, true)`);
  return Object.assign(tx, { scope }) as unknown as TenantTx;
}

/** `SELECT 1` with a short timeout: the health check. */
export async function pingDatabase(db: Database, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      db.pool.query('SELECT 1'),
      new Promise((_, reject) => {
        timer = setTimeout(() => {
          reject(new Error('timeout'));
        }, timeoutMs);
      }),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
