import { DataType, dataTypeName, isIntegerType } from '../schema/data-type.js';
import type { AstNode, ComparisonOperator } from './ast.js';
import {
  arrayElementTypeOf,
  type CheckContext,
  checkNotWholeArray,
  columnOf,
  comparedType,
  constantOf,
  constantTyped,
  dataTypeLabel,
  isValueLike,
  type ListSlot,
  type Pending,
  type PendingIr,
  predicateTyped,
  type Slot,
  slotOf,
  type Typed,
  textOf,
} from './checked-node.js';
import { add, compareConstants, divide, modulo, multiply, subtract } from './constant-ops.js';
import { ExpressionFailure, UnsupportedExpressionFailure } from './expression-error.js';
import { floatValue, type GenericValue, genericValueText, intValue, valueDataType } from './generic-value.js';
import type { ArithOp, ColumnRef, CompareOp } from './ir.js';
import { resolveIdentifier, resolveJsonIdentifier } from './resolve-column.js';
import {
  canBeComparedDataType,
  castRangeValue,
  castValue,
  checkArithmetic,
  checkModulo,
  targetType,
} from './value-rules.js';

/**
 * Comparisons, arithmetic, ranges and `in` lists, following Milvus's VisitRelational /
 * VisitEquality / VisitAddSub / VisitMulDivMod / VisitRange / VisitReverseRange / VisitTerm and
 * HandleCompare (planparserv2/parser_visitor.go, utils.go), in the same order of checks so that the
 * same error wins.
 */
const arithNames: Record<ArithOp, string> = {
  '+': 'add',
  '-': 'subtract',
  '*': 'multiply',
  '/': 'divide',
  '%': 'modulo',
};

const reversed: Record<CompareOp, CompareOp> = {
  '<': '>',
  '<=': '>=',
  '>': '<',
  '>=': '<=',
  '==': '==',
  '!=': '!=',
};

function templateName(typed: Typed): boolean {
  return typed.expr.kind === 'template';
}

/** VisitAddSub / VisitMulDivMod. */
export function checkArithmeticNode(
  context: CheckContext,
  node: AstNode & { kind: 'binary' },
  op: ArithOp,
): Typed {
  const left = context.visit(node.left);
  const right = context.visit(node.right);
  if (isValueLike(left) && isValueLike(right)) {
    if (templateName(left) || templateName(right)) {
      throw new ExpressionFailure(`placeholder was not supported between two constants with operator: ${op}`);
    }
    const a = constantOf(left)!;
    const b = constantOf(right)!;
    const folded =
      op === '+'
        ? add(a, b)
        : op === '-'
          ? subtract(a, b)
          : op === '*'
            ? multiply(a, b)
            : op === '/'
              ? divide(a, b)
              : modulo(a, b);
    if (folded === undefined) throw new UnsupportedExpressionFailure();
    return constantTyped(folded, valueDataType(folded), false);
  }
  const reverse = isValueLike(left);
  checkNotWholeArray(columnOf(left));
  checkNotWholeArray(columnOf(right));
  let dataType: DataType;
  if (left.isTemplate) {
    dataType = right.dataType;
  } else if (right.isTemplate) {
    dataType = left.dataType;
  } else {
    const problem = checkArithmetic(
      left.dataType,
      arrayElementTypeOf(left),
      right.dataType,
      arrayElementTypeOf(right),
      reverse,
    );
    if (problem !== undefined) throw new ExpressionFailure(`'${arithNames[op]}' ${problem}`);
    if (op === '%')
      checkModulo(left.dataType, arrayElementTypeOf(left), right.dataType, arrayElementTypeOf(right));
    dataType = reverse ? sameType(right, left) : sameType(left, right);
  }
  return {
    expr: { kind: 'arith', op, left: left.expr, right: right.expr },
    dataType,
    nodeDependent: true,
    isTemplate: left.isTemplate || right.isTemplate,
  };
}

/** getSameType: arithmetic result type, element types standing in for array columns. */
function sameType(left: Typed, right: Typed): DataType {
  const l = left.dataType === DataType.Array ? (columnOf(left)?.elementType ?? DataType.None) : left.dataType;
  const r =
    right.dataType === DataType.Array ? (columnOf(right)?.elementType ?? DataType.None) : right.dataType;
  return targetType(l, r);
}

