import type { FilterIr } from '../../expr/index.js';
import { type ArrayCell, DataType } from '../../schema/index.js';
import type { FilterContext } from './filter-context.js';
import { RowCursor } from './row-cursor.js';
import { applyOrder, orderNumbers } from './value-order.js';
import { ValueSet } from './value-set.js';

type ArrayLengthLeaf = Extract<FilterIr, { kind: 'arrayLength' }>;
type ContainsLeaf = Extract<FilterIr, { kind: 'contains' }>;

/**
 * array_length(column) op n over `rows`: an Array field's cell length, a JSON value's length when
 * it is an array; anything else is false. A non-numeric n compares with nothing (only `!=` holds).
 */
export function evaluateArrayLength(
  leaf: ArrayLengthLeaf,
  context: FilterContext,
  rows: Uint8Array | undefined,
): Uint8Array {
  const target =
    leaf.value.kind === 'int64'
      ? leaf.value.value
      : leaf.value.kind === 'float'
        ? leaf.value.value
        : Number.NaN;
  const out = context.take();
  const column = context.column(leaf.column.fieldName)!;
  if (column.type === DataType.Array && leaf.column.nestedPath.length === 0) {
    const cells = column.values;
    const cursor = new RowCursor(rows, out.length);
    for (let row = cursor.first(); row < out.length; row = cursor.next(row)) {
      out[row] = applyOrder(leaf.op, orderNumbers(cells[row]!.length, target)) ? 1 : 0;
    }
    return out;
  }
  const read = context.reader(leaf.column)!;
  const cursor = new RowCursor(rows, out.length);
  for (let row = cursor.first(); row < out.length; row = cursor.next(row)) {
    const value = read(row);
    out[row] = Array.isArray(value) && applyOrder(leaf.op, orderNumbers(value.length, target)) ? 1 : 0;
  }
  return out;
}

/**
 * array_contains / json_contains and their _all / _any forms over `rows`: the value must be an
 * array; its items are matched against the elements' equality classes (see ValueSet). contains
 * and contains_any need one element found; contains_all needs every element (none: true).
 */
export function evaluateContains(
  leaf: ContainsLeaf,
  context: FilterContext,
  rows: Uint8Array | undefined,
): Uint8Array {
  const type = leaf.column.dataType === DataType.Array ? leaf.column.elementType : DataType.JSON;
  const set = new ValueSet(type, leaf.elements);
  const out = context.take();
  const column = context.column(leaf.column.fieldName)!;
  const all = leaf.op === 'containsAll';
  if (all && set.unmatchable > 0) return out;
  if (!all && set.classCount === 0) return out;
  const needed = all ? set.classCount : 1;
  const seen = new Int32Array(set.classCount).fill(-1);
  const bools = type === DataType.Bool;
  const test = (items: ArrayLike<unknown>, row: number): number => {
    if (needed === 0) return 1;
    let found = 0;
    for (let i = 0; i < items.length; i++) {
      const item = bools ? items[i] === 1 || items[i] === true : items[i];
      const index = set.classOf(item);
      if (index === -1 || seen[index] === row) continue;
      seen[index] = row;
      if (++found === needed) return 1;
    }
    return 0;
  };
  if (column.type === DataType.Array && leaf.column.nestedPath.length === 0) {
    const cells: ArrayCell[] = column.values;
    const cursor = new RowCursor(rows, out.length);
    for (let row = cursor.first(); row < out.length; row = cursor.next(row)) {
      out[row] = test(cells[row]!, row);
    }
    return out;
  }
  const read = context.reader(leaf.column)!;
  const cursor = new RowCursor(rows, out.length);
  for (let row = cursor.first(); row < out.length; row = cursor.next(row)) {
    const value = read(row);
    if (Array.isArray(value)) out[row] = test(value, row);
  }
  return out;
}
