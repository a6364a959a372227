import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QuiverError } from '../errors/quiver-error.js';
import { compileFilter } from './compile-filter.js';
import { ExpressionError } from './expression-error.js';
import type { TemplateValues } from './template-value.js';
import { dynamicSchema, staticSchema } from './test-fixtures.js';

/** The `detail` of the error compiling `filter` raises; fails if it compiles. */
function detailOf(filter: string, schema = dynamicSchema, values: TemplateValues = {}): string {
  try {
    compileFilter(filter, schema, values);
  } catch (error) {
    assert.ok(error instanceof ExpressionError, `${filter}: ${String(error)}`);
    assert.equal(error.code, 1100, filter);
    assert.equal(error.legacy, 'IllegalArgument');
    assert.equal(error.reason, `${error.detail}: invalid parameter`);
    return error.detail;
  }
  assert.fail(`expected ${filter} to be refused`);
}

/** Errors Milvus wraps as "cannot parse expression: <expr>, error: <reason>". */
const wrapped: [string, string][] = [
  // Types that do not compare or cast (messages name the data types, as Milvus's do).
  ['i64 > 1.5', 'cannot cast value to Int64, value: float_val:1.5'],
  ['i8 == "a"', 'comparisons between Int8 and VarChar are not supported'],
  ['s > 1', 'comparisons between VarChar and Int64 are not supported'],
  ['b == 1', 'comparisons between Bool and Int64 are not supported'],
  ['v > 1', 'comparisons between FloatVector and Int64 are not supported'],
  ['v == v', 'comparisons between FloatVector and FloatVector are not supported'],
  ['ai == 1', 'cannot cast value to Array, value: int64_val:1'],
  ['ai == ["a"]', 'comparisons between Array[Int64] and Array[VarChar] are not supported'],
  ['ai == []', 'comparisons between Array[Int64] and Array[None] are not supported'],
  ['ai > [1]', 'can not comparisons array fields directly'],
  ['i64 == 1 == 1', 'comparisons between Bool and Int64 are not supported'],
  ['2 < 1 + i8 <= 4', 'comparisons between Bool and Int64 are not supported'],
  ['j["a"] == j["b"]', 'two column comparison with JSON type is not supported'],
  ['(i8 > 1) == true', 'not supported to combine multiple fields'],
  // Fields and paths.
  ['body == "a"', 'filter on text field (body) is not supported yet'],
  ['i64["a"] == 1', 'Int64 data type not supported accessed with []'],
  ['ai["x"] == 1', 'can only access array field with integer index'],
  ['j[""] == 1', 'invalid identifier: j[""]'],
  ['$meta == 1 and xx[""] > 1', 'invalid identifier: xx[""]'],
  // Bitwise operators and shifts are parsed, then refused.
  ['i64 & 1', 'BitAnd is not supported: i64&1'],
  ['i64 | 1 == 1', 'BitOr is not supported: i64|1==1'],
  ['i64 ^ 2', 'BitXor is not supported: i64^2'],
  ['i64 << 1 == 2', 'shift is not supported: i64<<1'],
  ['(i64 >> 1) > 0 and zzz', 'shift is not supported: i64>>1'],
  ['~i64 == 1', 'unexpected op: ~'],
  ['~1 == 1', 'unexpected op: ~'],
  ['- i8 == -1', 'unexpected op: -'],
  ['i64 ** 2 == 4', 'power can only apply on constants: i64**2'],
  // Arithmetic.
  ['i64 + i8 == 1', 'not supported to do arithmetic operations between multiple fields'],
  ['10 - i64 == 1', 'module field is not yet supported'],
  ['(i64 + 1) * 2 > 5', 'complicated arithmetic operations are not supported'],
  ['(f + 1) + 2 == 3', 'complicated arithmetic operations are not supported'],
  ['i64 / 0 == 1', 'division or modulus by zero'],
  ['i64 % 0 == 1', 'division or modulus by zero'],
  ['f % 2 == 1', 'modulo can only apply on integer types'],
  ['i64 + 1.5 == 2', "'add' cannot perform arithmetic between Int64 field and Double"],
  ['s + 1 == 2', "'add' cannot perform arithmetic between VarChar field and Int64"],
  ['2 * s == 2', "'multiply' cannot perform arithmetic between VarChar field and Int64"],
  ['ai + 1 == 2', 'can not comparisons array fields directly'],
  ['(i8 == 1) + 1 == 2', "'add' cannot perform arithmetic between Bool field and Int64"],
  ['1 / 0 == 1', 'cannot divide by zero'],
  ['1 % 0 == 1', 'cannot modulo by zero'],
  ['1.5 % 2 == 1', 'modulo can only apply on integer'],
  ['"a" / 1 == 1', 'divide cannot apply on string field'],
  ['true / 1 == 1', 'divide cannot apply on bool field'],
  ['i64 + 1 == 1.5', 'cannot cast value to Int64, value: float_val:1.5'],
  ['array_length(ai) == 1.5', 'cannot cast value to Int64, value: float_val:1.5'],
  ['array_length(ai) + 1 == 2', 'complicated arithmetic operations are not supported'],
  // Constants.
  ['1 == "a"', 'comparison operations cannot be applied to two incompatible operands: 1=="a"'],
  ['true < false', 'comparison operations cannot be applied to two incompatible operands: true<false'],
  ['{x} + 1 == 2', 'placeholder was not supported between two constants with operator: +'],
  ['{x} == {y}', 'placeholder was not supported between two constants with operator: =='],
  ['i64 == 9223372036854775808', 'int64 overflow: 9223372036854775808'],
  ['i64 == 99999999999999999999', 'strconv.ParseInt: parsing "99999999999999999999": value out of range'],
  ['d == 1e400', 'strconv.ParseFloat: parsing "1e400": value out of range'],
  [String.raw`s == "a\qb"`, 'invalid syntax'],
  [String.raw`s == "a\%"`, 'invalid syntax'],
  [String.raw`s like "a\q%"`, 'invalid syntax'],
  // Logic.
  ['i64 > 1 and true', "'and' can only be used between boolean expressions"],
  ['true or i64 > 1', "'or' can only be used between boolean expressions"],
  ['i64 > 1 and i8', "'and' can only be used between boolean expressions"],
  ['b or i8 > 1', "'or' can only be used between boolean expressions"],
  ['i64 > 1 and 1 == 1', "'and' can only be used between boolean expressions"],
  ['1 and 2', 'and can only apply on boolean'],
  ['"a" or "b"', 'or can only apply on boolean'],
  ['not i64', 'not op can only be applied on boolean expression'],
  ['not i64 > 1', 'not op can only be applied on boolean expression'],
  ['not {x}', 'not op can only be applied on boolean expression'],
  // in.
  ['i64 in 1', "the right-hand side of 'in' must be a list, but got: 1"],
  ['i64 in [1, "a"]', `value 'string_val:"a"' in list cannot be casted to Int64`],
  ['i64 in [1.5]', "value 'float_val:1.5' in list cannot be casted to Int64"],
  ['b in [true, 1]', "value 'int64_val:1' in list cannot be casted to Bool"],
  ['v in [1]', "value 'int64_val:1' in list cannot be casted to FloatVector"],
  ['1 in [1]', "'term' can only be used on non-const expression, but got: 1"],
  ['i64 + 1 in [1]', "'term' can only be used on single field, but got: i64+1"],
  ['{x} in [1]', "'term' can only be used on single field, but got: {x}"],
  ['i64 in [i8]', 'array element type must be generic value, but got: i8'],
  ['i64 in i8', "value 'i8' in list cannot be a non-const expression"],
  // LIKE.
  ['i8 like "a%"', 'like operation on non-string or no-json field is unsupported'],
  ['ai like "a%"', 'can not comparisons array fields directly'],
  ['ai[0] like "a%"', 'like operation on non-string or no-json field is unsupported'],
  ['i64 + 1 like "a"', 'like operation on complicated expr is unsupported'],
  ['"abc" like "a%"', 'like operation on complicated expr is unsupported'],
  // Ranges.
  ['1 < i8 < i16', 'upperbound cannot be a non-const expression: i16'],
  ['i16 < i8 < 3', 'lowerbound cannot be a non-const expression: i16'],
  ['10 > i8 > i16', 'lowerbound cannot be a non-const expression: 10'],
  ['5 > i8 > 10', 'invalid range: lowerbound is greater than upperbound'],
  ['3 < i8 < 1', 'invalid range: lowerbound is greater than upperbound'],
  ['1 < i8 < 1', 'invalid range: lowerbound is greater than upperbound'],
  ['1 <= i8 < 1', 'invalid range: lowerbound is greater than upperbound'],
  ['"a" < i8 < "b"', 'invalid range operations'],
  ['1.5 < i8 < 3', 'invalid range operations'],
  ['1 < s < 3', 'invalid range operations'],
  ['true < b < false', 'invalid range operations on boolean expr'],
  ['1 < ai < 3', 'can not comparisons array fields directly'],
  ['1 < v < 3', 'invalid range operations'],
  // exists, contains, array_length, null checks.
  ['exists i64', 'exists operations are only supportted on json field, got:Int64'],
  ['exists j', 'exists operations are only supportted on json key'],
  ['exists 1', 'exists operations are only supported on single fields now, got: 1'],
  ['array_contains(i64, 1)', 'contains operation are only supported on json or array fields now, got: i64'],
  [
    'json_contains_any(s, [1])',
    'contains_any operation are only supported on json or array fields now, got: s',
  ],
  ['array_contains_all(ai, 1)', 'ContainsAll operation element must be an array'],
  ['array_contains(ai, "x")', 'cannot cast value to Int64, value: string_val:"x"'],
  [
    'array_contains_any(ai, ["x"])',
    "ContainsAny operation can't compare between array element type: Int64 and VarChar",
  ],
  ['array_contains(ai, i8)', 'contains operation are only supported explicitly specified element, got: i8'],
  [
    'json_contains_all(j["a"], j["b"])',
    'contains_all operation are only supported explicitly specified element, got: j["b"]',
  ],
  [
    'array_length(i64) == 1',
    'array_length operation are only supported on json or array fields now, got: array_length(i64)',
  ],
  ['v is null', 'IsNull/IsNotNull operations are not supported on vector fields'],
  // text_match / phrase_match / random_sample.
  ['text_match(s, "x")', 'field "s" does not enable match'],
  ['text_match(i64, "x")', 'text match operation on non-string is unsupported'],
  ['text_match(nothere, "x")', 'text match operation on non-string is unsupported'],
  ['text_match(title, "x", minimum_should_match=0)', 'minimum_should_match should be >= 1, got 0'],
  ['text_match(title, "x", minimum_should_match=1001)', 'minimum_should_match should be <= 1000, got 1001'],
  ['phrase_match(title, "x", -1)', '"slop" should not be a negative interger. "slop" passed: -1'],
  [
    'phrase_match(title, "x", i64)',
    '"slop" should be a const integer expression with "uint32" value. "slop" expression passed: i64',
  ],
  [
    'phrase_match(title, "x", nothere)',
    '"slop" should be a const integer expression with "uint32" value. "slop" expression passed: nothere',
  ],
  [
    'phrase_match(title, "x", 4294967296)',
    '"slop" exceeds the range of "uint32". "slop" expression passed: 4294967296',
  ],
  ['phrase_match(i64, "x")', 'phrase match operation on non-string is unsupported'],
  ['phrase_match(s, "x")', 'field "s" does not enable match'],
  [
    'random_sample(0)',
    'the sample factor should be between 0 and 1 and not too close to 0 or 1(the difference should be larger than 1e-10), but got 0',
  ],
  [
    'random_sample(1.0)',
    'the sample factor should be between 0 and 1 and not too close to 0 or 1(the difference should be larger than 1e-10), but got 1.0',
  ],
  ['random_sample(i64)', '"float factor" should be a const float expression: "float factor" passed: i64'],
  ['random_sample(zz + 1)', '"float factor" should be a const float expression: "float factor" passed: zz+1'],
  [
    'random_sample(s + 1)',
    "cannot parse expression: s+1, error: 'add' cannot perform arithmetic between VarChar field and Int64",
  ],
  [
    'random_sample(0.5) and i64 > 1',
    'random sample expression can only be the last expression in the logical and expression',
  ],
  ['not random_sample(0.5)', 'random sample expression cannot be used in unary expression'],
  ['random_sample(0.5) or i64 > 1', 'random sample expression cannot be used in logical and expression'],
  // Geometry and timestamptz forms: Milvus's field-type errors.
  [
    `st_equals(i64, 'POINT(0 0)')`,
    "STEuqals operation are only supported on geometry fields now, got: st_equals(i64,'POINT(0 0)')",
  ],
  [
    `st_dwithin(i64, 'POINT(0 0)', 1)`,
    "ST_DWITHIN operation are only supported on geometry fields now, got: st_dwithin(i64,'POINT(0 0)',1)",
  ],
  [`i64 > ISO '2025-01-01T00:00:00Z'`, "field '%!s(<nil>)' is not a timestamptz datatype"],
  [`ISO '2025-01-01T00:00:00Z' < i64`, "field 'i64' is not a timestamptz datatype"],
  // Panics Milvus recovers as "unsupported expression".
  ['"a" + 1 == 1', 'unsupported expression: "a" + 1 == 1'],
  ['- "a" == 1', 'unsupported expression: - "a" == 1'],
  ['not 1 == true', 'unsupported expression: not 1 == true'],
  ['true ** 2 == 1', 'unsupported expression: true ** 2 == 1'],
];

