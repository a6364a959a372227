import assert from 'node:assert/strict';
import { arrayValue, boolValue, floatValue, intValue, stringValue } from '../../expr/generic-value.js';
import { evaluateRow, type FilterIr, type GenericValue } from '../../expr/index.js';
import type { ColumnRef } from '../../expr/ir.js';
import { seededRandom } from '../../kernels/seeded-random.js';
import { type ArrayCell, type Column, DataType, dataTypeName } from '../../schema/index.js';
import { cellValue } from '../exec/row-object.js';
import type { ScalarIndex, ScalarIndexFactory } from './scalar-index.js';

/**
 * Test support: seeded random columns of every type a scalar index holds (nulls, duplicates,
 * negative numbers, integer extremes, -0, NaN and infinities, unicode strings including surrogate
 * pairs and U+E000..U+FFFF), many generated leaf predicates (including type-mixed constants the
 * type checker would refuse), and the check that an index's mask equals evaluateRow row by row.
 */
export const fieldName = 'f';

export function columnRef(column: Column, nestedPath: string[] = []): ColumnRef {
  return {
    fieldId: 101,
    fieldName,
    dataType: column.type,
    elementType: column.type === DataType.Array ? column.elementType : DataType.None,
    nestedPath,
    isPrimaryKey: false,
    isPartitionKey: false,
    nullable: column.valid !== undefined,
    isDynamic: false,
  };
}

const int64Extremes = [-(2n ** 63n), 2n ** 63n - 1n, 2n ** 53n, 2n ** 53n + 1n, -(2n ** 53n) - 1n];

/** Values of each key type: a small pool (to repeat) from which columns and constants draw. */
const numberPools: Record<string, readonly number[]> = {
  [DataType.Int8]: [-128, 127, -1, 0, 1, 2, 3, 7, -7, 100],
  [DataType.Int16]: [-32768, 32767, -1, 0, 1, 2, 3, 1000, -1000, 7],
  [DataType.Int32]: [-(2 ** 31), 2 ** 31 - 1, -1, 0, 1, 2, 3, 2023, 1990, -5],
  [DataType.Float]: [
    0,
    -0,
    1.5,
    -2.25,
    3,
    0.1,
    -1e-45,
    3.4e38,
    -3.4e38,
    Number.POSITIVE_INFINITY,
    Number.NaN,
    7,
  ],
  [DataType.Double]: [
    0,
    -0,
    1.5,
    -2.25,
    3,
    0.1,
    2 ** 53,
    2 ** 53 + 2,
    -1e308,
    Number.NEGATIVE_INFINITY,
    Number.NaN,
    7,
  ],
};

export const stringPool: readonly string[] = [
  '',
  'a',
  'ab',
  'abc',
  'abd',
  'b',
  'database',
  'data',
  'é',
  'e\u0301',
  '中文',
  '中',
  '😀',
  '😀x',
  '\uE000',
  '\uFFFF',
  'a\u0000b',
  'A',
  'ab%',
  'a_c',
  'Z',
];

/** A column generator: `cardinality` low draws from the pools, high draws mostly random values. */
export interface ColumnOptions {
  readonly numRows: number;
  readonly nullable: boolean;
  readonly highCardinality: boolean;
  readonly seed: number;
}

type Random = () => number;

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function randomString(random: Random): string {
  const alphabet = ['a', 'b', 'c', 'é', '中', '😀', '\uE000', 'Z', '%', '_', ' '];
  let text = '';
  const length = Math.floor(random() * 6);
  for (let i = 0; i < length; i++) text += pick(random, alphabet);
  return text;
}

function randomNumber(type: DataType, random: Random, high: boolean): number {
  if (!high || random() < 0.3) return pick(random, numberPools[type]!);
  switch (type) {
    case DataType.Int8:
      return Math.floor(random() * 256) - 128;
    case DataType.Int16:
      return Math.floor(random() * 65536) - 32768;
    case DataType.Int32:
      return Math.floor(random() * 2 ** 32) - 2 ** 31;
    case DataType.Float:
      return Math.fround((random() - 0.5) * 10 ** Math.floor(random() * 10));
    default:
      return (random() - 0.5) * 10 ** Math.floor(random() * 20);
  }
}

