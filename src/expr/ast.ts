/**
 * The syntax tree of a filter expression: plain data, one node per Plan.g4 alternative. Every node
 * records the token range it covers (`start`..`end`, inclusive indexes into the parse's token list)
 * so that messages can quote a sub-expression the way Milvus does (ANTLR's GetText(): the tokens'
 * texts joined without the whitespace between them).
 */
export interface NodeSpan {
  start: number;
  end: number;
}

export type UnaryOperator = '+' | '-' | '~' | 'not';
export type ArithmeticOperator = '*' | '/' | '%' | '+' | '-';
export type ComparisonOperator = '<' | '<=' | '>' | '>=' | '==' | '!=';
export type BitwiseOperator = '&' | '^' | '|' | '<<' | '>>';
export type LogicalOperator = 'and' | 'or';
export type BinaryOperator =
  | ArithmeticOperator
  | ComparisonOperator
  | BitwiseOperator
  | LogicalOperator
  | '**';

export type ContainsFunction = 'contains' | 'containsAll' | 'containsAny';

export type SpatialFunction =
  | 'st_equals'
  | 'st_touches'
  | 'st_overlaps'
  | 'st_crosses'
  | 'st_contains'
  | 'st_intersects'
  | 'st_within';

/** A field reference written as a single token: an Identifier or a JSONIdentifier (`a["k"][0]`). */
export interface FieldToken {
  kind: 'identifier' | 'jsonIdentifier';
  text: string;
}

export type AstNode = NodeSpan &
  (
    | { kind: 'integer'; text: string }
    | { kind: 'float'; text: string }
    | { kind: 'boolean'; text: string }
    /** `text` is the literal as written, quotes, prefix and escapes included. */
    | { kind: 'string'; text: string }
    /** An Identifier or `$meta`. */
    | { kind: 'identifier'; name: string }
    | { kind: 'jsonIdentifier'; text: string }
    | { kind: 'template'; name: string }
    | { kind: 'parens'; expr: AstNode }
    | { kind: 'array'; elements: AstNode[] }
    | { kind: 'emptyArray' }
    | { kind: 'exists'; operand: AstNode }
    /** `operand like "pattern"`; `pattern` is the StringLiteral token text. */
    | { kind: 'like'; operand: AstNode; pattern: string }
    | { kind: 'textMatch'; field: string; query: string; minimumShouldMatch: string | null }
    | { kind: 'phraseMatch'; field: string; query: string; slop: AstNode | null }
    | { kind: 'randomSample'; factor: AstNode }
    | { kind: 'unary'; op: UnaryOperator; operand: AstNode }
    | { kind: 'binary'; op: BinaryOperator; left: AstNode; right: AstNode }
    /** `operand in list` / `operand not in list`. */
    | { kind: 'term'; negated: boolean; operand: AstNode; list: AstNode }
    | { kind: 'contains'; fn: ContainsFunction; field: AstNode; element: AstNode }
    | { kind: 'spatial'; fn: SpatialFunction; field: string; wkt: string }
    | { kind: 'spatialDistance'; field: string; wkt: string; distance: AstNode }
    | { kind: 'spatialIsValid'; field: string }
    | { kind: 'arrayLength'; field: FieldToken }
    | { kind: 'call'; name: string; args: AstNode[] }
    /**
     * `lower < field < upper` (forward) or `upper > field > lower` (reverse). `first` is the
     * expression left of the field, `second` the one right of it, as written.
     */
    | {
        kind: 'range';
        reverse: boolean;
        first: AstNode;
        firstOp: ComparisonOperator;
        field: FieldToken;
        secondOp: ComparisonOperator;
        second: AstNode;
      }
    | { kind: 'isNull'; negated: boolean; field: FieldToken }
    /** `ts [+|- INTERVAL 'P..'] op ISO '...'` or the reverse form (ISO first). */
    | {
        kind: 'timestamptz';
        reverse: boolean;
        field: string;
        intervalOp: '+' | '-' | null;
        interval: string | null;
        op: ComparisonOperator;
        iso: string;
      }
  );

/** The result of parsing: the tree plus the token texts its spans refer to. */
export interface ParsedExpression {
  /** The expression text as given by the client. */
  source: string;
  ast: AstNode;
  /** Token texts by index, the EOF token last. */
  tokenTexts: string[];
}

/** ANTLR's ctx.GetText(): the node's token texts joined with nothing between them. */
export function nodeText(parsed: ParsedExpression, node: NodeSpan): string {
  return parsed.tokenTexts.slice(node.start, node.end + 1).join('');
}
