import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, initArgs } from './support/app-process.js';

// The embedded database across crashes: after `kill -9` of the app the next
// start adopts the surviving postmaster; a stale postmaster.pid is removed;
// CLI commands use the running cluster. Runs the compiled server (`npm run
// build` ran before this layer).

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
fs.mkdirSync(path.join(root, '.test-data'), { recursive: true });
const dataDir = fs.mkdtempSync(path.join(root, '.test-data', 'restart-'));
const pidFile = path.join(dataDir, 'pg', 'postmaster.pid');

function baseEnv(port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  delete env.DATABASE_APP_URL;
  delete env.TEST_DATABASE_URL;
  return {
    ...env,
    NODE_ENV: 'production',
    MAMORI_DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  };
}

async function waitHealthy(port: number, child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${String(child.exitCode)}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('server did not become healthy');
}

function startServer(port: number): ChildProcess {
  const child = spawn(process.execPath, ['apps/server/dist/main.js'], {
    cwd: root,
    env: baseEnv(port),
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  running.add(child);
  child.on('exit', () => running.delete(child));
  return child;
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      resolve(code);
    }),
  );
}

function cli(args: string[], port: number) {
  return spawnSync(process.execPath, ['apps/server/dist/cli/main.js', ...args], {
    cwd: root,
    env: baseEnv(port),
    encoding: 'utf8',
    timeout: 120_000,
  });
}

function postmasterPid(): number | null {
  if (!fs.existsSync(pidFile)) return null;
  return Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
}

const running = new Set<ChildProcess>();
afterAll(async () => {
  for (const child of running) child.kill('SIGTERM');
  await Promise.all([...running].map(exited));
  const pid = postmasterPid();
  if (pid) {
    try {
      process.kill(pid, 'SIGINT');
    } catch {
      // already gone
    }
    for (let i = 0; i < 100 && fs.existsSync(pidFile); i++)
      await new Promise((r) => setTimeout(r, 100));
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('embedded database lifecycle', () => {
  it('survives kill -9, adopts the postmaster, removes a stale pid file, and shuts down in order', async () => {
    const port = await freePort();
    const first = startServer(port);
    await waitHealthy(port, first, 180_000);
    const postmaster = postmasterPid();
    expect(postmaster).toBeGreaterThan(0);

    // A CLI command while the server runs uses the same postmaster.
    const init = cli(initArgs('admin'), port);
    expect(init.stderr).toBe('');
    expect(init.status).toBe(0);
    expect(init.stdout).toMatch(/一時パスワード \/ temporary password: [A-Za-z0-9]{16}/);
    expect(postmasterPid()).toBe(postmaster);

    // kill -9: the postmaster survives and the next start adopts it.
    first.kill('SIGKILL');
    await exited(first);
    expect(postmasterPid()).toBe(postmaster);
    const second = startServer(port);
    await waitHealthy(port, second);
    expect(postmasterPid()).toBe(postmaster);
    const tenants = cli(['tenants'], port);
    expect(tenants.status).toBe(0);
    expect(tenants.stdout).toContain('999997  架空市');

    // Graceful stop: exit 0 and the embedded database is stopped.
    second.kill('SIGTERM');
    expect(await exited(second)).toBe(0);
    expect(fs.existsSync(pidFile)).toBe(false);

    // A stale postmaster.pid (its process is gone) is removed at start.
    fs.writeFileSync(
      pidFile,
      `999999\n${path.join(dataDir, 'pg')}\n0\n${String(port)}\n\n127.0.0.1\n`,
    );
    const third = startServer(port);
    await waitHealthy(port, third);
    expect(postmasterPid()).not.toBe(999999);
    third.kill('SIGTERM');
    expect(await exited(third)).toBe(0);
  });

  it('the CLI exits 2 with a message on bad arguments', () => {
    const unknown = cli(['no-such-command'], 1);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown command');
    const missing = cli(['init', '--code', '192091'], 1);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('--name is required');
    const stray = cli(['init', '--bogus'], 1);
    expect(stray.status).toBe(2);
  });
});
