import { escapeWhitespace, type Token, type TokenKind } from './token.js';

/**
 * The lexer of Milvus's Plan.g4 (2.5/2.6 token set), hand-written. It follows ANTLR's rules:
 * longest match wins, ties go to the rule defined first (so `in` is IN, not an Identifier, and
 * `index` is an Identifier); `is null` / `is not null` are single tokens with exactly one space;
 * `a["b"][0]` is one JSONIdentifier token (no spaces inside); `[ ]` is one EmptyArray token.
 *
 * Keywords accept exactly two spellings, lower and upper case (`like`/`LIKE`, `and`/`AND`/`&&`),
 * booleans three (`true`/`True`/`TRUE`). String literals may use single or double quotes, an
 * optional u8/u/U/L prefix, and a backslash before any character (checked later, when the literal's
 * value is computed, exactly as Milvus's strconv.Unquote step does).
 *
 * On a character no rule accepts, ANTLR reports "token recognition error at: '<text>'" where the
 * text runs from the token start to the character at which the last candidate rule failed, skips
 * that character and carries on; all such errors are collected in order.
 */
export interface LexError {
  line: number;
  column: number;
  offset: number;
  message: string;
}

export interface LexResult {
  /** Always ends with an EOF token. */
  tokens: Token[];
  errors: LexError[];
}

interface Candidate {
  kind: TokenKind | 'skip';
  length: number;
  priority: number;
}

/** Fixed spellings in Plan.g4's rule order (the order breaks ties between equal-length matches). */
const fixedSpellings: readonly (readonly [string, TokenKind])[] = [
  ['(', 'LPAREN'],
  [')', 'RPAREN'],
  ['[', 'LBRACKET'],
  [']', 'RBRACKET'],
  [',', 'COMMA'],
  ['{', 'LBRACE'],
  ['}', 'RBRACE'],
  ['<', 'LT'],
  ['<=', 'LE'],
  ['>', 'GT'],
  ['>=', 'GE'],
  ['==', 'EQ'],
  ['!=', 'NE'],
  ...both('like', 'LIKE'),
  ...both('exists', 'EXISTS'),
  ...both('text_match', 'TEXTMATCH'),
  ...both('phrase_match', 'PHRASEMATCH'),
  ...both('random_sample', 'RANDOMSAMPLE'),
  ...both('interval', 'INTERVAL'),
  ...both('iso', 'ISO'),
  ...both('minimum_should_match', 'MINIMUM_SHOULD_MATCH'),
  ['=', 'ASSIGN'],
  ['+', 'ADD'],
  ['-', 'SUB'],
  ['*', 'MUL'],
  ['/', 'DIV'],
  ['%', 'MOD'],
  ['**', 'POW'],
  ['<<', 'SHL'],
  ['>>', 'SHR'],
  ['&', 'BAND'],
  ['|', 'BOR'],
  ['^', 'BXOR'],
  ['&&', 'AND'],
  ...both('and', 'AND'),
  ['||', 'OR'],
  ...both('or', 'OR'),
  ...both('is null', 'ISNULL'),
  ...both('is not null', 'ISNOTNULL'),
  ['~', 'BNOT'],
  ['!', 'NOT'],
  ...both('not', 'NOT'),
  ...both('in', 'IN'),
  ...both('json_contains', 'JSONContains'),
  ...both('json_contains_all', 'JSONContainsAll'),
  ...both('json_contains_any', 'JSONContainsAny'),
  ...both('array_contains', 'ArrayContains'),
  ...both('array_contains_all', 'ArrayContainsAll'),
  ...both('array_contains_any', 'ArrayContainsAny'),
  ...both('array_length', 'ArrayLength'),
  ...both('st_equals', 'STEuqals'),
  ...both('st_touches', 'STTouches'),
  ...both('st_overlaps', 'STOverlaps'),
  ...both('st_crosses', 'STCrosses'),
  ...both('st_contains', 'STContains'),
  ...both('st_intersects', 'STIntersects'),
  ...both('st_within', 'STWithin'),
  ...both('st_dwithin', 'STDWithin'),
  ...both('st_isvalid', 'STIsValid'),
  ['true', 'BooleanConstant'],
  ['True', 'BooleanConstant'],
  ['TRUE', 'BooleanConstant'],
  ['false', 'BooleanConstant'],
  ['False', 'BooleanConstant'],
  ['FALSE', 'BooleanConstant'],
];

