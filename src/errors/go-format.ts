/**
 * The few pieces of Go's formatting that appear inside Milvus's error texts, so Quiver's messages
 * match byte for byte: `%v` of simple values, `strconv.Quote`, and the errors of
 * `strconv.ParseInt(s, 10, 64)` / `strconv.ParseBool`.
 */

/** Go's `%v` for the values Milvus puts in messages: slices print as `[a b c]`. */
export function goValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(goValue).join(' ')}]`;
  return String(value);
}

const quoteEscapes: Readonly<Record<string, string>> = {
  '\u0007': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\\': '\\\\',
  '"': '\\"',
};

/**
 * Go's strconv.Quote for ASCII input: escapes quotes, backslashes and control characters. Non-ASCII
 * code points are kept as they are (Go keeps printable ones; unprintable ones are rare enough in
 * a type parameter that the difference is accepted).
 */
export function goQuote(text: string): string {
  let quoted = '"';
  for (const char of text) {
    const escaped = quoteEscapes[char];
    if (escaped !== undefined) {
      quoted += escaped;
      continue;
    }
    const codePoint = char.codePointAt(0) ?? 0;
    quoted += codePoint < 0x20 || codePoint === 0x7f ? `\\x${codePoint.toString(16).padStart(2, '0')}` : char;
  }
  return `${quoted}"`;
}

export type GoParseIntResult = { ok: true; value: bigint } | { ok: false; message: string };

const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;

/**
 * strconv.ParseInt(text, 10, 64): an optional sign then decimal digits, nothing else (no spaces,
 * no underscores since the base is explicit). On failure returns Go's error text, which Milvus
 * passes to clients unchanged.
 */
export function goParseInt64(text: string): GoParseIntResult {
  if (!/^[+-]?[0-9]+$/.test(text)) {
    return { ok: false, message: `strconv.ParseInt: parsing ${goQuote(text)}: invalid syntax` };
  }
  const value = BigInt(text);
  if (value < int64Min || value > int64Max) {
    return { ok: false, message: `strconv.ParseInt: parsing ${goQuote(text)}: value out of range` };
  }
  return { ok: true, value };
}

/** strconv.ParseBool; undefined where Go returns an error. */
export function goParseBool(text: string): boolean | undefined {
  switch (text) {
    case '1':
    case 't':
    case 'T':
    case 'TRUE':
    case 'true':
    case 'True':
      return true;
    case '0':
    case 'f':
    case 'F':
    case 'FALSE':
    case 'false':
    case 'False':
      return false;
    default:
      return undefined;
  }
}
