#!/usr/bin/env node
// `npm run bench`: runs every bench/*.bench.mjs. Each prints its measurements
// as a ratio to a baseline measured in the same run, and exits non-zero when
// the ratio misses its target. Never run inside `npm test` (timings are not tests).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv[2];
let failed = 0;
let ran = 0;
for (const file of fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.bench.mjs'))
  .sort()) {
  if (only && !file.includes(only)) continue;
  ran++;
  console.log(`\n▶ ${file}`);
  const r = spawnSync(process.execPath, [path.join(dir, file)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
if (ran === 0) {
  const names = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.bench.mjs'))
    .map((f) => f.replace('.bench.mjs', ''));
  console.error(`no benchmark matches "${only}" (${names.join(', ')})`);
  failed++;
}
process.exit(failed === 0 ? 0 : 1);
