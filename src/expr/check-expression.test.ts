import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataType } from '../schema/data-type.js';
import { checkExpression } from './check-expression.js';
import { compileFilter } from './compile-filter.js';
import type { GenericValue } from './generic-value.js';
import type { ColumnRef, FilterIr } from './ir.js';
import { parseExpression } from './parse-expression.js';
import type { TemplateValues } from './template-value.js';
import { dynamicSchema } from './test-fixtures.js';

function col(name: string, ...nestedPath: string[]): ColumnRef {
  const field =
    dynamicSchema.fields.find((f) => f.name === name) ?? dynamicSchema.fields.find((f) => f.isDynamic)!;
  return {
    fieldId: field.fieldId,
    fieldName: field.name,
    dataType: field.dataType,
    elementType: field.elementType,
    nestedPath: field.name === name ? nestedPath : [name, ...nestedPath],
    isPrimaryKey: field.isPrimaryKey,
    isPartitionKey: field.isPartitionKey,
    nullable: field.nullable,
    isDynamic: field.isDynamic,
  };
}

const int = (value: bigint): GenericValue => ({ kind: 'int64', value });
const float = (value: number): GenericValue => ({ kind: 'float', value });
const str = (value: string): GenericValue => ({ kind: 'string', value });
const ir = (filter: string, values: TemplateValues = {}): FilterIr =>
  compileFilter(filter, dynamicSchema, values);

test('comparisons become compare nodes with the constant cast to the column type', () => {
  assert.deepEqual(ir('i64 > 10'), { kind: 'compare', column: col('i64'), op: '>', value: int(10n) });
  // Constant on the left: the operator is reversed.
  assert.deepEqual(ir('10 > i64'), { kind: 'compare', column: col('i64'), op: '<', value: int(10n) });
  // An int constant compared with a float column becomes a double.
  assert.deepEqual(ir('f <= 3'), { kind: 'compare', column: col('f'), op: '<=', value: float(3) });
  assert.deepEqual(ir('s != "x"'), { kind: 'compare', column: col('s'), op: '!=', value: str('x') });
  assert.deepEqual(ir('i8 < i16'), { kind: 'compareColumns', left: col('i8'), op: '<', right: col('i16') });
});

test('JSON paths, dynamic keys and array elements resolve to a field plus a nested path', () => {
  assert.deepEqual(ir('j["a"]["b"][0] == 1').kind === 'compare' && ir('j["a"]["b"][0] == 1'), {
    kind: 'compare',
    column: col('j', 'a', 'b', '0'),
    op: '==',
    value: int(1n),
  });
  assert.deepEqual(ir('color == "red"'), {
    kind: 'compare',
    column: col('color'),
    op: '==',
    value: str('red'),
  });
  assert.equal(col('color').fieldName, '$meta');
  assert.deepEqual(ir('$meta["color"] == "red"'), ir('color == "red"'));
  assert.deepEqual(ir(`tags['x'] == 1`), {
    kind: 'compare',
    column: col('tags', 'x'),
    op: '==',
    value: int(1n),
  });
  // Keys are taken verbatim between the quotes, as Milvus does.
  assert.deepEqual(ir(String.raw`j["a\"b"] == 1`), {
    kind: 'compare',
    column: col('j', String.raw`a\"b`),
    op: '==',
    value: int(1n),
  });
  assert.deepEqual(ir('ai[1] == 2'), { kind: 'compare', column: col('ai', '1'), op: '==', value: int(2n) });
  assert.deepEqual(ir('af[0] > 1'), { kind: 'compare', column: col('af', '0'), op: '>', value: float(1) });
});

test('field arithmetic against a constant is one arithCompare node; same-family integer chains fold', () => {
  assert.deepEqual(ir('i64 % 3 == 0'), {
    kind: 'arithCompare',
    column: col('i64'),
    arithOp: '%',
    operand: int(3n),
    op: '==',
    value: int(0n),
  });
  assert.deepEqual(ir('2 * i32 > 5'), {
    kind: 'arithCompare',
    column: col('i32'),
    arithOp: '*',
    operand: int(2n),
    op: '>',
    value: int(5n),
  });
  assert.deepEqual(ir('i64 - 2 - 3 == 5'), {
    kind: 'arithCompare',
    column: col('i64'),
    arithOp: '+',
    operand: int(-5n),
    op: '==',
    value: int(5n),
  });
  assert.deepEqual(ir('i8 * 2 * 3 != 6'), {
    kind: 'arithCompare',
    column: col('i8'),
    arithOp: '*',
    operand: int(6n),
    op: '!=',
    value: int(6n),
  });
  assert.deepEqual(ir('f + 1 < 2'), {
    kind: 'arithCompare',
    column: col('f'),
    arithOp: '+',
    operand: float(1),
    op: '<',
    value: float(2),
  });
  assert.deepEqual(ir('array_length(ai) >= 2'), {
    kind: 'arrayLength',
    column: col('ai'),
    op: '>=',
    value: int(2n),
  });
  // Constant sub-expressions fold first.
  assert.deepEqual(ir('i64 > (1 + 2) * 3 - 7 / 2'), {
    kind: 'compare',
    column: col('i64'),
    op: '>',
    value: int(6n),
  });
});

