import type { DataType } from '../schema/data-type.js';
import type { GenericValue } from './generic-value.js';

/**
 * The typed, schema-resolved form of a filter, ready for evaluation: plain data (structured-clone
 * safe). It follows Milvus's planpb.Expr node kinds, with two simplifications: `and` / `or` are
 * n-ary (a chain `a and b and c` is one node; both are associative, including for the validity
 * bits of nullable fields), and constant predicates are folded to alwaysTrue / alwaysFalse.
 *
 * Evaluation semantics (shared by evaluate-row.ts and the engine's vectorized evaluator): every node
 * yields a value bit and a "valid" bit per row. A leaf on a null field yields (false, invalid);
 * `and`/`or` combine values and OR the valid bits; `not` flips the value and then clears it where
 * invalid. So `not (x > 1)` is false where x is null, as in Milvus.
 */
export interface ColumnRef {
  fieldId: number;
  fieldName: string;
  dataType: DataType;
  /** Element type of Array fields, None otherwise. */
  elementType: DataType;
  /**
   * JSON keys and array indexes below the field, as written (indexes are decimal strings). For a
   * dynamic key `color` or `$meta["color"]`, the field is `$meta` and the path starts with "color".
   */
  nestedPath: string[];
  isPrimaryKey: boolean;
  isPartitionKey: boolean;
  nullable: boolean;
  isDynamic: boolean;
}

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type ArithOp = '+' | '-' | '*' | '/' | '%';
/** How a LIKE pattern was classified (Milvus's OpType Equal/PrefixMatch/PostfixMatch/InnerMatch/Match). */
export type MatchOp = 'equal' | 'prefix' | 'suffix' | 'infix' | 'pattern';
export type ContainsOp = 'contains' | 'containsAll' | 'containsAny';

/** A template variable `{name}` whose value is supplied with the request. */
export interface TemplateRef {
  kind: 'template';
  name: string;
}

export type CallArg<V> = { kind: 'column'; column: ColumnRef } | { kind: 'value'; value: V };

/**
 * `V` is the slot type of single values and `L` of value lists: GenericValue / GenericValue[] in a
 * finished plan; during checking they may also be TemplateRef until the template values are filled.
 */
export type IrExpr<V = GenericValue, L = GenericValue[]> =
  | { kind: 'alwaysTrue' }
  | { kind: 'alwaysFalse' }
  | { kind: 'and'; operands: IrExpr<V, L>[] }
  | { kind: 'or'; operands: IrExpr<V, L>[] }
  | { kind: 'not'; operand: IrExpr<V, L> }
  /** column op value. For an Array field with a path the value has the element type. */
  | { kind: 'compare'; column: ColumnRef; op: CompareOp; value: V }
  | { kind: 'range'; column: ColumnRef; lower: V; lowerInclusive: boolean; upper: V; upperInclusive: boolean }
  | { kind: 'compareColumns'; left: ColumnRef; op: CompareOp; right: ColumnRef }
  /** column in values (`not in` is `not` around it). */
  | { kind: 'term'; column: ColumnRef; values: L }
  /** LIKE: `operand` is the literal part (escapes removed), or the whole pattern for 'pattern'. */
  | { kind: 'match'; column: ColumnRef; op: MatchOp; operand: string }
  /** (column arithOp operand) op value, e.g. `a % 3 == 0`. */
  | { kind: 'arithCompare'; column: ColumnRef; arithOp: ArithOp; operand: V; op: CompareOp; value: V }
  /** array_length(column) op value. */
  | { kind: 'arrayLength'; column: ColumnRef; op: CompareOp; value: V }
  | { kind: 'contains'; column: ColumnRef; op: ContainsOp; elements: L; sameType: boolean }
  | { kind: 'exists'; column: ColumnRef }
  | { kind: 'isNull'; column: ColumnRef }
  | { kind: 'isNotNull'; column: ColumnRef }
  /** A registered filter function: empty(VarChar), starts_with(VarChar, VarChar). */
  | { kind: 'call'; name: string; args: CallArg<V>[] }
  /** analyzerParams: the field's analyzer_params JSON ('' = the standard analyzer). */
  | {
      kind: 'textMatch';
      column: ColumnRef;
      query: string;
      minimumShouldMatch: number | null;
      analyzerParams: string;
    }
  | { kind: 'phraseMatch'; column: ColumnRef; query: string; slop: number; analyzerParams: string }
  /** Keeps each row with probability `factor` (float32) among those matching `predicate`. */
  | { kind: 'randomSample'; factor: number; predicate: IrExpr<V, L> | null };

/** A finished filter plan. */
export type FilterIr = IrExpr<GenericValue, GenericValue[]>;
