export type { AstNode, ParsedExpression } from './ast.js';
export { nodeText } from './ast.js';
export { type CheckOptions, checkExpression } from './check-expression.js';
export { type CompileFilterOptions, compileFilter } from './compile-filter.js';
export { type EvaluateRowOptions, evaluateRow } from './evaluate-row.js';
export { ExpressionError } from './expression-error.js';
export { type GenericValue, genericValueText } from './generic-value.js';
export type {
  ArithOp,
  CallArg,
  ColumnRef,
  CompareOp,
  ContainsOp,
  FilterIr,
  IrExpr,
  MatchOp,
  TemplateRef,
} from './ir.js';
export { type LexError, type LexResult, tokenize } from './lexer.js';
export { defaultMaxExpressionDepth, type ParseOptions, parseExpression } from './parse-expression.js';
export type { TemplateArrayValue, TemplateValue, TemplateValues } from './template-value.js';
export type { Token, TokenKind } from './token.js';
