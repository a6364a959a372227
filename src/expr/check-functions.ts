import { errors } from '../errors/errors.js';
import { DataType, dataTypeName, isVectorType } from '../schema/data-type.js';
import type { AstNode, ContainsFunction, FieldToken } from './ast.js';
import {
  type CheckContext,
  checkNotWholeArray,
  columnOf,
  constantOf,
  type ListSlot,
  type PendingIr,
  predicateTyped,
  type Slot,
  slotOf,
  type Typed,
  textOf,
} from './checked-node.js';
import { ExpressionFailure, UnsupportedExpressionFailure } from './expression-error.js';
import { floatOf, type GenericValue, int64Of, valueDataType } from './generic-value.js';
import { convertEscapeSingle, goParseIntBase0, protectLikeWildcardEscapes } from './go-strconv.js';
import type { CallArg, ColumnRef, ContainsOp } from './ir.js';
import { classifyLikePattern } from './like-pattern.js';
import { resolveIdentifier, resolveJsonIdentifier } from './resolve-column.js';
import { canBeComparedDataType, castValue, isStringLike } from './value-rules.js';

/**
 * The function-like and field-test forms: exists, like, text_match, phrase_match, random_sample,
 * json/array_contains*, array_length, is [not] null, generic calls, and the geometry / timestamptz
 * forms (recognised and type-checked as Milvus does; Quiver refuses them when the field has that
 * type, since it stores neither).
 */
function resolveFieldToken(context: CheckContext, field: FieldToken): ColumnRef {
  return field.kind === 'identifier'
    ? resolveIdentifier(context.fields, field.text)
    : resolveJsonIdentifier(context.fields, field.text);
}

function unquote(literal: string): string {
  const result = convertEscapeSingle(literal);
  if (!result.ok) throw new ExpressionFailure(result.message);
  return result.value;
}

/** VisitExists. */
export function checkExists(context: CheckContext, node: AstNode & { kind: 'exists' }): Typed {
  const child = context.visit(node.operand);
  const column = columnOf(child);
  if (column === undefined) {
    throw new ExpressionFailure(
      `exists operations are only supported on single fields now, got: ${textOf(context, node.operand)}`,
    );
  }
  if (column.dataType !== DataType.JSON) {
    throw new ExpressionFailure(
      `exists operations are only supportted on json field, got:${dataTypeName(column.dataType)}`,
    );
  }
  if (column.nestedPath.length === 0)
    throw new ExpressionFailure('exists operations are only supportted on json key');
  return predicateTyped({ kind: 'exists', column }, false);
}

/** VisitLike: the pattern is classified into equal / prefix / suffix / infix / full pattern. */
export function checkLike(context: CheckContext, node: AstNode & { kind: 'like' }): Typed {
  const left = context.visit(node.operand);
  const column = columnOf(left);
  if (column === undefined) throw new ExpressionFailure('like operation on complicated expr is unsupported');
  checkNotWholeArray(column);
  const type = left.dataType;
  if (
    !isStringLike(type) &&
    type !== DataType.JSON &&
    !(type === DataType.Array && isStringLike(column.elementType))
  ) {
    throw new ExpressionFailure('like operation on non-string or no-json field is unsupported');
  }
  const pattern = unquote(protectLikeWildcardEscapes(node.pattern));
  const { op, operand } = classifyLikePattern(pattern);
  return predicateTyped({ kind: 'match', column, op, operand }, false);
}

function matchColumn(context: CheckContext, field: string, what: 'text' | 'phrase'): ColumnRef {
  const column = resolveIdentifier(context.fields, field);
  if (!isStringLike(column.dataType))
    throw new ExpressionFailure(`${what} match operation on non-string is unsupported`);
  if (what === 'text' && column.dataType === DataType.Text) {
    throw new ExpressionFailure('text match operation on text field is not supported yet');
  }
  if (!context.fields.textMatchEnabled(column.fieldId)) {
    throw new ExpressionFailure(`field "${field}" does not enable match`);
  }
  return column;
}

