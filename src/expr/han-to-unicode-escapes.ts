/**
 * Milvus's `convertHanToASCII` (planparserv2/utils.go), applied to the whole expression before
 * lexing: every Han character becomes a `\uXXXX` escape so that the ASCII-only lexer accepts it
 * inside string literals. Reproduced with its quirks because they decide error positions and what
 * the lexer sees:
 * - if any backslash is followed by a character other than \ n t r f " ' the text is returned
 *   unchanged (no conversion at all);
 * - only the low 16 bits of the code point are written, as Milvus's formatUnicode does;
 * - Han characters outside strings therefore reach the lexer as `\u....` and fail there.
 */
const escapeFollowers = new Set(['\\', 'n', 't', 'r', 'f', '"', "'"]);
const hanPattern = /\p{Script=Han}/u;

export function hanToUnicodeEscapes(text: string): string {
  if (!hanPattern.test(text)) return text;
  let out = '';
  let skipNext = false;
  const chars = Array.from(text);
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i]!;
    if (skipNext) {
      out += char;
      skipNext = false;
      continue;
    }
    if (char === '\\') {
      const next = chars[i + 1];
      // Go compares the next *byte*; a multi-byte character never matches the ASCII set.
      if (next !== undefined && !escapeFollowers.has(next)) return text;
      skipNext = true;
      out += char;
      continue;
    }
    if (hanPattern.test(char)) {
      const low16 = (char.codePointAt(0) ?? 0) & 0xffff;
      out += `\\u${low16.toString(16).padStart(4, '0')}`;
    } else {
      out += char;
    }
  }
  return out;
}

/** Milvus's `decodeUnicode`: turns `\uXXXX` sequences in identifiers back into characters. */
export function decodeUnicodeEscapes(identifier: string): string {
  return identifier.replace(/\\u[0-9a-fA-F]{4}/g, (match) => {
    const code = Number.parseInt(match.slice(2), 16);
    // Go's string(rune(surrogate)) is the replacement character.
    return code >= 0xd800 && code <= 0xdfff ? '\ufffd' : String.fromCharCode(code);
  });
}