test('ranges, forward and reverse, with inclusiveness', () => {
  assert.deepEqual(ir('1 < i64 <= 5'), {
    kind: 'range',
    column: col('i64'),
    lower: int(1n),
    lowerInclusive: false,
    upper: int(5n),
    upperInclusive: true,
  });
  assert.deepEqual(ir('5 >= d > 1'), {
    kind: 'range',
    column: col('d'),
    lower: float(1),
    lowerInclusive: false,
    upper: float(5),
    upperInclusive: true,
  });
});

test('in / not in, like classification, null checks, exists', () => {
  assert.deepEqual(ir('i64 not in [1, 2]'), {
    kind: 'not',
    operand: { kind: 'term', column: col('i64'), values: [int(1n), int(2n)] },
  });
  // On JSON a mix of ints and doubles becomes all doubles.
  assert.deepEqual(ir('j["a"] in [1, 2.5, "x"]'), {
    kind: 'term',
    column: col('j', 'a'),
    values: [float(1), float(2.5), str('x')],
  });
  assert.deepEqual(ir('s like "ab%"'), { kind: 'match', column: col('s'), op: 'prefix', operand: 'ab' });
  assert.deepEqual(ir('s like "%ab"'), { kind: 'match', column: col('s'), op: 'suffix', operand: 'ab' });
  assert.deepEqual(ir('s like "%ab%"'), { kind: 'match', column: col('s'), op: 'infix', operand: 'ab' });
  assert.deepEqual(ir('s like "ab"'), { kind: 'match', column: col('s'), op: 'equal', operand: 'ab' });
  assert.deepEqual(ir('s like "a_b"'), { kind: 'match', column: col('s'), op: 'pattern', operand: 'a_b' });
  assert.deepEqual(ir(String.raw`s like "100\%"`), {
    kind: 'match',
    column: col('s'),
    op: 'equal',
    operand: '100%',
  });
  assert.deepEqual(ir('n is null'), { kind: 'isNull', column: col('n') });
  assert.deepEqual(ir('n IS NOT NULL'), { kind: 'isNotNull', column: col('n') });
  assert.deepEqual(ir('j["a"] is null'), { kind: 'not', operand: { kind: 'exists', column: col('j', 'a') } });
  assert.deepEqual(ir('color is not null'), { kind: 'exists', column: col('color') });
  assert.deepEqual(ir('exists j["a"]'), { kind: 'exists', column: col('j', 'a') });
});

test('contains, functions, text and phrase match', () => {
  assert.deepEqual(ir('array_contains_any(ai, [1, 2])'), {
    kind: 'contains',
    column: col('ai'),
    op: 'containsAny',
    elements: [int(1n), int(2n)],
    sameType: true,
  });
  assert.deepEqual(ir('json_contains(j["arr"], [1, "a"])'), {
    kind: 'contains',
    column: col('j', 'arr'),
    op: 'contains',
    elements: [{ kind: 'array', elements: [int(1n), str('a')], sameType: false, elementType: DataType.None }],
    sameType: true,
  });
  assert.deepEqual(ir('starts_with(s, "a")'), {
    kind: 'call',
    name: 'starts_with',
    args: [
      { kind: 'column', column: col('s') },
      { kind: 'value', value: str('a') },
    ],
  });
  assert.deepEqual(ir(`text_match(title, 'a b', minimum_should_match=2)`), {
    kind: 'textMatch',
    column: col('title'),
    query: 'a b',
    minimumShouldMatch: 2,
    analyzerParams: '',
  });
  assert.deepEqual(ir('phrase_match(title, "a b")'), {
    kind: 'phraseMatch',
    column: col('title'),
    query: 'a b',
    slop: 0,
    analyzerParams: '',
  });
  assert.deepEqual(ir('phrase_match(title, "a b", 1 + 2)'), {
    kind: 'phraseMatch',
    column: col('title'),
    query: 'a b',
    slop: 3,
    analyzerParams: '',
  });
});

