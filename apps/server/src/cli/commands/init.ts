import { openDatabase } from '../../platform/db/database.js';
import { ensureSigningKey } from '../../platform/oplog/signing-key.js';
import { temporaryPasswordLifetimeHours } from '../../platform/settings/pack-settings.js';
import { createTenantWithAdmin } from '../../platform/tenancy/create-tenant.js';
import { parseOptions, requireOption } from '../args.js';
import { UsageError, type Command, type CommandContext } from '../command.js';

export interface InitOptions {
  code: string;
  name: string;
  prefecture: string;
  admin: string;
  adminName: string;
  email?: string;
  pack?: string;
}

/** Creates a tenant and its first tenant_admin; prints the one-time temporary password. */
export async function initTenant(ctx: CommandContext, o: InitOptions): Promise<void> {
  const registry = await ctx.packs();
  const pack = o.pack ? await registry.get(o.pack) : registry.default;
  // std-7.1.4.2: the operation-log signing key, outside the database; checked
  // (mode 0600) or created before the tenant exists.
  const key = await ensureSigningKey(ctx.config.logKeyDir);
  await ctx.database(); // starts/adopts the database and applies migrations
  const owner = openDatabase(await ctx.ownerUrl(), { max: 1, applicationName: 'mamori-cli' });
  try {
    const created = await createTenantWithAdmin(
      owner,
      {
        code: o.code,
        name: o.name,
        prefecture: o.prefecture,
        admin: {
          loginName: o.admin,
          displayName: o.adminName,
          ...(o.email ? { email: o.email } : {}),
        },
      },
      { id: pack.manifest.id, version: pack.manifest.version, hash: pack.contentHash },
      temporaryPasswordLifetimeHours(pack),
    );
    ctx.out(
      `テナントを作成しました / tenant created: ${created.tenant.name} (${created.tenant.code})`,
    );
    ctx.out(`  policy pack: ${pack.manifest.id} ${pack.manifest.version}`);
    ctx.out(`  tenant_admin: ${created.adminLoginName}`);
    ctx.out(`  一時パスワード / temporary password: ${created.temporaryPassword}`);
    ctx.out(
      `  有効期限 / expires: ${created.temporaryPasswordExpiresAt.toISOString()} — shown once; change it at first login.`,
    );
    ctx.out(
      `  操作ログ署名鍵 / operation-log signing key: ${key.paths.privateKey}${key.created ? ' (created)' : ''}`,
    );
    ctx.out(`  検証用公開鍵 / verifier key: ${key.verifierKey}`);
    ctx.out(
      `  署名鍵と公開鍵の写しをこのサーバーの外で保管してください / keep copies of both keys outside this server (docs/operation-log.md).`,
    );
  } finally {
    await owner.close();
  }
}

export const initCommand: Command = {
  name: 'init',
  summary: 'Create a tenant (municipality) and its first tenant_admin; prints a one-time password',
  usage:
    'init --code <全国地方公共団体コード> --name <団体名> --prefecture <都道府県> --admin <login name> [--admin-name <表示名>] [--email <address>] [--pack <policy pack id>]',
  needsDatabase: true,
  run: async (args, ctx) => {
    const o = parseOptions(args, {
      code: { type: 'string' },
      name: { type: 'string' },
      prefecture: { type: 'string' },
      admin: { type: 'string' },
      'admin-name': { type: 'string' },
      email: { type: 'string' },
      pack: { type: 'string' },
    });
    const code = requireOption(o.code, 'code');
    const name = requireOption(o.name, 'name');
    const prefecture = requireOption(o.prefecture, 'prefecture');
    const admin = requireOption(o.admin, 'admin');
    if (o.pack !== undefined && !/^[a-z][a-z0-9-]*$/.test(o.pack)) {
      throw new UsageError(`--pack "${o.pack}" is not a policy pack id`);
    }
    await initTenant(ctx, {
      code,
      name,
      prefecture,
      admin,
      adminName: typeof o['admin-name'] === 'string' ? o['admin-name'] : admin,
      ...(typeof o.email === 'string' ? { email: o.email } : {}),
      ...(typeof o.pack === 'string' ? { pack: o.pack } : {}),
    });
  },
};