test('visitor errors: Milvus messages inside "cannot parse expression: <expr>, error: ..."', () => {
  const mismatches = wrapped
    .map(([filter, reason]) => [
      filter,
      detailOf(filter),
      `cannot parse expression: ${filter}, error: ${reason}`,
    ])
    .filter(([, actual, expected]) => actual !== expected);
  assert.deepEqual(mismatches, []);
});

test('an unknown name is a dynamic key when the dynamic field is enabled, else "field not exist"', () => {
  assert.doesNotThrow(() => compileFilter('color == "red"', dynamicSchema));
  assert.equal(
    detailOf('color == "red"', staticSchema),
    'cannot parse expression: color == "red", error: field color not exist',
  );
  assert.equal(
    detailOf('$meta["a"] == 1', staticSchema),
    'cannot parse expression: $meta["a"] == 1, error: field $meta not exist',
  );
  assert.equal(
    detailOf('c is null', staticSchema),
    'cannot parse expression: c is null, error: field c not exist',
  );
});

test('errors Milvus reports bare: non-boolean predicates, function resolution, template values', () => {
  const bare: [string, string, TemplateValues?][] = [
    ['true', 'predicate is not a boolean expression: true, data type: Bool'],
    ['i64', 'predicate is not a boolean expression: i64, data type: Int64'],
    ['i64 + 1', 'predicate is not a boolean expression: i64 + 1, data type: Int64'],
    ['b', 'predicate is not a boolean expression: b, data type: Bool'],
    ['{x}', 'predicate is not a boolean expression: {x}, data type: None'],
    ['2 ** 3', 'predicate is not a boolean expression: 2 ** 3, data type: Double'],
    ['empty(i64)', 'function empty(INT64) not found. '],
    ['starts_with(s)', 'function starts_with(VARCHAR) not found. '],
    ['starts_with(s, 1)', 'function starts_with(VARCHAR, INT64) not found. '],
    ['foo(s, j["a"], ai, 1.5, true)', 'function foo(VARCHAR, JSON, ARRAY, DOUBLE, BOOL) not found. '],
    ['empty(v)', 'function empty(VECTOR_FLOAT) not found. '],
    ['i64 > {x}', 'the value of expression template variable name {x} is not found'],
    [
      'i64 in {x}',
      'the value of term expression template variable {x} is not array',
      { x: { kind: 'int64', value: 1n } },
    ],
    ['i64 > {x}', 'cannot cast value to Int64, value: string_val:"a"', { x: { kind: 'string', value: 'a' } }],
    [
      '{x} < i64 < {y}',
      'the upper value of expression template variable name {y} is not found',
      { x: { kind: 'int64', value: 1n } },
    ],
    ['{x} < i64 < {y}', 'the lower value of expression template variable name {x} is not found'],
    [
      '{x} < i64 < {y}',
      'invalid range: lowerbound is greater than upperbound',
      { x: { kind: 'int64', value: 5n }, y: { kind: 'int64', value: 1n } },
    ],
    ['i64 + {x} == 1', 'the right operand value of expression template variable name {x} is not found'],
    ['i64 / {x} == 1', 'division or modulus by zero', { x: { kind: 'int64', value: 0n } }],
    ['i64 + 1 == {x}', 'the value of expression template variable name {x} is not found'],
    [
      'array_contains_all(ai, {x})',
      'ContainsAll operation element must be an array',
      { x: { kind: 'int64', value: 1n } },
    ],
    ['array_contains(ai, {x})', 'the value of expression template variable name {x} is not found'],
    [
      'i64 in {x}',
      'cannot cast value to Int64, value: float_val:1.5',
      { x: { kind: 'array', array: { kind: 'double', data: [1.5] } } },
    ],
    [
      '(i64 + {x}) == i8',
      'the value of expression template variable name {} is not found',
      { x: { kind: 'int64', value: 1n } },
    ],
    [
      'i64 > 1',
      "invalid character 'x' looking for beginning of value",
      { x: { kind: 'array', array: { kind: 'json', data: ['x'] } } },
    ],
    [
      'i64 > 1',
      '<nil> is of unknown type: <nil>\n',
      { x: { kind: 'array', array: { kind: 'json', data: ['null'] } } },
    ],
  ];
  const mismatches = bare
    .map(([filter, message, values]) => [filter, detailOf(filter, dynamicSchema, values), message])
    .filter(([, actual, expected]) => actual !== expected);
  assert.deepEqual(mismatches, []);
});

