/**
 * The error text Go's encoding/json gives when a document does not unmarshal, so JSON problems in
 * an Insert are reported with the wording Milvus's proxy reports them with (it returns the
 * json.Unmarshal error verbatim inside its own message).
 *
 * The scanner follows encoding/json's scanner.go state by state, on bytes, because its messages
 * name the offending byte and the state it broke ("invalid character 'x' after object key").
 * Milvus 2.5+ links bytedance/sonic behind the same API; sonic words syntax errors differently,
 * so for malformed documents the text is encoding/json's, not necessarily the running server's.
 */

/** What the document is decoded into: `any` (interface{}) or `object` (map[string]interface{}). */
export type GoJsonTarget = 'any' | 'object';

/** Go's json.Unmarshal error for `bytes`, or undefined when Go would accept the document. */
export function goJsonError(bytes: Uint8Array, target: GoJsonTarget): string | undefined {
  const syntax = scanDocument(bytes);
  if (syntax !== undefined) return syntax;
  if (target === 'any') return undefined;
  const kind = topLevelKind(bytes);
  // Unmarshalling null into a map leaves the map untouched: Go accepts it.
  if (kind === 'object' || kind === 'null') return undefined;
  return `json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`;
}

class SyntaxFailure {
  constructor(readonly message: string) {}
}

const unexpectedEnd = 'unexpected end of JSON input';

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

/** encoding/json quoteChar: the byte as a Go character literal. */
function quoteChar(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c === 0x22) return `'"'`;
  const escapes: Readonly<Record<number, string>> = {
    7: '\\a',
    8: '\\b',
    12: '\\f',
    10: '\\n',
    13: '\\r',
    9: '\\t',
    11: '\\v',
    92: '\\\\',
  };
  const escaped = escapes[c];
  if (escaped !== undefined) return `'${escaped}'`;
  if (c < 0x20 || c === 0x7f) return `'\\x${c.toString(16).padStart(2, '0')}'`;
  // Go widens the byte to a Latin-1 rune; the C1 controls, NBSP and the soft hyphen are not printable.
  if ((c >= 0x80 && c <= 0xa0) || c === 0xad) return `'\\u00${c.toString(16).padStart(2, '0')}'`;
  return `'${String.fromCharCode(c)}'`;
}

function fail(c: number, context: string): never {
  throw new SyntaxFailure(`invalid character ${quoteChar(c)} ${context}`);
}

/** A recursive walk that raises the error Go's scanner raises at the same byte. */
class Scanner {
  private pos = 0;

  constructor(private readonly bytes: Uint8Array) {}

  run(): void {
    this.skipSpace();
    if (this.atEnd()) throw new SyntaxFailure(unexpectedEnd);
    this.value();
    this.skipSpace();
    if (!this.atEnd()) fail(this.peek(), 'after top-level value');
  }

  private atEnd(): boolean {
    return this.pos >= this.bytes.length;
  }

  private peek(): number {
    return this.bytes[this.pos] ?? 0;
  }

  private skipSpace(): void {
    while (!this.atEnd() && isSpace(this.peek())) this.pos++;
  }

  /** Next byte, or end of input; Go feeds a space to the scanner at end of input. */
  private next(): number | undefined {
    return this.atEnd() ? undefined : this.bytes[this.pos];
  }

  private requireMore(): void {
    if (this.atEnd()) throw new SyntaxFailure(unexpectedEnd);
  }

  private value(): void {
    const c = this.peek();
    if (c === 0x7b) this.object();
    else if (c === 0x5b) this.array();
    else if (c === 0x22) this.string();
    else if (c === 0x2d || isDigit(c)) this.number();
    else if (c === 0x74) this.literal('true');
    else if (c === 0x66) this.literal('false');
    else if (c === 0x6e) this.literal('null');
    else fail(c, 'looking for beginning of value');
  }

