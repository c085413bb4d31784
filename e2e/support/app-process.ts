import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { artifactsDir, repoRoot } from './paths.js';

/** Variables that would point the app away from the embedded default, or leak the test runner. */
const removedEnv = ['DATABASE_URL', 'DATABASE_APP_URL', 'TEST_DATABASE_URL', 'NODE_ENV'];

/** The environment of a user's shell: no test database, no vitest variables. */
function appEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!removedEnv.includes(key) && !key.startsWith('VITEST')) env[key] = value;
  }
  return env;
}

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface RunningApp {
  readonly baseUrl: string;
  readonly dataDir: string;
  /** Everything the process printed so far (stdout and stderr interleaved). */
  output(): string;
  /**
   * SIGTERM to the whole process group. Resolves with how npm exited once every process of the
   * group is gone; rejects (after SIGKILL) when that takes longer than `timeoutMs`.
   */
  stop(timeoutMs?: number): Promise<Exit>;
  /** Last resort for cleanup: SIGKILL the group if it is still running. */
  kill(): void;
}

/** A TCP port nobody listens on right now, picked by the kernel. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port assigned'));
      });
    });
  });
}

function tail(text: string, lines = 60): string {
  return text.split('\n').slice(-lines).join('\n');
}

function waitForExit(child: ChildProcess): Promise<Exit> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      resolve({ code, signal });
    });
  });
}

/**
 * Starts the app exactly as a user does, `npm start` in the repository (build, then the server
 * in production mode), on a fresh, empty data folder under `.test-data/` and a free port, with no
 * DATABASE_URL (so the embedded PostgreSQL is initialised). Resolves once `GET /api/health`
 * answers 200; rejects with the process output if it exits or does not get there in time.
 */
export async function startApp({ timeoutMs = 180_000 } = {}): Promise<RunningApp> {
  const testDataRoot = join(repoRoot, '.test-data');
  mkdirSync(testDataRoot, { recursive: true });
  const dataDir = mkdtempSync(join(testDataRoot, 'e2e-'));
  // mkdtemp makes it 0700; a data folder made by hand is 0755. Run as root, the embedded
  // PostgreSQL runs as the postgres user, which must be able to enter it.
  chmodSync(dataDir, 0o755);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;

  const env = appEnv();
  Object.assign(env, { MAMORI_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' });

  // Its own process group, so SIGTERM reaches npm, the shell and the server alike.
  const child = spawn('npm', ['start'], {
    cwd: repoRoot,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk.toString('utf8');
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const exited = waitForExit(child);
  let exit: Exit | undefined;
  let isStopped = false;
  void exited.then((result) => {
    exit = result;
  });

  const saveLog = () => {
    writeFileSync(join(artifactsDir(), 'server.log'), output);
  };
  /** After a failed start: drop the data folder if empty; keep it for diagnosis otherwise. */
  const removeDataDirIfEmpty = () => {
    if (readdirSync(dataDir).length === 0) rmSync(dataDir, { recursive: true });
  };
  const signalGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };

  const isGroupAlive = (): boolean => {
    if (child.pid === undefined) return false;
    try {
      process.kill(-child.pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  const app: RunningApp = {
    baseUrl,
    dataDir,
    output: () => output,
    async stop(stopTimeoutMs = 30_000) {
      const deadline = Date.now() + stopTimeoutMs;
      if (exit === undefined) signalGroup('SIGTERM');
      const timedOut = sleep(stopTimeoutMs, 'timeout' as const, { ref: false });
      const result = await Promise.race([exited, timedOut]);
      // npm exiting is not enough: the server and PostgreSQL (same group) must be gone too.
      while (result !== 'timeout' && isGroupAlive() && Date.now() < deadline) await sleep(100);
      if (result === 'timeout' || isGroupAlive()) {
        signalGroup('SIGKILL');
        saveLog();
        throw new Error(
          `npm start and its processes did not all exit within ${stopTimeoutMs} ms of SIGTERM:\n` +
            tail(output),
        );
      }
      isStopped = true;
      saveLog();
      if (result.code === 0) rmSync(dataDir, { recursive: true, force: true });
      return result;
    },
    kill() {
      // Also when npm is gone: a server or PostgreSQL left behind is still in the group.
      if (!isStopped) signalGroup('SIGKILL');
    },
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exit !== undefined) {
      saveLog();
      removeDataDirIfEmpty();
      throw new Error(
        `npm start exited (code ${String(exit.code)}, signal ${String(exit.signal)}) ` +
          `before /api/health answered:\n${tail(output)}`,
      );
    }
    if (Date.now() > deadline) {
      app.kill();
      saveLog();
      throw new Error(
        `GET /api/health did not answer 200 within ${timeoutMs} ms:\n${tail(output)}`,
      );
    }
    try {
      const response = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(5_000) });
      if (response.status === 200) return app;
    } catch {
      // Not listening yet.
    }
    await sleep(500);
  }
}

/**
 * `npm run cli -- <args>` against a running app's data folder, as an operator types it beside
 * the server (the CLI uses the cluster the server started).
 */
export function runCli(app: RunningApp, args: readonly string[]) {
  const env = appEnv();
  env.MAMORI_DATA_DIR = app.dataDir;
  return spawnSync('npm', ['run', '--silent', 'cli', '--', ...args], {
    cwd: repoRoot,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
}

/**
 * The arguments of `init` for the synthetic municipality of the browser tests (架空市 in 架空県,
 * code 999997; fictional data only, std-7.3.3.2c) and its first administrator.
 */
export function initArgs(admin: string, adminName?: string): string[] {
  const name = adminName === undefined ? [] : ['--admin-name', adminName];
  return [
    'init',
    '--code',
    '999997',
    '--name',
    '架空市',
    '--prefecture',
    '架空県',
    '--admin',
    admin,
    ...name,
  ];
}
