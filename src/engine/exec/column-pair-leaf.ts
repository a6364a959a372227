import { compareStrings } from '../../expr/constant-ops.js';
import type { CompareOp, FilterIr } from '../../expr/index.js';
import { DataType } from '../../schema/index.js';
import { type FilterContext, MISSING } from './filter-context.js';
import { RowCursor } from './row-cursor.js';
import { applyOrder, isNumericType } from './value-order.js';

type CompareColumnsLeaf = Extract<FilterIr, { kind: 'compareColumns' }>;

/** Order codes of a pair of values; UNORDERED when they do not compare (NaN, different kinds). */
const UNORDERED = 2;

/**
 * `left op right` between two fields over `rows` (rows where both are non-null): numbers compare
 * exactly whatever their types (int64 with float included), strings byte-wise, booleans false <
 * true; values that do not compare satisfy only `!=`, and a missing JSON key or array element is
 * false. First each row's order is computed into an Int8Array, then the operator is applied.
 */
export function evaluateCompareColumns(
  leaf: CompareColumnsLeaf,
  context: FilterContext,
  rows: Uint8Array | undefined,
): Uint8Array {
  const n = context.numRows;
  const orderBytes = context.take();
  const orders = new Int8Array(orderBytes.buffer, 0, n);
  const present = context.take();
  const left = context.column(leaf.left.fieldName)!;
  const right = context.column(leaf.right.fieldName)!;
  const whole = leaf.left.nestedPath.length === 0 && leaf.right.nestedPath.length === 0;
  if (whole && left.type === DataType.Int64 && right.type === DataType.Int64) {
    const a = left.values;
    const b = right.values;
    for (let row = 0; row < n; row++) orders[row] = a[row]! < b[row]! ? -1 : a[row]! > b[row]! ? 1 : 0;
    present.fill(1);
  } else if (
    whole &&
    isNumericType(left.type) &&
    isNumericType(right.type) &&
    left.type !== DataType.Int64 &&
    right.type !== DataType.Int64
  ) {
    const a = left.values as ArrayLike<number>;
    const b = right.values as ArrayLike<number>;
    for (let row = 0; row < n; row++) {
      const x = a[row]!;
      const y = b[row]!;
      orders[row] = x < y ? -1 : x > y ? 1 : x === y ? 0 : UNORDERED;
    }
    present.fill(1);
  } else {
    const readLeft = context.reader(leaf.left)!;
    const readRight = context.reader(leaf.right)!;
    const cursor = new RowCursor(rows, n);
    for (let row = cursor.first(); row < n; row = cursor.next(row)) {
      const x = readLeft(row);
      const y = readRight(row);
      if (x === MISSING || y === MISSING) continue;
      present[row] = 1;
      orders[row] = orderOfValues(x, y);
    }
  }
  const out = applyOrders(leaf.op, orders, present, rows, context.take());
  context.release(orderBytes);
  context.release(present);
  return out;
}

function orderOfValues(x: unknown, y: unknown): number {
  if ((typeof x === 'number' || typeof x === 'bigint') && (typeof y === 'number' || typeof y === 'bigint')) {
    return x < y ? -1 : x > y ? 1 : x <= y ? 0 : UNORDERED;
  }
  if (typeof x === 'string' && typeof y === 'string') return compareStrings(x, y);
  if (typeof x === 'boolean' && typeof y === 'boolean') return Number(x) - Number(y);
  return UNORDERED;
}

function applyOrders(
  op: CompareOp,
  orders: Int8Array,
  present: Uint8Array,
  rows: Uint8Array | undefined,
  out: Uint8Array,
): Uint8Array {
  const cursor = new RowCursor(rows, out.length);
  for (let row = cursor.first(); row < out.length; row = cursor.next(row)) {
    if (present[row] === 0) continue;
    const order = orders[row]!;
    out[row] = applyOrder(op, order === UNORDERED ? undefined : order) ? 1 : 0;
  }
  return out;
}
