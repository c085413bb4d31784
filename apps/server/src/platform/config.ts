import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The repository root (apps/server/{src,dist}/platform → four levels up). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

const postgresUrl = z
  .string()
  .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgres:// or postgresql:// URL');

const hostMap = z.string().transform((raw, ctx) => {
  const map = new Map<string, string>();
  for (const pair of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [host, code] = pair.split('=').map((s) => s.trim());
    if (!host || !code || !/^\d{6}$/.test(code)) {
      ctx.addIssue({ code: 'custom', message: `"${pair}" is not host=<6-digit code>` });
      return z.NEVER;
    }
    map.set(host.toLowerCase(), code);
  }
  return map;
});

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    DATABASE_URL: postgresUrl.optional(),
    DATABASE_APP_URL: postgresUrl.optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    MAMORI_DATA_DIR: z.string().min(1).optional(),
    MAMORI_LOG_KEY_DIR: z.string().min(1).optional(),
    MAMORI_POLICY_PACKS_DIR: z.string().min(1).optional(),
    MAMORI_DEFAULT_PACK: z
      .string()
      .regex(/^[a-z0-9-]+$/)
      .default('hokuto'),
    MAMORI_TENANCY: z.enum(['single', 'shared']).default('single'),
    MAMORI_TENANT_HOSTS: hostMap.optional(),
    MAMORI_BODY_LIMIT: z.coerce
      .number()
      .int()
      .min(1024)
      .max(100 * 1024 * 1024)
      .default(1024 * 1024),
    MAMORI_TRUST_PROXY: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true'),
    SMTP_URL: z
      .string()
      .refine((v) => /^smtps?:\/\//.test(v), 'must be an smtp:// or smtps:// URL')
      .optional(),
    MAIL_FROM: z.string().min(3).default('mamori@localhost'),
    // 32 bytes, base64: encrypts TOTP secrets at rest (else a key file under the data dir).
    MAMORI_SECRET_KEY: z
      .string()
      .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded')
      .optional(),
    // The origin users reach Mamori at (WebAuthn origin and RP ID; login Origin check).
    MAMORI_PUBLIC_ORIGIN: z
      .url()
      .refine((v) => /^https?:\/\//.test(v), 'must be an http(s) origin')
      .transform((v) => new URL(v).origin)
      .optional(),
    // Production refuses plain HTTP (no HTTPS and no trusted proxy saying https) unless true.
    MAMORI_ALLOW_INSECURE_HTTP: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true'),
  })
  .superRefine((env, ctx) => {
    if (env.DATABASE_URL && !env.DATABASE_APP_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['DATABASE_APP_URL'],
        message:
          'is required when DATABASE_URL is set: the app connects with its own non-owner role (see docs/operations.md)',
      });
    }
    if (env.DATABASE_APP_URL && !env.DATABASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['DATABASE_URL'],
        message: 'is required when DATABASE_APP_URL is set (the owner role runs migrations)',
      });
    }
  });

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly port: number;
  readonly host: string;
  readonly logLevel: string;
  readonly database:
    | { readonly mode: 'external'; readonly ownerUrl: string; readonly appUrl: string }
    | { readonly mode: 'embedded' };
  readonly poolSize: number;
  readonly dataDir: string;
  /**
   * The operation-log signing key, its public key and the checkpoint file
   * (never in the database): `log-signing.key` (0600), `log-signing.pub`,
   * `checkpoints.txt`.
   */
  readonly logKeyDir: string;
  readonly policyPacksDir: string;
  readonly defaultPack: string;
  readonly tenancy: 'single' | 'shared';
  readonly tenantHosts: ReadonlyMap<string, string>;
  readonly bodyLimit: number;
  readonly trustProxy: boolean;
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  /** Key of the secret box (TOTP secrets at rest); undefined: a key file under dataDir/keys. */
  readonly secretKey: Buffer | undefined;
  /**
   * The public origin (e.g. https://mamori.city.example.lg.jp): WebAuthn's
   * expected origin and RP ID, and the login request's Origin check. When
   * unset (development, tests) it is derived from the request.
   */
  readonly publicOrigin: string | undefined;
  /** Serve sessions over plain HTTP in production (documented in docs/security.md). */
  readonly allowInsecureHttp: boolean;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Reads and validates configuration from the environment. Throws a
 * ConfigError listing every problem as `VARIABLE: message`.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.MAMORI_DATA_DIR ?? path.join(repoRoot, 'data'));
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    database:
      e.DATABASE_URL && e.DATABASE_APP_URL
        ? { mode: 'external', ownerUrl: e.DATABASE_URL, appUrl: e.DATABASE_APP_URL }
        : { mode: 'embedded' },
    poolSize: e.DATABASE_POOL_SIZE,
    dataDir,
    logKeyDir: path.resolve(e.MAMORI_LOG_KEY_DIR ?? path.join(dataDir, 'keys')),
    policyPacksDir: path.resolve(e.MAMORI_POLICY_PACKS_DIR ?? path.join(repoRoot, 'policy-packs')),
    defaultPack: e.MAMORI_DEFAULT_PACK,
    tenancy: e.MAMORI_TENANCY,
    tenantHosts: e.MAMORI_TENANT_HOSTS ?? new Map(),
    bodyLimit: e.MAMORI_BODY_LIMIT,
    trustProxy: e.MAMORI_TRUST_PROXY,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    secretKey: e.MAMORI_SECRET_KEY ? Buffer.from(e.MAMORI_SECRET_KEY, 'base64') : undefined,
    publicOrigin: e.MAMORI_PUBLIC_ORIGIN,
    allowInsecureHttp: e.MAMORI_ALLOW_INSECURE_HTTP,
  };
}