function both(lower: string, kind: TokenKind): [string, TokenKind][] {
  return [
    [lower, kind],
    [lower.toUpperCase(), kind],
  ];
}

/** Priorities of the pattern rules, after every fixed spelling (EmptyArray sits after IN in Plan.g4,
 * but it never ties with a fixed spelling, so its exact place does not matter). */
const priority = {
  emptyArray: fixedSpellings.length,
  integer: fixedSpellings.length + 1,
  floating: fixedSpellings.length + 2,
  identifier: fixedSpellings.length + 3,
  meta: fixedSpellings.length + 4,
  string: fixedSpellings.length + 5,
  jsonIdentifier: fixedSpellings.length + 6,
  whitespace: fixedSpellings.length + 7,
} as const;

const fixedByFirstChar = new Map<string, { chars: string[]; kind: TokenKind; priority: number }[]>();
fixedSpellings.forEach(([spelling, kind], index) => {
  const chars = Array.from(spelling);
  const bucket = fixedByFirstChar.get(chars[0]!) ?? [];
  bucket.push({ chars, kind, priority: index });
  fixedByFirstChar.set(chars[0]!, bucket);
});

/** Length accepted by a rule (0 = none) and the index of the character at which it failed. */
interface Scan {
  length: number;
  reach: number;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isOctal = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '7';
const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);
const isNondigit = (c: string | undefined): boolean => c !== undefined && /^[a-zA-Z_]$/.test(c);
const isIdentChar = (c: string | undefined): boolean => isNondigit(c) || isDigit(c);

function countWhile(
  chars: readonly string[],
  from: number,
  test: (c: string | undefined) => boolean,
): number {
  let j = from;
  while (test(chars[j])) j++;
  return j - from;
}

function scanFixed(chars: readonly string[], at: number, spelling: readonly string[]): Scan {
  let k = 0;
  while (k < spelling.length && chars[at + k] === spelling[k]) k++;
  return { length: k === spelling.length ? k : 0, reach: at + k };
}

function scanInteger(chars: readonly string[], at: number): Scan {
  const c = chars[at];
  if (c !== undefined && c >= '1' && c <= '9') {
    const digits = 1 + countWhile(chars, at + 1, isDigit);
    return { length: digits, reach: at + digits };
  }
  if (c !== '0') return { length: 0, reach: at };
  const octal = 1 + countWhile(chars, at + 1, isOctal);
  let best = octal;
  let reach = at + octal;
  const x = chars[at + 1];
  if (x === 'x' || x === 'X') {
    const hex = countWhile(chars, at + 2, isHex);
    if (hex > 0) best = Math.max(best, 2 + hex);
    reach = Math.max(reach, at + 2 + hex);
  } else if (x === 'b' || x === 'B') {
    const bin = countWhile(chars, at + 2, (ch) => ch === '0' || ch === '1');
    if (bin > 0) best = Math.max(best, 2 + bin);
    reach = Math.max(reach, at + 2 + bin);
  }
  return { length: best, reach };
}

/** [eE|pP][+-]?digits; returns its length or 0, and how far it got. */
function scanExponent(chars: readonly string[], at: number, markers: string): Scan {
  if (!markers.includes(chars[at] ?? '')) return { length: 0, reach: at };
  let j = at + 1;
  if (chars[j] === '+' || chars[j] === '-') j++;
  const digits = countWhile(chars, j, isDigit);
  return { length: digits > 0 ? j + digits - at : 0, reach: j + digits };
}

