import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ErrorCodes, type ErrorKind, legacyErrorCodeValues } from './codes.js';

interface RegistryRow {
  kind: string;
  code: number;
  legacy: string;
  legacyValue: number;
  message: string;
  retriable: boolean;
}

/** Finds docs/ERRORS.md by walking up from this file (works from dist/ and from .build-*). */
function findErrorsDoc(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'docs', 'ERRORS.md');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('docs/ERRORS.md not found above the test file');
    dir = parent;
  }
}

function parseRegistryTable(markdown: string): RegistryRow[] {
  const start = markdown.indexOf('<!-- registry:start -->');
  const end = markdown.indexOf('<!-- registry:end -->');
  assert.ok(start >= 0 && end > start, 'docs/ERRORS.md lacks the registry:start/end markers');
  const lines = markdown
    .slice(start, end)
    .split('\n')
    .filter((line) => line.startsWith('|'));
  const [header, separator, ...rows] = lines;
  assert.equal(header, '| Kind | Code | Legacy error_code | Message | Retriable |');
  assert.match(separator ?? '', /^\|( --- \|)+$/);
  return rows.map((line) => {
    const cells = line
      .slice(1, -1)
      .split(' | ')
      .map((cell) => cell.trim());
    assert.equal(cells.length, 5, `malformed registry row: ${line}`);
    const [kind, code, legacyCell, messageCell, retriable] = cells as [
      string,
      string,
      string,
      string,
      string,
    ];
    const legacyMatch = /^(\w+) \((\d+)\)$/.exec(legacyCell);
    assert.ok(legacyMatch, `legacy cell must read "Name (number)": ${legacyCell}`);
    let message: string;
    if (messageCell === '—') message = '';
    else {
      assert.ok(messageCell.startsWith('`') && messageCell.endsWith('`'), `message must be code: ${line}`);
      message = messageCell.slice(1, -1);
    }
    assert.ok(retriable === 'yes' || retriable === 'no', `retriable must be yes/no: ${line}`);
    return {
      kind,
      code: Number(code),
      legacy: legacyMatch[1] ?? '',
      legacyValue: Number(legacyMatch[2]),
      message,
      retriable: retriable === 'yes',
    };
  });
}

const rows = parseRegistryTable(readFileSync(findErrorsDoc(), 'utf8'));

test('every kind in codes.ts is documented in docs/ERRORS.md with the same values', () => {
  const byKind = new Map(rows.map((row) => [row.kind, row]));
  for (const [kind, definition] of Object.entries(ErrorCodes)) {
    const row = byKind.get(kind);
    assert.ok(row, `${kind} is missing from docs/ERRORS.md`);
    assert.deepEqual(
      {
        code: row.code,
        legacy: row.legacy,
        legacyValue: row.legacyValue,
        message: row.message,
        retriable: row.retriable,
      },
      {
        code: definition.code,
        legacy: definition.legacy,
        legacyValue: legacyErrorCodeValues[definition.legacy],
        message: definition.message,
        retriable: definition.retriable,
      },
      `docs/ERRORS.md row for ${kind} disagrees with codes.ts`,
    );
  }
});

test('every row of docs/ERRORS.md names a kind of codes.ts, once, in registry order', () => {
  assert.deepEqual(
    rows.map((row) => row.kind),
    Object.keys(ErrorCodes),
  );
});

test('codes are unique, as Milvus keeps them', () => {
  const codes = Object.values(ErrorCodes).map((definition) => definition.code);
  assert.equal(new Set(codes).size, codes.length);
});

test('legacy enum values match the milvus-proto shipped with the Node SDK', () => {
  const require = createRequire(import.meta.url);
  type ProtoJson = {
    nested: {
      milvus: { nested: { proto: { nested: { common: { nested: { ErrorCode: { values: object } } } } } } };
    };
  };
  // The SDK ships this file as CommonJS with the JSON as its default export.
  const loaded = require('@zilliz/milvus2-sdk-node/dist/milvus/proto-json/milvus.base.js') as ProtoJson & {
    default?: ProtoJson;
  };
  const protoJson = loaded.default ?? loaded;
  const protoValues = protoJson.nested.milvus.nested.proto.nested.common.nested.ErrorCode.values;
  assert.deepEqual({ ...legacyErrorCodeValues }, protoValues);
});

test('Milvus oldCode() mapping: only the codes it lists have their own legacy value', () => {
  const ownLegacy: Partial<Record<ErrorKind, string>> = {
    Success: 'Success',
    ServiceNotReady: 'NotReadyServe',
    CollectionNotFound: 'CollectionNotExists',
    ParameterInvalid: 'IllegalArgument',
    PartitionNotFound: 'MetaFailed',
    ServiceMemoryLimitExceeded: 'InsufficientMemoryToLoad',
    ServiceDiskLimitExceeded: 'DiskQuotaExhausted',
    ServiceRateLimit: 'RateLimit',
    ServiceQuotaExceeded: 'ForceDeny',
    IndexNotFound: 'IndexNotExist',
    SegmentNotFound: 'SegmentNotFound',
    CollectionSchemaMismatch: 'SchemaMismatch',
  };
  for (const [kind, definition] of Object.entries(ErrorCodes) as [
    ErrorKind,
    (typeof ErrorCodes)[ErrorKind],
  ][]) {
    assert.equal(definition.legacy, ownLegacy[kind] ?? 'UnexpectedError', kind);
  }
});
