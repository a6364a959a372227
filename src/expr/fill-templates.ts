import { DataType } from '../schema/data-type.js';
import { castTermValues, checkRangeBounds } from './check-comparison.js';
import { checkContainsElement } from './check-functions.js';
import type { CheckOptions, ListSlot, PendingIr, Slot } from './checked-node.js';
import { comparedType } from './checked-node.js';
import { ExpressionFailure } from './expression-error.js';
import { type GenericValue, valueDataType } from './generic-value.js';
import type { CallArg, ColumnRef, FilterIr } from './ir.js';
import { castValue, checkModulo, targetType } from './value-rules.js';

/**
 * Milvus's FillExpressionValue: replaces every template variable with its value, cast to the
 * column's type, with Milvus's (bare, unwrapped) messages for missing or ill-typed values.
 */
export function fillTemplates(
  ir: PendingIr,
  values: ReadonlyMap<string, GenericValue>,
  options: CheckOptions,
): FilterIr {
  return new Filler(values, options).fill(ir);
}

class Filler {
  constructor(
    private readonly values: ReadonlyMap<string, GenericValue>,
    private readonly options: CheckOptions,
  ) {}

  fill(ir: PendingIr): FilterIr {
    switch (ir.kind) {
      case 'alwaysTrue':
      case 'alwaysFalse':
      case 'compareColumns':
      case 'match':
      case 'exists':
      case 'isNull':
      case 'isNotNull':
      case 'textMatch':
      case 'phraseMatch':
        return ir;
      case 'and':
      case 'or':
        return { kind: ir.kind, operands: ir.operands.map((operand) => this.fill(operand)) };
      case 'not':
        return { kind: 'not', operand: this.fill(ir.operand) };
      case 'randomSample':
        return {
          kind: 'randomSample',
          factor: ir.factor,
          predicate: ir.predicate === null ? null : this.fill(ir.predicate),
        };
      case 'compare': {
        if (ir.value.kind !== 'template') return { ...ir, value: ir.value };
        const value = this.lookup(ir.value.name, 'the value of expression template variable name');
        return { ...ir, value: bare(() => castValue(comparedType(ir.column), value)) };
      }
      case 'range': {
        let lower = ir.lower;
        let upper = ir.upper;
        if (lower.kind === 'template') {
          const value = this.lookup(lower.name, 'the lower value of expression template variable name');
          lower = bare(() => castValue(rangeType(ir.column), value));
        }
        if (upper.kind === 'template') {
          const value = this.lookup(upper.name, 'the upper value of expression template variable name');
          upper = bare(() => castValue(rangeType(ir.column), value));
        }
        if (ir.lower.kind === 'template' || ir.upper.kind === 'template') {
          checkRangeBounds(
            lower as GenericValue,
            upper as GenericValue,
            ir.lowerInclusive,
            ir.upperInclusive,
            false,
          );
        }
        return { ...ir, lower: lower as GenericValue, upper: upper as GenericValue };
      }
      case 'term':
        return { ...ir, values: this.fillTermValues(ir.column, ir.values) };
      case 'arithCompare':
        return this.fillArithmetic(ir);
      case 'arrayLength': {
        if (ir.value.kind !== 'template') return { ...ir, value: ir.value };
        const value = this.lookup(ir.value.name, 'the value of expression template variable name');
        return { ...ir, value: bare(() => castValue(DataType.Int64, value)) };
      }
      case 'contains':
        return this.fillContains(ir);
      case 'call':
        return { ...ir, args: ir.args.map((arg) => this.fillCallArg(arg)) };
    }
  }

  private lookup(name: string, what: string): GenericValue {
    const value = this.values.get(name);
    if (value === undefined) throw new ExpressionFailure(`${what} {${name}} is not found`, false);
    return value;
  }

  private fillTermValues(column: ColumnRef, values: ListSlot): GenericValue[] {
    if (Array.isArray(values)) return values;
    const value = this.lookup(values.name, 'the value of expression template variable name');
    if (value.kind !== 'array') {
      throw new ExpressionFailure(
        `the value of term expression template variable {${values.name}} is not array`,
        false,
      );
    }
    return castTermValues(comparedType(column), value.elements, this.options.maxTermListSize, false);
  }

  /** FillBinaryArithOpEvalRangeExpressionValue: operand and value re-checked against the column. */
  private fillArithmetic(ir: PendingIr & { kind: 'arithCompare' }): FilterIr {
    if (ir.operand.kind !== 'template' && ir.value.kind !== 'template') {
      return { ...ir, operand: ir.operand, value: ir.value };
    }
    const operand =
      ir.operand.kind === 'template'
        ? this.lookup(ir.operand.name, 'the right operand value of expression template variable name')
        : ir.operand;
    const operandType = valueDataType(operand);
    const column = ir.column;
    if (ir.arithOp === '%')
      bare(() => checkModulo(column.dataType, column.elementType, operandType, DataType.None));
    if (operand.kind === 'array') throw new ExpressionFailure('can not comparisons array directly', false);
    const leftType = column.dataType === DataType.Array ? column.elementType : column.dataType;
    const dataType = bare(() => targetType(leftType, operandType));
    const castOperand = bare(() => castValue(dataType, operand));
    if (
      (ir.arithOp === '/' || ir.arithOp === '%') &&
      ((castOperand.kind === 'int64' && castOperand.value === 0n) ||
        (castOperand.kind === 'float' && castOperand.value === 0))
    ) {
      throw new ExpressionFailure('division or modulus by zero', false);
    }
    const value =
      ir.value.kind === 'template'
        ? this.lookup(ir.value.name, 'the value of expression template variable name')
        : ir.value;
    return { ...ir, operand: castOperand, value: bare(() => castValue(dataType, value)) };
  }

  private fillContains(ir: PendingIr & { kind: 'contains' }): FilterIr {
    if (Array.isArray(ir.elements)) return { ...ir, elements: ir.elements };
    const value = this.lookup(ir.elements.name, 'the value of expression template variable name');
    checkContainsElement(ir.column, ir.op, value, false);
    const dataType = ir.column.dataType === DataType.Array ? ir.column.elementType : ir.column.dataType;
    const raw = ir.op === 'contains' ? [value] : (value as GenericValue & { kind: 'array' }).elements;
    const elements = raw.map((element) => bare(() => castValue(dataType, element)));
    const first = elements[0] === undefined ? undefined : valueDataType(elements[0]);
    const sameType = elements.every((element) => valueDataType(element) === first);
    return { ...ir, elements, sameType };
  }

  private fillCallArg(arg: CallArg<Slot>): CallArg<GenericValue> {
    if (arg.kind === 'column') return arg;
    if (arg.value.kind === 'template') {
      throw new ExpressionFailure(
        'this expression no need to fill placeholder with expr type: *planpb.Expr_CallExpr',
        false,
      );
    }
    return { kind: 'value', value: arg.value };
  }
}

function rangeType(column: ColumnRef): DataType {
  return column.dataType === DataType.Array ? column.elementType : column.dataType;
}

/** Runs a check whose failure Milvus reports bare during filling. */
function bare<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof ExpressionFailure) throw new ExpressionFailure(error.message, false);
    throw error;
  }
}
