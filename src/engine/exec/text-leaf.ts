import { evaluateRow, type FilterIr } from '../../expr/index.js';
import { type FilterContext, MISSING } from './filter-context.js';
import { RowCursor } from './row-cursor.js';

type TextLeaf = Extract<FilterIr, { kind: 'textMatch' | 'phraseMatch' }>;

/**
 * text_match / phrase_match over `rows` without a text index: each row's text goes through the
 * row evaluator's matcher with the same `analyze` hook, so tokenizing and phrase rules stay in one
 * place (tokenizing dominates the cost anyway). A value that is not a string does not match.
 */
export function evaluateText(
  leaf: TextLeaf,
  context: FilterContext,
  rows: Uint8Array | undefined,
): Uint8Array {
  const read = context.reader(leaf.column)!;
  const fieldName = leaf.column.fieldName;
  const single: TextLeaf = { ...leaf, column: { ...leaf.column, nestedPath: [] } };
  const options = context.options.analyze === undefined ? {} : { analyze: context.options.analyze };
  const out = context.take();
  const cursor = new RowCursor(rows, out.length);
  for (let row = cursor.first(); row < out.length; row = cursor.next(row)) {
    const value = read(row);
    if (value === MISSING || typeof value !== 'string') continue;
    out[row] = evaluateRow(single, { [fieldName]: value }, options) ? 1 : 0;
  }
  return out;
}
