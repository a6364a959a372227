import { goQuote } from '../errors/go-format.js';

/**
 * The parts of Go's strconv that decide how Milvus reads literals, reproduced so that values and
 * error texts match: ParseInt(s, 0, 64), ParseFloat(s, 64), Unquote, and FormatFloat(v, 'g', -1).
 */
export type GoResult<T> = { ok: true; value: T } | { ok: false; message: string };

const int64Max = 2n ** 63n - 1n;

/** strconv.ParseInt(text, 0, 64) for the literal forms the lexer produces (0x.., 0b.., 0.., decimal). */
export function goParseIntBase0(text: string): GoResult<bigint> {
  let digits = text;
  let radix = 10;
  if (/^0[xX]/.test(text)) {
    digits = text.slice(2);
    radix = 16;
  } else if (/^0[bB]/.test(text)) {
    digits = text.slice(2);
    radix = 2;
  } else if (/^0[oO]/.test(text)) {
    digits = text.slice(2);
    radix = 8;
  } else if (text.length > 1 && text.startsWith('0')) {
    digits = text.slice(1);
    radix = 8;
  }
  const valid = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ }[
    radix as 2 | 8 | 10 | 16
  ];
  if (!valid.test(digits))
    return { ok: false, message: `strconv.ParseInt: parsing ${goQuote(text)}: invalid syntax` };
  const prefix = { 2: '0b', 8: '0o', 10: '', 16: '0x' }[radix as 2 | 8 | 10 | 16];
  const value = BigInt(`${prefix}${digits}`);
  if (value > int64Max)
    return { ok: false, message: `strconv.ParseInt: parsing ${goQuote(text)}: value out of range` };
  return { ok: true, value };
}

/** strconv.ParseFloat(text, 64) for decimal and hexadecimal (0x1.8p3) literals. */
export function goParseFloat(text: string): GoResult<number> {
  let value: number;
  const hex = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?[0-9]+)$/.exec(text);
  if (hex) {
    const intDigits = hex[1] ?? '';
    const fracDigits = hex[2] ?? '';
    const hexDigits = `${intDigits}${fracDigits}`;
    const mantissa = hexDigits === '' ? 0n : BigInt(`0x${hexDigits}`);
    const exponent = Number(hex[3]) - 4 * fracDigits.length;
    value = scaleByPowerOfTwo(mantissa, exponent);
  } else {
    value = Number(text);
    if (Number.isNaN(value))
      return { ok: false, message: `strconv.ParseFloat: parsing ${goQuote(text)}: invalid syntax` };
  }
  if (!Number.isFinite(value)) {
    return { ok: false, message: `strconv.ParseFloat: parsing ${goQuote(text)}: value out of range` };
  }
  return { ok: true, value };
}

function scaleByPowerOfTwo(mantissa: bigint, exponent: number): number {
  if (mantissa === 0n) return 0;
  if (exponent >= 0) {
    if (exponent > 2000) return Number.POSITIVE_INFINITY;
    return Number(mantissa << BigInt(exponent));
  }
  // Keep the division exact where possible: shift whole bits first, then scale the remainder.
  let result = Number(mantissa);
  let remaining = -exponent;
  while (remaining > 0) {
    const step = Math.min(remaining, 1000);
    result /= 2 ** step;
    remaining -= step;
  }
  return result;
}

/** Go's strconv.ErrSyntax text, which Milvus passes on for a string literal it cannot unquote. */
export const goInvalidSyntax = 'invalid syntax';

/**
 * Milvus's `convertEscapeSingle` (planparserv2/utils.go): turns a single- or double-quoted literal
 * into a double-quoted Go literal (escaping bare `"`, unescaping `\'`) and runs strconv.Unquote on it.
 * `literal` is the StringLiteral token text. An encoding prefix (u8"..") is not stripped, as in Milvus.
 */
