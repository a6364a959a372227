/**
 * Token kinds of the filter language, named after the token names of Milvus's Plan.g4 so that
 * syntax errors can name them as ANTLR does ("expecting StringLiteral"). Punctuation that Plan.g4
 * writes inline in parser rules ('(' ')' '[' ']' ',') gets descriptive names here; ANTLR shows those
 * by their literal text, see `tokenDisplayName`.
 */
export type TokenKind =
  | 'LPAREN'
  | 'RPAREN'
  | 'LBRACKET'
  | 'RBRACKET'
  | 'COMMA'
  | 'LBRACE'
  | 'RBRACE'
  | 'LT'
  | 'LE'
  | 'GT'
  | 'GE'
  | 'EQ'
  | 'NE'
  | 'LIKE'
  | 'EXISTS'
  | 'TEXTMATCH'
  | 'PHRASEMATCH'
  | 'RANDOMSAMPLE'
  | 'INTERVAL'
  | 'ISO'
  | 'MINIMUM_SHOULD_MATCH'
  | 'ASSIGN'
  | 'ADD'
  | 'SUB'
  | 'MUL'
  | 'DIV'
  | 'MOD'
  | 'POW'
  | 'SHL'
  | 'SHR'
  | 'BAND'
  | 'BOR'
  | 'BXOR'
  | 'AND'
  | 'OR'
  | 'ISNULL'
  | 'ISNOTNULL'
  | 'BNOT'
  | 'NOT'
  | 'IN'
  | 'EmptyArray'
  | 'JSONContains'
  | 'JSONContainsAll'
  | 'JSONContainsAny'
  | 'ArrayContains'
  | 'ArrayContainsAll'
  | 'ArrayContainsAny'
  | 'ArrayLength'
  | 'STEuqals'
  | 'STTouches'
  | 'STOverlaps'
  | 'STCrosses'
  | 'STContains'
  | 'STIntersects'
  | 'STWithin'
  | 'STDWithin'
  | 'STIsValid'
  | 'BooleanConstant'
  | 'IntegerConstant'
  | 'FloatingConstant'
  | 'Identifier'
  | 'Meta'
  | 'StringLiteral'
  | 'JSONIdentifier'
  | 'EOF';

export interface Token {
  kind: TokenKind;
  /** The source text of the token, exactly as written (quotes and escapes included). */
  text: string;
  /** Offset of the first character, in code points (ANTLR's CharStream index). */
  offset: number;
  /** 1-based line. */
  line: number;
  /** 0-based column in code points, as ANTLR reports it. */
  column: number;
}

/** Tokens ANTLR shows by literal text in "expecting ..." sets (single-spelling tokens). */
const literalNames: Partial<Record<TokenKind, string>> = {
  LPAREN: "'('",
  RPAREN: "')'",
  LBRACKET: "'['",
  RBRACKET: "']'",
  COMMA: "','",
  LBRACE: "'{'",
  RBRACE: "'}'",
  LT: "'<'",
  LE: "'<='",
  GT: "'>'",
  GE: "'>='",
  EQ: "'=='",
  NE: "'!='",
  ASSIGN: "'='",
  ADD: "'+'",
  SUB: "'-'",
  MUL: "'*'",
  DIV: "'/'",
  MOD: "'%'",
  POW: "'**'",
  SHL: "'<<'",
  SHR: "'>>'",
  BAND: "'&'",
  BOR: "'|'",
  BXOR: "'^'",
  BNOT: "'~'",
  Meta: "'$meta'",
  EOF: '<EOF>',
};

/** How ANTLR's IntervalSet.toStringVerbose names a token kind. */
export function tokenDisplayName(kind: TokenKind): string {
  return literalNames[kind] ?? kind;
}

/** ANTLR's DefaultErrorStrategy.getTokenErrorDisplay: the quoted text with \n \r \t escaped. */
export function tokenErrorDisplay(token: Token): string {
  if (token.kind === 'EOF') return "'<EOF>'";
  return `'${escapeWhitespace(token.text)}'`;
}

export function escapeWhitespace(text: string): string {
  return text.replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
}

/** ANTLR's IntervalSet display: one name alone, several as {a, b}. */
export function expectedSetDisplay(kinds: readonly TokenKind[]): string {
  const names = kinds.map(tokenDisplayName);
  return names.length === 1 ? names[0]! : `{${names.join(', ')}}`;
}
