import type { MatchOp } from '../../expr/index.js';

/**
 * A LIKE test compiled once per filter: the cheap classes (equal, prefix, suffix, infix) are string
 * operations; a full pattern runs on UTF-8 bytes, as segcore's regex does (`_` is one byte, `%` any
 * run, a backslash makes the next byte literal, a dangling final backslash is a literal one). Each
 * text is encoded into one reused buffer (ASCII copied directly), so matching does not allocate.
 */
export function likeMatcher(op: MatchOp, operand: string): (text: string) => boolean {
  switch (op) {
    case 'equal':
      return (text) => text === operand;
    case 'prefix':
      return (text) => text.startsWith(operand);
    case 'suffix':
      return (text) => text.endsWith(operand);
    case 'infix':
      return (text) => text.includes(operand);
    case 'pattern':
      return patternMatcher(operand);
  }
}

const ANY = -2;
const ONE = -1;

function patternMatcher(pattern: string): (text: string) => boolean {
  const bytes = new TextEncoder().encode(pattern);
  const pieces: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte === 0x5c && i + 1 < bytes.length) pieces.push(bytes[++i]!);
    else if (byte === 0x25) pieces.push(ANY);
    else if (byte === 0x5f) pieces.push(ONE);
    else pieces.push(byte);
  }
  const compiled = Int16Array.from(pieces);
  const encoder = new TextEncoder();
  let buffer = new Uint8Array(64);
  return (text) => {
    if (buffer.length < text.length * 3) buffer = new Uint8Array(text.length * 3);
    let length = 0;
    let ascii = true;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 0x80) {
        ascii = false;
        break;
      }
      buffer[i] = code;
    }
    length = ascii ? text.length : encoder.encodeInto(text, buffer).written;
    return matchBytes(compiled, buffer, length);
  };
}

/** Wildcard matching with backtracking to the last `%`: linear in practice, no recursion. */
function matchBytes(pieces: Int16Array, subject: Uint8Array, length: number): boolean {
  let p = 0;
  let s = 0;
  let starP = -1;
  let starS = 0;
  while (s < length) {
    const piece = p < pieces.length ? pieces[p]! : undefined;
    if (piece !== undefined && (piece === ONE || piece === subject[s])) {
      p++;
      s++;
    } else if (piece === ANY) {
      starP = p++;
      starS = s;
    } else if (starP >= 0) {
      p = starP + 1;
      s = ++starS;
    } else {
      return false;
    }
  }
  while (p < pieces.length && pieces[p] === ANY) p++;
  return p === pieces.length;
}