function randomBigint(random: Random, high: boolean): bigint {
  if (!high || random() < 0.3) {
    return random() < 0.3 ? pick(random, int64Extremes) : BigInt(pick(random, numberPools[DataType.Int32]!));
  }
  const magnitude = BigInt(Math.floor(random() * 2 ** 31)) * BigInt(Math.floor(random() * 2 ** 32));
  return random() < 0.5 ? -magnitude : magnitude;
}

/** Fills typed values of a key type (the typed array decides the element class). */
function fillValues(
  type: DataType,
  target: { length: number; [i: number]: unknown },
  random: Random,
  high: boolean,
) {
  for (let i = 0; i < target.length; i++) {
    if (type === DataType.Bool) target[i] = random() < 0.5 ? 1 : 0;
    else if (type === DataType.Int64) target[i] = randomBigint(random, high);
    else target[i] = randomNumber(type, random, high);
  }
}

function newValues(type: DataType, length: number, inArray: boolean) {
  switch (type) {
    case DataType.Bool:
      return new Uint8Array(length);
    case DataType.Int8:
      return inArray ? new Int32Array(length) : new Int8Array(length);
    case DataType.Int16:
      return inArray ? new Int32Array(length) : new Int16Array(length);
    case DataType.Int32:
      return new Int32Array(length);
    case DataType.Int64:
      return new BigInt64Array(length);
    case DataType.Float:
      return new Float32Array(length);
    case DataType.Double:
      return new Float64Array(length);
    default:
      throw new Error(`no numeric values for ${dataTypeName(type)}`);
  }
}

function validity(options: ColumnOptions, random: Random): Uint8Array | undefined {
  if (!options.nullable) return undefined;
  const valid = new Uint8Array(options.numRows);
  for (let row = 0; row < valid.length; row++) valid[row] = random() < 0.12 ? 0 : 1;
  return valid;
}

/** A scalar column (Bool, integers, Float, Double, VarChar). Null rows hold the zero value. */
export function randomScalarColumn(type: DataType, options: ColumnOptions): Column {
  const random = seededRandom(options.seed);
  const valid = validity(options, random);
  const high = options.highCardinality;
  if (type === DataType.VarChar) {
    const values = Array.from({ length: options.numRows }, (_, row) =>
      valid?.[row] === 0 ? '' : high && random() < 0.7 ? randomString(random) : pick(random, stringPool),
    );
    return { type, values, valid } as Column;
  }
  const values = newValues(type, options.numRows, false);
  fillValues(type, values as never, random, high);
  if (valid)
    for (let row = 0; row < values.length; row++)
      if (valid[row] === 0) values[row] = type === DataType.Int64 ? 0n : 0;
  return { type, values, valid } as Column;
}

/** An Array column of `elementType`: 0..5 elements per row, repeats within a row included. */
export function randomArrayColumn(elementType: DataType, options: ColumnOptions): Column {
  const random = seededRandom(options.seed);
  const valid = validity(options, random);
  const values: ArrayCell[] = [];
  for (let row = 0; row < options.numRows; row++) {
    const length = valid?.[row] === 0 ? 0 : Math.floor(random() * 6);
    if (elementType === DataType.VarChar) {
      const cell = Array.from({ length }, () =>
        options.highCardinality && random() < 0.7 ? randomString(random) : pick(random, stringPool),
      );
      if (length > 1 && random() < 0.3) cell[length - 1] = cell[0]!;
      values.push(cell);
      continue;
    }
    const cell = newValues(elementType, length, true);
    fillValues(elementType, cell as never, random, options.highCardinality);
    if (length > 1 && random() < 0.3) cell[length - 1] = cell[0]!;
    values.push(cell as ArrayCell);
  }
  return { type: DataType.Array, elementType, values, valid };
}