/** VisitTextMatch: text_match(field, 'tokens'[, minimum_should_match=N]), N in 1..1000. */
export function checkTextMatch(context: CheckContext, node: AstNode & { kind: 'textMatch' }): Typed {
  const column = matchColumn(context, node.field, 'text');
  const query = unquote(node.query);
  let minimumShouldMatch: number | null = null;
  if (node.minimumShouldMatch !== null) {
    const parsed = goParseIntBase0(node.minimumShouldMatch);
    if (!parsed.ok)
      throw new ExpressionFailure(`invalid minimum_should_match value: ${node.minimumShouldMatch}`);
    if (parsed.value < 1n)
      throw new ExpressionFailure(`minimum_should_match should be >= 1, got ${parsed.value}`);
    if (parsed.value > 1000n)
      throw new ExpressionFailure(`minimum_should_match should be <= 1000, got ${parsed.value}`);
    minimumShouldMatch = Number(parsed.value);
  }
  const analyzerParams = context.fields.analyzerParams(column.fieldId);
  return predicateTyped({ kind: 'textMatch', column, query, minimumShouldMatch, analyzerParams }, false);
}

/** VisitPhraseMatch: phrase_match(field, 'phrase'[, slop]) with slop a constant uint32. */
export function checkPhraseMatch(context: CheckContext, node: AstNode & { kind: 'phraseMatch' }): Typed {
  const column = matchColumn(context, node.field, 'phrase');
  const query = unquote(node.query);
  let slop = 0n;
  if (node.slop !== null) {
    const text = textOf(context, node.slop);
    // Milvus does not check the slop expression for errors: a failing one is just "not constant".
    let value: GenericValue | undefined;
    try {
      value = constantOf(context.visit(node.slop));
    } catch (error) {
      if (!(error instanceof ExpressionFailure) || error instanceof UnsupportedExpressionFailure) throw error;
    }
    if (value === undefined) {
      throw new ExpressionFailure(
        `"slop" should be a const integer expression with "uint32" value. "slop" expression passed: ${text}`,
      );
    }
    slop = int64Of(value);
    if (slop < 0n)
      throw new ExpressionFailure(`"slop" should not be a negative interger. "slop" passed: ${text}`);
    if (slop > 4294967295n) {
      throw new ExpressionFailure(`"slop" exceeds the range of "uint32". "slop" expression passed: ${text}`);
    }
  }
  const analyzerParams = context.fields.analyzerParams(column.fieldId);
  return predicateTyped({ kind: 'phraseMatch', column, query, slop: Number(slop), analyzerParams }, false);
}

const sampleEpsilon = 1e-10;

/** VisitRandomSample: random_sample(factor), factor a constant strictly inside (0, 1). */
export function checkRandomSample(context: CheckContext, node: AstNode & { kind: 'randomSample' }): Typed {
  const text = textOf(context, node.factor);
  let factor: Typed;
  try {
    factor = context.visit(node.factor);
  } catch (error) {
    if (!(error instanceof ExpressionFailure) || error instanceof UnsupportedExpressionFailure) throw error;
    throw new ExpressionFailure(`cannot parse expression: ${text}, error: ${error.message}`);
  }
  const value = constantOf(factor);
  if (value === undefined) {
    throw new ExpressionFailure(
      `"float factor" should be a const float expression: "float factor" passed: ${text}`,
    );
  }
  const sampleFactor = floatOf(value);
  if (sampleFactor <= sampleEpsilon || sampleFactor >= 1 - sampleEpsilon) {
    throw new ExpressionFailure(
      `the sample factor should be between 0 and 1 and not too close to 0 or 1(the difference should be larger than 1e-10), but got ${text}`,
    );
  }
  return predicateTyped({ kind: 'randomSample', factor: Math.fround(sampleFactor), predicate: null }, false);
}

const containsNames: Record<ContainsFunction, { lower: string; proto: string }> = {
  contains: { lower: 'contains', proto: 'Contains' },
  containsAll: { lower: 'contains_all', proto: 'ContainsAll' },
  containsAny: { lower: 'contains_any', proto: 'ContainsAny' },
};

