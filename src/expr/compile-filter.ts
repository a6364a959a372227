import type { CollectionSchema } from '../schema/collection-schema.js';
import { type CheckOptions, checkExpression } from './check-expression.js';
import type { FilterIr } from './ir.js';
import { type ParseOptions, parseExpression } from './parse-expression.js';
import type { TemplateValues } from './template-value.js';

export interface CompileFilterOptions extends ParseOptions, CheckOptions {}

/**
 * Milvus's ParseExpr: filter text → IR for a collection. An empty (or all-whitespace) filter
 * matches every row. Every failure is an ExpressionError (code 1100), except filters on geometry
 * or timestamptz fields, which Quiver does not support (operationNotSupported).
 */
export function compileFilter(
  filter: string,
  schema: CollectionSchema,
  templateValues: TemplateValues = {},
  options: CompileFilterOptions = {},
): FilterIr {
  if (goTrimSpace(filter) === '') return { kind: 'alwaysTrue' };
  return checkExpression(parseExpression(filter, options), schema, templateValues, options);
}

/** Go's strings.TrimSpace (unicode.IsSpace), which differs from JS's \s on U+0085 and U+FEFF. */
const goSpace =
  /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

function goTrimSpace(text: string): string {
  return text.replace(goSpace, '');
}
