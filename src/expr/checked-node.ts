import type { CollectionSchema } from '../schema/collection-schema.js';
import { DataType, dataTypeName } from '../schema/data-type.js';
import { type AstNode, type NodeSpan, nodeText, type ParsedExpression } from './ast.js';
import { ExpressionFailure } from './expression-error.js';
import type { GenericValue } from './generic-value.js';
import type { ArithOp, ColumnRef, IrExpr, TemplateRef } from './ir.js';
import type { SchemaFields } from './resolve-column.js';

/**
 * What the checker computes for each AST node, mirroring Milvus's ExprWithType: an expression, its
 * data type, and `nodeDependent` (true for bare literals and fields, which cannot be predicates on
 * their own). `isTemplate` is planpb.Expr.IsTemplate: the expression holds a template variable.
 */
export type Slot = GenericValue | TemplateRef;
export type ListSlot = GenericValue[] | TemplateRef;
export type PendingIr = IrExpr<Slot, ListSlot>;

export type Pending =
  | { kind: 'value'; value: GenericValue }
  | { kind: 'template'; name: string }
  | { kind: 'column'; column: ColumnRef }
  /** BinaryArithExpr: only ever compared against a constant afterwards. */
  | { kind: 'arith'; op: ArithOp; left: Pending; right: Pending }
  | { kind: 'arrayLength'; column: ColumnRef }
  | { kind: 'predicate'; ir: PendingIr };

export interface Typed {
  expr: Pending;
  dataType: DataType;
  nodeDependent: boolean;
  isTemplate: boolean;
}

export interface CheckOptions {
  /** Largest `in` list accepted (literal or template); unlimited by default, as in Milvus. */
  maxTermListSize?: number;
}

/** Everything a visitor needs: the parse (for quoting sub-expressions), the schema, the options. */
export interface CheckContext {
  parsed: ParsedExpression;
  fields: SchemaFields;
  schema: CollectionSchema;
  options: CheckOptions;
  visit(node: AstNode): Typed;
}

export const textOf = (context: CheckContext, node: NodeSpan): string => nodeText(context.parsed, node);

export function constantTyped(value: GenericValue, dataType: DataType, nodeDependent: boolean): Typed {
  return { expr: { kind: 'value', value }, dataType, nodeDependent, isTemplate: false };
}

export function predicateTyped(ir: PendingIr, isTemplate: boolean): Typed {
  return { expr: { kind: 'predicate', ir }, dataType: DataType.Bool, nodeDependent: false, isTemplate };
}

/** getGenericValue: the constant, when the node is a constant (not a template). */
export function constantOf(typed: Typed): GenericValue | undefined {
  return typed.expr.kind === 'value' ? typed.expr.value : undefined;
}

/** getValueExpr != nil: a constant or a template variable. */
export function isValueLike(typed: Typed): boolean {
  return typed.expr.kind === 'value' || typed.expr.kind === 'template';
}

export function slotOf(typed: Typed): Slot | undefined {
  if (typed.expr.kind === 'value') return typed.expr.value;
  if (typed.expr.kind === 'template') return { kind: 'template', name: typed.expr.name };
  return undefined;
}

/** toColumnInfo: the column when the node is a plain column reference. */
export function columnOf(typed: Typed): ColumnRef | undefined {
  return typed.expr.kind === 'column' ? typed.expr.column : undefined;
}

/** getArrayElementType: a column's element type, or the element type of an array constant. */
export function arrayElementTypeOf(typed: Typed): DataType {
  if (typed.expr.kind === 'column') return typed.expr.column.elementType;
  if (typed.expr.kind === 'value' && typed.expr.value.kind === 'array') return typed.expr.value.elementType;
  return DataType.None;
}

/** canBeExecuted: a boolean expression that is not a bare literal or field. */
export function canBeExecuted(typed: Typed): boolean {
  return typed.dataType === DataType.Bool && !typed.nodeDependent;
}

export function isRandomSample(typed: Typed): boolean {
  return typed.expr.kind === 'predicate' && typed.expr.ir.kind === 'randomSample';
}

/** checkDirectComparisonBinaryField: a whole Array field cannot be an operand. */
export function checkNotWholeArray(column: ColumnRef | undefined): void {
  if (column !== undefined && column.dataType === DataType.Array && column.nestedPath.length === 0) {
    throw new ExpressionFailure('can not comparisons array fields directly');
  }
}

/** getDataType: "Int64", or "Array[Int64]" for arrays. */
export function dataTypeLabel(typed: Typed): string {
  if (typed.dataType === DataType.Array) return `Array[${dataTypeName(arrayElementTypeOf(typed))}]`;
  return dataTypeName(typed.dataType);
}

/** The type a constant compared with `column` is cast to: the element type for `arr[i]`. */
export function comparedType(column: ColumnRef): DataType {
  return column.dataType === DataType.Array && column.nestedPath.length > 0
    ? column.elementType
    : column.dataType;
}