/** Constants to compare with: every pool value and neighbours, of every kind (mixed kinds too). */
function constants(random: Random): GenericValue[] {
  const out: GenericValue[] = [];
  for (const pool of Object.values(numberPools)) {
    for (const n of pool) {
      out.push(floatValue(n));
      if (Number.isFinite(n)) {
        out.push(floatValue(n + 0.5), floatValue(n - 0.5));
        if (Number.isInteger(n))
          out.push(intValue(BigInt(n)), intValue(BigInt(n) + 1n), intValue(BigInt(n) - 1n));
      }
    }
  }
  for (const big of int64Extremes) out.push(intValue(big), floatValue(Number(big)));
  out.push(floatValue(Math.fround(0.1)), floatValue(1e40), floatValue(-1e40), floatValue(Number.NaN));
  for (const text of stringPool) out.push(stringValue(text));
  out.push(stringValue('aa'), stringValue('\u{10FFFF}'), stringValue('zzz'), stringValue('\uD83D'));
  out.push(boolValue(true), boolValue(false));
  out.push(arrayValue([intValue(1n), intValue(2n)]));
  for (let i = 0; i < 20; i++) out.push(stringValue(randomString(random)));
  return out;
}

const ops = ['==', '!=', '<', '<=', '>', '>='] as const;

/** Leaves on the column: every kind an index may answer, with constants of every kind. */
export function leavesFor(column: Column, seed: number, count: number): FilterIr[] {
  const random = seededRandom(seed);
  const ref = columnRef(column);
  const pool = constants(random);
  const leaves: FilterIr[] = [
    { kind: 'isNull', column: ref },
    { kind: 'isNotNull', column: ref },
  ];
  if (column.type === DataType.Array) {
    const elementPool = pool;
    for (let i = 0; i < count; i++) {
      const size = Math.floor(random() * 4);
      const elements = Array.from({ length: size }, () => pick(random, elementPool));
      const op = pick(random, ['contains', 'containsAll', 'containsAny'] as const);
      leaves.push({
        kind: 'contains',
        column: ref,
        op,
        elements: op === 'contains' ? elements.slice(0, 1) : elements,
        sameType: true,
      });
    }
    // A few chosen to hit: elements present in the column.
    for (let i = 0; i < 40; i++) {
      const row = Math.floor(random() * column.values.length);
      const cell = cellValue(column, row);
      if (!Array.isArray(cell) || cell.length === 0) continue;
      const elements = cell.slice(0, 1 + Math.floor(random() * cell.length)).map(toConstant);
      leaves.push({
        kind: 'contains',
        column: ref,
        op: random() < 0.5 ? 'containsAll' : 'containsAny',
        elements,
        sameType: true,
      });
    }
    leaves.push({ kind: 'compare', column: columnRef(column, ['0']), op: '==', value: intValue(1n) });
    leaves.push({ kind: 'arrayLength', column: ref, op: '==', value: intValue(2n) });
    return leaves;
  }
  for (let i = 0; i < count; i++) {
    const value = pick(random, pool);
    switch (Math.floor(random() * 6)) {
      case 0:
      case 1:
        leaves.push({ kind: 'compare', column: ref, op: pick(random, ops), value });
        break;
      case 2: {
        const other = pick(random, pool);
        leaves.push({
          kind: 'range',
          column: ref,
          lower: value,
          lowerInclusive: random() < 0.5,
          upper: other,
          upperInclusive: random() < 0.5,
        });
        break;
      }
      case 3:
        leaves.push({
          kind: 'term',
          column: ref,
          values: Array.from({ length: Math.floor(random() * 5) }, () => pick(random, pool)),
        });
        break;
      case 4: {
        const operand = pick(random, stringPool).slice(0, 1 + Math.floor(random() * 2));
        const op = pick(random, ['equal', 'prefix', 'suffix', 'infix', 'pattern'] as const);
        leaves.push({ kind: 'match', column: ref, op, operand: op === 'pattern' ? `${operand}%_` : operand });
        break;
      }
      default: {
        const arithOp = pick(random, ['+', '-', '*', '/', '%'] as const);
        const operand =
          random() < 0.5
            ? intValue(BigInt(1 + Math.floor(random() * 3)))
            : floatValue(0.5 + Math.floor(random() * 3));
        leaves.push({ kind: 'arithCompare', column: ref, arithOp, operand, op: pick(random, ops), value });
      }
    }
  }
  // Constants taken from the column itself, so equality and ranges hit real keys.
  for (let i = 0; i < 25; i++) {
    const cell = cellValue(column, Math.floor(random() * column.values.length));
    if (cell === null) continue;
    const value = toConstant(cell);
    leaves.push({ kind: 'compare', column: ref, op: pick(random, ops), value });
    leaves.push({ kind: 'term', column: ref, values: [value, pick(random, pool)] });
    if (typeof cell === 'string') {
      leaves.push({ kind: 'match', column: ref, op: 'prefix', operand: cell.slice(0, 2) });
      leaves.push({ kind: 'match', column: ref, op: 'suffix', operand: cell.slice(-1) });
    }
  }
  leaves.push({ kind: 'call', name: 'empty', args: [{ kind: 'column', column: ref }] });
  leaves.push({
    kind: 'call',
    name: 'starts_with',
    args: [
      { kind: 'column', column: ref },
      { kind: 'value', value: stringValue('a') },
    ],
  });
  // A JSON path, and a kind no index answers: both must be left to the scan. (Which field an index
  // covers is the caller's business: it asks the index of the leaf's field.)
  leaves.push({
    kind: 'compare',
    column: { ...ref, dataType: DataType.JSON, nestedPath: ['a'] },
    op: '==',
    value: intValue(1n),
  });
  leaves.push({ kind: 'exists', column: ref });
  return leaves;
}

