import { errors } from '../errors/errors.js';
import { DataType, isIntegerType } from '../schema/data-type.js';
import { analyzerFor } from '../text/analyzer-cache.js';
import type { GenericValue } from './generic-value.js';
import type { ArithOp, CallArg, ColumnRef, FilterIr } from './ir.js';
import { likePatternMatches } from './like-pattern.js';
import {
  applyOrder,
  compareNumbers,
  compareRowValue,
  equalsConstant,
  orderTyped,
  readColumn,
  valueTypeOf,
} from './row-values.js';

/**
 * The reference interpreter of a filter IR over one row, written for obviousness rather than
 * speed: the engine's vectorized evaluator is tested against it.
 *
 * A row is a plain object keyed by field name: JSON fields (and `$meta`) as parsed values, Array
 * fields as JS arrays, Int64 as bigint (other integers may be numbers), Float values already
 * rounded to float32, and null (or an absent key) for a null field.
 *
 * Null semantics are Milvus's (segcore's valid bitmaps): a leaf on a null field is false and
 * "invalid"; `and`/`or` combine values and OR validity; `not` is false where its operand is invalid.
 */
export interface EvaluateRowOptions {
  /** Tokens of a text for text_match / phrase_match; default: lower-cased runs of letters and digits. */
  analyze?: (text: string, column: ColumnRef) => string[];
  /** Decides whether a row passing its predicate survives random_sample(factor); required for it. */
  sampleRow?: (factor: number) => boolean;
}

interface Outcome {
  value: boolean;
  valid: boolean;
}

const TRUE: Outcome = { value: true, valid: true };
const FALSE: Outcome = { value: false, valid: true };
const NULL: Outcome = { value: false, valid: false };

export function evaluateRow(
  ir: FilterIr,
  row: Readonly<Record<string, unknown>>,
  options: EvaluateRowOptions = {},
): boolean {
  return evaluate(ir, row, options).value;
}

function outcome(value: boolean): Outcome {
  return value ? TRUE : FALSE;
}