/** VisitRelational (< <= > >=) and VisitEquality (== !=). */
export function checkComparisonNode(
  context: CheckContext,
  node: AstNode & { kind: 'binary' },
  op: CompareOp,
): Typed {
  const left = context.visit(node.left);
  const right = context.visit(node.right);
  if (isValueLike(left) && isValueLike(right)) {
    if (templateName(left) || templateName(right)) {
      throw new ExpressionFailure(`placeholder was not supported between two constants with operator: ${op}`);
    }
    const result = compareConstants(op, constantOf(left)!, constantOf(right)!);
    if (result === undefined) {
      throw new ExpressionFailure(
        `comparison operations cannot be applied to two incompatible operands: ${textOf(context, node)}`,
      );
    }
    return constantTyped(result, DataType.Bool, false);
  }
  if (op !== '==' && op !== '!=') {
    checkNotWholeArray(columnOf(left));
    checkNotWholeArray(columnOf(right));
  }
  const ir = handleCompare(op, left, right);
  return predicateTyped(ir, left.isTemplate || right.isTemplate);
}

/** HandleCompare. */
function handleCompare(op: CompareOp, left: Typed, right: Typed): PendingIr {
  if (!left.isTemplate && !right.isTemplate && !canBeCompared(left, right)) {
    throw new ExpressionFailure(
      `comparisons between ${dataTypeLabel(left)} and ${dataTypeLabel(right)} are not supported`,
    );
  }
  const leftSlot = slotOf(left);
  if (leftSlot !== undefined) return compareWithValue(reversed[op], right, leftSlot);
  const rightSlot = slotOf(right);
  if (rightSlot !== undefined) return compareWithValue(op, left, rightSlot);
  return compareColumns(op, left, right);
}

function canBeCompared(left: Typed, right: Typed): boolean {
  const leftArray = left.dataType === DataType.Array;
  const rightArray = right.dataType === DataType.Array;
  if (!leftArray && !rightArray) return canBeComparedDataType(left.dataType, right.dataType);
  if (leftArray && rightArray)
    return canBeComparedDataType(arrayElementTypeOf(left), arrayElementTypeOf(right));
  if (leftArray) return canBeComparedDataType(arrayElementTypeOf(left), right.dataType);
  return canBeComparedDataType(left.dataType, arrayElementTypeOf(right));
}

/** handleCompareRightValue: `left op value`, left being a column or an arithmetic expression. */
function compareWithValue(op: CompareOp, left: Typed, value: Slot): PendingIr {
  const column = columnOf(left);
  const dataType = column !== undefined ? comparedType(column) : left.dataType;
  let cast: Slot = value;
  if (!left.isTemplate && value.kind !== 'template') cast = castValue(dataType, value);
  if (left.expr.kind === 'arith' || left.expr.kind === 'arrayLength') {
    return arithmeticComparison(op, left.expr, left.dataType, cast);
  }
  if (column === undefined) throw new ExpressionFailure('not supported to combine multiple fields');
  return { kind: 'compare', column, op, value: cast };
}

/** handleCompare (two columns): CompareExpr. */
function compareColumns(op: CompareOp, left: Typed, right: Typed): PendingIr {
  const rightColumn = columnOf(right);
  if (left.isTemplate) {
    // Milvus builds a UnaryRangeExpr with an empty template name here, which filling then rejects.
    if (rightColumn === undefined) throw new UnsupportedExpressionFailure();
    return { kind: 'compare', column: rightColumn, op, value: { kind: 'template', name: '' } };
  }
  const leftColumn = columnOf(left);
  if (leftColumn === undefined || rightColumn === undefined) {
    throw new ExpressionFailure('only comparison between two fields is supported');
  }
  if (leftColumn.dataType === DataType.JSON || rightColumn.dataType === DataType.JSON) {
    throw new ExpressionFailure('two column comparison with JSON type is not supported');
  }
  return { kind: 'compareColumns', left: leftColumn, op, right: rightColumn };
}

/** handleBinaryArithExpr: `(column arithOp constant) op value` becomes one arithCompare node. */
function arithmeticComparison(
  op: CompareOp,
  arith: Pending & ({ kind: 'arith' } | { kind: 'arrayLength' }),
  dataType: DataType,
  value: Slot,
): PendingIr {
  if (arith.kind === 'arrayLength') return { kind: 'arrayLength', column: arith.column, op, value };
  const { left, right } = arith;
  if (left.kind === 'column' && right.kind === 'column') {
    throw new ExpressionFailure('not supported to do arithmetic operations between multiple fields');
  }
  const isValue = (p: Pending): boolean => p.kind === 'value' || p.kind === 'template';
  if (isValue(left) && isValue(right)) throw new ExpressionFailure('unexpected, should be optimized already');
  if (left.kind === 'column' && isValue(right)) {
    return combineArithmetic(op, arith.op, dataType, left.column, pendingSlot(right), value);
  }
  if (right.kind === 'column' && isValue(left)) {
    if (arith.op === '+' || arith.op === '*') {
      return combineArithmetic(op, arith.op, dataType, right.column, pendingSlot(left), value);
    }
    throw new ExpressionFailure('module field is not yet supported');
  }
  const folded = foldIntegerChain(arith);
  if (folded !== undefined)
    return combineArithmetic(op, folded.op, dataType, folded.column, folded.operand, value);
  throw new ExpressionFailure('complicated arithmetic operations are not supported');
}