function scanFloating(chars: readonly string[], at: number): Scan {
  let best = 0;
  let reach = at;
  // Decimal: digits? '.' digits | digits '.' , then an optional exponent; or digits exponent.
  const whole = countWhile(chars, at, isDigit);
  let mantissa = 0;
  if (chars[at + whole] === '.') {
    const fraction = countWhile(chars, at + whole + 1, isDigit);
    reach = at + whole + 1 + fraction;
    if (whole > 0 || fraction > 0) mantissa = whole + 1 + fraction;
  } else {
    reach = at + whole;
  }
  if (mantissa > 0) {
    const exponent = scanExponent(chars, at + mantissa, 'eE');
    best = mantissa + exponent.length;
    reach = Math.max(reach, exponent.reach);
  } else if (whole > 0) {
    const exponent = scanExponent(chars, at + whole, 'eE');
    if (exponent.length > 0) best = whole + exponent.length;
    reach = Math.max(reach, exponent.reach);
  }
  // Hexadecimal: 0x (hex? '.' hex | hex '.' | hex) binary-exponent (required).
  if (chars[at] === '0' && (chars[at + 1] === 'x' || chars[at + 1] === 'X')) {
    const start = at + 2;
    const intDigits = countWhile(chars, start, isHex);
    let end = start + intDigits;
    let ok = intDigits > 0;
    if (chars[end] === '.') {
      const fracDigits = countWhile(chars, end + 1, isHex);
      if (intDigits > 0 || fracDigits > 0) {
        ok = true;
        end = end + 1 + fracDigits;
      }
    }
    reach = Math.max(reach, end);
    if (ok) {
      const exponent = scanExponent(chars, end, 'pP');
      reach = Math.max(reach, exponent.reach);
      if (exponent.length > 0) best = Math.max(best, end + exponent.length - at);
    }
  }
  return { length: best, reach };
}

function scanIdentifier(chars: readonly string[], at: number): Scan {
  if (!isNondigit(chars[at])) return { length: 0, reach: at };
  const length = 1 + countWhile(chars, at + 1, isIdentChar);
  return { length, reach: at + length };
}

/** EncodingPrefix? quoted text, where a backslash takes any next character but CR/LF, or a line break. */
function scanString(chars: readonly string[], at: number): Scan {
  let start = at;
  if (chars[at] === 'u' && chars[at + 1] === '8') start = at + 2;
  else if (chars[at] === 'u' || chars[at] === 'U' || chars[at] === 'L') start = at + 1;
  const quoted = scanQuoted(chars, start);
  return quoted.length === 0
    ? { length: 0, reach: quoted.reach }
    : { length: start - at + quoted.length, reach: quoted.reach };
}

function scanQuoted(chars: readonly string[], at: number): Scan {
  const quote = chars[at];
  if (quote !== '"' && quote !== "'") return { length: 0, reach: at };
  let j = at + 1;
  for (;;) {
    const c = chars[j];
    if (c === undefined || c === '\r' || c === '\n') return { length: 0, reach: j };
    if (c === quote) return { length: j + 1 - at, reach: j + 1 };
    if (c === '\\') {
      const next = chars[j + 1];
      if (next === undefined) return { length: 0, reach: j + 1 };
      if (next === '\r') {
        if (chars[j + 2] !== '\n') return { length: 0, reach: j + 2 };
        j += 3;
      } else {
        j += 2;
      }
      continue;
    }
    j++;
  }
}

/** (Identifier | '$meta') ('[' (StringLiteral | DecimalConstant) ']')+ */
function scanJsonIdentifier(chars: readonly string[], at: number): Scan {
  let base = scanIdentifier(chars, at).length;
  if (base === 0) base = scanFixed(chars, at, Array.from('$meta')).length;
  if (base === 0) return { length: 0, reach: at };
  let end = at + base;
  let accepted = 0;
  let reach = end;
  while (chars[end] === '[') {
    let inner = end + 1;
    const c = chars[inner];
    if (c === '0') {
      inner += 1;
    } else if (c !== undefined && c >= '1' && c <= '9') {
      inner += 1 + countWhile(chars, inner + 1, isDigit);
    } else {
      const str = scanString(chars, inner);
      if (str.length === 0) {
        reach = Math.max(reach, str.reach);
        break;
      }
      inner += str.length;
    }
    if (chars[inner] !== ']') {
      reach = Math.max(reach, inner);
      break;
    }
    end = inner + 1;
    accepted = end - at;
    reach = end;
  }
  return { length: accepted, reach };
}

