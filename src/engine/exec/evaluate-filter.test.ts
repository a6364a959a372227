import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QuiverError } from '../../errors/quiver-error.js';
import {
  type ColumnRef,
  type CompareOp,
  compileFilter,
  evaluateRow,
  type FilterIr,
  type GenericValue,
  type IrExpr,
} from '../../expr/index.js';
import { type Column, DataType } from '../../schema/index.js';
import type { ScalarIndex } from '../scalar-index/scalar-index.js';
import { evaluateFilter, type SegmentColumns } from './evaluate-filter.js';
import { fields, schema } from './filter-test-fixtures.js';
import { cellValue } from './row-object.js';

/** A segment over hand-made columns (the evaluator needs only numRows and column()). */
function segmentOf(numRows: number, columns: Record<string, Column>): SegmentColumns {
  return { numRows, column: (name) => columns[name] };
}

function ref(fieldName: string, dataType: DataType, extra: Partial<ColumnRef> = {}): ColumnRef {
  return {
    fieldId: 100,
    fieldName,
    dataType,
    elementType: DataType.None,
    nestedPath: [],
    isPrimaryKey: false,
    isPartitionKey: false,
    nullable: false,
    isDynamic: false,
    ...extra,
  };
}

const bits = (mask: Uint8Array): number[] => [...mask];

/** The row evaluator's answer for every row of a hand-made segment. */
function byRows(ir: FilterIr, segment: SegmentColumns, names: readonly string[]): number[] {
  return Array.from({ length: segment.numRows }, (_, row) => {
    const object: Record<string, unknown> = {};
    for (const name of names) {
      const column = segment.column(name);
      object[name] = column ? cellValue(column, row) : null;
    }
    return evaluateRow(ir, object) ? 1 : 0;
  });
}

const ops: CompareOp[] = ['==', '!=', '<', '<=', '>', '>='];

test('Int64 columns against float and extreme constants (IR the compiler does not produce) match the row evaluator', () => {
  const values = BigInt64Array.of(-(2n ** 63n), -3n, -2n, 0n, 2n, 3n, 2n ** 53n + 1n, 2n ** 63n - 1n);
  const segment = segmentOf(values.length, { x: { type: DataType.Int64, values } });
  const constants: GenericValue[] = [
    -Infinity,
    -(2 ** 63),
    -2.5,
    -2,
    2.5,
    2 ** 53,
    2 ** 63,
    Infinity,
    Number.NaN,
  ].map((value) => ({ kind: 'float', value }));
  constants.push(
    { kind: 'int64', value: 2n ** 63n - 1n },
    { kind: 'int64', value: -(2n ** 63n) },
    { kind: 'string', value: '1' },
  );
  for (const value of constants) {
    for (const op of ops) {
      const ir: FilterIr = { kind: 'compare', column: ref('x', DataType.Int64), op, value };
      assert.deepEqual(
        bits(evaluateFilter(ir, segment)),
        byRows(ir, segment, ['x']),
        `x ${op} ${JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? String(v) : v))}`,
      );
    }
  }
});

test('Double and Float columns against int64 constants no double equals, NaN and infinities match the row evaluator', () => {
  const doubles = Float64Array.of(
    -Infinity,
    -(2 ** 63),
    2 ** 53,
    2 ** 53 + 2,
    0,
    -0,
    Number.NaN,
    Infinity,
    1e308,
  );
  const floats = Float32Array.from(doubles);
  const segment = segmentOf(doubles.length, {
    d: { type: DataType.Double, values: doubles },
    f: { type: DataType.Float, values: floats },
  });
  const constants: GenericValue[] = [
    { kind: 'int64', value: 2n ** 53n + 1n },
    { kind: 'int64', value: 2n ** 53n },
    { kind: 'int64', value: -(2n ** 63n) },
    { kind: 'int64', value: 2n ** 63n - 1n },
    { kind: 'float', value: Number.NaN },
    { kind: 'float', value: Infinity },
    { kind: 'float', value: -Infinity },
    { kind: 'float', value: -0 },
    { kind: 'bool', value: true },
  ];
  for (const [name, type] of [
    ['d', DataType.Double],
    ['f', DataType.Float],
  ] as const) {
    for (const value of constants) {
      for (const op of ops) {
        const compare: FilterIr = { kind: 'compare', column: ref(name, type), op, value };
        assert.deepEqual(
          bits(evaluateFilter(compare, segment)),
          byRows(compare, segment, [name]),
          `${name} ${op} ${value.kind}`,
        );
      }
      const term: FilterIr = {
        kind: 'term',
        column: ref(name, type),
        values: [
          value,
          { kind: 'float', value: 0 },
          { kind: 'float', value: 1 },
          { kind: 'float', value: 2 },
          { kind: 'float', value: 3 },
        ],
      };
      assert.deepEqual(bits(evaluateFilter(term, segment)), byRows(term, segment, [name]));
    }
    for (const op of ops) {
      // NaN results of arithmetic satisfy `!=` (the row evaluator's applyOrder), unlike NaN values.
      const arith: FilterIr = {
        kind: 'arithCompare',
        column: ref(name, type),
        arithOp: '*',
        operand: { kind: 'float', value: 0 },
        op,
        value: { kind: 'float', value: 0 },
      };
      assert.deepEqual(
        bits(evaluateFilter(arith, segment)),
        byRows(arith, segment, [name]),
        `${name} * 0 ${op} 0`,
      );
    }
  }
});

