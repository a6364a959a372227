/**
 * A small JSON reader that keeps each number's source text, because Milvus decodes template JSON
 * with json.Decoder.UseNumber and then reads `1` as an int64 but `1.0` or `1e3` as a double, a
 * distinction JSON.parse loses. Errors carry Go's encoding/json texts for the common cases.
 */
export type JsonNode =
  | { type: 'null' }
  | { type: 'bool'; value: boolean }
  | { type: 'number'; text: string }
  | { type: 'string'; value: string }
  | { type: 'array'; items: JsonNode[] }
  | { type: 'object'; entries: [string, JsonNode][] };

export type JsonParseResult = { ok: true; node: JsonNode } | { ok: false; message: string };

class JsonSyntaxError extends Error {}

export function parseJsonText(text: string): JsonParseResult {
  const reader = new Reader(text);
  try {
    reader.skipSpace();
    const node = reader.value('beginning of value');
    reader.skipSpace();
    if (reader.position < text.length) reader.fail('after top-level value');
    return { ok: true, node };
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { ok: false, message: error.message };
    throw error;
  }
}

class Reader {
  position = 0;

  constructor(private readonly text: string) {}

  skipSpace(): void {
    while (/[ \t\n\r]/.test(this.text[this.position] ?? '')) this.position++;
  }

  fail(where: string): never {
    const c = this.text[this.position];
    if (c === undefined) throw new JsonSyntaxError('unexpected end of JSON input');
    throw new JsonSyntaxError(`invalid character ${goCharQuote(c)} ${where}`);
  }

  value(where: string): JsonNode {
    const c = this.text[this.position];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return { type: 'string', value: this.string() };
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    for (const [word, node] of [
      ['true', { type: 'bool', value: true }],
      ['false', { type: 'bool', value: false }],
      ['null', { type: 'null' }],
    ] as const) {
      if (c === word[0]) {
        for (let i = 0; i < word.length; i++) {
          if (this.text[this.position] !== word[i])
            this.fail(`in literal ${word} (expecting ${goCharQuote(word[i]!)})`);
          this.position++;
        }
        return node;
      }
    }
    return this.fail(`looking for ${where}`);
  }

  private number(): JsonNode {
    const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.text.slice(this.position));
    if (match === null || match[0] === '-') {
      this.position++;
      return this.fail('in numeric literal');
    }
    this.position += match[0].length;
    return { type: 'number', text: match[0] };
  }

  private string(): string {
    const start = this.position;
    this.position++;
    for (;;) {
      const c = this.text[this.position];
      if (c === undefined) return this.fail('in string literal');
      if (c === '"') break;
      if (c < ' ') this.fail('in string literal');
      if (c === '\\') this.position++;
      this.position++;
    }
    this.position++;
    try {
      return JSON.parse(this.text.slice(start, this.position)) as string;
    } catch {
      this.position = start;
      return this.fail('in string escape code');
    }
  }

  private array(): JsonNode {
    this.position++;
    const items: JsonNode[] = [];
    this.skipSpace();
    if (this.text[this.position] === ']') {
      this.position++;
      return { type: 'array', items };
    }
    for (;;) {
      this.skipSpace();
      items.push(this.value('beginning of value'));
      this.skipSpace();
      const c = this.text[this.position];
      this.position++;
      if (c === ']') return { type: 'array', items };
      if (c !== ',') {
        this.position--;
        this.fail('after array element');
      }
    }
  }

  private object(): JsonNode {
    this.position++;
    const entries: [string, JsonNode][] = [];
    this.skipSpace();
    if (this.text[this.position] === '}') {
      this.position++;
      return { type: 'object', entries };
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.position] !== '"') this.fail('looking for beginning of object key string');
      const key = this.string();
      this.skipSpace();
      if (this.text[this.position] !== ':') this.fail('after object key');
      this.position++;
      this.skipSpace();
      entries.push([key, this.value('beginning of value')]);
      this.skipSpace();
      const c = this.text[this.position];
      this.position++;
      if (c === '}') return { type: 'object', entries };
      if (c !== ',') {
        this.position--;
        this.fail('after object key:value pair');
      }
    }
  }
}

/** Go's quoteChar in encoding/json errors: 'x', with ' and " escaped. */
function goCharQuote(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return "'\"'";
  return `'${c}'`;
}