function toConstant(value: unknown): GenericValue {
  if (typeof value === 'bigint') return intValue(value);
  if (typeof value === 'number')
    return Number.isInteger(value) && !Object.is(value, -0) ? intValue(BigInt(value)) : floatValue(value);
  if (typeof value === 'string') return stringValue(value);
  if (typeof value === 'boolean') return boolValue(value);
  throw new Error(`no constant for ${String(value)}`);
}

/** The reference answer: evaluateRow on each row, as the engine presents rows. */
export function referenceMask(column: Column, leaf: FilterIr): Uint8Array {
  const numRows = column.values.length;
  const mask = new Uint8Array(numRows);
  const row: Record<string, unknown> = {};
  for (let r = 0; r < numRows; r++) {
    row[fieldName] = cellValue(column, r);
    mask[r] = evaluateRow(leaf, row) ? 1 : 0;
  }
  return mask;
}

const printable = (value: unknown): string =>
  JSON.stringify(value, (_, v) =>
    typeof v === 'bigint' ? `${v}n` : typeof v === 'number' && !Number.isFinite(v) ? String(v) : v,
  );

/**
 * Checks every answered leaf bit by bit against evaluateRow (reference masks are cached in
 * `reference`, keyed by leaf); returns how many leaves the index answered (the others it left to
 * the scan).
 */
export function assertMatchesRows(
  index: ScalarIndex,
  column: Column,
  leaves: readonly FilterIr[],
  label: string,
  reference = new Map<FilterIr, Uint8Array>(),
): number {
  let answered = 0;
  for (const leaf of leaves) {
    const mask = index.evaluate(leaf);
    if (mask === undefined) continue;
    answered++;
    let expected = reference.get(leaf);
    if (expected === undefined) {
      expected = referenceMask(column, leaf);
      reference.set(leaf, expected);
    }
    assert.equal(mask.length, expected.length, `${label}: mask length for ${printable(leaf)}`);
    for (let row = 0; row < expected.length; row++) {
      if (mask[row] !== expected[row]) {
        assert.fail(
          `${label}: row ${row} (value ${printable(cellValue(column, row))}) is ${mask[row]}, evaluateRow says ${expected[row]} for ${printable(leaf)}`,
        );
      }
    }
  }
  return answered;
}

