import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatPrettyLine } from './format-pretty-line.js';

test('formats time, level, message and the remaining fields', () => {
  const line = JSON.stringify({ level: 40, time: 0, pid: 1, hostname: 'h', msg: 'slow', tookMs: 12 });
  assert.equal(formatPrettyLine(`${line}\n`), '1970-01-01T00:00:00.000Z WARN  slow {"tookMs":12}\n');
});

test('leaves lines that are not JSON objects unchanged', () => {
  assert.equal(formatPrettyLine('not json\n'), 'not json\n');
  assert.equal(formatPrettyLine('[1,2]\n'), '[1,2]\n');
});