function scanEmptyArray(chars: readonly string[], at: number): Scan {
  if (chars[at] !== '[') return { length: 0, reach: at };
  const spaces = countWhile(chars, at + 1, (c) => c === ' ' || c === '\t' || c === '\r' || c === '\n');
  const close = at + 1 + spaces;
  return chars[close] === ']' ? { length: close + 1 - at, reach: close + 1 } : { length: 0, reach: close };
}

function scanWhitespace(chars: readonly string[], at: number): Scan {
  const length = countWhile(chars, at, (c) => c === ' ' || c === '\t' || c === '\r' || c === '\n');
  return { length, reach: at + length };
}

/** The longest token at `at` (ties to the earlier rule), or the furthest failure point. */
function bestTokenAt(chars: readonly string[], at: number): { best: Candidate | undefined; reach: number } {
  let best: Candidate | undefined;
  let reach = at;
  const consider = (kind: TokenKind | 'skip', scan: Scan, rulePriority: number): void => {
    reach = Math.max(reach, scan.reach);
    if (scan.length === 0) return;
    if (
      best === undefined ||
      scan.length > best.length ||
      (scan.length === best.length && rulePriority < best.priority)
    ) {
      best = { kind, length: scan.length, priority: rulePriority };
    }
  };
  for (const fixed of fixedByFirstChar.get(chars[at]!) ?? []) {
    consider(fixed.kind, scanFixed(chars, at, fixed.chars), fixed.priority);
  }
  consider('EmptyArray', scanEmptyArray(chars, at), priority.emptyArray);
  consider('IntegerConstant', scanInteger(chars, at), priority.integer);
  consider('FloatingConstant', scanFloating(chars, at), priority.floating);
  consider('Identifier', scanIdentifier(chars, at), priority.identifier);
  consider('Meta', scanFixed(chars, at, ['$', 'm', 'e', 't', 'a']), priority.meta);
  consider('StringLiteral', scanString(chars, at), priority.string);
  consider('JSONIdentifier', scanJsonIdentifier(chars, at), priority.jsonIdentifier);
  consider('skip', scanWhitespace(chars, at), priority.whitespace);
  return { best, reach };
}

export function tokenize(text: string): LexResult {
  const chars = Array.from(text);
  const tokens: Token[] = [];
  const errors: LexError[] = [];
  let at = 0;
  let line = 1;
  let column = 0;
  const advanceTo = (to: number): void => {
    for (; at < to; at++) {
      if (chars[at] === '\n') {
        line++;
        column = 0;
      } else {
        column++;
      }
    }
  };
  while (at < chars.length) {
    const { best, reach } = bestTokenAt(chars, at);
    if (best !== undefined) {
      if (best.kind !== 'skip') {
        tokens.push({
          kind: best.kind,
          text: chars.slice(at, at + best.length).join(''),
          offset: at,
          line,
          column,
        });
      }
      advanceTo(at + best.length);
      continue;
    }
    // ANTLR reports the text up to and including the failing character, then skips that character.
    const last = Math.min(reach, chars.length - 1);
    const shown = chars.slice(at, last + 1).join('');
    errors.push({
      line,
      column,
      offset: at,
      message: `token recognition error at: '${escapeWhitespace(shown)}'`,
    });
    advanceTo(Math.min(reach + 1, chars.length));
  }
  tokens.push({ kind: 'EOF', text: '<EOF>', offset: chars.length, line, column });
  return { tokens, errors };
}