function evaluate(
  ir: FilterIr,
  row: Readonly<Record<string, unknown>>,
  options: EvaluateRowOptions,
): Outcome {
  switch (ir.kind) {
    case 'alwaysTrue':
      return TRUE;
    case 'alwaysFalse':
      return FALSE;
    case 'and':
    case 'or': {
      let value = ir.kind === 'and';
      let valid = false;
      for (const operand of ir.operands) {
        const result = evaluate(operand, row, options);
        value = ir.kind === 'and' ? value && result.value : value || result.value;
        valid ||= result.valid;
      }
      return { value, valid };
    }
    case 'not': {
      const result = evaluate(ir.operand, row, options);
      return { value: !result.value && result.valid, valid: result.valid };
    }
    case 'compare':
      return withValue(
        row,
        ir.column,
        (value, type) => compareRowValue(type, value, ir.op, ir.value),
        ir.op === '!=',
      );
    case 'range':
      return withValue(row, ir.column, (value, type) => {
        const lower = orderTyped(type, value, ir.lower);
        const upper = orderTyped(type, value, ir.upper);
        if (lower === undefined || upper === undefined) return false;
        return (ir.lowerInclusive ? lower >= 0 : lower > 0) && (ir.upperInclusive ? upper <= 0 : upper < 0);
      });
    case 'compareColumns': {
      const left = readColumn(row, ir.left);
      const right = readColumn(row, ir.right);
      if (left.kind === 'null' || right.kind === 'null') return NULL;
      if (left.kind !== 'value' || right.kind !== 'value') return FALSE;
      return outcome(applyOrder(ir.op, orderBetween(left.value, right.value)));
    }
    case 'term':
      return withValue(row, ir.column, (value, type) =>
        ir.values.some((constant) => equalsConstant(type, value, constant)),
      );
    case 'match':
      return withValue(
        row,
        ir.column,
        (value) => typeof value === 'string' && matches(ir.op, ir.operand, value),
      );
    case 'arithCompare':
      return withValue(row, ir.column, (value, type) => {
        const result = arithmetic(type, value, ir.arithOp, ir.operand);
        return result !== undefined && applyOrder(ir.op, compareNumbers(result, numberOf(type, ir.value)));
      });
    case 'arrayLength':
      return withValue(row, ir.column, (value) =>
        Array.isArray(value)
          ? applyOrder(ir.op, compareNumbers(value.length, numberOf(DataType.Int64, ir.value)))
          : false,
      );
    case 'contains':
      return withValue(row, ir.column, (value) => {
        if (!Array.isArray(value)) return false;
        const type = ir.column.dataType === DataType.Array ? ir.column.elementType : DataType.JSON;
        const found = (constant: GenericValue): boolean =>
          value.some((item) => equalsConstant(type, item, constant));
        if (ir.op === 'contains') return ir.elements.some(found);
        if (ir.op === 'containsAll') return ir.elements.every(found);
        return ir.elements.some(found);
      });
    case 'exists': {
      const found = readColumn(row, ir.column);
      if (found.kind === 'null') return NULL;
      return outcome(found.kind === 'value' && found.value !== null && !isEmptyObject(found.value));
    }
    case 'isNull':
      return outcome(readColumn(row, ir.column).kind === 'null');
    case 'isNotNull':
      return outcome(readColumn(row, ir.column).kind !== 'null');
    case 'call':
      return evaluateCall(ir.name, ir.args, row);
    case 'textMatch':
      return withValue(row, ir.column, (value) => {
        if (typeof value !== 'string') return false;
        const analyze = options.analyze ?? fieldAnalyzer(ir.analyzerParams);
        const tokens = new Set(analyze(value, ir.column));
        const wanted = new Set(analyze(ir.query, ir.column));
        let hits = 0;
        for (const token of wanted) if (tokens.has(token)) hits++;
        return hits >= (ir.minimumShouldMatch ?? 1) && hits > 0;
      });
    case 'phraseMatch':
      return withValue(row, ir.column, (value) => {
        if (typeof value !== 'string') return false;
        const analyze = options.analyze ?? fieldAnalyzer(ir.analyzerParams);
        return phraseMatches(analyze(value, ir.column), analyze(ir.query, ir.column), ir.slop);
      });
    case 'randomSample': {
      if (options.sampleRow === undefined) {
        throw errors.operationNotSupported(
          'random_sample needs a sampleRow function to be evaluated row by row',
        );
      }
      const predicate = ir.predicate === null ? TRUE : evaluate(ir.predicate, row, options);
      return { value: predicate.value && options.sampleRow(ir.factor), valid: predicate.valid };
    }
  }
}

/**
 * Applies `test` to the column's value. A null field gives (false, invalid); a missing JSON key or
 * array element gives false, or true for `!=` on JSON (segcore's rule for values it cannot read).
 */
function withValue(
  row: Readonly<Record<string, unknown>>,
  column: ColumnRef,
  test: (value: unknown, type: DataType) => boolean,
  missingIsTrue = false,
): Outcome {
  const found = readColumn(row, column);
  if (found.kind === 'null') return NULL;
  const type = valueTypeOf(column);
  if (found.kind === 'missing') return outcome(missingIsTrue && type === DataType.JSON);
  return outcome(test(found.value, type));
}

function orderBetween(left: unknown, right: unknown): number | undefined {
  if (
    (typeof left === 'number' || typeof left === 'bigint') &&
    (typeof right === 'number' || typeof right === 'bigint')
  ) {
    return compareNumbers(left, right);
  }
  if (typeof left === 'string' && typeof right === 'string')
    return orderTyped(DataType.VarChar, left, { kind: 'string', value: right });
  if (typeof left === 'boolean' && typeof right === 'boolean') return Number(left) - Number(right);
  return undefined;
}

function matches(
  op: 'equal' | 'prefix' | 'suffix' | 'infix' | 'pattern',
  operand: string,
  value: string,
): boolean {
  switch (op) {
    case 'equal':
      return value === operand;
    case 'prefix':
      return value.startsWith(operand);
    case 'suffix':
      return value.endsWith(operand);
    case 'infix':
      return value.includes(operand);
    case 'pattern':
      return likePatternMatches(operand, value);
  }
}

