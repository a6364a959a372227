import type { CollectionSchema } from '../schema/collection-schema.js';
import { DataType, dataTypeName } from '../schema/data-type.js';
import type { AstNode, ParsedExpression } from './ast.js';
import {
  checkArithmeticNode,
  checkComparisonNode,
  checkRangeNode,
  checkTermNode,
} from './check-comparison.js';
import {
  checkArrayLength,
  checkCall,
  checkContains,
  checkExists,
  checkIsNull,
  checkLike,
  checkPhraseMatch,
  checkRandomSample,
  checkSpatial,
  checkTextMatch,
  checkTimestamptz,
} from './check-functions.js';
import {
  type CheckContext,
  type CheckOptions,
  canBeExecuted,
  checkNotWholeArray,
  columnOf,
  constantOf,
  constantTyped,
  isRandomSample,
  type PendingIr,
  predicateTyped,
  type Typed,
  textOf,
} from './checked-node.js';
import * as ops from './constant-ops.js';
import { convertTemplateValues } from './convert-template-values.js';
import { ExpressionFailure, toExpressionError, UnsupportedExpressionFailure } from './expression-error.js';
import { fillTemplates } from './fill-templates.js';
import { arrayValue, type GenericValue, intValue } from './generic-value.js';
import { convertEscapeSingle, goParseFloat, goParseIntBase0 } from './go-strconv.js';
import type { FilterIr } from './ir.js';
import { resolveIdentifier, resolveJsonIdentifier, SchemaFields } from './resolve-column.js';
import type { TemplateValues } from './template-value.js';

export type { CheckOptions } from './checked-node.js';

/**
 * Type-checks a parsed filter against a collection schema and fills its template variables,
 * producing the IR the engine evaluates. Checks follow Milvus's planparserv2 visitor node by node
 * and in the same order, so that the error a client sees is the one Milvus would report:
 * parse/visitor errors as "cannot parse expression: <expr>, error: <reason>", then
 * "predicate is not a boolean expression: ...", then template-value errors (bare), all code 1100.
 */
export function checkExpression(
  parsed: ParsedExpression,
  schema: CollectionSchema,
  templateValues: TemplateValues = {},
  options: CheckOptions = {},
): FilterIr {
  try {
    const context = new Checker(parsed, schema, options);
    const typed = context.visit(parsed.ast);
    if (!canBeExecuted(typed)) {
      throw new ExpressionFailure(
        `predicate is not a boolean expression: ${parsed.source}, data type: ${dataTypeName(typed.dataType)}`,
        false,
      );
    }
    const ir = toPredicate(typed);
    return fillTemplates(ir, convertTemplateValues(templateValues), options);
  } catch (error) {
    if (error instanceof ExpressionFailure) throw toExpressionError(error, parsed.source);
    throw error;
  }
}

/** An executable node as IR: a folded boolean constant becomes alwaysTrue / alwaysFalse. */
function toPredicate(typed: Typed): PendingIr {
  if (typed.expr.kind === 'predicate') return typed.expr.ir;
  if (typed.expr.kind === 'value' && typed.expr.value.kind === 'bool') {
    return { kind: typed.expr.value.value ? 'alwaysTrue' : 'alwaysFalse' };
  }
  throw new Error(`checker invariant: executable node of kind ${typed.expr.kind}`);
}

const minInt64Literal = '9223372036854775808';

class Checker implements CheckContext {
  readonly fields: SchemaFields;

  constructor(
    readonly parsed: ParsedExpression,
    readonly schema: CollectionSchema,
    readonly options: CheckOptions,
  ) {
    this.fields = new SchemaFields(schema);
  }