test('a field missing from the segment reads as null in every row', () => {
  const segment = segmentOf(3, {});
  const cases: [string, number[]][] = [
    ['ni32 is null', [1, 1, 1]],
    ['ni32 is not null', [0, 0, 0]],
    ['ni32 == 1', [0, 0, 0]],
    ['not (ni32 == 1)', [0, 0, 0]],
    ['ni32 == 1 or ni32 is null', [1, 1, 1]],
    ['nj["a"] != 1', [0, 0, 0]],
    ['not (ni32 == ni64)', [0, 0, 0]],
    ['empty(ns)', [0, 0, 0]],
  ];
  for (const [filter, expected] of cases) {
    assert.deepEqual(bits(evaluateFilter(compileFilter(filter, schema), segment)), expected, filter);
  }
});

test('an empty segment gives an empty mask', () => {
  const mask = evaluateFilter(compileFilter('i8 > 0 or j["a"] == 1', schema), segmentOf(0, {}));
  assert.equal(mask.length, 0);
});

test('a JSON `null` document or an empty text is a null field; JSON is parsed at most once per row and call', () => {
  const texts = ['{"a": 1, "b": "x"}', 'null', '', ' null ', '[1, 2]', '{"a": 2}'];
  const segment = segmentOf(texts.length, { nj: { type: DataType.JSON, values: texts } });
  const filter = compileFilter(
    'not (nj["a"] == 1) and (nj["b"] != "y" or exists nj["a"] or nj["a"] > 0)',
    schema,
  );
  const parse = JSON.parse;
  let parses = 0;
  JSON.parse = ((text: string, reviver?: Parameters<typeof JSON.parse>[1]) => {
    parses++;
    return parse(text, reviver);
  }) as typeof JSON.parse;
  let mask: Uint8Array;
  try {
    mask = evaluateFilter(filter, segment);
    // Null documents are recognised without parsing; the three others are parsed once each.
    assert.equal(parses, 3);
    evaluateFilter(filter, segment);
    assert.equal(parses, 6, 'nothing is cached across calls');
  } finally {
    JSON.parse = parse;
  }
  assert.deepEqual(bits(mask), byRows(filter, segment, ['nj']));
  assert.deepEqual(bits(mask), [0, 0, 0, 0, 1, 1]);
});

test('candidates restrict the rows evaluated, and random_sample samples only among them', () => {
  const values = Int32Array.of(1, 2, 3, 4, 5, 6);
  const texts = Array.from(values, String);
  const segment = segmentOf(values.length, {
    i32: { type: DataType.Int32, values },
    j: { type: DataType.JSON, values: texts.map((t) => `{"a": ${t}}`) },
  });
  const candidates = Uint8Array.of(1, 0, 1, 0, 1, 1);
  const mask = evaluateFilter(compileFilter('i32 > 1 or j["a"] == 1', schema), segment, { candidates });
  assert.deepEqual(bits(mask), [1, 0, 1, 0, 1, 1]);
  let asked = 0;
  const sampled = evaluateFilter(compileFilter('i32 > 2 and random_sample(0.5)', schema), segment, {
    candidates,
    sampleRow: () => asked++ % 2 === 1,
  });
  assert.equal(asked, 3, 'rows 3, 5 and 6 pass the predicate among the candidates');
  assert.deepEqual(bits(sampled), [0, 0, 0, 0, 1, 0]);
  assert.deepEqual(bits(candidates), [1, 0, 1, 0, 1, 1], 'the candidates mask is not modified');
});

