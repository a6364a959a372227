import type { MatchOp } from './ir.js';

/**
 * LIKE patterns as Milvus reads them (planparserv2/pattern_match.go and segcore's RegexQuery):
 * `%` matches any run of bytes, `_` exactly one byte, and a backslash makes the next character
 * literal (`\%`, `\_`, `\\`). A pattern whose only wildcards are leading and/or trailing `%` is
 * lowered to a cheaper operation; anything else stays a full pattern match.
 *
 *   "abc"    → equal "abc"        "abc%" → prefix "abc"     "%abc" → suffix "abc"
 *   "%abc%"  → infix "abc"        "%"    → prefix ""        "a_c", "a%c", "a\" (dangling) → pattern
 */
interface LikeToken {
  char: string;
  wildcard: boolean;
}

function scanLikePattern(pattern: string): LikeToken[] | undefined {
  const tokens: LikeToken[] = [];
  let escaped = false;
  for (const char of pattern) {
    if (escaped) {
      tokens.push({ char, wildcard: false });
      escaped = false;
    } else if (char === '\\') {
      escaped = true;
    } else {
      tokens.push({ char, wildcard: char === '%' || char === '_' });
    }
  }
  return escaped ? undefined : tokens;
}

export function classifyLikePattern(pattern: string): { op: MatchOp; operand: string } {
  const tokens = scanLikePattern(pattern);
  if (tokens === undefined) return { op: 'pattern', operand: pattern };
  if (tokens.length === 0) return { op: 'equal', operand: '' };
  let leading = 0;
  while (leading < tokens.length && tokens[leading]!.wildcard && tokens[leading]!.char === '%') leading++;
  if (leading === tokens.length) return { op: 'prefix', operand: '' };
  let trailing = 0;
  while (
    trailing < tokens.length - leading &&
    tokens[tokens.length - 1 - trailing]!.wildcard &&
    tokens[tokens.length - 1 - trailing]!.char === '%'
  ) {
    trailing++;
  }
  const core = tokens.slice(leading, tokens.length - trailing);
  if (core.some((token) => token.wildcard)) return { op: 'pattern', operand: pattern };
  const operand = core.map((token) => token.char).join('');
  if (leading > 0 && trailing > 0) return { op: 'infix', operand };
  if (leading > 0) return { op: 'suffix', operand };
  if (trailing > 0) return { op: 'prefix', operand };
  return { op: 'equal', operand };
}

const utf8 = new TextEncoder();

/**
 * Whole-string match of a LIKE pattern on UTF-8 bytes, as segcore's regex does (`_` is one byte).
 * A dangling final backslash matches a literal backslash.
 */
export function likePatternMatches(pattern: string, text: string): boolean {
  const pieces: { byte: number; kind: 'literal' | 'one' | 'any' }[] = [];
  const patternBytes = utf8.encode(pattern);
  for (let i = 0; i < patternBytes.length; i++) {
    const byte = patternBytes[i]!;
    if (byte === 0x5c && i + 1 < patternBytes.length) {
      pieces.push({ byte: patternBytes[++i]!, kind: 'literal' });
    } else if (byte === 0x25) {
      pieces.push({ byte, kind: 'any' });
    } else if (byte === 0x5f) {
      pieces.push({ byte, kind: 'one' });
    } else {
      pieces.push({ byte, kind: 'literal' });
    }
  }
  const subject = utf8.encode(text);
  // Iterative wildcard matching with backtracking to the last '%': linear in practice, no recursion.
  let p = 0;
  let s = 0;
  let starP = -1;
  let starS = 0;
  while (s < subject.length) {
    const piece = pieces[p];
    if (
      piece !== undefined &&
      (piece.kind === 'one' || (piece.kind === 'literal' && piece.byte === subject[s]))
    ) {
      p++;
      s++;
    } else if (piece !== undefined && piece.kind === 'any') {
      starP = p++;
      starS = s;
    } else if (starP >= 0) {
      p = starP + 1;
      s = ++starS;
    } else {
      return false;
    }
  }
  while (pieces[p]?.kind === 'any') p++;
  return p === pieces.length;
}
