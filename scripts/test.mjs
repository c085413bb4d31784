#!/usr/bin/env node
// `npm test`: every layer, in order — lint, typecheck, unit + integration
// (real PostgreSQL), browser (real Chromium). A layer that fails, or runs no
// test, fails the whole run; nothing is skipped.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const node = process.execPath;
const bin = (p) => path.join(root, 'node_modules', p);
const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mamori-test-'));
const results = [];

function step(name, cmd, args, env = {}) {
  const started = Date.now();
  console.log(`\n▶ ${name}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  results.push({ name, ok: r.status === 0, seconds });
  if (r.status !== 0) {
    summary();
    console.error(`\n✖ ${name} failed`);
    process.exit(r.status ?? 1);
  }
}

let passed = 0;
let failed = 0;
function vitestLayer(name, projects) {
  const out = path.join(reportDir, `${name}.json`);
  step(name, node, [
    bin('vitest/vitest.mjs'),
    'run',
    ...projects.flatMap((p) => ['--project', p]),
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${out}`,
  ]);
  const report = JSON.parse(fs.readFileSync(out, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  for (const p of projects) {
    const ran = report.testResults.filter((f) => f.name.includes(projectDir(p))).length;
    if (ran === 0) {
      summary();
      console.error(`\n✖ layer ${p} ran no test file`);
      process.exit(1);
    }
  }
}
function projectDir(project) {
  return { unit: 'packages/', integration: 'apps/server/', e2e: 'e2e/' }[project];
}

function summary() {
  console.log('\nlayers:');
  for (const r of results) console.log(`  ${r.ok ? '✔' : '✖'} ${r.name} (${r.seconds} s)`);
}

step('lint (eslint)', node, [bin('eslint/bin/eslint.js'), '.', '--max-warnings', '0']);
step('format (prettier)', node, [
  bin('prettier/bin/prettier.cjs'),
  '--check',
  '.',
  '--log-level',
  'warn',
]);
step('typecheck (build)', node, [bin('typescript/bin/tsc'), '-b', 'tsconfig.json']);
step('typecheck (tests, tools)', node, [bin('typescript/bin/tsc'), '-p', 'tsconfig.check.json']);
step('typecheck (web)', node, [bin('typescript/bin/tsc'), '-p', 'apps/web/tsconfig.json']);
vitestLayer('unit + integration', ['unit', 'integration']);
step('build (as npm start does)', node, [path.join(root, 'scripts/build.mjs')]);
vitestLayer('browser', ['e2e']);
summary();
console.log(`\nvitest: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