/** VisitJSONContains / VisitJSONContainsAll / VisitJSONContainsAny (json_* and array_* alike). */
export function checkContains(context: CheckContext, node: AstNode & { kind: 'contains' }): Typed {
  const names = containsNames[node.fn];
  const field = context.visit(node.field);
  const column = columnOf(field);
  if (column === undefined || (column.dataType !== DataType.JSON && column.dataType !== DataType.Array)) {
    throw new ExpressionFailure(
      `${names.lower} operation are only supported on json or array fields now, got: ${textOf(context, node.field)}`,
    );
  }
  const element = context.visit(node.element);
  const slot = slotOf(element);
  if (slot === undefined) {
    throw new ExpressionFailure(
      `${names.lower} operation are only supported explicitly specified element, got: ${textOf(context, node.element)}`,
    );
  }
  if (slot.kind === 'template') {
    return predicateTyped(
      { kind: 'contains', column, op: node.fn, elements: slot, sameType: node.fn === 'contains' },
      true,
    );
  }
  checkContainsElement(column, node.fn, slot, true);
  const elements: ListSlot =
    node.fn === 'contains' ? [slot] : (slot as GenericValue & { kind: 'array' }).elements;
  const sameType = node.fn === 'contains' ? true : (slot as GenericValue & { kind: 'array' }).sameType;
  return predicateTyped({ kind: 'contains', column, op: node.fn, elements, sameType }, false);
}

/** checkContainsElement: the element list must be an array; on Array fields, comparable elements. */
export function checkContainsElement(
  column: ColumnRef,
  op: ContainsOp,
  value: GenericValue,
  wrapped: boolean,
): void {
  const proto = containsNames[op].proto;
  if (op !== 'contains' && value.kind !== 'array') {
    throw new ExpressionFailure(`${proto} operation element must be an array`, wrapped);
  }
  if (column.dataType !== DataType.Array) return;
  let elements: GenericValue[];
  if (op === 'contains') {
    try {
      elements = [castValue(column.elementType, value)];
    } catch (error) {
      throw new ExpressionFailure((error as Error).message, wrapped);
    }
  } else {
    elements = (value as GenericValue & { kind: 'array' }).elements;
  }
  for (const element of elements) {
    const type = valueDataType(element);
    if (!canBeComparedDataType(column.elementType, type)) {
      throw new ExpressionFailure(
        `${proto} operation can't compare between array element type: ${dataTypeName(column.elementType)} and ${dataTypeName(type)}`,
        wrapped,
      );
    }
  }
}

/** VisitArrayLength: array_length(arrayField | jsonPath), an Int64 to be compared. */
export function checkArrayLength(context: CheckContext, node: AstNode & { kind: 'arrayLength' }): Typed {
  const column = resolveFieldToken(context, node.field);
  if (column.dataType !== DataType.JSON && column.dataType !== DataType.Array) {
    throw new ExpressionFailure(
      `array_length operation are only supported on json or array fields now, got: ${textOf(context, node)}`,
    );
  }
  return {
    expr: { kind: 'arrayLength', column },
    dataType: DataType.Int64,
    nodeDependent: true,
    isTemplate: false,
  };
}

/** VisitIsNull / VisitIsNotNull: on a JSON path they become (not) exists. */
export function checkIsNull(context: CheckContext, node: AstNode & { kind: 'isNull' }): Typed {
  const column = resolveFieldToken(context, node.field);
  if (isVectorType(column.dataType)) {
    throw new ExpressionFailure('IsNull/IsNotNull operations are not supported on vector fields');
  }
  if (column.nestedPath.length > 0) {
    const exists: PendingIr = { kind: 'exists', column };
    return predicateTyped(node.negated ? exists : { kind: 'not', operand: exists }, false);
  }
  return predicateTyped({ kind: node.negated ? 'isNotNull' : 'isNull', column }, false);
}

/** Filter functions registered in segcore's FunctionFactory: name → parameter types. */
const registeredFunctions: ReadonlyMap<string, readonly string[]> = new Map([
  ['empty', ['VARCHAR']],
  ['starts_with', ['VARCHAR', 'VARCHAR']],
]);