  visit(node: AstNode): Typed {
    switch (node.kind) {
      case 'integer': {
        const parsed = goParseIntBase0(node.text);
        if (!parsed.ok) {
          throw new ExpressionFailure(
            node.text === minInt64Literal ? `int64 overflow: ${node.text}` : parsed.message,
          );
        }
        return constantTyped({ kind: 'int64', value: parsed.value }, DataType.Int64, true);
      }
      case 'float': {
        const parsed = goParseFloat(node.text);
        if (!parsed.ok) throw new ExpressionFailure(parsed.message);
        return constantTyped({ kind: 'float', value: parsed.value }, DataType.Double, true);
      }
      case 'boolean':
        return constantTyped(
          { kind: 'bool', value: node.text.toLowerCase() === 'true' },
          DataType.Bool,
          true,
        );
      case 'string': {
        const value = convertEscapeSingle(node.text);
        if (!value.ok) throw new ExpressionFailure(value.message);
        return constantTyped({ kind: 'string', value: value.value }, DataType.VarChar, true);
      }
      case 'identifier':
        return this.columnTyped(resolveIdentifier(this.fields, node.name));
      case 'jsonIdentifier':
        return this.columnTyped(resolveJsonIdentifier(this.fields, node.text));
      case 'template':
        return {
          expr: { kind: 'template', name: node.name },
          dataType: DataType.None,
          nodeDependent: false,
          isTemplate: true,
        };
      case 'parens':
        return this.visit(node.expr);
      case 'array':
        return this.visitArray(node);
      case 'emptyArray':
        return constantTyped(arrayValue([]), DataType.Array, true);
      case 'exists':
        return checkExists(this, node);
      case 'like':
        return checkLike(this, node);
      case 'textMatch':
        return checkTextMatch(this, node);
      case 'phraseMatch':
        return checkPhraseMatch(this, node);
      case 'randomSample':
        return checkRandomSample(this, node);
      case 'unary':
        return this.visitUnary(node);
      case 'binary':
        return this.visitBinary(node);
      case 'term':
        return checkTermNode(this, node);
      case 'contains':
        return checkContains(this, node);
      case 'spatial':
      case 'spatialDistance':
      case 'spatialIsValid':
        return checkSpatial(this, node);
      case 'arrayLength':
        return checkArrayLength(this, node);
      case 'call':
        return checkCall(this, node);
      case 'range':
        return checkRangeNode(this, node);
      case 'isNull':
        return checkIsNull(this, node);
      case 'timestamptz':
        return checkTimestamptz(this, node);
    }
  }

  private columnTyped(column: ReturnType<typeof resolveIdentifier>): Typed {
    return {
      expr: { kind: 'column', column },
      dataType: column.dataType,
      nodeDependent: true,
      isTemplate: false,
    };
  }

  /** VisitArray: every element a constant; element type recorded when all agree. */
  private visitArray(node: AstNode & { kind: 'array' }): Typed {
    const values: GenericValue[] = [];
    const types: DataType[] = [];
    for (const element of node.elements) {
      const typed = this.visit(element);
      const value = constantOf(typed);
      if (value === undefined) {
        throw new ExpressionFailure(
          `array element type must be generic value, but got: ${textOf(this, element)}`,
        );
      }
      values.push(value);
      types.push(typed.dataType);
    }
    return constantTyped(arrayValue(values, types), DataType.Array, true);
  }

  /** VisitUnary: + - ~ not. Constants fold; `not` needs a boolean predicate. */
  private visitUnary(node: AstNode & { kind: 'unary' }): Typed {
    let child: Typed;
    try {
      child = this.visit(node.operand);
    } catch (error) {
      // -9223372036854775808: the literal alone overflows, negated it is the int64 minimum.
      if (
        error instanceof ExpressionFailure &&
        error.message === `int64 overflow: ${minInt64Literal}` &&
        node.op === '-'
      ) {
        return constantTyped(intValue(-(2n ** 63n)), DataType.Int64, true);
      }
      throw error;
    }
    const value = constantOf(child);
    if (value !== undefined) {
      if (node.op === '+') return child;
      if (node.op === '~') throw new ExpressionFailure('unexpected op: ~');
      const folded = node.op === '-' ? ops.negate(value) : ops.not(value);
      if (folded === undefined) throw new UnsupportedExpressionFailure();
      return constantTyped(folded, folded.kind === 'bool' ? DataType.Bool : child.dataType, false);
    }
    if (isRandomSample(child))
      throw new ExpressionFailure('random sample expression cannot be used in unary expression');
    checkNotWholeArray(columnOf(child));
    if (node.op === '+') return child;
    if (node.op !== 'not') throw new ExpressionFailure(`unexpected op: ${node.op}`);
    if (!canBeExecuted(child))
      throw new ExpressionFailure('not op can only be applied on boolean expression');
    return predicateTyped({ kind: 'not', operand: toPredicate(child) }, child.isTemplate);
  }

