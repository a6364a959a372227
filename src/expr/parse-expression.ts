import type {
  AstNode,
  BinaryOperator,
  ComparisonOperator,
  ContainsFunction,
  FieldToken,
  ParsedExpression,
  SpatialFunction,
} from './ast.js';
import { ExpressionFailure, toExpressionError } from './expression-error.js';
import { hanToUnicodeEscapes } from './han-to-unicode-escapes.js';
import { type LexError, tokenize } from './lexer.js';
import { expectedSetDisplay, type Token, type TokenKind, tokenErrorDisplay } from './token.js';

/** Deepest expression accepted; deeper input fails with a clear error instead of exhausting the stack. */
export const defaultMaxExpressionDepth = 1000;

export interface ParseOptions {
  /** Maximum nesting depth of the tree (parentheses, operands, unary chains). Default 1000. */
  maxDepth?: number;
}

/**
 * Parses a Milvus filter expression into an AST (no schema needed). Precedence and associativity
 * are those of Plan.g4's left-recursive `expr` rule, where earlier alternatives bind tighter:
 *
 *   exists (prefix) > like (suffix) > ** > unary + - ~ not (prefix) > * / % > + - > << >>
 *   > in / not in > range a<x<b > reverse range a>x>b > < <= > >= > == != > & > ^ > | > and > or
 *
 * All binary operators are left-associative. Syntax errors reproduce ANTLR's reports as Milvus
 * relays them: "cannot parse expression: <expr>, error: line L:C <ANTLR message>", or, when a valid
 * expression is followed by tokens that cannot continue it, "... error: invalid expression: <expr>".
 */
export function parseExpression(source: string, options: ParseOptions = {}): ParsedExpression {
  const lexed = tokenize(hanToUnicodeEscapes(source));
  const parser = new Parser(lexed.tokens, options.maxDepth ?? defaultMaxExpressionDepth);
  let ast: AstNode | undefined;
  try {
    ast = parser.parseTop();
  } catch (error) {
    if (error instanceof ExpressionFailure) throw toExpressionError(error, source);
    if (!(error instanceof SyntaxAbort)) throw error;
  }
  const report = lastSyntaxError(lexed.errors, parser.errors);
  if (report !== undefined) {
    throw toExpressionError(
      new ExpressionFailure(`line ${report.line}:${report.column} ${report.message}`),
      source,
    );
  }
  if (ast === undefined || parser.peek().kind !== 'EOF') {
    throw toExpressionError(new ExpressionFailure(`invalid expression: ${source}`), source);
  }
  return { source, ast, tokenTexts: lexed.tokens.map((token) => token.text) };
}

interface SyntaxReport {
  line: number;
  column: number;
  offset: number;
  message: string;
}

/**
 * Milvus's error listener keeps only the last error ANTLR reports. ANTLR lexes on demand while it
 * parses, so lexer and parser reports interleave roughly in source order; the later position wins,
 * a parser report winning a tie.
 */
function lastSyntaxError(
  lexErrors: readonly LexError[],
  parseErrors: readonly SyntaxReport[],
): SyntaxReport | undefined {
  const lex = lexErrors.at(-1);
  const parse = parseErrors.at(-1);
  if (lex === undefined) return parse;
  if (parse === undefined) return lex;
  return lex.offset > parse.offset ? lex : parse;
}

/** Thrown to stop after a reported syntax error that ANTLR would not recover from inline. */
class SyntaxAbort extends Error {}

/** Thrown while speculating (ANTLR's adaptive prediction) when the tried path does not parse. */
class SpeculationFailed extends Error {}

type Context = 'top' | 'nested';

interface LoopOperator {
  form: 'binary' | 'like' | 'term' | 'range' | 'reverseRange';
  precedence: number;
}

const comparisonOps: Partial<Record<TokenKind, ComparisonOperator>> = {
  LT: '<',
  LE: '<=',
  GT: '>',
  GE: '>=',
  EQ: '==',
  NE: '!=',
};

