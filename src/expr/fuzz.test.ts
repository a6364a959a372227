import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { QuiverError } from '../errors/quiver-error.js';
import { compileFilter } from './compile-filter.js';
import { evaluateRow } from './evaluate-row.js';
import type { TemplateValues } from './template-value.js';
import { dynamicSchema, rows, staticSchema } from './test-fixtures.js';

/**
 * Whatever the input, compiling a filter returns an IR or throws a QuiverError: never another
 * exception (a bug), never a hang. Runs are fixed-seed so failures reproduce.
 */
const templateValues: TemplateValues = {
  x: { kind: 'int64', value: 3n },
  y: { kind: 'float', value: 2.5 },
  s: { kind: 'string', value: 'a%' },
  list: { kind: 'array', array: { kind: 'long', data: [1n, 2n] } },
  mixed: { kind: 'array', array: { kind: 'json', data: ['1', '"a"', '[1]'] } },
};

function compilesOrRefuses(filter: string): void {
  for (const schema of [dynamicSchema, staticSchema]) {
    try {
      const ir = compileFilter(filter, schema, templateValues);
      for (const row of rows) evaluateRow(ir, row, { sampleRow: () => true });
    } catch (error) {
      if (!(error instanceof QuiverError)) {
        assert.fail(
          `non-QuiverError for ${JSON.stringify(filter)}: ${(error as Error)?.stack ?? String(error)}`,
        );
      }
    }
  }
}

const vocabulary = [
  ...[
    'i8',
    'i16',
    'i32',
    'i64',
    'f',
    'd',
    'b',
    's',
    'title',
    'j',
    'ai',
    'as',
    'af',
    'n',
    'ns',
    'nj',
    'v',
    'body',
  ],
  ...['geo', 'ts', 'color', 'size', 'tags', '$meta', 'x', 'id', 'empty', 'starts_with', 'foo'],
  ...['j["a"]', 'j["arr"][0]', "j['b']", 'ai[0]', 'as[1]', '$meta["k"]', 'tags[0]', 'j[""]', 'ai["x"]'],
  ...[
    '0',
    '1',
    '-1',
    '3',
    '0x1F',
    '017',
    '0b11',
    '9223372036854775808',
    '1.5',
    '.5',
    '1e3',
    '1e400',
    '0x1p3',
  ],
  ...['true', 'False', 'TRUE', '"a"', "'b'", '"a%"', '"%b_"', '"\\n"', '"\\q"', "'it\\'s'", '""', '"名"'],
  ...['==', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/', '%', '**', '&', '|', '^', '~', '<<', '>>'],
  ...[
    'and',
    'AND',
    '&&',
    'or',
    'OR',
    '||',
    'not',
    'NOT',
    '!',
    'in',
    'IN',
    'like',
    'LIKE',
    'exists',
    'EXISTS',
  ],
  ...[
    'is null',
    'is not null',
    'IS NULL',
    'IS NOT NULL',
    '(',
    ')',
    '[',
    ']',
    '[]',
    ',',
    '{',
    '}',
    '=',
    '{x}',
  ],
  ...[
    '{y}',
    '{s}',
    '{list}',
    '{mixed}',
    '{missing}',
    'array_contains',
    'json_contains_all',
    'array_contains_any',
  ],
  ...[
    'array_length',
    'text_match',
    'phrase_match',
    'random_sample',
    'minimum_should_match',
    'st_equals',
    'ISO',
    'INTERVAL',
  ],
  ...['#', '$', '@', '\\', '"unterminated', '\n', '\t'],
];

test('random strings never escape as a non-Quiver error', () => {
  fc.assert(fc.property(fc.string({ maxLength: 40 }), compilesOrRefuses), { numRuns: 400, seed: 42 });
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 30 }), compilesOrRefuses), {
    numRuns: 300,
    seed: 7,
  });
});

test('random token sequences never escape as a non-Quiver error', () => {
  const tokens = fc.array(fc.constantFrom(...vocabulary), { maxLength: 14 });
  const separators = fc.constantFrom(' ', '', ' ', '  ');
  fc.assert(
    fc.property(tokens, separators, (sequence, separator) => compilesOrRefuses(sequence.join(separator))),
    { numRuns: 3000, seed: 1234 },
  );
});

test('random well-formed filters compile or are refused, and evaluate without throwing', () => {
  const fields = fc.constantFrom(
    'i8',
    'i64',
    'f',
    'd',
    's',
    'b',
    'j["a"]',
    'ai[0]',
    'color',
    'size',
    'n',
    'ns',
    'ai',
    'j',
  );
  const literals = fc.constantFrom(
    '0',
    '1',
    '-2',
    '2.5',
    '"a"',
    '"b%"',
    'true',
    '[1, 2]',
    '[]',
    '{x}',
    '{list}',
  );
  const comparison = fc
    .tuple(fields, fc.constantFrom('==', '!=', '<', '<=', '>', '>=', 'in', 'not in', 'like'), literals)
    .map(([field, op, literal]) => `${field} ${op} ${literal}`);
  const arithmetic = fc
    .tuple(
      fields,
      fc.constantFrom('+', '-', '*', '/', '%'),
      literals,
      fc.constantFrom('==', '>', '!='),
      literals,
    )
    .map(([field, op, operand, cmp, value]) => `${field} ${op} ${operand} ${cmp} ${value}`);
  const special = fc.oneof(
    fields.map((field) => `${field} is null`),
    fields.map((field) => `exists ${field}`),
    fc.tuple(fields, literals).map(([field, literal]) => `array_contains(${field}, ${literal})`),
    fc.tuple(literals, fields, literals).map(([low, field, high]) => `${low} < ${field} <= ${high}`),
    fields.map((field) => `array_length(${field}) > 1`),
    fields.map((field) => `starts_with(${field}, "a")`),
  );
  const { filter } = fc.letrec<{ filter: string }>((tie) => ({
    filter: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      comparison,
      arithmetic,
      special,
      fc
        .tuple(tie('filter'), fc.constantFrom('and', 'or', '&&', '||'), tie('filter'))
        .map(([a, op, b]) => `${a} ${op} ${b}`),
      tie('filter').map((inner) => `not (${inner})`),
      tie('filter').map((inner) => `(${inner})`),
    ),
  }));
  fc.assert(fc.property(filter, compilesOrRefuses), { numRuns: 1500, seed: 99 });
});

test('pathological inputs finish quickly', () => {
  const inputs = [
    '('.repeat(5000),
    ')'.repeat(5000),
    'not '.repeat(5000),
    '-'.repeat(5000),
    `${'a ** -'.repeat(800)}b ** )`,
    `${'['.repeat(3000)}`,
    Array.from({ length: 3000 }, (_, i) => `i64 == ${i}`).join(' or '),
    Array.from({ length: 2000 }, () => 'i64 > 1 and').join(' '),
    `i64 in [${Array.from({ length: 20000 }, (_, i) => i).join(', ')}]`,
    '"'.repeat(10001),
    `a${'["k"]'.repeat(2000)} == 1`,
  ];
  for (const input of inputs) compilesOrRefuses(input);
});
