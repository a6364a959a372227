import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultConfig } from './default-config.js';
import { ConfigError, envNames, loadConfig } from './load-config.js';

test('defaults apply when nothing is given', () => {
  assert.deepEqual(loadConfig(), { ...defaultConfig });
});

test('precedence is defaults < file < environment < flags', () => {
  const dir = mkdtempSync(join(tmpdir(), 'quiver-config-'));
  try {
    const file = join(dir, 'quiver.yaml');
    writeFileSync(file, 'port: 20000\nmetrics_port: 9200\ndata-dir: /srv/quiver\nlogLevel: debug\n');
    const fromFile = loadConfig({ configFile: file });
    assert.equal(fromFile.port, 20000);
    assert.equal(fromFile.metricsPort, 9200);
    assert.equal(fromFile.dataDir, '/srv/quiver');
    assert.equal(fromFile.logLevel, 'debug');
    const withEnv = loadConfig({ configFile: file, env: { QUIVER_PORT: '21000', QUIVER_HOST: '0.0.0.0' } });
    assert.equal(withEnv.port, 21000);
    assert.equal(withEnv.host, '0.0.0.0');
    assert.equal(withEnv.metricsPort, 9200);
    const withFlags = loadConfig({
      configFile: file,
      env: { QUIVER_PORT: '21000' },
      flags: { port: '22000' },
    });
    assert.equal(withFlags.port, 22000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('QUIVER_CONFIG names the file and JSON files work', () => {
  const dir = mkdtempSync(join(tmpdir(), 'quiver-config-'));
  try {
    const file = join(dir, 'quiver.json');
    writeFileSync(file, JSON.stringify({ metricsPort: 9999 }));
    assert.equal(loadConfig({ env: { QUIVER_CONFIG: file } }).metricsPort, 9999);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('environment names are derived from the keys', () => {
  assert.equal(envNames.metricsPort, 'QUIVER_METRICS_PORT');
  assert.equal(envNames.dataDir, 'QUIVER_DATA_DIR');
});

test('bad values and unknown keys are refused with a message naming the source', () => {
  assert.throws(() => loadConfig({ flags: { port: 'abc' } }), /option --port: port must be an integer/);
  assert.throws(() => loadConfig({ env: { QUIVER_METRICS_PORT: '70000' } }), /QUIVER_METRICS_PORT/);
  assert.throws(() => loadConfig({ env: { QUIVER_LOG_LEVEL: 'loud' } }), ConfigError);
  const dir = mkdtempSync(join(tmpdir(), 'quiver-config-'));
  try {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'prot: 1\n');
    assert.throws(() => loadConfig({ configFile: file }), /unknown setting "prot"/);
    writeFileSync(file, 'port: [1\n');
    assert.throws(() => loadConfig({ configFile: file }), /not valid YAML/);
    assert.throws(() => loadConfig({ configFile: join(dir, 'missing.yaml') }), /cannot read config file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('autoLoad is a boolean from flags, environment or file; searchThreads an integer', () => {
  assert.equal(loadConfig().autoLoad, false);
  assert.equal(loadConfig({ flags: { autoLoad: true } }).autoLoad, true);
  assert.equal(loadConfig({ env: { QUIVER_AUTO_LOAD: 'true' } }).autoLoad, true);
  assert.equal(loadConfig({ env: { QUIVER_AUTO_LOAD: '0' } }).autoLoad, false);
  assert.throws(() => loadConfig({ env: { QUIVER_AUTO_LOAD: 'maybe' } }), /autoLoad must be true or false/);
  assert.equal(loadConfig({ flags: { searchThreads: '0' } }).searchThreads, 0);
  assert.equal(loadConfig({ env: { QUIVER_SEARCH_THREADS: '3' } }).searchThreads, 3);
  assert.throws(() => loadConfig({ flags: { searchThreads: 'many' } }), /searchThreads must be an integer/);
});