/** Joins serialized chunks into one buffer (with its own ArrayBuffer, as a file read gives). */
export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const total = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

/** Column types a factory builds, for the equivalence tests. */
export interface ColumnCase {
  readonly label: string;
  readonly column: Column;
}

/**
 * Scalar and Array columns of the given key types, with and without nulls, of low or high
 * cardinality (both by default).
 */
export function columnCases(
  scalarTypes: readonly DataType[],
  elementTypes: readonly DataType[],
  numRows: number,
  cardinalities: readonly boolean[] = [false, true],
): ColumnCase[] {
  const cases: ColumnCase[] = [];
  let seed = numRows;
  for (const highCardinality of cardinalities) {
    for (const nullable of [false, true]) {
      const options = { numRows, nullable, highCardinality, seed: seed++ };
      const suffix = `${highCardinality ? 'high' : 'low'} cardinality${nullable ? ', nullable' : ''}`;
      for (const type of scalarTypes) {
        cases.push({
          label: `${dataTypeName(type)} (${suffix})`,
          column: randomScalarColumn(type, { ...options, seed: seed++ }),
        });
      }
      for (const type of elementTypes) {
        cases.push({
          label: `Array of ${dataTypeName(type)} (${suffix})`,
          column: randomArrayColumn(type, { ...options, seed: seed++ }),
        });
      }
    }
  }
  return cases;
}

/**
 * The whole equivalence check for one factory: for every column case, build, compare every answered
 * leaf with evaluateRow, round-trip through serialize/deserialize and compare again. Returns the
 * per-case answered counts so callers can assert coverage.
 */
export function checkFactory(
  factory: ScalarIndexFactory,
  cases: readonly ColumnCase[],
  leafCount: number,
): Map<string, { answered: number; total: number }> {
  const coverage = new Map<string, { answered: number; total: number }>();
  for (const { label, column } of cases) {
    const leaves = leavesFor(column, label.length * 7919 + leafCount, leafCount);
    const index = factory.build(column);
    assert.equal(index.type, factory.type);
    assert.equal(index.numRows, column.values.length);
    assert.ok(index.sizeBytes > 0 || column.values.length === 0, `${label}: sizeBytes`);
    const reference = new Map<FilterIr, Uint8Array>();
    const answered = assertMatchesRows(index, column, leaves, `${factory.type} ${label}`, reference);
    const loaded = factory.deserialize(concat(index.serialize()));
    assert.equal(loaded.numRows, index.numRows);
    assertMatchesRows(loaded, column, leaves, `${factory.type} ${label} after a round trip`, reference);
    assert.deepEqual(concat(loaded.serialize()), concat(index.serialize()), `${label}: re-serialized bytes`);
    coverage.set(label, { answered, total: leaves.length });
  }
  return coverage;
}

/**
 * Leaves no index answers whatever its data: on a scalar field `exists` and a JSON path; on an
 * Array field an element (`a[0] == 1`) and array_length.
 */
export const unanswerableLeavesPerCase = 2;

/** Asserts the coverage of a checkFactory run: how many leaves each case left to the scan. */
export function assertCoverage(
  coverage: ReadonlyMap<string, { answered: number; total: number }>,
  expectUnanswered: (label: string) => 'exactly-the-unanswerable' | 'some',
): void {
  for (const [label, { answered, total }] of coverage) {
    if (expectUnanswered(label) === 'exactly-the-unanswerable') {
      assert.equal(answered, total - unanswerableLeavesPerCase, `${label}: ${answered} of ${total} answered`);
    } else {
      assert.ok(answered < total - unanswerableLeavesPerCase, `${label}: every leaf answered`);
      assert.ok(answered > total / 3, `${label}: only ${answered} of ${total} answered`);
    }
  }
}
