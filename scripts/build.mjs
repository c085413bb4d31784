#!/usr/bin/env node
// Builds what is stale: the TypeScript projects (tsc -b is incremental) and,
// unless --server-only, the web app when its sources are newer than its build.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const serverOnly = process.argv.includes('--server-only');

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`build: ${path.basename(args[0] ?? cmd)} failed`);
    process.exit(r.status ?? 1);
  }
}

function newestMtime(p) {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of fs.readdirSync(p)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    newest = Math.max(newest, newestMtime(path.join(p, entry)));
  }
  return newest;
}

run(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-b', 'tsconfig.json']);

if (!serverOnly) {
  const web = path.join(root, 'apps/web');
  const built = path.join(web, 'dist/index.html');
  const builtAt = fs.existsSync(built) ? fs.statSync(built).mtimeMs : 0;
  const sources = [
    path.join(web, 'src'),
    path.join(web, 'index.html'),
    path.join(web, 'vite.config.ts'),
    path.join(web, 'public'),
    path.join(root, 'packages/contracts/src'),
    path.join(root, 'packages/policy/src'),
  ];
  if (Math.max(...sources.map(newestMtime)) > builtAt) {
    run(process.execPath, [
      path.join(root, 'node_modules/vite/bin/vite.js'),
      'build',
      web,
      '--logLevel',
      'warn',
    ]);
  }
}