/** segcore's GetDataTypeName for the type of a call argument. */
function segcoreTypeName(type: DataType): string {
  switch (type) {
    case DataType.BinaryVector:
      return 'VECTOR_BINARY';
    case DataType.FloatVector:
      return 'VECTOR_FLOAT';
    case DataType.Float16Vector:
      return 'VECTOR_FLOAT16';
    case DataType.BFloat16Vector:
      return 'VECTOR_BFLOAT16';
    case DataType.SparseFloatVector:
      return 'VECTOR_SPARSE_FLOAT';
    case DataType.Int8Vector:
      return 'VECTOR_INT8';
    default:
      return dataTypeName(type).toUpperCase();
  }
}

/**
 * VisitCall: `name(args...)` (name case-insensitive). Milvus resolves the function in segcore by
 * name and argument types and fails there with "function name(TYPES) not found. "; Quiver resolves
 * it here, with that message (bare, not as a parse error).
 */
export function checkCall(context: CheckContext, node: AstNode & { kind: 'call' }): Typed {
  const name = node.name.toLowerCase();
  const args = node.args.map((arg) => context.visit(arg));
  const types = args.map((arg) => {
    if (arg.expr.kind === 'template') return 'NONE';
    const value = constantOf(arg);
    return segcoreTypeName(value !== undefined ? valueDataType(value) : arg.dataType);
  });
  const expected = registeredFunctions.get(name);
  if (
    expected === undefined ||
    expected.length !== types.length ||
    expected.some((type, i) => type !== types[i])
  ) {
    throw new ExpressionFailure(`function ${name}(${types.join(', ')}) not found. `, false);
  }
  const callArgs: CallArg<Slot>[] = args.map((arg) => {
    const column = columnOf(arg);
    if (column !== undefined) return { kind: 'column', column };
    return { kind: 'value', value: slotOf(arg)! };
  });
  return predicateTyped({ kind: 'call', name, args: callArgs }, false);
}

const spatialNames: Record<string, string> = {
  st_equals: 'STEuqals',
  st_touches: 'STTouches',
  st_overlaps: 'STOverlaps',
  st_crosses: 'STCrosses',
  st_contains: 'STContains',
  st_intersects: 'STIntersects',
  st_within: 'STWithin',
};

/** ST_* functions: Milvus's field-type check; geometry itself is not supported by Quiver. */
export function checkSpatial(
  context: CheckContext,
  node: AstNode & { kind: 'spatial' | 'spatialDistance' | 'spatialIsValid' },
): Typed {
  const column = resolveIdentifier(context.fields, node.field);
  if (column.dataType !== DataType.Geometry) {
    const name =
      node.kind === 'spatial'
        ? spatialNames[node.fn]
        : node.kind === 'spatialDistance'
          ? 'ST_DWITHIN'
          : 'STIsValid';
    throw new ExpressionFailure(
      `${name} operation are only supported on geometry fields now, got: ${textOf(context, node)}`,
    );
  }
  throw errors.operationNotSupported('geometry filters are not supported by Quiver');
}

/**
 * `ts > ISO '...'` and friends. Milvus's forward form prints the identifier through a nil value,
 * hence its literal "%!s(<nil>)" in these two messages.
 */
export function checkTimestamptz(context: CheckContext, node: AstNode & { kind: 'timestamptz' }): Typed {
  const shown = node.reverse ? node.field : '%!s(<nil>)';
  let column: ColumnRef;
  try {
    column = resolveIdentifier(context.fields, node.field);
  } catch (error) {
    if (!(error instanceof ExpressionFailure) || error instanceof UnsupportedExpressionFailure) throw error;
    throw new ExpressionFailure(`can not translate identifier: ${shown}`);
  }
  if (column.dataType !== DataType.Timestamptz) {
    throw new ExpressionFailure(`field '${shown}' is not a timestamptz datatype`);
  }
  throw errors.operationNotSupported('timestamptz filters are not supported by Quiver');
}