const binaryOps: Partial<Record<TokenKind, { op: BinaryOperator; precedence: number }>> = {
  POW: { op: '**', precedence: 25 },
  MUL: { op: '*', precedence: 23 },
  DIV: { op: '/', precedence: 23 },
  MOD: { op: '%', precedence: 23 },
  ADD: { op: '+', precedence: 22 },
  SUB: { op: '-', precedence: 22 },
  SHL: { op: '<<', precedence: 21 },
  SHR: { op: '>>', precedence: 21 },
  LT: { op: '<', precedence: 9 },
  LE: { op: '<=', precedence: 9 },
  GT: { op: '>', precedence: 9 },
  GE: { op: '>=', precedence: 9 },
  EQ: { op: '==', precedence: 8 },
  NE: { op: '!=', precedence: 8 },
  BAND: { op: '&', precedence: 7 },
  BXOR: { op: '^', precedence: 6 },
  BOR: { op: '|', precedence: 5 },
  AND: { op: 'and', precedence: 4 },
  OR: { op: 'or', precedence: 3 },
};

const precedence = { exists: 33, like: 32, unary: 24, term: 20, range: 11, reverseRange: 10 } as const;

const containsFunctions: Partial<Record<TokenKind, ContainsFunction>> = {
  JSONContains: 'contains',
  ArrayContains: 'contains',
  JSONContainsAll: 'containsAll',
  ArrayContainsAll: 'containsAll',
  JSONContainsAny: 'containsAny',
  ArrayContainsAny: 'containsAny',
};

const spatialFunctions: Partial<Record<TokenKind, SpatialFunction>> = {
  STEuqals: 'st_equals',
  STTouches: 'st_touches',
  STOverlaps: 'st_overlaps',
  STCrosses: 'st_crosses',
  STContains: 'st_contains',
  STIntersects: 'st_intersects',
  STWithin: 'st_within',
};

/** FIRST(expr): tokens that can begin an expression. */
const expressionStart = new Set<TokenKind>([
  'Identifier',
  'Meta',
  'JSONIdentifier',
  'ISO',
  'IntegerConstant',
  'FloatingConstant',
  'BooleanConstant',
  'StringLiteral',
  'LBRACE',
  'LPAREN',
  'LBRACKET',
  'EmptyArray',
  'EXISTS',
  'TEXTMATCH',
  'PHRASEMATCH',
  'RANDOMSAMPLE',
  'ADD',
  'SUB',
  'BNOT',
  'NOT',
  'JSONContains',
  'JSONContainsAll',
  'JSONContainsAny',
  'ArrayContains',
  'ArrayContainsAll',
  'ArrayContainsAny',
  'STEuqals',
  'STTouches',
  'STOverlaps',
  'STCrosses',
  'STContains',
  'STIntersects',
  'STWithin',
  'STDWithin',
  'STIsValid',
  'ArrayLength',
]);

/** Tokens that may follow a complete expression somewhere (used for ANTLR's single-token insertion). */
const expressionFollow = new Set<TokenKind>([
  ...(Object.keys(binaryOps) as TokenKind[]),
  'IN',
  'NOT',
  'LIKE',
  'RPAREN',
  'RBRACKET',
  'COMMA',
  'EOF',
]);

const canStartExpression = (kind: TokenKind): boolean => expressionStart.has(kind);
const canFollowExpression = (kind: TokenKind): boolean => expressionFollow.has(kind);

class Parser {
  readonly errors: SyntaxReport[] = [];
  private position = 0;
  private depth = 0;
  /** >0 while speculating: errors abort the speculation instead of being reported. */
  private speculating = 0;
  /** Effective depth of every node built (and/or chains count once, see depthOf). */
  private readonly depths = new WeakMap<AstNode, number>();
  /**
   * Operator positions whose speculative application already failed. The outcome depends only on
   * the tokens from that position on, so retrying at an enclosing level (which happens at every
   * level of a right-nested chain) is answered from here and parsing stays linear.
   */
  private readonly failedSpeculations = new Set<number>();

