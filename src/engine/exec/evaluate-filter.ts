import { errors } from '../../errors/errors.js';
import type { FilterIr } from '../../expr/index.js';
import { evaluateArithCompare } from './arith-leaf.js';
import { evaluateArrayLength, evaluateContains } from './array-leaf.js';
import { evaluateCompareColumns } from './column-pair-leaf.js';
import { evaluateCompare, evaluateRange } from './compare-leaf.js';
import { type EvaluateFilterOptions, FilterContext, MISSING, type SegmentColumns } from './filter-context.js';
import { andInto, andNotInto, anySelected, copyMask, intersect, orInto } from './mask-ops.js';
import { RowCursor } from './row-cursor.js';
import { CALL_NULL, CALL_TRUE, callOutcomes, evaluateMatch } from './string-leaf.js';
import { evaluateTerm } from './term-leaf.js';
import { evaluateText } from './text-leaf.js';

export type { EvaluateFilterOptions, SegmentColumns } from './filter-context.js';

/**
 * Evaluates a filter over every row of a segment, column at a time, and returns its mask (1 = the
 * row matches): a new array, or a view of `options.out` when given. Results are exactly the row evaluator's (expr/evaluate-row.ts), nulls
 * included: each node has a value and a validity per row; a leaf on a null field is false and
 * invalid, and/or combine values and OR validities, `not` flips the value and clears it where
 * invalid (ir.ts). Validity depends only on which fields are null, so it is computed separately
 * and only under a `not`.
 *
 * Work is restricted as it goes: `and` evaluates each operand only on the rows still matching,
 * `or` only on the rows not yet matched, so expensive leaves (strings, JSON) see few rows. Leaves
 * on a whole field ask `options.indexes` first. JSON documents are parsed at most once per row and
 * field, lazily, and forgotten when the call returns.
 */
export function evaluateFilter(
  ir: FilterIr,
  segment: SegmentColumns,
  options: EvaluateFilterOptions = {},
): Uint8Array {
  if (options.sampleRow === undefined && hasRandomSample(ir)) {
    throw errors.operationNotSupported('random_sample needs a sampleRow function to be evaluated');
  }
  const context = new FilterContext(segment, options);
  try {
    const candidates = options.candidates?.subarray(0, context.numRows);
    const value = nodeValue(ir, context, candidates);
    const out =
      options.out === undefined ? new Uint8Array(context.numRows) : options.out.subarray(0, context.numRows);
    out.set(value);
    return out;
  } finally {
    context.dispose();
  }
}

type Leaf = Exclude<FilterIr, { kind: 'and' | 'or' | 'not' | 'alwaysTrue' | 'alwaysFalse' | 'randomSample' }>;
type ColumnLeaf = Extract<Leaf, { column: unknown }>;

/**
 * The node's value on the rows of `active` (borrowed; undefined = all rows), 0 elsewhere, as a
 * mask the caller owns (to modify and release).
 */
function nodeValue(node: FilterIr, context: FilterContext, active: Uint8Array | undefined): Uint8Array {
  const n = context.numRows;
  switch (node.kind) {
    case 'alwaysTrue':
      return copyMask(context, active);
    case 'alwaysFalse':
      return context.take();
    case 'and': {
      let running: Uint8Array | undefined;
      for (const operand of node.operands) {
        if (running !== undefined && !anySelected(running)) break;
        const next = nodeValue(operand, context, running ?? active);
        context.release(running);
        running = next;
      }
      return running ?? copyMask(context, active);
    }
    case 'or': {
      let matched: Uint8Array | undefined;
      let remaining: Uint8Array | undefined;
      for (const operand of node.operands) {
        if (remaining !== undefined && !anySelected(remaining)) break;
        const value = nodeValue(operand, context, remaining ?? active);
        if (matched === undefined) {
          matched = value;
          remaining = andNotInto(copyMask(context, active), value);
        } else {
          orInto(matched, value);
          andNotInto(remaining!, value);
          context.release(value);
        }
      }
      context.release(remaining);
      return matched ?? context.take();
    }
    case 'not': {
      const value = nodeValue(node.operand, context, active);
      const out = andNotInto(copyMask(context, active), value);
      context.release(value);
      const valid = validityOf(node.operand, context, active);
      andInto(out, valid);
      context.release(valid);
      return out;
    }
    case 'randomSample': {
      const out =
        node.predicate === null ? copyMask(context, active) : nodeValue(node.predicate, context, active);
      const sampleRow = context.options.sampleRow!;
      for (let row = 0; row < n; row++) {
        if (out[row] === 1 && !sampleRow(node.factor)) out[row] = 0;
      }
      return out;
    }
    case 'isNull': {
      const valid = context.validRows(node.column.fieldName);
      const out = copyMask(context, active);
      return valid === undefined ? out.fill(0) : andNotInto(out, valid);
    }
    case 'isNotNull':
      return andInto(copyMask(context, active), context.validRows(node.column.fieldName));
    case 'exists':
      return evaluateExists(node, context, active);
    case 'compareColumns': {
      if (
        context.column(node.left.fieldName) === undefined ||
        context.column(node.right.fieldName) === undefined
      ) {
        return context.take();
      }
      const valid = intersect(
        context,
        context.validRows(node.left.fieldName),
        context.validRows(node.right.fieldName),
      );
      const out = evaluateCompareColumns(
        node,
        context,
        valid === undefined ? active : andInto(valid, active),
      );
      context.release(valid);
      return out;
    }
    case 'call': {
      const outcomes = callOutcomes(node, context, active);
      for (let row = 0; row < n; row++) outcomes[row] = outcomes[row] === CALL_TRUE ? 1 : 0;
      return outcomes;
    }
    default:
      return evaluateColumnLeaf(node, context, active);
  }
}

