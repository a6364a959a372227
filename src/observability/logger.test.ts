import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { isQuiverError } from '../errors/index.js';
import { createLogger } from './logger.js';

/** A stream that keeps every chunk written to it, so tests can read the log output. */
function captureStream(): { stream: Writable; lines: () => string[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line.length > 0),
  };
}

test('writes JSON lines at the default level info, dropping debug', () => {
  const { stream, lines } = captureStream();
  const logger = createLogger({ destination: stream });
  assert.equal(logger.level, 'info');
  logger.debug('hidden');
  logger.info({ collection: 'books' }, 'created');
  const output = lines();
  assert.equal(output.length, 1);
  const record = JSON.parse(output[0]!);
  assert.equal(record.msg, 'created');
  assert.equal(record.level, 30);
  assert.equal(record.collection, 'books');
  assert.equal(typeof record.time, 'number');
});

test('honours an explicit level and passes it to children', () => {
  const { stream, lines } = captureStream();
  const logger = createLogger({ level: 'debug', destination: stream });
  logger.child({ component: 'wal' }).debug('synced');
  const record = JSON.parse(lines()[0]!);
  assert.equal(record.level, 20);
  assert.equal(record.component, 'wal');
});

test('rejects an unknown level', () => {
  assert.throws(
    () => createLogger({ level: 'loud', destination: captureStream().stream }),
    (error: unknown) =>
      isQuiverError(error) &&
      error.kind === 'ParameterInvalid' &&
      error.reason ===
        'log level: invalid parameter[expected=trace|debug|info|warn|error|fatal|silent][actual=loud]',
  );
});

test('writes to a file descriptor synchronously', () => {
  const dir = mkdtempSync(join(tmpdir(), 'quiver-logger-'));
  try {
    const path = join(dir, 'log.jsonl');
    const fd = openSync(path, 'w');
    const logger = createLogger({ destination: fd });
    logger.warn('disk almost full');
    // Numeric destinations are written synchronously: the record is in the file on return.
    const record = JSON.parse(readFileSync(path, 'utf8').trim());
    assert.equal(record.msg, 'disk almost full');
    assert.equal(record.level, 40);
    closeSync(fd);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('pretty mode writes one readable line per record, with the error stack after it', () => {
  const { stream, lines } = captureStream();
  const logger = createLogger({ pretty: true, destination: stream });
  logger.info({ rows: 3 }, 'inserted');
  logger.error({ err: new Error('boom') }, 'insert failed');
  const output = lines();
  assert.match(output[0]!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO {2}inserted \{"rows":3\}$/);
  assert.match(output[1]!, / ERROR insert failed$/);
  assert.match(output[2]!, /^ {4}Error: boom$/);
  assert.ok(output.slice(3).some((line) => line.includes('logger.test')));
});
