#!/usr/bin/env node
// Runs every compiled *.test.js under dist/ with node's test runner. Files are listed explicitly
// because `node --test <dir>` on Node 20 also treats every file below a `test/` folder (helpers
// included) as a test.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');

function* testFiles(dir) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* testFiles(path);
    else if (name.endsWith('.test.js')) yield relative(root, path);
  }
}

const files = [...testFiles(dist)];
if (files.length === 0) {
  console.error('no compiled tests under dist/: run the build first');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...files], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