function pendingSlot(pending: Pending): Slot {
  if (pending.kind === 'value') return pending.value;
  if (pending.kind === 'template') return { kind: 'template', name: pending.name };
  throw new Error('expected a constant or template');
}

/** combineBinaryArithExpr. */
function combineArithmetic(
  op: CompareOp,
  arithOp: ArithOp,
  dataType: DataType,
  column: ColumnRef,
  operand: Slot,
  value: Slot,
): PendingIr {
  let cast = operand;
  if (operand.kind !== 'template') cast = castValue(dataType, operand);
  if ((arithOp === '/' || arithOp === '%') && isZero(cast))
    throw new ExpressionFailure('division or modulus by zero');
  return { kind: 'arithCompare', column, arithOp, operand: cast, op, value };
}

function isZero(slot: Slot): boolean {
  return (slot.kind === 'int64' && slot.value === 0n) || (slot.kind === 'float' && slot.value === 0);
}

/**
 * Milvus (master) folds same-family chains on integer columns into one operation:
 * `a + 2 + 3 == 5` → `a + 5 == 5`, `a - 2 - 3` → `a + -5`, `a * 2 * 3` → `a * 6` (wrapping at
 * 64 bits, which is exact modulo 2^64). Mixed families, division, modulo, floats, JSON and templates
 * stay unsupported, as there.
 */
function foldIntegerChain(
  arith: Pending & { kind: 'arith' },
): { column: ColumnRef; op: ArithOp; operand: GenericValue } | undefined {
  const { left, right } = arith;
  if (right.kind !== 'value' || right.value.kind !== 'int64') return undefined;
  let inner: { column: ColumnRef; op: ArithOp; operand: GenericValue } | undefined;
  if (left.kind === 'arith') {
    if (left.left.kind === 'column' && left.right.kind === 'value' && left.right.value.kind === 'int64') {
      inner = { column: left.left.column, op: left.op, operand: left.right.value };
    } else {
      inner = foldIntegerChain(left);
    }
  }
  if (inner === undefined || !isIntegerColumn(inner.column)) return undefined;
  const a = (inner.operand as { value: bigint }).value;
  const b = right.value.value;
  const additive = (o: ArithOp): boolean => o === '+' || o === '-';
  if (additive(inner.op) && additive(arith.op)) {
    const signedA = inner.op === '+' ? a : -a;
    const signedB = arith.op === '+' ? b : -b;
    return { column: inner.column, op: '+', operand: intValue(signedA + signedB) };
  }
  if (inner.op === '*' && arith.op === '*')
    return { column: inner.column, op: '*', operand: intValue(a * b) };
  return undefined;
}

function isIntegerColumn(column: ColumnRef): boolean {
  if (isIntegerType(column.dataType)) return true;
  return (
    column.dataType === DataType.Array && column.nestedPath.length > 0 && isIntegerType(column.elementType)
  );
}

