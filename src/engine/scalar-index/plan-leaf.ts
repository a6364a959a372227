import { evaluateRow, type FilterIr, type IrExpr } from '../../expr/index.js';
import type { ColumnRef } from '../../expr/ir.js';
import { DataType } from '../../schema/index.js';
import {
  comparableKey,
  type Key,
  type KeyArray,
  lowerBound,
  prefixRange,
  rowValueOfKey,
  upperBound,
} from './index-keys.js';

/**
 * Which rows a leaf predicate selects, in terms of an index's sorted key array (positions, not
 * values): a plan every index type can turn into a mask with its own layout. "Comparable rows" are
 * the non-null rows whose value is not NaN.
 */
export type LeafPlan =
  /** No row. */
  | { readonly kind: 'none' }
  /** Null rows (`is null`). */
  | { readonly kind: 'nulls' }
  /** Non-null rows (`is not null`; `array_contains_all(a, [])`, which every array satisfies). */
  | { readonly kind: 'notNulls' }
  /** Rows with a key in one of the disjoint, ascending position ranges [start, end). */
  | { readonly kind: 'keyRanges'; readonly ranges: readonly number[] }
  /** Comparable rows with no key in [start, end) (`!=` on a scalar column). */
  | { readonly kind: 'notInKeyRange'; readonly start: number; readonly end: number }
  /**
   * Rows that, for every group, have a key in that group's ranges (`array_contains_all`). Groups are
   * distinct and non-empty.
   */
  | { readonly kind: 'everyGroup'; readonly groups: readonly (readonly number[])[] }
  /** Rows whose key is selected (one byte per key position), plus the NaN rows if `nan`. */
  | { readonly kind: 'selectedKeys'; readonly selected: Uint8Array; readonly nan: boolean };

/** What an index knows about its column, for planning. */
export interface PlanTarget {
  readonly dataType: DataType;
  readonly elementType: DataType;
  /** The column's type, or the element type of an Array column. */
  readonly keyType: DataType;
  /** The searchable keys, ascending (they may repeat: STL_SORT keeps one per row). */
  readonly keys: KeyArray;
  readonly numRows: number;
  readonly hasNanRows: boolean;
  /**
   * Whether a leaf the plan cannot map to key ranges may be answered by running the reference
   * evaluator once per key (keys must then be distinct). The index decides when that is cheaper
   * than a scan of the column.
   */
  readonly evaluatePerKey: boolean;
}

const none: LeafPlan = { kind: 'none' };

/** The index's column, or undefined when `column` is another column (or a path into this one). */
function isTargetColumn(column: ColumnRef, target: PlanTarget): boolean {
  if (column.nestedPath.length > 0 || column.dataType !== target.dataType) return false;
  return target.dataType !== DataType.Array || column.elementType === target.elementType;
}

function rangeOf(start: number, end: number): LeafPlan {
  return end > start ? { kind: 'keyRanges', ranges: [start, end] } : none;
}

/** Sorts and merges [start, end) pairs. */
function mergeRanges(pairs: number[][]): number[] {
  pairs.sort((a, b) => a[0]! - b[0]!);
  const merged: number[] = [];
  for (const [start, end] of pairs) {
    const last = merged.length - 1;
    if (last > 0 && start! <= merged[last]!) merged[last] = Math.max(merged[last]!, end!);
    else merged.push(start!, end!);
  }
  return merged;
}

/** Positions of keys equal to `key`. */
function equalRange(keys: KeyArray, key: Key): [number, number] {
  const start = lowerBound(keys, key);
  return [start, upperBound(keys, key, start)];
}

/**
 * Plans `leaf` against the index, or returns undefined when the index cannot answer it (another
 * column, a JSON path or array element, a kind it does not support): the caller then scans.
 */
