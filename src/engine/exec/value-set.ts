import type { GenericValue } from '../../expr/index.js';
import { DataType } from '../../schema/index.js';
import { arrayEqualsConstants, isNumericType, numberFor } from './value-order.js';

/**
 * The constants of an `in` list or a contains call, grouped into equality classes, for testing
 * values read one at a time (JSON values, array elements): `classOf(value)` is the index of the
 * class the value equals, or -1. Equality is the filter's (orderTyped(...) === 0): numbers by exact
 * value whatever their form (1 == 1.0 == 1n; Float in float32), strings and booleans by value,
 * arrays element-wise. Constants that no value of the type can equal (a string in an int list, NaN)
 * join no class and are counted in `unmatchable`.
 */
export class ValueSet {
  /** Classes by canonical key: the number when the value is exactly a double, else the bigint. */
  private readonly scalars = new Map<number | bigint | string | boolean, number>();
  /** Array constants (JSON and whole-array lists), each its own class unless equal to an earlier one. */
  private readonly arrays: { elements: GenericValue[]; index: number }[] = [];
  readonly classCount: number;
  readonly unmatchable: number;

  constructor(type: DataType, constants: readonly GenericValue[]) {
    let classes = 0;
    let unmatchable = 0;
    for (const constant of constants) {
      const key = constantKey(type, constant);
      if (key === undefined) {
        if (constant.kind === 'array' && (type === DataType.JSON || type === DataType.Array)) {
          const plain = plainValue(constant) as unknown[];
          if (!this.arrays.some((known) => arrayEqualsConstants(plain, known.elements))) {
            this.arrays.push({ elements: constant.elements, index: classes++ });
          }
        } else {
          unmatchable++;
        }
        continue;
      }
      if (!this.scalars.has(key)) this.scalars.set(key, classes++);
    }
    this.classCount = classes;
    this.unmatchable = unmatchable;
  }

  classOf(value: unknown): number {
    if (typeof value === 'object') {
      if (!Array.isArray(value)) return -1;
      for (const known of this.arrays) if (arrayEqualsConstants(value, known.elements)) return known.index;
      return -1;
    }
    if (typeof value === 'number') {
      if (Number.isNaN(value)) return -1;
      return this.scalars.get(value) ?? -1;
    }
    if (typeof value === 'bigint') return this.scalars.get(canonicalBigInt(value)) ?? -1;
    if (typeof value === 'string' || typeof value === 'boolean') return this.scalars.get(value) ?? -1;
    return -1;
  }

  has(value: unknown): boolean {
    return this.classOf(value) !== -1;
  }
}

const SAFE_LIMIT = 2n ** 53n;

/** A bigint as the double with the same exact value when there is one (so 2n and 2 share a key). */
export function canonicalBigInt(value: bigint): number | bigint {
  if (value >= -SAFE_LIMIT && value <= SAFE_LIMIT) return Number(value);
  const number = Number(value);
  return BigInt(number) === value ? number : value;
}

/** The class key of a constant for values of `type`, or undefined when it is an array or can never be equal. */
function constantKey(type: DataType, constant: GenericValue): number | bigint | string | boolean | undefined {
  if (isNumericType(type) || type === DataType.JSON) {
    const number = isNumericType(type) ? numberFor(type, constant) : jsonNumber(constant);
    if (number !== undefined) {
      if (typeof number === 'bigint') return canonicalBigInt(number);
      return Number.isNaN(number) ? undefined : number;
    }
    if (type !== DataType.JSON) return undefined;
  }
  if (
    constant.kind === 'string' &&
    (type === DataType.JSON || type === DataType.VarChar || type === DataType.String)
  )
    return constant.value;
  if (constant.kind === 'bool' && (type === DataType.JSON || type === DataType.Bool)) return constant.value;
  return undefined;
}

function jsonNumber(constant: GenericValue): number | bigint | undefined {
  return constant.kind === 'int64' || constant.kind === 'float' ? constant.value : undefined;
}

/** A constant as the plain value a row would hold (int64 as bigint, arrays as arrays). */
export function plainValue(constant: GenericValue): unknown {
  return constant.kind === 'array' ? constant.elements.map(plainValue) : constant.value;
}
