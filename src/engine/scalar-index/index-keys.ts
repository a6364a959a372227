import { errors } from '../../errors/index.js';
import { compareStrings } from '../../expr/constant-ops.js';
import type { GenericValue } from '../../expr/index.js';
import { DataType, dataTypeName, isIntegerType } from '../../schema/index.js';

/**
 * Keys of a scalar index and how constants of a filter compare with them. The rules are exactly
 * those of the reference row evaluator (expr/row-values.ts, `orderTyped`), so an index answers a
 * predicate the same way evaluateRow does row by row:
 *
 * - integer columns compare with an int64 constant exactly (bigint) and with a double constant
 *   exactly (a bigint/number comparison in JS is mathematically exact, as segcore's is);
 * - Float (float32) columns first round the constant to float32, Double columns do not;
 * - Bool columns compare only with bool constants (false < true), VarChar columns only with string
 *   constants, in UTF-8 byte order (compareStrings);
 * - a constant that does not compare (wrong kind, NaN) matches no row, for every operator including
 *   `!=` (segcore's rule for non-JSON fields).
 *
 * Keys are held in typed arrays (strings in a string[]). Bool keys are 0/1.
 */
export type KeyArray =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Float32Array
  | Float64Array
  | string[];

/** One key or comparable constant: a number or bigint for numeric keys, a string for VarChar. */
export type Key = number | bigint | string;

/** Data types whose values can be index keys (the column type, or an Array's element type). */
export function isKeyType(type: DataType): boolean {
  return (
    type === DataType.Bool ||
    isIntegerType(type) ||
    type === DataType.Float ||
    type === DataType.Double ||
    type === DataType.VarChar
  );
}

/**
 * The key a constant compares as against keys of `keyType`, or undefined when it compares with none
 * of them (no row can match; `!=` included).
 */
export function comparableKey(keyType: DataType, constant: GenericValue): Key | undefined {
  if (keyType === DataType.VarChar) return constant.kind === 'string' ? constant.value : undefined;
  if (keyType === DataType.Bool) return constant.kind === 'bool' ? Number(constant.value) : undefined;
  let key: number | bigint;
  if (constant.kind === 'int64') {
    key = keyType === DataType.Float ? Math.fround(Number(constant.value)) : constant.value;
  } else if (constant.kind === 'float') {
    key = keyType === DataType.Float ? Math.fround(constant.value) : constant.value;
  } else {
    return undefined;
  }
  return typeof key === 'number' && Number.isNaN(key) ? undefined : key;
}

/** a < b in the index's order. Numeric keys may mix number and bigint: JS compares them exactly. */
function less(a: Key, b: Key, strings: boolean): boolean {
  if (strings) return compareStrings(a as string, b as string) < 0;
  return (a as number) < (b as number);
}

/** First position in [from, to) whose key is not below `key` (keys ascending). */
export function lowerBound(keys: KeyArray, key: Key, from = 0, to = keys.length): number {
  const strings = Array.isArray(keys);
  const items = keys as ArrayLike<Key>;
  let low = from;
  let high = to;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (less(items[middle]!, key, strings)) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** First position in [from, to) whose key is above `key` (keys ascending). */
export function upperBound(keys: KeyArray, key: Key, from = 0, to = keys.length): number {
  const strings = Array.isArray(keys);
  const items = keys as ArrayLike<Key>;
  let low = from;
  let high = to;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (less(key, items[middle]!, strings)) high = middle;
    else low = middle + 1;
  }
  return low;
}

/**
 * The positions [start, end) of the keys that start with `prefix` (UTF-16 startsWith, as the row
 * evaluator's LIKE 'abc%'). They are contiguous: strings sharing a prefix are adjacent in any
 * lexicographic order, and all of them sort at or after the prefix itself.
 */
export function prefixRange(keys: string[], prefix: string): [number, number] {
  const start = lowerBound(keys, prefix);
  let low = start;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (keys[middle]!.startsWith(prefix)) low = middle + 1;
    else high = middle;
  }
  return [start, low];
}

/** The value the row evaluator sees for a key: Bool keys as booleans, the others as they are. */
export function rowValueOfKey(keyType: DataType, key: Key): unknown {
  return keyType === DataType.Bool ? key === 1 : key;
}

/**
 * Approximate bytes held by a key array: for strings a pointer per slot, plus two bytes per code
 * unit and a header per string (a run of one string repeated counts it once).
 */
export function keyArrayBytes(keys: KeyArray): number {
  if (!Array.isArray(keys)) return keys.byteLength;
  let total = 8 * keys.length;
  for (let i = 0; i < keys.length; i++)
    if (i === 0 || keys[i] !== keys[i - 1]) total += 16 + 2 * keys[i]!.length;
  return total;
}

/**
 * UTF-8 byte order of distinct strings, which for well-formed strings is code point order. The
 * engine's default sort (UTF-16 code units) agrees with it unless a string holds a unit from
 * U+D800 upwards (surrogates sort above U+E000..U+FFFF in UTF-8), so the comparator is used only
 * then.
 */
export function sortStringsByteOrder(strings: string[]): string[] {
  const needsComparator = strings.some((text) => /[\uD800-\uFFFF]/.test(text));
  return needsComparator ? strings.sort(compareStrings) : strings.sort();
}

/** The typed-array layout of numeric keys (Bool keys are 0/1 bytes). */
export type NumericKeyKind = 'bool' | 'i8' | 'i16' | 'i32' | 'i64' | 'f32' | 'f64';

/**
 * The layout of keys of `keyType`: the column's own array class, except that Array cells of Int8 and
 * Int16 elements are Int32Array (see the column codec), so their keys are Int32 too.
 */
export function numericKeyKind(keyType: DataType, fromArrayCells: boolean): NumericKeyKind {
  switch (keyType) {
    case DataType.Bool:
      return 'bool';
    case DataType.Int8:
      return fromArrayCells ? 'i32' : 'i8';
    case DataType.Int16:
      return fromArrayCells ? 'i32' : 'i16';
    case DataType.Int32:
      return 'i32';
    case DataType.Int64:
      return 'i64';
    case DataType.Float:
      return 'f32';
    case DataType.Double:
      return 'f64';
    default:
      throw errors.unexpected(`${dataTypeName(keyType)} is not a numeric key type`);
  }
}

/** A zeroed key array of a layout. */
export function newKeyArray(kind: NumericKeyKind, length: number): Exclude<KeyArray, string[]> {
  switch (kind) {
    case 'bool':
      return new Uint8Array(length);
    case 'i8':
      return new Int8Array(length);
    case 'i16':
      return new Int16Array(length);
    case 'i32':
      return new Int32Array(length);
    case 'i64':
      return new BigInt64Array(length);
    case 'f32':
      return new Float32Array(length);
    case 'f64':
      return new Float64Array(length);
  }
}