test('an in list longer than the configured maximum is refused', () => {
  assert.doesNotThrow(() => compileFilter('i64 in [1, 2, 3]', dynamicSchema, {}, { maxTermListSize: 3 }));
  assert.throws(
    () => compileFilter('i64 in [1, 2, 3, 4]', dynamicSchema, {}, { maxTermListSize: 3 }),
    (error: unknown) =>
      error instanceof ExpressionError &&
      error.detail ===
        "cannot parse expression: i64 in [1, 2, 3, 4], error: the number of values in the 'in' list (4) exceeds the limit of 3",
  );
  assert.throws(
    () =>
      compileFilter(
        'i64 in {x}',
        dynamicSchema,
        { x: { kind: 'array', array: { kind: 'long', data: [1n, 2n] } } },
        { maxTermListSize: 1 },
      ),
    (error: unknown) =>
      error instanceof ExpressionError &&
      error.detail === "the number of values in the 'in' list (2) exceeds the limit of 1",
  );
});

test('geometry and timestamptz fields are recognised but not supported by Quiver (3000)', () => {
  for (const filter of [
    `st_equals(geo, 'POINT(0 0)')`,
    'st_isvalid(geo)',
    `ts > ISO '2025-01-01T00:00:00Z'`,
  ]) {
    assert.throws(
      () => compileFilter(filter, dynamicSchema),
      (error: unknown) =>
        error instanceof QuiverError && !(error instanceof ExpressionError) && error.code === 3000,
      filter,
    );
  }
});
