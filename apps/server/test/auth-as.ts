import { createHash, randomBytes } from 'node:crypto';
import { CSRF_HEADER, SESSION_COOKIE_PLAIN } from '@mamori/contracts';
import type { RoleId } from '@mamori/policy';
import pg from 'pg';
import { createAccount } from './factories.js';

/** A role to hold for a test: tenant-wide unless a unit or system scope is given. */
export interface TestRole {
  readonly role: RoleId;
  readonly unitId?: string;
  readonly systemId?: string;
}

export interface SignedIn {
  readonly accountId: string;
  readonly personId: string | null;
  readonly sessionId: string;
  /** Headers for `app.inject`: the session cookie and the CSRF token. */
  readonly headers: Record<string, string>;
}

export interface SignInOptions {
  /** Roles of the glossary; `tenant_admin` becomes a platform role (account_roles). */
  readonly roles?: readonly (RoleId | TestRole)[];
  /** Session state (default `active`). */
  readonly state?:
    'password_change_required' | 'mfa_enrolment_required' | 'mfa_required' | 'active';
  /** Elevated (step-up done) until now + this many ms (std-7.2.5); not elevated by default. */
  readonly elevatedForMs?: number;
  readonly loginName?: string;
  readonly displayName?: string;
}

const DEFAULT_UNIT_KIND = 'section';

/**
 * Signs a synthetic person in without the login flow: an account, a person
 * linked to it (when a policy role is asked for, or always), role
 * assignments valid today, and an active session row. Writes as the owner
 * role with the tenant set (RLS), like the other factories.
 */
export async function signInAs(
  ownerUrl: string,
  tenantId: string,
  options: SignInOptions = {},
): Promise<SignedIn> {
  const account = await createAccount(ownerUrl, tenantId, {
    ...(options.loginName ? { loginName: options.loginName } : {}),
    ...(options.displayName ? { displayName: options.displayName } : {}),
  });
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
    await client.query(
      `UPDATE accounts SET must_change_password = false, mfa_enrolled_at = now() WHERE id = $1`,
      [account.id],
    );
    const person = await client.query<{ id: string }>(
      `INSERT INTO people (tenant_id, family_name, given_name, family_name_kana, given_name_kana,
                           sort_key, search_text, employment, account_id)
       VALUES ($1, '試験', $2, 'シケン', 'タロウ', 'シケン タロウ', $3, 'regular', $4) RETURNING id`,
      [tenantId, account.loginName, `試験 ${account.loginName} シケン タロウ`, account.id],
    );
    const personId = person.rows[0]?.id ?? null;
    for (const entry of options.roles ?? []) {
      const r: TestRole = typeof entry === 'string' ? { role: entry } : entry;
      if (r.role === 'tenant_admin') {
        await client.query(
          `INSERT INTO account_roles (tenant_id, account_id, role) VALUES ($1, $2, 'tenant_admin')`,
          [tenantId, account.id],
        );
        continue;
      }
      const scopeKind = r.systemId ? 'system' : r.unitId ? 'unit' : 'tenant';
      await client.query(
        `INSERT INTO role_assignments (tenant_id, role, holder_person_id, scope_kind, scope_unit_id,
                                       scope_system_id, valid_from)
         VALUES ($1, $2, $3, $4, $5, $6, (now() AT TIME ZONE 'Asia/Tokyo')::date - 1)`,
        [tenantId, r.role, personId, scopeKind, r.unitId ?? null, r.systemId ?? null],
      );
    }
    const token = randomBytes(32).toString('base64url');
    const csrf = randomBytes(24).toString('base64url');
    const session = await client.query<{ id: string }>(
      `INSERT INTO sessions (tenant_id, token_hash, account_id, state, csrf_token, absolute_expires_at,
                             mfa_verified_at, elevated_until)
       VALUES ($1, $2, $3, $4, $5, now() + interval '12 hours', now(),
               CASE WHEN $6::bigint IS NULL THEN NULL ELSE now() + make_interval(secs => $6::bigint / 1000.0) END)
       RETURNING id`,
      [
        tenantId,
        createHash('sha256').update(token, 'utf8').digest('hex'),
        account.id,
        options.state ?? 'active',
        csrf,
        options.elevatedForMs ?? null,
      ],
    );
    await client.query('COMMIT');
    return {
      accountId: account.id,
      personId,
      sessionId: session.rows[0]?.id ?? '',
      headers: { cookie: `${SESSION_COOKIE_PLAIN}=${token}`, [CSRF_HEADER]: csrf },
    };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}

/** Creates an organizational unit valid from long ago (for scoped roles in tests). */
export async function createTestUnit(
  ownerUrl: string,
  tenantId: string,
  options: { name?: string; kind?: string; parentId?: string } = {},
): Promise<string> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
    const unit = await client.query<{ id: string }>(
      `INSERT INTO org_units (tenant_id, kind, valid_from) VALUES ($1, $2, '2000-04-01') RETURNING id`,
      [tenantId, options.kind ?? DEFAULT_UNIT_KIND],
    );
    const id = unit.rows[0]?.id ?? '';
    await client.query(
      `INSERT INTO org_unit_versions (tenant_id, unit_id, name, parent_id, valid_from)
       VALUES ($1, $2, $3, $4, '2000-04-01')`,
      [tenantId, id, options.name ?? '試験課', options.parentId ?? null],
    );
    await client.query('COMMIT');
    return id;
  } finally {
    await client.end();
  }
}
