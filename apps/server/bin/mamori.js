#!/usr/bin/env node
// The `mamori` command: runs the compiled CLI (build first with `npm run build`).
import '../dist/cli/main.js';
