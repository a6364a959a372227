import { errors } from '../../errors/errors.js';
import type { FilterIr } from '../../expr/index.js';
import { DataType } from '../../schema/index.js';
import type { FilterContext, ValueReader } from './filter-context.js';
import { likeMatcher } from './like-matcher.js';
import { RowCursor } from './row-cursor.js';

type MatchLeaf = Extract<FilterIr, { kind: 'match' }>;
type CallLeaf = Extract<FilterIr, { kind: 'call' }>;

/** `column LIKE pattern` over `rows`; a value that is not a string does not match. */
export function evaluateMatch(
  leaf: MatchLeaf,
  context: FilterContext,
  rows: Uint8Array | undefined,
): Uint8Array {
  const matches = likeMatcher(leaf.op, leaf.operand);
  const out = context.take();
  const column = context.column(leaf.column.fieldName)!;
  if (leaf.column.nestedPath.length === 0 && column.type === DataType.VarChar) {
    const values = column.values as string[];
    const cursor = new RowCursor(rows, out.length);
    for (let row = cursor.first(); row < out.length; row = cursor.next(row)) {
      out[row] = matches(values[row]!) ? 1 : 0;
    }
    return out;
  }
  const read = context.reader(leaf.column)!;
  const cursor = new RowCursor(rows, out.length);
  for (let row = cursor.first(); row < out.length; row = cursor.next(row)) {
    const value = read(row);
    out[row] = typeof value === 'string' && matches(value) ? 1 : 0;
  }
  return out;
}

/** Outcome codes of a filter function per row. */
export const CALL_FALSE = 0;
export const CALL_TRUE = 1;
export const CALL_NULL = 2;

/**
 * empty(s) / starts_with(s, prefix) on the rows in `rows` (others get CALL_FALSE), with the row
 * evaluator's order of checks: arguments left to right, a non-string constant is false, a null
 * column is null (false, invalid), a value that is not a string is false.
 */
export function callOutcomes(
  leaf: CallLeaf,
  context: FilterContext,
  rows: Uint8Array | undefined,
): Uint8Array {
  if (leaf.name !== 'empty' && leaf.name !== 'starts_with') {
    throw errors.unexpected(`unknown filter function ${leaf.name}`);
  }
  const args = leaf.args.map((arg) =>
    arg.kind === 'value'
      ? {
          constant: arg.value.kind === 'string' ? arg.value.value : undefined,
          read: undefined,
          valid: undefined,
        }
      : {
          constant: undefined,
          read: context.reader(arg.column) as ValueReader | undefined,
          valid: context.validRows(arg.column.fieldName),
        },
  );
  const isArgValue = leaf.args.map((arg) => arg.kind === 'value');
  const out = context.take();
  const strings: string[] = [];
  const cursor = new RowCursor(rows, out.length);
  for (let row = cursor.first(); row < out.length; row = cursor.next(row)) {
    strings.length = 0;
    let outcome = -1;
    for (let i = 0; i < args.length && outcome === -1; i++) {
      const arg = args[i]!;
      if (isArgValue[i]) {
        if (arg.constant === undefined) outcome = CALL_FALSE;
        else strings.push(arg.constant);
        continue;
      }
      if (arg.read === undefined || (arg.valid !== undefined && arg.valid[row] === 0)) {
        outcome = CALL_NULL;
        continue;
      }
      const value = arg.read(row);
      if (typeof value !== 'string') outcome = CALL_FALSE;
      else strings.push(value);
    }
    if (outcome === -1) {
      const result = leaf.name === 'empty' ? strings[0] === '' : strings[0]!.startsWith(strings[1]!);
      outcome = result ? CALL_TRUE : CALL_FALSE;
    }
    out[row] = outcome;
  }
  return out;
}