test('random_sample needs a sampler', () => {
  assert.throws(
    () => evaluateFilter(compileFilter('random_sample(0.5)', schema), segmentOf(1, {})),
    (error: unknown) => error instanceof QuiverError && error.code === 3000,
  );
});

test('a scalar index answers leaves on whole fields; nulls, other leaves and other sizes fall back to the scan', () => {
  const values = Int32Array.of(5, 6, 7, 8);
  const valid = Uint8Array.of(1, 1, 0, 1);
  const column: Column = { type: DataType.Int32, values, valid };
  const segment = segmentOf(4, { ni32: column, i32: { type: DataType.Int32, values } });
  const asked: string[] = [];
  // Answers `== 99` with a fixed mask a scan would never give, so its use is visible.
  const index = (numRows: number): ScalarIndex => ({
    type: 'STL_SORT',
    numRows,
    sizeBytes: 0,
    serialize: () => [],
    evaluate(leaf: IrExpr): Uint8Array | undefined {
      asked.push(leaf.kind);
      if (leaf.kind === 'compare' && leaf.value.kind === 'int64' && leaf.value.value === 99n) {
        return Uint8Array.of(1, 0, 1, 1);
      }
      return undefined;
    },
  });
  const indexes = new Map([['ni32', index(4)]]);
  const run = (filter: string, options = { indexes }): number[] =>
    bits(evaluateFilter(compileFilter(filter, schema), segment, options));
  assert.deepEqual(run('ni32 == 99'), [1, 0, 0, 1], 'the index mask, without the null row');
  assert.deepEqual(run('ni32 > 5'), [0, 1, 0, 1], 'undefined from the index: scanned');
  assert.deepEqual(run('not (ni32 == 99)'), [0, 1, 0, 0], 'validity still comes from the column');
  assert.deepEqual(run('ni32 is null'), [0, 0, 1, 0]);
  assert.deepEqual(asked, ['compare', 'compare', 'compare'], 'isNull is answered from validity, not asked');
  assert.deepEqual(
    run('ni32 == 99', { indexes: new Map([['ni32', index(3)]]) }),
    [0, 0, 0, 0],
    'an index of another size is ignored',
  );
  assert.deepEqual(column.valid, Uint8Array.of(1, 1, 0, 1), 'column validity is not modified');
});

test('text_match and phrase_match use the analyze hook when given', () => {
  const titles = ['alpha-beta', 'beta gamma', 'gamma'];
  const segment = segmentOf(3, { title: { type: DataType.VarChar, values: titles } });
  const analyze = (text: string): string[] => text.split(/[\s-]+/);
  assert.deepEqual(
    bits(evaluateFilter(compileFilter('text_match(title, "beta")', schema), segment, { analyze })),
    [1, 1, 0],
  );
  assert.deepEqual(
    bits(evaluateFilter(compileFilter('phrase_match(title, "alpha beta")', schema), segment, { analyze })),
    [1, 0, 0],
  );
});

test('evaluateFilter agrees with evaluateRow on the fixture rows of every column type read through cellValue', () => {
  // A sanity check of the test plumbing itself: the fixtures' columns round-trip through cellValue.
  const rows = 5;
  const columns: Record<string, Column> = {
    ai: {
      type: DataType.Array,
      elementType: DataType.Int64,
      values: [
        BigInt64Array.of(1n),
        [],
        BigInt64Array.of(2n, 3n),
        BigInt64Array.of(),
        BigInt64Array.of(1n, 1n),
      ],
    },
    ab: {
      type: DataType.Array,
      elementType: DataType.Bool,
      values: [Uint8Array.of(1), Uint8Array.of(0, 1), [], Uint8Array.of(0), Uint8Array.of(1, 1)],
    },
  };
  const segment = segmentOf(rows, columns);
  for (const filter of [
    'array_contains(ai, 1)',
    'array_contains_all(ab, [true, false])',
    'ab == [true, true]',
    'ab[0] == false',
    'array_length(ai) == 0',
  ]) {
    const ir = compileFilter(filter, schema);
    assert.deepEqual(bits(evaluateFilter(ir, segment)), byRows(ir, segment, ['ai', 'ab']), filter);
  }
  assert.ok(fields.some((f) => f.name === 'ab'));
});