export function convertEscapeSingle(literal: string): GoResult<string> {
  const replaceAt: number[] = [];
  let backslashes = 0;
  for (let i = 1; i < literal.length - 1; i++) {
    const c = literal[i];
    if (c === '\\') {
      backslashes++;
      continue;
    }
    if (c === '"' && backslashes % 2 === 0) replaceAt.push(i);
    if (c === "'" && backslashes % 2 !== 0) replaceAt.push(i);
    backslashes = 0;
  }
  let out = '"';
  let start = 1;
  let end = 0;
  for (const index of replaceAt) {
    end = index;
    if (literal[end] === '"') {
      out += `${literal.slice(start, end)}\\"`;
    } else {
      out += `${literal.slice(start, end - 1)}'`;
    }
    start = end + 1;
  }
  out += `${literal.slice(end + 1, literal.length - 1)}"`;
  return goUnquote(out);
}

/**
 * Milvus (2.6+) lets a LIKE pattern keep `\%` and `\_` through convertEscapeSingle by doubling the
 * escaping backslash first, so the pattern matcher sees an escaped wildcard.
 */
export function protectLikeWildcardEscapes(literal: string): string {
  let out = '';
  let backslashes = 0;
  for (const c of literal) {
    if (c === '\\') {
      backslashes++;
      out += c;
      continue;
    }
    if ((c === '%' || c === '_') && backslashes % 2 === 1) out += '\\';
    backslashes = 0;
    out += c;
  }
  return out;
}

const simpleEscapes: Readonly<Record<string, number>> = {
  a: 7,
  b: 8,
  f: 12,
  n: 10,
  r: 13,
  t: 9,
  v: 11,
  '\\': 92,
  '"': 34,
};

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8');

/**
 * strconv.Unquote of a double-quoted Go string literal. Escapes: \a \b \f \n \r \t \v \\ \",
 * \xHH (a raw byte), \NNN (three octal digits, a raw byte ≤ 255), \uHHHH and \UHHHHHHHH (a valid
 * code point). Anything else, a raw newline, or a stray quote is "invalid syntax". Raw bytes that do
 * not form UTF-8 decode to U+FFFD (a JS string cannot hold them).
 */
export function goUnquote(quoted: string): GoResult<string> {
  const fail: GoResult<string> = { ok: false, message: goInvalidSyntax };
  if (quoted.length < 2 || !quoted.startsWith('"') || !quoted.endsWith('"')) return fail;
  const body = quoted.slice(1, -1);
  if (!body.includes('\\')) {
    return body.includes('"') || body.includes('\n') ? fail : { ok: true, value: body };
  }
  const bytes: number[] = [];
  const chars = Array.from(body);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '"' || c === '\n') return fail;
    if (c !== '\\') {
      bytes.push(...utf8.encode(c));
      continue;
    }
    const e = chars[i + 1];
    if (e === undefined) return fail;
    i++;
    const simple = simpleEscapes[e];
    if (simple !== undefined) {
      bytes.push(simple);
      continue;
    }
    if (e === 'x' || e === 'u' || e === 'U') {
      const width = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = chars.slice(i + 1, i + 1 + width).join('');
      if (hex.length !== width || !/^[0-9a-fA-F]+$/.test(hex)) return fail;
      i += width;
      const code = Number.parseInt(hex, 16);
      if (e === 'x') {
        bytes.push(code);
      } else {
        if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return fail;
        bytes.push(...utf8.encode(String.fromCodePoint(code)));
      }
      continue;
    }
    if (e >= '0' && e <= '7') {
      const octal = chars.slice(i, i + 3).join('');
      if (!/^[0-7]{3}$/.test(octal)) return fail;
      const code = Number.parseInt(octal, 8);
      if (code > 255) return fail;
      i += 2;
      bytes.push(code);
      continue;
    }
    return fail;
  }
  return { ok: true, value: utf8Decoder.decode(Uint8Array.from(bytes)) };
}

/**
 * strconv.FormatFloat(v, 'g', -1, 64), the form Go's %v and protobuf text use for doubles: the
 * shortest round-trip digits, in exponent form when the decimal exponent is < -4 or >= 6 (Go uses
 * precision 6 for that decision when the precision is "shortest"): 123456, 1e+06, 1.5e-07, 0.0001.
 */
export function goFormatFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const sign = value < 0 ? '-' : '';
  const [mantissa, exponentText] = Math.abs(value).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const exponentSign = exponent < 0 ? '-' : '+';
    return `${sign}${digits[0]}${fraction}e${exponentSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (exponent >= 0) {
    const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
    const fraction = digits.slice(exponent + 1);
    return `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
  }
  return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
}