/** VisitRange / VisitReverseRange. */
export function checkRangeNode(context: CheckContext, node: AstNode & { kind: 'range' }): Typed {
  const column =
    node.field.kind === 'identifier'
      ? resolveIdentifier(context.fields, node.field.text)
      : resolveJsonIdentifier(context.fields, node.field.text);
  checkNotWholeArray(column);
  // Milvus visits the lower bound first: the left expression of a forward range, the right one of
  // a reverse range; its messages quote Expr(0) for the lower and Expr(1) for the upper bound.
  const [lowerNode, upperNode] = node.reverse ? [node.second, node.first] : [node.first, node.second];
  const lower = context.visit(lowerNode);
  const upper = context.visit(upperNode);
  const lowerSlot = slotOf(lower);
  const upperSlot = slotOf(upper);
  if (lowerSlot === undefined) {
    throw new ExpressionFailure(
      `lowerbound cannot be a non-const expression: ${textOf(context, node.first)}`,
    );
  }
  if (upperSlot === undefined) {
    throw new ExpressionFailure(
      `upperbound cannot be a non-const expression: ${textOf(context, node.second)}`,
    );
  }
  if (isVectorColumn(column)) throw new ExpressionFailure('invalid range operations');
  const fieldType = column.dataType === DataType.Array ? column.elementType : column.dataType;
  const lowerValue = lowerSlot.kind === 'template' ? lowerSlot : castRangeValue(fieldType, lowerSlot);
  const upperValue = upperSlot.kind === 'template' ? upperSlot : castRangeValue(fieldType, upperSlot);
  const inclusive = (op: ComparisonOperator): boolean => op === '<=' || op === '>=';
  const lowerInclusive = inclusive(node.reverse ? node.secondOp : node.firstOp);
  const upperInclusive = inclusive(node.reverse ? node.firstOp : node.secondOp);
  if (lowerValue.kind !== 'template' && upperValue.kind !== 'template') {
    checkRangeBounds(lowerValue, upperValue, lowerInclusive, upperInclusive);
  }
  return predicateTyped(
    { kind: 'range', column, lower: lowerValue, lowerInclusive, upper: upperValue, upperInclusive },
    lowerValue.kind === 'template' || upperValue.kind === 'template',
  );
}

function isVectorColumn(column: ColumnRef): boolean {
  return column.dataType >= DataType.BinaryVector && column.dataType <= DataType.ArrayOfVector;
}

/** A range whose lower bound exceeds its upper bound (or equals it, unless both inclusive). */
export function checkRangeBounds(
  lower: GenericValue,
  upper: GenericValue,
  lowerInclusive: boolean,
  upperInclusive: boolean,
  wrapped = true,
): void {
  const op = lowerInclusive && upperInclusive ? '>' : '>=';
  const result = compareConstants(op, lower, upper);
  if (result?.kind === 'bool' && result.value) {
    throw new ExpressionFailure('invalid range: lowerbound is greater than upperbound', wrapped);
  }
}

/** VisitTerm: `x in [..]` / `x not in [..]` / `x in {list}`. */
export function checkTermNode(context: CheckContext, node: AstNode & { kind: 'term' }): Typed {
  const child = context.visit(node.operand);
  if (constantOf(child) !== undefined) {
    throw new ExpressionFailure(
      `'term' can only be used on non-const expression, but got: ${textOf(context, node.operand)}`,
    );
  }
  const column = columnOf(child);
  if (column === undefined) {
    throw new ExpressionFailure(
      `'term' can only be used on single field, but got: ${textOf(context, node.operand)}`,
    );
  }
  const dataType = comparedType(column);
  const list = context.visit(node.list);
  let values: ListSlot;
  if (list.expr.kind === 'template') {
    values = { kind: 'template', name: list.expr.name };
  } else {
    const value = constantOf(list);
    if (value === undefined) {
      throw new ExpressionFailure(
        `value '${textOf(context, node.list)}' in list cannot be a non-const expression`,
      );
    }
    if (value.kind !== 'array') {
      throw new ExpressionFailure(
        `the right-hand side of 'in' must be a list, but got: ${textOf(context, node.list)}`,
      );
    }
    values = castTermValues(dataType, value.elements, context.options.maxTermListSize, true);
  }
  let ir: PendingIr = { kind: 'term', column, values };
  if (node.negated) ir = { kind: 'not', operand: ir };
  return predicateTyped(ir, !Array.isArray(values));
}

/** Casts each element to the column type; for JSON, a mix of ints and doubles becomes all doubles. */
export function castTermValues(
  dataType: DataType,
  elements: readonly GenericValue[],
  maxSize: number | undefined,
  wrapped: boolean,
): GenericValue[] {
  if (maxSize !== undefined && elements.length > maxSize) {
    throw new ExpressionFailure(
      `the number of values in the 'in' list (${elements.length}) exceeds the limit of ${maxSize}`,
      wrapped,
    );
  }
  const values = elements.map((element) => {
    try {
      return castValue(dataType, element);
    } catch {
      throw new ExpressionFailure(
        wrapped
          ? `value '${genericValueText(element)}' in list cannot be casted to ${dataTypeName(dataType)}`
          : `cannot cast value to ${dataTypeName(dataType)}, value: ${genericValueText(element)}`,
        wrapped,
      );
    }
  });
  if (
    dataType === DataType.JSON &&
    values.some((v) => v.kind === 'int64') &&
    values.some((v) => v.kind === 'float')
  ) {
    return values.map((v) => (v.kind === 'int64' ? floatValue(Number(v.value)) : v));
  }
  return values;
}
