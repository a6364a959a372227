#!/usr/bin/env node
// Fails when a module imports from a layer above its own (see docs/ARCHITECTURE.md).
// Layers, top to bottom: cli → api → service → plan/expr → engine → kernels.
// storage is below service/engine; errors, schema, util, observability and text are leaves anyone may import;
// config may be imported by cli, api and service; platform (OS facilities Node lacks) only by cli.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..', 'src');
// Leaves: anyone may import them.
const leaves = ['errors', 'schema', 'util', 'observability', 'text'];
const allowed = {
  cli: [
    'cli',
    'api',
    'service',
    'plan',
    'expr',
    'engine',
    'kernels',
    'storage',
    'config',
    'platform',
    ...leaves,
  ],
  api: ['api', 'service', 'plan', 'expr', 'config', ...leaves],
  service: ['service', 'plan', 'expr', 'engine', 'kernels', 'storage', 'config', ...leaves],
  plan: ['plan', 'expr', 'errors', 'schema', 'util', 'text'],
  // expr evaluates text_match / phrase_match with the field's analyzer (text is pure and I/O-free).
  expr: ['expr', 'errors', 'schema', 'util', 'text'],
  engine: ['engine', 'plan', 'expr', 'kernels', 'storage', ...leaves],
  kernels: ['kernels'],
  // The native memory helper's loader: implements kernels' MemoryAdvisor; installed by the CLI.
  platform: ['platform', 'kernels'],
  storage: ['storage', ...leaves],
  config: ['config', 'errors', 'util'],
  schema: ['schema', 'errors', 'util'],
  util: ['util'],
  errors: ['errors'],
  observability: ['observability', 'errors', 'util'],
  text: ['text'],
};

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else if (path.endsWith('.ts')) yield path;
  }
}

const violations = [];
for (const file of walk(root)) {
  const layer = relative(root, file).split(sep)[0];
  const permitted = allowed[layer];
  if (!permitted) {
    violations.push(
      `${relative(root, file)}: folder "${layer}" has no layer rule in scripts/check-layers.mjs`,
    );
    continue;
  }
  const source = readFileSync(file, 'utf8');
  for (const match of source.matchAll(/(?:from|import)\s*\(?\s*['"](\.[^'"]+)['"]/g)) {
    const target = relative(root, resolve(dirname(file), match[1])).split(sep)[0];
    if (target.startsWith('..')) {
      violations.push(`${relative(root, file)}: imports ${match[1]} from outside src/`);
    } else if (!permitted.includes(target)) {
      violations.push(`${relative(root, file)}: layer "${layer}" may not import "${target}" (${match[1]})`);
    }
  }
}
if (violations.length > 0) {
  console.error(`Layer check failed:\n  ${violations.join('\n  ')}`);
  process.exit(1);
}
console.log('Layer check passed: dependencies point one way.');