export function planLeaf(leaf: FilterIr, target: PlanTarget): LeafPlan | undefined {
  const { keys, keyType } = target;
  const isArray = target.dataType === DataType.Array;
  switch (leaf.kind) {
    case 'isNull':
      return isTargetColumn(leaf.column, target) ? { kind: 'nulls' } : undefined;
    case 'isNotNull':
      return isTargetColumn(leaf.column, target) ? { kind: 'notNulls' } : undefined;
    case 'compare': {
      if (!isTargetColumn(leaf.column, target) || isArray) return undefined;
      const key = comparableKey(keyType, leaf.value);
      if (key === undefined) return none;
      switch (leaf.op) {
        case '==':
          return rangeOf(...equalRange(keys, key));
        case '!=': {
          const [start, end] = equalRange(keys, key);
          return { kind: 'notInKeyRange', start, end };
        }
        case '<':
          return rangeOf(0, lowerBound(keys, key));
        case '<=':
          return rangeOf(0, upperBound(keys, key));
        case '>':
          return rangeOf(upperBound(keys, key), keys.length);
        case '>=':
          return rangeOf(lowerBound(keys, key), keys.length);
      }
      return undefined;
    }
    case 'range': {
      if (!isTargetColumn(leaf.column, target) || isArray) return undefined;
      const lower = comparableKey(keyType, leaf.lower);
      const upper = comparableKey(keyType, leaf.upper);
      if (lower === undefined || upper === undefined) return none;
      const start = leaf.lowerInclusive ? lowerBound(keys, lower) : upperBound(keys, lower);
      const end = leaf.upperInclusive ? upperBound(keys, upper) : lowerBound(keys, upper);
      return rangeOf(start, end);
    }
    case 'term': {
      if (!isTargetColumn(leaf.column, target) || isArray) return undefined;
      const pairs: number[][] = [];
      for (const value of leaf.values) {
        const key = comparableKey(keyType, value);
        if (key === undefined) continue;
        const [start, end] = equalRange(keys, key);
        if (end > start) pairs.push([start, end]);
      }
      return pairs.length === 0 ? none : { kind: 'keyRanges', ranges: mergeRanges(pairs) };
    }
    case 'match': {
      if (!isTargetColumn(leaf.column, target) || isArray) return undefined;
      // LIKE never matches a value that is not a string.
      if (keyType !== DataType.VarChar) return none;
      if (leaf.op === 'equal') return rangeOf(...equalRange(keys, leaf.operand));
      if (leaf.op === 'prefix') return rangeOf(...prefixRange(keys as string[], leaf.operand));
      return planPerKey(leaf, leaf.column, target);
    }
    case 'contains': {
      if (!isTargetColumn(leaf.column, target) || !isArray) return undefined;
      const groups: number[][] = [];
      const seen = new Set<string>();
      let unmatched = false;
      for (const element of leaf.elements) {
        const key = comparableKey(keyType, element);
        const [start, end] = key === undefined ? [0, 0] : equalRange(keys, key);
        if (end <= start) {
          unmatched = true;
          continue;
        }
        const id = `${start}:${end}`;
        if (seen.has(id)) continue;
        seen.add(id);
        groups.push([start, end]);
      }
      if (leaf.op !== 'containsAll') {
        return groups.length === 0 ? none : { kind: 'keyRanges', ranges: mergeRanges(groups) };
      }
      // Every element must be found: one that matches no key fails every row; none at all passes
      // every non-null row (Array.prototype.every of an empty list).
      if (unmatched) return none;
      if (groups.length === 0) return { kind: 'notNulls' };
      return { kind: 'everyGroup', groups };
    }
    case 'arithCompare':
      return isTargetColumn(leaf.column, target) && !isArray
        ? planPerKey(leaf, leaf.column, target)
        : undefined;
    case 'call': {
      let column: ColumnRef | undefined;
      for (const arg of leaf.args) {
        if (arg.kind !== 'column') continue;
        if (!isTargetColumn(arg.column, target) || (column && column.fieldId !== arg.column.fieldId)) {
          return undefined;
        }
        column = arg.column;
      }
      return column === undefined || isArray ? undefined : planPerKey(leaf, column, target);
    }
    default:
      return undefined;
  }
}

/**
 * Evaluates a leaf that depends on nothing but this column's value once per distinct key, with the
 * reference evaluator itself, so the answer is the row evaluator's by construction. Null rows are
 * false for every such leaf; NaN rows are evaluated once (arithmetic on NaN can satisfy `!=`).
 */
function planPerKey(leaf: IrExpr, column: ColumnRef, target: PlanTarget): LeafPlan | undefined {
  if (!target.evaluatePerKey) return undefined;
  const { keys, keyType } = target;
  const items = keys as ArrayLike<Key>;
  const selected = new Uint8Array(keys.length);
  const row: Record<string, unknown> = {};
  for (let position = 0; position < keys.length; position++) {
    row[column.fieldName] = rowValueOfKey(keyType, items[position]!);
    if (evaluateRow(leaf, row)) selected[position] = 1;
  }
  let nan = false;
  if (target.hasNanRows) {
    row[column.fieldName] = Number.NaN;
    nan = evaluateRow(leaf, row);
  }
  return { kind: 'selectedKeys', selected, nan };
}
