#!/usr/bin/env node
// Builds native/quiver_native.node (madvise for huge pages, see native/README.md) with the node-gyp
// that ships inside npm, against the Node headers npm is configured with. The helper is optional:
// Quiver runs without it (on 4 KiB pages), so a machine without a C compiler, or a platform other
// than Linux, gets a warning here and a log line at startup, not a failed install. Skips the build
// when the module is newer than its sources.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const nativeDir = fileURLToPath(new URL('../native/', import.meta.url));
const output = join(nativeDir, 'build', 'Release', 'quiver_native.node');
const sources = ['huge_pages.c', 'binding.gyp'].map((name) => join(nativeDir, name));

function warn(message) {
  console.warn(`build-native: ${message}; Quiver will run without huge pages (slower restarts)`);
}

function nodeGypScript() {
  const candidates = [process.env.npm_config_node_gyp];
  if (process.env.npm_execpath) {
    // npm_execpath is npm/bin/npm-cli.js; npm bundles node-gyp beside it.
    candidates.push(
      join(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    );
  }
  candidates.push(
    join(
      dirname(process.execPath),
      '..',
      'lib',
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    ),
  );
  return candidates.find((path) => path && existsSync(path));
}

if (process.platform !== 'linux') {
  console.log(`build-native: skipped on ${process.platform} (huge-page advice is Linux-only)`);
} else if (
  existsSync(output) &&
  sources.every((source) => statSync(source).mtimeMs <= statSync(output).mtimeMs)
) {
  console.log('build-native: up to date');
} else {
  const nodeGyp = nodeGypScript();
  if (!nodeGyp) {
    warn('node-gyp not found (it ships with npm)');
  } else {
    // Build against the running Node's own headers when they are installed beside it (as on this
    // project's machines), so node-gyp needs no download; else node-gyp finds them its usual way.
    const prefix = join(dirname(process.execPath), '..');
    const nodedir =
      process.env.npm_config_nodedir ||
      (existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? prefix : undefined);
    const args = [nodeGyp, 'rebuild', ...(nodedir ? [`--nodedir=${nodedir}`] : [])];
    const result = spawnSync(process.execPath, args, {
      cwd: nativeDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    });
    if (result.status === 0 && existsSync(output)) {
      console.log(`build-native: built ${output}`);
    } else {
      process.stderr.write(result.stdout ?? '');
      process.stderr.write(result.stderr ?? '');
      warn(`node-gyp rebuild failed (exit ${result.status})`);
    }
  }
}