function numberOf(type: DataType, constant: GenericValue): number | bigint {
  if (constant.kind === 'int64')
    return type === DataType.Float ? Math.fround(Number(constant.value)) : constant.value;
  if (constant.kind === 'float')
    return type === DataType.Float ? Math.fround(constant.value) : constant.value;
  return Number.NaN;
}

/**
 * `value arithOp operand` as segcore computes it: int64 arithmetic (wrapping, truncating division)
 * on integer columns and integral JSON numbers with an integer operand, float32 on Float columns,
 * double otherwise. undefined when the value is not a number.
 */
function arithmetic(
  type: DataType,
  value: unknown,
  op: ArithOp,
  operand: GenericValue,
): number | bigint | undefined {
  if (typeof value !== 'number' && typeof value !== 'bigint') return undefined;
  const integral = typeof value === 'bigint' || Number.isInteger(value);
  if (operand.kind === 'int64' && integral && (isIntegerType(type) || type === DataType.JSON)) {
    const x = BigInt(value);
    const y = operand.value;
    switch (op) {
      case '+':
        return BigInt.asIntN(64, x + y);
      case '-':
        return BigInt.asIntN(64, x - y);
      case '*':
        return BigInt.asIntN(64, x * y);
      case '/':
        return BigInt.asIntN(64, x / y);
      case '%':
        return x % y;
    }
  }
  if (op === '%') return undefined;
  const round = type === DataType.Float ? Math.fround : (n: number): number => n;
  const x = round(Number(value));
  const y = round(
    operand.kind === 'int64' ? Number(operand.value) : operand.kind === 'float' ? operand.value : Number.NaN,
  );
  switch (op) {
    case '+':
      return round(x + y);
    case '-':
      return round(x - y);
    case '*':
      return round(x * y);
    case '/':
      return round(x / y);
  }
}

function evaluateCall(
  name: string,
  args: readonly CallArg<GenericValue>[],
  row: Readonly<Record<string, unknown>>,
): Outcome {
  const strings: string[] = [];
  for (const arg of args) {
    if (arg.kind === 'value') {
      if (arg.value.kind !== 'string') return FALSE;
      strings.push(arg.value.value);
      continue;
    }
    const found = readColumn(row, arg.column);
    if (found.kind === 'null') return NULL;
    if (found.kind !== 'value' || typeof found.value !== 'string') return FALSE;
    strings.push(found.value);
  }
  if (name === 'empty') return outcome(strings[0] === '');
  if (name === 'starts_with') return outcome(strings[0]!.startsWith(strings[1]!));
  throw errors.unexpected(`unknown filter function ${name}`);
}

function isEmptyObject(value: unknown): boolean {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0
  );
}

/** The field's Milvus analyzer (built from its analyzer_params), as a text → terms function. */
function fieldAnalyzer(analyzerParams: string): (text: string) => string[] {
  const analyzer = analyzerFor(analyzerParams);
  return (text) => analyzer.terms(text);
}

/** The query tokens appear in order, with at most `slop` extra positions between them in total. */
function phraseMatches(tokens: readonly string[], phrase: readonly string[], slop: number): boolean {
  if (phrase.length === 0) return false;
  for (let start = 0; start < tokens.length; start++) {
    if (tokens[start] !== phrase[0]) continue;
    let position = start;
    let gaps = 0;
    let matched = 1;
    for (let i = 1; i < phrase.length; i++) {
      let next = position + 1;
      while (next < tokens.length && tokens[next] !== phrase[i] && gaps + (next - position - 1) <= slop)
        next++;
      if (next >= tokens.length || tokens[next] !== phrase[i]) break;
      gaps += next - position - 1;
      if (gaps > slop) break;
      position = next;
      matched++;
    }
    if (matched === phrase.length) return true;
  }
  return false;
}