  constructor(
    private readonly tokens: readonly Token[],
    private readonly maxDepth: number,
  ) {}

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.position + offset, this.tokens.length - 1)]!;
  }

  parseTop(): AstNode {
    return this.parseExpr(0, 'top');
  }

  /**
   * `expr[minPrecedence]` of ANTLR's rewritten left-recursive rule: a primary, then a loop taking
   * every binary/suffix operator whose precedence is at least `minPrecedence`. In a nested context
   * (inside brackets) ANTLR enters the loop whenever the next token is such an operator. At top level
   * the rule may always end (the start rule has no follow), so ANTLR's prediction enters the loop
   * only if the operator and its operand parse; otherwise the loop exits and the caller reports
   * "invalid expression". That prediction is reproduced by a speculative parse.
   */
  private parseExpr(minPrecedence: number, context: Context): AstNode {
    this.enterDepth();
    try {
      let left = this.parsePrimary(context);
      for (;;) {
        const operator = this.loopOperator(minPrecedence);
        if (operator === undefined) break;
        if (context === 'top') {
          const applied = this.speculate(left, operator);
          if (applied === undefined) break;
          left = applied;
        } else {
          left = this.applyOperator(left, operator, context);
        }
      }
      return left;
    } finally {
      this.depth--;
    }
  }

  private enterDepth(): void {
    this.depth++;
    if (this.depth > this.maxDepth) {
      throw new ExpressionFailure(`expression nesting depth exceeds the limit of ${this.maxDepth}`);
    }
  }

  /** Tries `left operator operand` without reporting errors; restores the position on failure. */
  private speculate(left: AstNode, operator: LoopOperator): AstNode | undefined {
    const start = this.position;
    if (this.failedSpeculations.has(start)) return undefined;
    this.speculating++;
    try {
      return this.applyOperator(left, operator, 'top');
    } catch (error) {
      if (!(error instanceof SpeculationFailed)) throw error;
      this.position = start;
      this.failedSpeculations.add(start);
      return undefined;
    } finally {
      this.speculating--;
    }
  }

  private loopOperator(minPrecedence: number): LoopOperator | undefined {
    const kind = this.peek().kind;
    if (kind === 'LIKE')
      return minPrecedence <= precedence.like ? { form: 'like', precedence: precedence.like } : undefined;
    if (kind === 'IN' || kind === 'NOT') {
      return minPrecedence <= precedence.term ? { form: 'term', precedence: precedence.term } : undefined;
    }
    const fieldNext = this.peek(1).kind === 'Identifier' || this.peek(1).kind === 'JSONIdentifier';
    const after = this.peek(2).kind;
    if ((kind === 'LT' || kind === 'LE') && fieldNext && (after === 'LT' || after === 'LE')) {
      if (minPrecedence <= precedence.range) return { form: 'range', precedence: precedence.range };
    }
    if ((kind === 'GT' || kind === 'GE') && fieldNext && (after === 'GT' || after === 'GE')) {
      if (minPrecedence <= precedence.reverseRange)
        return { form: 'reverseRange', precedence: precedence.reverseRange };
    }
    const binary = binaryOps[kind];
    if (binary === undefined || binary.precedence < minPrecedence) return undefined;
    return { form: 'binary', precedence: binary.precedence };
  }

  private applyOperator(left: AstNode, operator: LoopOperator, context: Context): AstNode {
    const opToken = this.peek();
    switch (operator.form) {
      case 'like': {
        this.advance();
        const pattern = this.expect('StringLiteral', canFollowExpression);
        return this.node(
          { kind: 'like', operand: left, pattern: pattern.text, start: left.start, end: this.last() },
          [left],
        );
      }
      case 'term': {
        const negated = opToken.kind === 'NOT';
        if (negated) this.advance();
        this.expect('IN', canStartExpression);
        const list = this.parseOperand(precedence.term + 1, context, opToken);
        return this.node({ kind: 'term', negated, operand: left, list, start: left.start, end: list.end }, [
          left,
          list,
        ]);
      }
      case 'range':
      case 'reverseRange': {
        const reverse = operator.form === 'reverseRange';
        this.advance();
        const fieldToken = this.advance();
        const secondToken = this.advance();
        const field: FieldToken = {
          kind: fieldToken.kind === 'JSONIdentifier' ? 'jsonIdentifier' : 'identifier',
          text: fieldToken.text,
        };
        // ANTLR predicts the range alternative from its first operator on, so a bad upper bound is
        // reported with the text from there ("<a<)").
        const second = this.parseOperand(operator.precedence + 1, context, opToken);
        return this.node(
          {
            kind: 'range',
            reverse,
            first: left,
            firstOp: comparisonOps[opToken.kind]!,
            field,
            secondOp: comparisonOps[secondToken.kind]!,
            second,
            start: left.start,
            end: second.end,
          },
          [left, second],
        );
      }
      case 'binary': {
        const op = binaryOps[opToken.kind]!.op;
        this.advance();
        const right = this.parseOperand(operator.precedence + 1, context, opToken);
        return this.node({ kind: 'binary', op, left, right, start: left.start, end: right.end }, [
          left,
          right,
        ]);
      }
    }
  }

  /**
   * The right operand of a binary operator. For the operators ANTLR must look past (< <= > >=,
   * which may start a range), a bad first operand token is reported as ANTLR's decision reports it:
   * "no viable alternative at input '<op><token>'".
   */
  private parseOperand(minPrecedence: number, context: Context, opToken: Token): AstNode {
    const first = this.peek();
    if (
      !canStartExpression(first.kind) &&
      comparisonOps[opToken.kind] !== undefined &&
      opToken.kind !== 'EQ' &&
      opToken.kind !== 'NE'
    ) {
      this.noViableAlternative(opToken, first);
    }
    return this.parseExpr(minPrecedence, context);
  }

  private parsePrimary(context: Context): AstNode {
    const token = this.peek();
    const start = this.position;
    switch (token.kind) {
      case 'IntegerConstant':
        this.advance();
        return this.leaf({ kind: 'integer', text: token.text, start, end: start });
      case 'FloatingConstant':
        this.advance();
        return this.leaf({ kind: 'float', text: token.text, start, end: start });
      case 'BooleanConstant':
        this.advance();
        return this.leaf({ kind: 'boolean', text: token.text, start, end: start });
      case 'StringLiteral':
        this.advance();
        return this.leaf({ kind: 'string', text: token.text, start, end: start });
      case 'Meta':
        this.advance();
        return this.leaf({ kind: 'identifier', name: token.text, start, end: start });
      case 'Identifier':
        return this.parseIdentifierForms();
      case 'JSONIdentifier': {
        const next = this.peek(1).kind;
        if (next === 'ISNULL' || next === 'ISNOTNULL') return this.parseIsNull();
        this.advance();
        return this.leaf({ kind: 'jsonIdentifier', text: token.text, start, end: start });
      }
      case 'ISO':
        return this.parseTimestamptzReverse();
      case 'LBRACE': {
        this.advance();
        const name = this.expect('Identifier', (kind) => kind === 'RBRACE');
        this.expect('RBRACE', canFollowExpression);
        return this.leaf({ kind: 'template', name: name.text, start, end: this.last() });
      }
      case 'LPAREN': {
        this.advance();
        const expr = this.parseExpr(0, 'nested');
        this.expect('RPAREN', canFollowExpression);
        return this.node({ kind: 'parens', expr, start, end: this.last() }, [expr]);
      }
      case 'LBRACKET':
        return this.parseArray();
      case 'EmptyArray':
        this.advance();
        return this.leaf({ kind: 'emptyArray', start, end: start });
      case 'EXISTS': {
        this.advance();
        const operand = this.parseExpr(precedence.exists, context);
        return this.node({ kind: 'exists', operand, start, end: operand.end }, [operand]);
      }
      case 'ADD':
      case 'SUB':
      case 'BNOT':
      case 'NOT': {
        this.advance();
        const op =
          token.kind === 'ADD' ? '+' : token.kind === 'SUB' ? '-' : token.kind === 'BNOT' ? '~' : 'not';
        const operand = this.parseExpr(precedence.unary, context);
        return this.node({ kind: 'unary', op, operand, start, end: operand.end }, [operand]);
      }
      case 'TEXTMATCH':
        return this.parseTextMatch();
      case 'PHRASEMATCH':
        return this.parsePhraseMatch();
      case 'RANDOMSAMPLE': {
        this.advance();
        this.expect('LPAREN', canStartExpression);
        const factor = this.parseExpr(0, 'nested');
        this.expect('RPAREN', canFollowExpression);
        return this.node({ kind: 'randomSample', factor, start, end: this.last() }, [factor]);
      }
      case 'ArrayLength': {
        this.advance();
        this.expect('LPAREN', (kind) => kind === 'Identifier' || kind === 'JSONIdentifier');
        const fieldToken = this.peek();
        if (fieldToken.kind !== 'Identifier' && fieldToken.kind !== 'JSONIdentifier') {
          this.mismatched(fieldToken, ['Identifier', 'JSONIdentifier']);
        }
        this.advance();
        this.expect('RPAREN', canFollowExpression);
        const field: FieldToken = {
          kind: fieldToken.kind === 'JSONIdentifier' ? 'jsonIdentifier' : 'identifier',
          text: fieldToken.text,
        };
        return this.leaf({ kind: 'arrayLength', field, start, end: this.last() });
      }
      case 'STDWithin': {
        this.advance();
        this.expect('LPAREN', (kind) => kind === 'Identifier');
        const field = this.expect('Identifier', (kind) => kind === 'COMMA');
        this.expect('COMMA', (kind) => kind === 'StringLiteral');
        const wkt = this.expect('StringLiteral', (kind) => kind === 'COMMA');
        this.expect('COMMA', canStartExpression);
        const distance = this.parseExpr(0, 'nested');
        this.expect('RPAREN', canFollowExpression);
        return this.node(
          { kind: 'spatialDistance', field: field.text, wkt: wkt.text, distance, start, end: this.last() },
          [distance],
        );
      }
      case 'STIsValid': {
        this.advance();
        this.expect('LPAREN', (kind) => kind === 'Identifier');
        const field = this.expect('Identifier', (kind) => kind === 'RPAREN');
        this.expect('RPAREN', canFollowExpression);
        return this.leaf({ kind: 'spatialIsValid', field: field.text, start, end: this.last() });
      }
      default: {
        const contains = containsFunctions[token.kind];
        if (contains !== undefined) return this.parseContains(contains);
        const spatial = spatialFunctions[token.kind];
        if (spatial !== undefined) {
          this.advance();
          this.expect('LPAREN', (kind) => kind === 'Identifier');
          const field = this.expect('Identifier', (kind) => kind === 'COMMA');
          this.expect('COMMA', (kind) => kind === 'StringLiteral');
          const wkt = this.expect('StringLiteral', (kind) => kind === 'RPAREN');
          this.expect('RPAREN', canFollowExpression);
          return this.leaf({
            kind: 'spatial',
            fn: spatial,
            field: field.text,
            wkt: wkt.text,
            start,
            end: this.last(),
          });
        }
        return this.noViableAlternative(token, token);
      }
    }
  }

  /** Identifier: a plain field, a call, `f is [not] null`, or a timestamptz comparison. */
  private parseIdentifierForms(): AstNode {
    const token = this.peek();
    const start = this.position;
    const next = this.peek(1).kind;
    const third = this.peek(2).kind;
    if (
      ((next === 'ADD' || next === 'SUB') && third === 'INTERVAL') ||
      (comparisonOps[next] && third === 'ISO')
    ) {
      return this.parseTimestamptzForward();
    }
    if (next === 'LPAREN') return this.parseCall();
    if (next === 'ISNULL' || next === 'ISNOTNULL') return this.parseIsNull();
    this.advance();
    return this.leaf({ kind: 'identifier', name: token.text, start, end: start });
  }

  private parseIsNull(): AstNode {
    const start = this.position;
    const fieldToken = this.advance();
    const op = this.advance();
    const field: FieldToken = {
      kind: fieldToken.kind === 'JSONIdentifier' ? 'jsonIdentifier' : 'identifier',
      text: fieldToken.text,
    };
    return this.leaf({ kind: 'isNull', negated: op.kind === 'ISNOTNULL', field, start, end: this.last() });
  }

  /** Identifier '(' ( expr (',' expr)* ','? )? ')' */
  private parseCall(): AstNode {
    const start = this.position;
    const name = this.advance();
    this.advance(); // '('
    const args: AstNode[] = [];
    if (this.peek().kind !== 'RPAREN') {
      args.push(this.parseExpr(0, 'nested'));
      this.parseListTail(args, 'RPAREN');
    }
    this.expect('RPAREN', canFollowExpression);
    return this.node({ kind: 'call', name: name.text, args, start, end: this.last() }, args);
  }

  /** '[' expr (',' expr)* ','? ']' */
  private parseArray(): AstNode {
    const start = this.position;
    this.advance(); // '['
    const elements = [this.parseExpr(0, 'nested')];
    this.parseListTail(elements, 'RBRACKET');
    this.expect('RBRACKET', canFollowExpression);
    return this.node({ kind: 'array', elements, start, end: this.last() }, elements);
  }

  /**
   * `(',' expr)* ','?` before `closer`. ANTLR syncs at the loop entry (a stray token followed by an
   * expected one is reported as extraneous and skipped; anything else is a mismatch) and decides
   * each iteration with two tokens of lookahead: ',' expr continues, ',' closer ends the list.
   */
  private parseListTail(items: AstNode[], closer: TokenKind): void {
    this.sync(['COMMA', closer]);
    while (this.peek().kind === 'COMMA') {
      const comma = this.peek();
      const next = this.peek(1);
      if (next.kind === closer) {
        this.advance();
        return;
      }
      if (!canStartExpression(next.kind)) this.noViableAlternative(comma, next);
      this.advance();
      items.push(this.parseExpr(0, 'nested'));
      this.sync(['COMMA', closer]);
    }
  }

  /** DefaultErrorStrategy.sync at a loop or optional-block entry. */
  private sync(expected: TokenKind[]): void {
    const token = this.peek();
    if (expected.includes(token.kind)) return;
    if (this.speculating > 0) throw new SpeculationFailed();
    if (expected.includes(this.peek(1).kind)) {
      this.report(
        token,
        `extraneous input ${tokenErrorDisplay(token)} expecting ${expectedSetDisplay(expected)}`,
      );
      this.advance();
      return;
    }
    this.mismatched(token, expected);
  }

  private parseContains(fn: ContainsFunction): AstNode {
    const start = this.position;
    this.advance();
    this.expect('LPAREN', canStartExpression);
    const field = this.parseExpr(0, 'nested');
    this.expect('COMMA', canStartExpression);
    const element = this.parseExpr(0, 'nested');
    this.expect('RPAREN', canFollowExpression);
    return this.node({ kind: 'contains', fn, field, element, start, end: this.last() }, [field, element]);
  }

  private parseTextMatch(): AstNode {
    const start = this.position;
    this.advance();
    this.expect('LPAREN', (kind) => kind === 'Identifier');
    const field = this.expect('Identifier', (kind) => kind === 'COMMA');
    this.expect('COMMA', (kind) => kind === 'StringLiteral');
    const query = this.expect('StringLiteral', (kind) => kind === 'COMMA' || kind === 'RPAREN');
    let minimumShouldMatch: string | null = null;
    this.sync(['COMMA', 'RPAREN']);
    if (this.peek().kind === 'COMMA') {
      this.advance();
      this.expect('MINIMUM_SHOULD_MATCH', (kind) => kind === 'ASSIGN');
      this.expect('ASSIGN', (kind) => kind === 'IntegerConstant');
      minimumShouldMatch = this.expect('IntegerConstant', (kind) => kind === 'RPAREN').text;
    }
    this.expect(
      'RPAREN',
      canFollowExpression,
      minimumShouldMatch === null ? ['COMMA', 'RPAREN'] : ['RPAREN'],
    );
    return this.leaf({
      kind: 'textMatch',
      field: field.text,
      query: query.text,
      minimumShouldMatch,
      start,
      end: this.last(),
    });
  }

  private parsePhraseMatch(): AstNode {
    const start = this.position;
    this.advance();
    this.expect('LPAREN', (kind) => kind === 'Identifier');
    const field = this.expect('Identifier', (kind) => kind === 'COMMA');
    this.expect('COMMA', (kind) => kind === 'StringLiteral');
    const query = this.expect('StringLiteral', (kind) => kind === 'COMMA' || kind === 'RPAREN');
    let slop: AstNode | null = null;
    this.sync(['COMMA', 'RPAREN']);
    if (this.peek().kind === 'COMMA') {
      this.advance();
      slop = this.parseExpr(0, 'nested');
    }
    this.expect('RPAREN', canFollowExpression);
    return this.node(
      { kind: 'phraseMatch', field: field.text, query: query.text, slop, start, end: this.last() },
      slop === null ? [] : [slop],
    );
  }

  /** Identifier ((ADD|SUB) INTERVAL StringLiteral)? (LT|LE|GT|GE|EQ|NE) ISO StringLiteral */
  private parseTimestamptzForward(): AstNode {
    const start = this.position;
    const field = this.advance();
    let intervalOp: '+' | '-' | null = null;
    let interval: string | null = null;
    if (this.peek().kind === 'ADD' || this.peek().kind === 'SUB') {
      intervalOp = this.advance().kind === 'ADD' ? '+' : '-';
      this.advance(); // INTERVAL
      interval = this.expect('StringLiteral', (kind) => comparisonOps[kind] !== undefined).text;
    }
    const op = this.expectComparison();
    this.expect('ISO', (kind) => kind === 'StringLiteral');
    const iso = this.expect('StringLiteral', canFollowExpression).text;
    return this.leaf({
      kind: 'timestamptz',
      reverse: false,
      field: field.text,
      intervalOp,
      interval,
      op,
      iso,
      start,
      end: this.last(),
    });
  }

  /** ISO StringLiteral (LT|LE|GT|GE|EQ|NE) Identifier ((ADD|SUB) INTERVAL StringLiteral)? */
  private parseTimestamptzReverse(): AstNode {
    const start = this.position;
    this.advance(); // ISO
    const iso = this.expect('StringLiteral', (kind) => comparisonOps[kind] !== undefined).text;
    const op = this.expectComparison();
    const field = this.expect('Identifier', canFollowExpression);
    let intervalOp: '+' | '-' | null = null;
    let interval: string | null = null;
    if ((this.peek().kind === 'ADD' || this.peek().kind === 'SUB') && this.peek(1).kind === 'INTERVAL') {
      intervalOp = this.advance().kind === 'ADD' ? '+' : '-';
      this.advance(); // INTERVAL
      interval = this.expect('StringLiteral', canFollowExpression).text;
    }
    return this.leaf({
      kind: 'timestamptz',
      reverse: true,
      field: field.text,
      intervalOp,
      interval,
      op,
      iso,
      start,
      end: this.last(),
    });
  }

  private expectComparison(): ComparisonOperator {
    const token = this.peek();
    const op = comparisonOps[token.kind];
    if (op === undefined) return this.mismatched(token, ['LT', 'LE', 'GT', 'GE', 'EQ', 'NE']);
    this.advance();
    return op;
  }

  private advance(): Token {
    const token = this.peek();
    if (token.kind !== 'EOF') this.position++;
    return token;
  }

  /** Index of the last consumed token. */
  private last(): number {
    return Math.max(0, this.position - 1);
  }

  /**
   * ANTLR's match() with DefaultErrorStrategy.recoverInline: single-token deletion ("extraneous
   * input"), then single-token insertion ("missing"), else "mismatched input". Deletion and
   * insertion report and carry on; a mismatch stops the parse.
   */
  private expect(
    kind: TokenKind,
    canFollowExpected: (kind: TokenKind) => boolean,
    expected: TokenKind[] = [kind],
  ): Token {
    const token = this.peek();
    if (token.kind === kind) return this.advance();
    if (this.speculating > 0) throw new SpeculationFailed();
    const display = expectedSetDisplay(expected);
    if (this.peek(1).kind === kind) {
      this.report(token, `extraneous input ${tokenErrorDisplay(token)} expecting ${display}`);
      this.advance();
      return this.advance();
    }
    if (canFollowExpected(token.kind)) {
      this.report(token, `missing ${expectedSetDisplay([kind])} at ${tokenErrorDisplay(token)}`);
      return { ...token, kind, text: '' };
    }
    return this.mismatched(token, expected);
  }

  private mismatched(token: Token, expected: TokenKind[]): never {
    if (this.speculating > 0) throw new SpeculationFailed();
    this.report(
      token,
      `mismatched input ${tokenErrorDisplay(token)} expecting ${expectedSetDisplay(expected)}`,
    );
    throw new SyntaxAbort();
  }

  /** ANTLR's NoViableAltException: the text of the tokens from the decision start to the offender. */
  private noViableAlternative(startToken: Token, offending: Token): never {
    if (this.speculating > 0) throw new SpeculationFailed();
    let input: string;
    if (startToken.kind === 'EOF') {
      input = '<EOF>';
    } else {
      const from = this.tokens.indexOf(startToken);
      const to = this.tokens.indexOf(offending);
      input = this.tokens
        .slice(from, to + 1)
        .filter((token) => token.kind !== 'EOF')
        .map((token) => token.text)
        .join('');
    }
    this.report(
      offending,
      `no viable alternative at input '${input.replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}'`,
    );
    throw new SyntaxAbort();
  }

  private report(token: Token, message: string): void {
    this.errors.push({ line: token.line, column: token.column, offset: token.offset, message });
  }

  private leaf(node: AstNode): AstNode {
    this.depths.set(node, 1);
    return node;
  }

  /**
   * Records the node's effective depth and enforces the limit. A chain of the same logical operator
   * (`a and b and c ...`) counts as one level, because the checker folds such chains iteratively;
   * every other level counts, so recursive passes over the tree stay within the stack.
   */
  private node(node: AstNode, children: readonly AstNode[]): AstNode {
    let depth = 1;
    if (node.kind === 'binary' && (node.op === 'and' || node.op === 'or')) {
      const left = node.left;
      const sameChain = left.kind === 'binary' && left.op === node.op;
      depth = Math.max(sameChain ? this.depthOf(left) : this.depthOf(left) + 1, this.depthOf(node.right) + 1);
    } else {
      for (const child of children) depth = Math.max(depth, this.depthOf(child) + 1);
    }
    if (depth > this.maxDepth) {
      throw new ExpressionFailure(`expression nesting depth exceeds the limit of ${this.maxDepth}`);
    }
    this.depths.set(node, depth);
    return node;
  }

  private depthOf(node: AstNode): number {
    return this.depths.get(node) ?? 1;
  }
}