test('and/or chains are n-ary; constant predicates fold; random_sample takes the preceding predicate', () => {
  assert.deepEqual(ir('i8 == 1 and i8 == 2 and (i8 == 3 and i8 == 4)'), {
    kind: 'and',
    operands: [
      { kind: 'compare', column: col('i8'), op: '==', value: int(1n) },
      { kind: 'compare', column: col('i8'), op: '==', value: int(2n) },
      { kind: 'compare', column: col('i8'), op: '==', value: int(3n) },
      { kind: 'compare', column: col('i8'), op: '==', value: int(4n) },
    ],
  });
  assert.deepEqual(ir('i8 == 1 or i8 == 2 and i8 == 3').kind, 'or');
  assert.deepEqual(ir('1 < 2'), { kind: 'alwaysTrue' });
  assert.deepEqual(ir('1 > 2 or 2 > 3'), { kind: 'alwaysFalse' });
  assert.deepEqual(ir(''), { kind: 'alwaysTrue' });
  assert.deepEqual(ir(' \t\n'), { kind: 'alwaysTrue' });
  assert.deepEqual(ir('i8 == 1 and random_sample(0.25)'), {
    kind: 'randomSample',
    factor: 0.25,
    predicate: { kind: 'compare', column: col('i8'), op: '==', value: int(1n) },
  });
  assert.deepEqual(ir('random_sample(0.1)'), {
    kind: 'randomSample',
    factor: Math.fround(0.1),
    predicate: null,
  });
});

test('string literals: quotes, C escapes, Han characters, single-quote escapes', () => {
  const value = (filter: string): unknown => (ir(filter) as { value: GenericValue }).value;
  assert.deepEqual(value(String.raw`s == "a\nb\t\"c\"\\"`), str('a\nb\t"c"\\'));
  assert.deepEqual(value(String.raw`s == 'it\'s "ok"'`), str(`it's "ok"`));
  assert.deepEqual(value(String.raw`s == "\x41\u00e9\101"`), str('AéA'));
  assert.deepEqual(value('s == "名字"'), str('名字'));
  assert.deepEqual(value('s == "名\\n"'), str('名\n'));
});

test('template variables are filled from the values, cast to the column type', () => {
  const values: TemplateValues = {
    low: { kind: 'int64', value: 1n },
    high: { kind: 'float', value: 9.5 },
    ids: { kind: 'array', array: { kind: 'long', data: [1n, 2n] } },
    name: { kind: 'string', value: 'x' },
    tags: { kind: 'array', array: { kind: 'json', data: ['1', '1.0', '"a"', '[2]', '1e3'] } },
    five: { kind: 'int64', value: 5n },
  };
  assert.deepEqual(ir('f > {low}', values), { kind: 'compare', column: col('f'), op: '>', value: float(1) });
  assert.deepEqual(ir('{low} < d < {high}', values), {
    kind: 'range',
    column: col('d'),
    lower: float(1),
    lowerInclusive: false,
    upper: float(9.5),
    upperInclusive: false,
  });
  assert.deepEqual(ir('i64 in {ids}', values), {
    kind: 'term',
    column: col('i64'),
    values: [int(1n), int(2n)],
  });
  assert.deepEqual(ir('not (s == {name})', values), {
    kind: 'not',
    operand: { kind: 'compare', column: col('s'), op: '==', value: str('x') },
  });
  assert.deepEqual(ir('i64 % {five} == {low}', values), {
    kind: 'arithCompare',
    column: col('i64'),
    arithOp: '%',
    operand: int(5n),
    op: '==',
    value: int(1n),
  });
  assert.deepEqual(ir('json_contains_any(j["arr"], {tags})', values), {
    kind: 'contains',
    column: col('j', 'arr'),
    op: 'containsAny',
    elements: [
      int(1n),
      float(1),
      str('a'),
      { kind: 'array', elements: [int(2n)], sameType: true, elementType: DataType.Int64 },
      float(1000),
    ],
    sameType: false,
  });
  assert.deepEqual(ir('array_length(ai) == {five}', values), {
    kind: 'arrayLength',
    column: col('ai'),
    op: '==',
    value: int(5n),
  });
});

test('checkExpression works on a parsed expression; the IR is structured-clone safe', () => {
  const parsed = parseExpression('i64 in [1, 2] and color like "r%"');
  const result = checkExpression(parsed, dynamicSchema);
  assert.deepEqual(structuredClone(result), result);
});