/** A leaf reading one field: null rows are false; an index answers first when it can. */
function evaluateColumnLeaf(
  leaf: ColumnLeaf,
  context: FilterContext,
  active: Uint8Array | undefined,
): Uint8Array {
  const fieldName = leaf.column.fieldName;
  if (context.column(fieldName) === undefined) return context.take();
  const { rows, owned } = leafRows(context, active, fieldName);
  try {
    return fromIndex(leaf, context, rows) ?? scanLeaf(leaf, context, rows);
  } finally {
    if (owned) context.release(rows);
  }
}

/**
 * The active rows where the field is not null: borrowed (`active`, or the field's validity) when
 * the other covers every row, else an owned intersection the caller releases.
 */
function leafRows(
  context: FilterContext,
  active: Uint8Array | undefined,
  fieldName: string,
): { rows: Uint8Array | undefined; owned: boolean } {
  const valid = context.validRows(fieldName);
  if (valid === undefined) return { rows: active, owned: false };
  if (active === undefined) return { rows: valid, owned: false };
  return { rows: intersect(context, active, valid), owned: true };
}

function scanLeaf(leaf: ColumnLeaf, context: FilterContext, rows: Uint8Array | undefined): Uint8Array {
  switch (leaf.kind) {
    case 'compare':
      return evaluateCompare(leaf, context, rows);
    case 'range':
      return evaluateRange(leaf, context, rows);
    case 'term':
      return evaluateTerm(leaf, context, rows);
    case 'match':
      return evaluateMatch(leaf, context, rows);
    case 'arithCompare':
      return evaluateArithCompare(leaf, context, rows);
    case 'arrayLength':
      return evaluateArrayLength(leaf, context, rows);
    case 'contains':
      return evaluateContains(leaf, context, rows);
    case 'textMatch':
    case 'phraseMatch':
      return evaluateText(leaf, context, rows);
    default:
      throw errors.unexpected(`filter node ${leaf.kind} is not a column leaf`);
  }
}

/** The index's answer restricted to `rows`, when the field has an index covering the segment that answers. */
function fromIndex(
  leaf: ColumnLeaf,
  context: FilterContext,
  rows: Uint8Array | undefined,
): Uint8Array | undefined {
  if (leaf.column.nestedPath.length > 0 || leaf.kind === 'exists') return undefined;
  const index = context.options.indexes?.get(leaf.column.fieldName);
  if (index === undefined || index.numRows !== context.numRows) return undefined;
  // The index's mask is fresh, ours to keep, 1/0 per row (ScalarIndex's contract); not pooled.
  const mask = index.evaluate(leaf);
  if (mask === undefined) return undefined;
  return andInto(mask.subarray(0, context.numRows), rows);
}

/** exists path: the value is present and neither null nor an empty object. */
function evaluateExists(
  leaf: Extract<FilterIr, { kind: 'exists' }>,
  context: FilterContext,
  active: Uint8Array | undefined,
): Uint8Array {
  const n = context.numRows;
  const out = context.take();
  const read = context.reader(leaf.column);
  if (read === undefined) return out;
  const { rows, owned } = leafRows(context, active, leaf.column.fieldName);
  const cursor = new RowCursor(rows, n);
  for (let row = cursor.first(); row < n; row = cursor.next(row)) {
    const value = read(row);
    out[row] = value !== MISSING && value !== null && !isEmptyObject(value) ? 1 : 0;
  }
  if (owned) context.release(rows);
  return out;
}

function isEmptyObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const key in value) if (Object.hasOwn(value, key)) return false;
  return true;
}

/**
 * The node's validity on the rows of `active` (other rows unspecified), as an owned mask, or
 * undefined when every row is valid.
 */
function validityOf(
  node: FilterIr,
  context: FilterContext,
  active: Uint8Array | undefined,
): Uint8Array | undefined {
  const n = context.numRows;
  switch (node.kind) {
    case 'alwaysTrue':
    case 'alwaysFalse':
    case 'isNull':
    case 'isNotNull':
      return undefined;
    case 'and':
    case 'or': {
      const combined = context.take();
      for (const operand of node.operands) {
        const valid = validityOf(operand, context, active);
        if (valid === undefined) {
          context.release(combined);
          return undefined;
        }
        orInto(combined, valid);
        context.release(valid);
      }
      return combined;
    }
    case 'not':
      return validityOf(node.operand, context, active);
    case 'randomSample':
      return node.predicate === null ? undefined : validityOf(node.predicate, context, active);
    case 'compareColumns':
      return intersect(
        context,
        context.validRows(node.left.fieldName),
        context.validRows(node.right.fieldName),
      );
    case 'call': {
      const outcomes = callOutcomes(node, context, active);
      for (let row = 0; row < n; row++) outcomes[row] = outcomes[row] === CALL_NULL ? 0 : 1;
      return outcomes;
    }
    default:
      return intersect(context, context.validRows(node.column.fieldName), undefined);
  }
}

function hasRandomSample(node: FilterIr): boolean {
  switch (node.kind) {
    case 'randomSample':
      return true;
    case 'and':
    case 'or':
      return node.operands.some(hasRandomSample);
    case 'not':
      return hasRandomSample(node.operand);
    default:
      return false;
  }
}