  private visitBinary(node: AstNode & { kind: 'binary' }): Typed {
    switch (node.op) {
      case 'and':
      case 'or':
        return this.visitLogicalChain(node);
      case '**': {
        const left = this.visit(node.left);
        const right = this.visit(node.right);
        const a = constantOf(left);
        const b = constantOf(right);
        if (a === undefined || b === undefined) {
          throw new ExpressionFailure(`power can only apply on constants: ${textOf(this, node)}`);
        }
        const folded = ops.power(a, b);
        if (folded === undefined) throw new UnsupportedExpressionFailure();
        return constantTyped(folded, DataType.Double, false);
      }
      case '+':
      case '-':
      case '*':
      case '/':
      case '%':
        return checkArithmeticNode(this, node, node.op);
      case '<':
      case '<=':
      case '>':
      case '>=':
      case '==':
      case '!=':
        return checkComparisonNode(this, node, node.op);
      case '<<':
      case '>>':
        throw new ExpressionFailure(`shift is not supported: ${textOf(this, node)}`);
      case '&':
        throw new ExpressionFailure(`BitAnd is not supported: ${textOf(this, node)}`);
      case '^':
        throw new ExpressionFailure(`BitXor is not supported: ${textOf(this, node)}`);
      case '|':
        throw new ExpressionFailure(`BitOr is not supported: ${textOf(this, node)}`);
    }
  }

  /**
   * VisitLogicalAnd / VisitLogicalOr over a whole left-leaning chain `a and b and c ...`, folded
   * iteratively (no recursion per operand) in the order Milvus's recursion checks it.
   */
  private visitLogicalChain(node: AstNode & { kind: 'binary' }): Typed {
    const op = node.op as 'and' | 'or';
    const rights: AstNode[] = [];
    let leftmost: AstNode = node;
    while (leftmost.kind === 'binary' && leftmost.op === op) {
      rights.push(leftmost.right);
      leftmost = leftmost.left;
    }
    let acc = this.visit(leftmost);
    for (let i = rights.length - 1; i >= 0; i--) {
      acc = this.combineLogical(op, acc, this.visit(rights[i]!));
    }
    return acc;
  }

  private combineLogical(op: 'and' | 'or', left: Typed, right: Typed): Typed {
    const a = constantOf(left);
    const b = constantOf(right);
    if (a !== undefined && b !== undefined) {
      return constantTyped(op === 'and' ? ops.and(a, b) : ops.or(a, b), DataType.Bool, false);
    }
    if (a !== undefined || b !== undefined) {
      throw new ExpressionFailure(`'${op}' can only be used between boolean expressions`);
    }
    if (op === 'or' && (isRandomSample(left) || isRandomSample(right))) {
      throw new ExpressionFailure('random sample expression cannot be used in logical and expression');
    }
    if (op === 'and' && isRandomSample(left)) {
      throw new ExpressionFailure(
        'random sample expression can only be the last expression in the logical and expression',
      );
    }
    if (!canBeExecuted(left) || !canBeExecuted(right)) {
      throw new ExpressionFailure(`'${op}' can only be used between boolean expressions`);
    }
    const leftIr = toPredicate(left);
    const rightIr = toPredicate(right);
    const isTemplate = left.isTemplate || right.isTemplate;
    if (op === 'and' && rightIr.kind === 'randomSample') {
      return predicateTyped({ kind: 'randomSample', factor: rightIr.factor, predicate: leftIr }, isTemplate);
    }
    // Nested chains of the same operator flatten (and/or are associative, validity included).
    // The left IR was built by this checker and is not shared, so extending it in place keeps long
    // chains linear.
    const rightOperands = rightIr.kind === op ? rightIr.operands : [rightIr];
    if (leftIr.kind === op) {
      leftIr.operands.push(...rightOperands);
      return predicateTyped(leftIr, isTemplate);
    }
    return predicateTyped({ kind: op, operands: [leftIr, ...rightOperands] }, isTemplate);
  }
}