  private object(): void {
    this.pos++;
    this.skipSpace();
    this.requireMore();
    if (this.peek() === 0x7d) {
      this.pos++;
      return;
    }
    for (;;) {
      if (this.peek() !== 0x22) fail(this.peek(), 'looking for beginning of object key string');
      this.string();
      this.skipSpace();
      this.requireMore();
      if (this.peek() !== 0x3a) fail(this.peek(), 'after object key');
      this.pos++;
      this.skipSpace();
      this.requireMore();
      this.value();
      this.skipSpace();
      this.requireMore();
      const c = this.peek();
      if (c === 0x7d) {
        this.pos++;
        return;
      }
      if (c !== 0x2c) fail(c, 'after object key:value pair');
      this.pos++;
      this.skipSpace();
      this.requireMore();
    }
  }

  private array(): void {
    this.pos++;
    this.skipSpace();
    this.requireMore();
    if (this.peek() === 0x5d) {
      this.pos++;
      return;
    }
    for (;;) {
      this.value();
      this.skipSpace();
      this.requireMore();
      const c = this.peek();
      if (c === 0x5d) {
        this.pos++;
        return;
      }
      if (c !== 0x2c) fail(c, 'after array element');
      this.pos++;
      this.skipSpace();
      this.requireMore();
    }
  }

  private string(): void {
    this.pos++;
    for (;;) {
      this.requireMore();
      const c = this.peek();
      this.pos++;
      if (c === 0x22) return;
      if (c < 0x20) fail(c, 'in string literal');
      if (c !== 0x5c) continue;
      this.requireMore();
      const escaped = this.peek();
      this.pos++;
      if (escaped === 0x75) {
        for (let i = 0; i < 4; i++) {
          this.requireMore();
          const h = this.peek();
          if (!isHex(h)) fail(h, 'in \\u hexadecimal character escape');
          this.pos++;
        }
      } else if (!'"\\/bfnrt'.includes(String.fromCharCode(escaped))) {
        fail(escaped, 'in string escape code');
      }
    }
  }

  private number(): void {
    if (this.peek() === 0x2d) {
      this.pos++;
      const c = this.next() ?? 0x20;
      if (!isDigit(c)) fail(c, 'in numeric literal');
    }
    if (this.peek() === 0x30) {
      this.pos++;
    } else {
      while (isDigit(this.next() ?? 0x20)) this.pos++;
    }
    if (this.next() === 0x2e) {
      this.pos++;
      const c = this.next() ?? 0x20;
      if (!isDigit(c)) fail(c, 'after decimal point in numeric literal');
      while (isDigit(this.next() ?? 0x20)) this.pos++;
    }
    const e = this.next();
    if (e === 0x65 || e === 0x45) {
      this.pos++;
      const sign = this.next();
      if (sign === 0x2b || sign === 0x2d) this.pos++;
      const c = this.next() ?? 0x20;
      if (!isDigit(c)) fail(c, 'in exponent of numeric literal');
      while (isDigit(this.next() ?? 0x20)) this.pos++;
    }
  }

  private literal(word: string): void {
    this.pos++;
    for (let i = 1; i < word.length; i++) {
      const expected = word.charCodeAt(i);
      const c = this.next() ?? 0x20;
      if (c !== expected) fail(c, `in literal ${word} (expecting '${word[i]}')`);
      this.pos++;
    }
  }
}

function scanDocument(bytes: Uint8Array): string | undefined {
  try {
    new Scanner(bytes).run();
    return undefined;
  } catch (error) {
    if (error instanceof SyntaxFailure) return error.message;
    throw error;
  }
}

type TopLevelKind = 'object' | 'array' | 'string' | 'number' | 'bool' | 'null';

/** The kind of a syntactically valid document, named as Go's UnmarshalTypeError names it. */
function topLevelKind(bytes: Uint8Array): TopLevelKind {
  let i = 0;
  while (i < bytes.length && isSpace(bytes[i] ?? 0)) i++;
  const c = bytes[i];
  if (c === 0x7b) return 'object';
  if (c === 0x5b) return 'array';
  if (c === 0x22) return 'string';
  if (c === 0x74 || c === 0x66) return 'bool';
  if (c === 0x6e) return 'null';
  return 'number';
}
