import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileFilter, evaluateRow, type TemplateValues } from '../../expr/index.js';
import type { ScalarIndex } from '../scalar-index/scalar-index.js';
import { evaluateFilter } from './evaluate-filter.js';
import {
  fields,
  indexChoice,
  makeRows,
  makeSegments,
  type PlainRow,
  schema,
} from './filter-test-fixtures.js';
import { cellValue } from './row-object.js';

/**
 * The evaluator's corpus: each filter comes with its expected meaning written directly in
 * JavaScript over the plain rows of filter-test-fixtures.ts (2,000 seeded random rows in three
 * segments), following Milvus's documented semantics. Nothing here calls the expr/ interpreter or
 * the engine to compute an expectation: the reference below is a separate, deliberately plain
 * implementation. Every row's bit is compared.
 *
 * Milvus's rules encoded by the reference (segcore, expression docs):
 * - Every predicate yields (value, valid). A predicate on a null field is (false, invalid);
 *   `and`/`or` combine values and OR validity; `not` gives (!value && valid, valid). So
 *   `not (n > 1)` is false on a null n, but `not (n > 1 or i8 == 0)` can be true there.
 * - Numbers compare exactly (int64 included); Float fields compare in float32 (the constant is
 *   rounded to float32); integer constants on Float/Double fields are cast to double first.
 * - Strings order by UTF-8 bytes. LIKE: `%` any bytes, `_` one byte, backslash escapes.
 * - JSON values compare by their runtime kind: numbers numerically (int or double), strings,
 *   booleans; arrays only equal or not. A missing key or a kind mismatch is false for every
 *   operator except `!=`, which is true. `is null` on a JSON path is `not exists`.
 * - An Array element past the end is false for every operator (`!=` included).
 * - Integer arithmetic is int64 (wrapping, truncating division), Float arithmetic is float32.
 */
type Out = { v: boolean; ok: boolean };
type Row = PlainRow;
type Ref = (row: Row) => Out;
type Op = '==' | '!=' | '<' | '<=' | '>' | '>=';

interface Case {
  filter: string;
  ref: Ref;
  templates?: TemplateValues;
}

const T = (v: boolean): Out => ({ v, ok: true });
const NUL: Out = { v: false, ok: false };
const and =
  (...refs: Ref[]): Ref =>
  (r) => {
    const outs = refs.map((ref) => ref(r));
    return { v: outs.every((o) => o.v), ok: outs.some((o) => o.ok) };
  };
const or =
  (...refs: Ref[]): Ref =>
  (r) => {
    const outs = refs.map((ref) => ref(r));
    return { v: outs.some((o) => o.v), ok: outs.some((o) => o.ok) };
  };
const not =
  (ref: Ref): Ref =>
  (r) => {
    const o = ref(r);
    return { v: o.ok && !o.v, ok: o.ok };
  };
const always =
  (v: boolean): Ref =>
  () =>
    T(v);

const ABSENT = Symbol('absent');

/** A JSON pointer walk: array indexes are canonical decimals, object keys are own keys. */
function walk(root: unknown, keys: readonly (string | number)[]): unknown {
  let current = root;
  for (const key of keys) {
    const text = String(key);
    if (Array.isArray(current)) {
      if (!/^(0|[1-9][0-9]*)$/.test(text) || Number(text) >= current.length) return ABSENT;
      current = current[Number(text)];
    } else if (current !== null && typeof current === 'object' && Object.hasOwn(current, text)) {
      current = (current as Record<string, unknown>)[text];
    } else {
      return ABSENT;
    }
  }
  return current;
}

/** A predicate on a whole scalar or array field. */
const on =
  (field: string, test: (value: never) => boolean): Ref =>
  (r) =>
    r[field] === null ? NUL : T(test(r[field] as never));

/** A predicate on a JSON path; `whenAbsent` is the result for a missing key (true only for `!=`). */
const onJson =
  (
    field: string,
    keys: readonly (string | number)[],
    test: (value: unknown) => boolean,
    whenAbsent = false,
  ): Ref =>
  (r) => {
    if (r[field] === null) return NUL;
    const value = walk(r[field], keys);
    return T(value === ABSENT ? whenAbsent : test(value));
  };

/** A predicate on an Array field's element `index`; past the end is false. */
const onElement =
  (field: string, index: number, test: (value: never) => boolean): Ref =>
  (r) => {
    const array = r[field] as unknown[] | null;
    if (array === null) return NUL;
    return T(index < array.length ? test(array[index] as never) : false);
  };

const meta = (key: string, ...rest: (string | number)[]): readonly (string | number)[] => [key, ...rest];

function numOp(x: number | bigint, op: Op, c: number | bigint): boolean {
  if (Number.isNaN(x) || Number.isNaN(c)) return false;
  switch (op) {
    case '==':
      return !(x < c) && !(x > c);
    case '!=':
      return x < c || x > c;
    case '<':
      return x < c;
    case '<=':
      return !(x > c);
    case '>':
      return x > c;
    case '>=':
      return !(x < c);
  }
}

const utf8Order = (a: string, b: string): number =>
  Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

function orderOp(order: number, op: Op): boolean {
  switch (op) {
    case '==':
      return order === 0;
    case '!=':
      return order !== 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
  }
}

const strOp = (x: string, op: Op, c: string): boolean => orderOp(utf8Order(x, c), op);

/** JSON equality with a constant (numbers by value, arrays element-wise). */
function jsonEq(v: unknown, c: unknown): boolean {
  if (Array.isArray(c))
    return Array.isArray(v) && v.length === c.length && v.every((x, i) => jsonEq(x, c[i]));
  if (typeof c === 'number' || typeof c === 'bigint') {
    return (typeof v === 'number' || typeof v === 'bigint') && numOp(v, '==', c);
  }
  return v === c;
}

/** A JSON value against a constant by the constant's kind; a mismatch is true only for `!=`. */
function jsonOp(v: unknown, op: Op, c: unknown): boolean {
  if (typeof c === 'number' || typeof c === 'bigint') {
    return typeof v === 'number' ? numOp(v, op, c) : op === '!=';
  }
  if (typeof c === 'string') return typeof v === 'string' ? strOp(v, op, c) : op === '!=';
  if (typeof c === 'boolean')
    return typeof v === 'boolean' ? orderOp(Number(v) - Number(c), op) : op === '!=';
  if (Array.isArray(c)) {
    if (!Array.isArray(v)) return op === '!=';
    if (op === '==') return jsonEq(v, c);
    if (op === '!=') return !jsonEq(v, c);
    return false;
  }
  throw new Error('bad constant');
}

/** LIKE over UTF-8 bytes via a regular expression on the bytes as latin1 characters. */
function like(pattern: string, text: string): boolean {
  const bytes = Buffer.from(pattern, 'utf8');
  let source = '^';
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte === 0x5c && i + 1 < bytes.length) source += escapeByte(bytes[++i]!);
    else if (byte === 0x25) source += '[\\s\\S]*';
    else if (byte === 0x5f) source += '[\\s\\S]';
    else source += escapeByte(byte);
  }
  return new RegExp(`${source}$`).test(Buffer.from(text, 'utf8').toString('latin1'));
}

const escapeByte = (byte: number): string => `\\x${byte.toString(16).padStart(2, '0')}`;

const tokens = (text: string): string[] => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

function textMatch(text: string, query: string, minimum = 1): boolean {
  const have = new Set(tokens(text));
  const hits = new Set(tokens(query).filter((token) => have.has(token))).size;
  return hits > 0 && hits >= minimum;
}

/** The phrase's tokens in order at positions p1 < ... < pk with (pk - p1) - (k - 1) ≤ slop. */
function phraseMatch(text: string, query: string, slop = 0): boolean {
  const words = tokens(text);
  const phrase = tokens(query);
  if (phrase.length === 0) return false;
  const search = (start: number, index: number, gaps: number): boolean => {
    if (index === phrase.length) return true;
    for (let position = start; position < words.length; position++) {
      const extra = gaps + (index === 0 ? 0 : position - start);
      if (index > 0 && extra > slop) break;
      if (words[position] === phrase[index] && search(position + 1, index + 1, index === 0 ? 0 : extra))
        return true;
      if (index === 0) continue;
    }
    return false;
  };
  return search(0, 0, 0);
}

const f32 = Math.fround;
const int64 = (x: bigint): bigint => BigInt.asIntN(64, x);

const corpus: Case[] = [];
const q = (filter: string, ref: Ref, templates?: TemplateValues): void => {
  corpus.push({ filter, ref, ...(templates ? { templates } : {}) });
};
const ops: Op[] = ['==', '!=', '<', '<=', '>', '>='];

// ---- Numeric comparisons on every numeric field, every operator, constants on either side. ----
const integerConstants: Record<string, string[]> = {
  i8: ['0', '-10', '127'],
  i16: ['-300', '17'],
  i32: ['0', '-2147483648'],
  i64: ['0', '9007199254740993', '-9223372036854775808'],
  ni32: ['0', '-5'],
  ni64: ['-3', '9223372036854775807'],
};
for (const [field, constants] of Object.entries(integerConstants)) {
  for (const text of constants) {
    for (const op of ops)
      q(
        `${field} ${op} ${text}`,
        on(field, (x: number | bigint) => numOp(x, op, BigInt(text))),
      );
  }
}
const floatConstants: Record<string, string[]> = {
  f: ['0.1', '2.5', '-1', '100'],
  d: ['0.3', '9007199254740993', '1e-300', '-7'],
  nf: ['0.5'],
  nd: ['0.1'],
};
for (const [field, constants] of Object.entries(floatConstants)) {
  const round = field.endsWith('f') ? f32 : (x: number): number => x;
  for (const text of constants) {
    for (const op of ops)
      q(
        `${field} ${op} ${text}`,
        on(field, (x: number) => numOp(x, op, round(Number(text)))),
      );
  }
}
const mirrored: Record<Op, Op> = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
for (const op of ops) {
  q(
    `5 ${op} i32`,
    on('i32', (x: number) => numOp(x, mirrored[op], 5)),
  );
  q(
    `0.5 ${op} f`,
    on('f', (x: number) => numOp(x, mirrored[op], 0.5)),
  );
}
q(
  'i64 == 0x7FFFFFFFFFFFFFFF',
  on('i64', (x: bigint) => x === 2n ** 63n - 1n),
);
q(
  'i64 > 4 * 1000',
  on('i64', (x: bigint) => x > 4000n),
);
q(
  'i64 >= 9007199254740992 + 1',
  on('i64', (x: bigint) => x >= 2n ** 53n + 1n),
);
q(
  'd == 0.1 + 0.2',
  on('d', (x: number) => x === 0.1 + 0.2),
);
q(
  'f == 1 / 3.0',
  on('f', (x: number) => x === f32(1 / 3)),
);
q(
  'i8 == -128',
  on('i8', (x: number) => x === -128),
);
q(
  'i16 != -32768',
  on('i16', (x: number) => x !== -32768),
);
q(
  'i32 <= -2147483648',
  on('i32', (x: number) => x <= -(2 ** 31)),
);
q(
  'd > 9007199254740992',
  on('d', (x: number) => x > 2 ** 53),
);
q(
  'pk == "k17"',
  on('pk', (x: string) => x === 'k17'),
);

// ---- Ranges, forward and reverse. ----
q(
  '-5 < i8 < 5',
  on('i8', (x: number) => x > -5 && x < 5),
);
q(
  '-5 <= i8 <= 5',
  on('i8', (x: number) => x >= -5 && x <= 5),
);
q(
  '5 > i8 >= -5',
  on('i8', (x: number) => x >= -5 && x < 5),
);
q(
  '-100 <= i16 < 100',
  on('i16', (x: number) => x >= -100 && x < 100),
);
q(
  '0 < i32 <= 2147483647',
  on('i32', (x: number) => x > 0),
);
q(
  '-10 <= i64 <= 10',
  on('i64', (x: bigint) => x >= -10n && x <= 10n),
);
q(
  '9007199254740992 <= i64 < 9223372036854775807',
  on('i64', (x: bigint) => x >= 2n ** 53n && x < 2n ** 63n - 1n),
);
q(
  '-9223372036854775808 < i64 < 0',
  on('i64', (x: bigint) => x > -(2n ** 63n) && x < 0n),
);
q(
  '0.1 <= f < 2.5',
  on('f', (x: number) => x >= f32(0.1) && x < 2.5),
);
q(
  '0.1 <= f <= 0.1',
  on('f', (x: number) => x === f32(0.1)),
);
q(
  '-1 < f < 1',
  on('f', (x: number) => x > -1 && x < 1),
);
q(
  '0.2 <= d <= 0.3',
  on('d', (x: number) => x >= 0.2 && x <= 0.3),
);
q(
  '-7 < d <= 0',
  on('d', (x: number) => x > -7 && x <= 0),
);
q(
  '-1 <= ni32 <= 1',
  on('ni32', (x: number) => x >= -1 && x <= 1),
);
q(
  '0 <= nd < 10',
  on('nd', (x: number) => x >= 0 && x < 10),
);
q(
  '"a" <= s < "b"',
  on('s', (x: string) => utf8Order(x, 'a') >= 0 && utf8Order(x, 'b') < 0),
);
q(
  '"app" < s <= "apple"',
  on('s', (x: string) => utf8Order(x, 'app') > 0 && utf8Order(x, 'apple') <= 0),
);
q(
  '"é" <= ns <= "😀"',
  on('ns', (x: string) => utf8Order(x, 'é') >= 0 && utf8Order(x, '😀') <= 0),
);
q(
  '0 < j["a"] < 3',
  onJson('j', ['a'], (v) => typeof v === 'number' && v > 0 && v < 3),
);
q(
  '-1 <= j["f"] <= 1.5',
  onJson('j', ['f'], (v) => typeof v === 'number' && v >= -1 && v <= 1.5),
);
q(
  '"x" <= j["b"] <= "y"',
  onJson('j', ['b'], (v) => typeof v === 'string' && v >= 'x' && v <= 'y'),
);
q(
  '1 <= size < 5',
  onJson('$meta', meta('size'), (v) => typeof v === 'number' && v >= 1 && v < 5),
);
q(
  '0 < ai[0] <= 5',
  onElement('ai', 0, (x: bigint) => x > 0n && x <= 5n),
);
q(
  '0.5 <= af[1] < 10',
  onElement('af', 1, (x: number) => x >= 0.5 && x < 10),
);
q(
  '"b" < as[0] < "s"',
  onElement('as', 0, (x: string) => x > 'b' && x < 's'),
);

// ---- in / not in: short lists (equality scans), long lists (hash sets), tables, strings. ----
q(
  'i8 in [1, 3, -10]',
  on('i8', (x: number) => [1, 3, -10].includes(x)),
);
q(
  'i8 in [1, 2, 3, 4, 5, 6, 7, 127, -128]',
  on('i8', (x: number) => [1, 2, 3, 4, 5, 6, 7, 127, -128].includes(x)),
);
q(
  'i16 in [0, 1, -32768, 32767, 250, -250]',
  on('i16', (x: number) => [0, 1, -32768, 32767, 250, -250].includes(x)),
);
q(
  'i32 in [0, 5, 10]',
  on('i32', (x: number) => [0, 5, 10].includes(x)),
);
q(
  'i32 in [0, 5, 10, 15, 20, 25, -2147483648, 2147483647, 999]',
  on('i32', (x: number) => [0, 5, 10, 15, 20, 25, -(2 ** 31), 2 ** 31 - 1, 999].includes(x)),
);
q(
  'i64 in [1, 2, 3]',
  on('i64', (x: bigint) => [1n, 2n, 3n].includes(x)),
);
const i64List = [
  -50n,
  -1n,
  0n,
  7n,
  9007199254740993n,
  -9223372036854775808n,
  9223372036854775807n,
  4611686018427387904n,
];
q(
  `i64 in [${i64List.join(', ')}]`,
  on('i64', (x: bigint) => i64List.includes(x)),
);
q(`i64 not in [${i64List.join(', ')}]`, not(on('i64', (x: bigint) => i64List.includes(x))));
q(
  'f in [0.1, 2.5, -2.25]',
  on('f', (x: number) => [f32(0.1), 2.5, -2.25].includes(x)),
);
const floatList = [0.1, 0.5, 1.5, -2.25, 100, 0, 1e10, 12.5];
q(
  `f in [${floatList.join(', ')}]`,
  on('f', (x: number) => floatList.map(f32).includes(x)),
);
q(
  `d in [${doublesText()}]`,
  on('d', (x: number) => [0.1, 0.3, 0, 1.5, -7, 2 ** 53, 25, -0.5].includes(x)),
);
q(
  'd in [0.1, 0.3]',
  on('d', (x: number) => x === 0.1 || x === 0.3),
);
q('d not in [0, -7]', not(on('d', (x: number) => x === 0 || x === -7)));
q(
  'b in [true]',
  on('b', (x: boolean) => x),
);
q('b not in [true, false]', always(false));
q(
  's in ["apple", "", "é", "😀", "a%b"]',
  on('s', (x: string) => ['apple', '', 'é', '😀', 'a%b'].includes(x)),
);
q('s not in ["apple", "banana"]', not(on('s', (x: string) => x === 'apple' || x === 'banana')));
q(
  'pk in ["k1", "k2", "k999", "k1999"]',
  on('pk', (x: string) => ['k1', 'k2', 'k999', 'k1999'].includes(x)),
);
q(
  'ns in ["a", "red", ""]',
  on('ns', (x: string) => ['a', 'red', ''].includes(x)),
);
q('ns not in ["a"]', not(on('ns', (x: string) => x === 'a')));
q(
  'ni64 in [0, 1, 2, -3]',
  on('ni64', (x: bigint) => [0n, 1n, 2n, -3n].includes(x)),
);
q(
  'nb in [false]',
  on('nb', (x: boolean) => !x),
);
q('i32 in []', always(false));
q(
  'i64 not in []',
  on('i64', () => true),
);
q(
  'j["a"] in [1, "x", true]',
  onJson('j', ['a'], (v) => [1, 'x', true].some((c) => jsonEq(v, c))),
);
q(
  'j["a"] in [1.5, 2, 1152921504606846976]',
  onJson('j', ['a'], (v) => [1.5, 2, 2 ** 60].some((c) => jsonEq(v, c))),
);
q(
  'j["arr"] in [[0, 1], [], [1, 2, 3]]',
  onJson('j', ['arr'], (v) => [[0, 1], [], [1, 2, 3]].some((c) => jsonEq(v, c))),
);
q(
  'color in ["red", "blue"]',
  onJson('$meta', meta('color'), (v) => v === 'red' || v === 'blue'),
);
q('color not in ["red", ""]', not(onJson('$meta', meta('color'), (v) => v === 'red' || v === '')));
q(
  'size in [1, 2, 2.5, 10]',
  onJson('$meta', meta('size'), (v) => [1, 2, 2.5, 10].includes(v as number)),
);
q(
  'ai[0] in [1, 2, 3, 9223372036854775807]',
  onElement('ai', 0, (x: bigint) => [1n, 2n, 3n, 2n ** 63n - 1n].includes(x)),
);
q(
  'as[1] in ["red", "é"]',
  onElement('as', 1, (x: string) => x === 'red' || x === 'é'),
);
q(
  'af[0] in [0.1, 1.5]',
  onElement('af', 0, (x: number) => x === f32(0.1) || x === 1.5),
);
q(
  'ab[0] in [true]',
  onElement('ab', 0, (x: boolean) => x),
);
q(
  'ai in [[1, 2], [], [0]]',
  on('ai', (x: bigint[]) => [[1n, 2n], [], [0n]].some((c) => jsonEq(x, c))),
);

function doublesText(): string {
  return ['0.1', '0.3', '0', '1.5', '-7', '9007199254740992', '25', '-0.5'].join(', ');
}

// ---- Strings: every operator, byte order around surrogates and U+FFFF. ----
for (const constant of ['', 'apple', 'é', '\uffff', '😀', 'a%b']) {
  for (const op of ops) {
    q(
      `s ${op} ${JSON.stringify(constant)}`,
      on('s', (x: string) => strOp(x, op, constant)),
    );
  }
}
for (const op of ops)
  q(
    `ns ${op} "b"`,
    on('ns', (x: string) => strOp(x, op, 'b')),
  );
q(
  '"apple" == s',
  on('s', (x: string) => x === 'apple'),
);
q(
  '"b" > s',
  on('s', (x: string) => utf8Order(x, 'b') < 0),
);
q(
  String.raw`s == "a\\b"`,
  on('s', (x: string) => x === 'a\\b'),
);
q(
  String.raw`s == "\u00e9"`,
  on('s', (x: string) => x === 'é'),
);

// ---- LIKE, every class. ----
const likeCases: [string, string, string][] = [
  ['s', '"a%"', 'a%'],
  ['s', '"%a"', '%a'],
  ['s', '"%an%"', '%an%'],
  ['s', '"apple"', 'apple'],
  ['s', '"%"', '%'],
  ['s', '""', ''],
  ['s', '"_"', '_'],
  ['s', '"__"', '__'],
  ['s', '"a_p%"', 'a_p%'],
  ['s', '"a%b"', 'a%b'],
  ['s', String.raw`"a\\%b"`, String.raw`a\%b`],
  ['s', String.raw`"a\\_b"`, String.raw`a\_b`],
  ['s', String.raw`"%\\\\%"`, String.raw`%\\%`],
  ['s', '"%é%"', '%é%'],
  ['s', '"caf_"', 'caf_'],
  ['s', '"caf__"', 'caf__'],
  ['s', '"%p%e"', '%p%e'],
  ['s', '"b%n%a"', 'b%n%a'],
  ['ns', '"a%"', 'a%'],
  ['t', '"%e%"', '%e%'],
  ['pk', '"k1%"', 'k1%'],
  ['pk', '"k_"', 'k_'],
];
for (const [field, literal, pattern] of likeCases) {
  q(
    `${field} like ${literal}`,
    on(field, (x: string) => like(pattern, x)),
  );
}
q('not (s like "a%")', not(on('s', (x: string) => like('a%', x))));
q(
  'ns LIKE "%"',
  on('ns', () => true),
);
q(
  'j["b"] like "x%"',
  onJson('j', ['b'], (v) => typeof v === 'string' && like('x%', v)),
);
q(
  'j["a"] like "%"',
  onJson('j', ['a'], (v) => typeof v === 'string'),
);
q(
  'color like "r%"',
  onJson('$meta', meta('color'), (v) => typeof v === 'string' && like('r%', v)),
);
q(
  'color like "%e_"',
  onJson('$meta', meta('color'), (v) => typeof v === 'string' && like('%e_', v)),
);
q(
  'as[0] like "%e%"',
  onElement('as', 0, (x: string) => like('%e%', x)),
);
q(
  'nj["b"] like "_"',
  onJson('nj', ['b'], (v) => typeof v === 'string' && like('_', v)),
);

// ---- Booleans. ----
q(
  'b == true',
  on('b', (x: boolean) => x),
);
q(
  'b != true',
  on('b', (x: boolean) => !x),
);
q(
  'b == False',
  on('b', (x: boolean) => !x),
);
q(
  'true == b',
  on('b', (x: boolean) => x),
);
q(
  'b > false',
  on('b', (x: boolean) => x),
);
q(
  'nb == true',
  on('nb', (x: boolean) => x),
);
q(
  'nb != true',
  on('nb', (x: boolean) => !x),
);
q('not (nb == true)', not(on('nb', (x: boolean) => x)));

// ---- Logic and precedence, with nulls in play. ----
const i8pos = on('i8', (x: number) => x > 0);
const bTrue = on('b', (x: boolean) => x);
const ni32pos = on('ni32', (x: number) => x > 0);
const nsA = on('ns', (x: string) => x === 'a');
q('i8 > 0 and b == true', and(i8pos, bTrue));
q('i8 > 0 && b == true', and(i8pos, bTrue));
q('i8 > 0 or b == true', or(i8pos, bTrue));
q('i8 > 0 || b == true', or(i8pos, bTrue));
q('not (i8 > 0)', not(i8pos));
q('!(i8 > 0)', not(i8pos));
q('not not (i8 > 0)', not(not(i8pos)));
q(
  'i8 > 0 or b == true and i16 > 0',
  or(
    i8pos,
    and(
      bTrue,
      on('i16', (x: number) => x > 0),
    ),
  ),
);
q(
  '(i8 > 0 or b == true) and i16 > 0',
  and(
    or(i8pos, bTrue),
    on('i16', (x: number) => x > 0),
  ),
);
q('not (i8 > 0 and b == true)', not(and(i8pos, bTrue)));
q('not (i8 > 0) or not (b == true)', or(not(i8pos), not(bTrue)));
q('ni32 > 0', ni32pos);
q('not (ni32 > 0)', not(ni32pos));
q(
  'ni32 > 0 or ni32 <= 0',
  or(
    ni32pos,
    on('ni32', (x: number) => x <= 0),
  ),
);
q(
  'not (ni32 > 0 or ni32 <= 0)',
  not(
    or(
      ni32pos,
      on('ni32', (x: number) => x <= 0),
    ),
  ),
);
q('not (ni32 > 0 or i8 > 0)', not(or(ni32pos, i8pos)));
q('not (ni32 > 0 and i8 > 0)', not(and(ni32pos, i8pos)));
q('not (ni32 > 0 and ns == "a")', not(and(ni32pos, nsA)));
q('not (ni32 > 0 or ns == "a")', not(or(ni32pos, nsA)));
q('not (not (ni32 > 0) or i8 > 0)', not(or(not(ni32pos), i8pos)));
q('ni32 > 0 or ns == "a" or b == true', or(ni32pos, nsA, bTrue));
q('ni32 > 0 and ns == "a" and b == true', and(ni32pos, nsA, bTrue));
q('(i8 > 0 and b == true) or (ni32 > 0 and not (ns == "a"))', or(and(i8pos, bTrue), and(ni32pos, not(nsA))));
q('not ((i8 > 0 or ni32 > 0) and (b == true or ns == "a"))', not(and(or(i8pos, ni32pos), or(bTrue, nsA))));
q('i8 > 0 and i8 < 0', always(false));
q('i8 > 0 or i8 <= 0', always(true));
q('1 == 1', always(true));
q('1 < 2', always(true));
q('true == false', always(false));
q(
  'i8>0&&b==true||i16<0',
  or(
    and(i8pos, bTrue),
    on('i16', (x: number) => x < 0),
  ),
);

// ---- Nulls. ----
for (const field of ['nb', 'ni32', 'ni64', 'nf', 'nd', 'ns', 'nj', 'nai']) {
  q(`${field} is null`, (r) => T(r[field] === null));
  q(`${field} IS NOT NULL`, (r) => T(r[field] !== null));
  q(`not (${field} is null)`, (r) => T(r[field] !== null));
}
q('i8 is null', always(false));
q('s is not null', always(true));
q(
  'ni64 is null or ni64 > 0',
  or(
    (r) => T(r.ni64 === null),
    on('ni64', (x: bigint) => x > 0n),
  ),
);
q('ns is null and nb is null', (r) => T(r.ns === null && r.nb === null));
q(
  'not (ns == "a") or ns is null',
  or(not(nsA), (r) => T(r.ns === null)),
);
q(
  'nf != 0.5',
  on('nf', (x: number) => x !== 0.5),
);
q(
  'nd == nd',
  on('nd', () => true),
);
// On a JSON path, `is null` means "not exists": the key is absent or its value null (or {}).
const present = (v: unknown): boolean =>
  v !== ABSENT &&
  v !== null &&
  !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0);
const exists =
  (field: string, keys: readonly (string | number)[]): Ref =>
  (r) =>
    r[field] === null ? NUL : T(present(walk(r[field], keys)));
q('j["a"] is null', not(exists('j', ['a'])));
q('j["a"] is not null', exists('j', ['a']));
q('nj["a"] is null', not(exists('nj', ['a'])));
q('color is null', not(exists('$meta', meta('color'))));
q(
  'ai[2] is null',
  not((r) => T((r.ai as unknown[]).length > 2)),
);
q('nai[0] is not null', (r) => (r.nai === null ? NUL : T((r.nai as unknown[]).length > 0)));

// ---- JSON: paths, nested keys, array indexes, kinds, `!=` on mismatch and missing. ----
const jsonCases: [string, string, readonly (string | number)[], unknown][] = [
  ['j["a"]', 'j', ['a'], 1],
  ['j["a"]', 'j', ['a'], 1.5],
  ['j["a"]', 'j', ['a'], 'x'],
  ['j["a"]', 'j', ['a'], true],
  ['j["a"]', 'j', ['a'], 1152921504606846976n],
  ['j["b"]', 'j', ['b'], 'xyz'],
  ['j["f"]', 'j', ['f'], 0],
  ['j["t"]', 'j', ['t'], false],
  ['j["arr"][0]', 'j', ['arr', 0], 2],
  ['j["arr"][1]', 'j', ['arr', 1], 'x'],
  ['j["arr"][0][0]', 'j', ['arr', 0, 0], 1],
  ['j["nested"]["k"]', 'j', ['nested', 'k'], 'v'],
  ['j["nested"]["x"]', 'j', ['nested', 'x'], 4],
  ['j["nested"]["deep"]["y"]', 'j', ['nested', 'deep', 'y'], 2],
  ['j["0"]', 'j', ['0'], 'zero-key'],
  ['j[1]', 'j', [1], 3],
  ['nj["a"]', 'nj', ['a'], 0],
  ['nj["nested"]["k"]', 'nj', ['nested', 'k'], 'w'],
];
const literal = (c: unknown): string => (typeof c === 'bigint' ? c.toString() : JSON.stringify(c));
for (const [path, field, keys, constant] of jsonCases) {
  for (const op of ops) {
    if (typeof constant === 'boolean' && op !== '==' && op !== '!=') continue;
    q(
      `${path} ${op} ${literal(constant)}`,
      onJson(field, keys, (v) => jsonOp(v, op, constant), op === '!='),
    );
  }
}
q(
  'j["arr"] == [0, 1]',
  onJson('j', ['arr'], (v) => jsonEq(v, [0, 1])),
);
q(
  'j["arr"] != []',
  onJson('j', ['arr'], (v) => !jsonEq(v, []), true),
);
q(
  'j["arr"] == []',
  onJson('j', ['arr'], (v) => jsonEq(v, [])),
);
q(
  'j["arr"] > [1]',
  onJson('j', ['arr'], () => false),
);
q(
  'j == 7',
  onJson('j', [], (v) => jsonEq(v, 7)),
);
q(
  'j == "text"',
  onJson('j', [], (v) => v === 'text'),
);
q(
  'j != 7',
  onJson('j', [], (v) => jsonOp(v, '!=', 7), true),
);
q(
  'j["missing"] == 1',
  onJson('j', ['missing'], () => false),
);
q(
  'j["missing"] != 1',
  onJson('j', ['missing'], () => true, true),
);
q('not (j["missing"] == 1)', not(onJson('j', ['missing'], () => false)));
q(
  '1 == j["a"]',
  onJson('j', ['a'], (v) => jsonEq(v, 1)),
);
q(
  '2.5 > j["f"]',
  onJson('j', ['f'], (v) => typeof v === 'number' && v < 2.5),
);
q(
  'j["a"] < 1.5 and j["a"] > -1.5',
  and(
    onJson('j', ['a'], (v) => jsonOp(v, '<', 1.5)),
    onJson('j', ['a'], (v) => jsonOp(v, '>', -1.5)),
  ),
);
q(
  'nj["a"] != 1',
  onJson('nj', ['a'], (v) => jsonOp(v, '!=', 1), true),
);
q('not (nj["a"] != 1)', not(onJson('nj', ['a'], (v) => jsonOp(v, '!=', 1), true)));

// ---- exists. ----
for (const [path, field, keys] of [
  ['j["a"]', 'j', ['a']],
  ['j["nested"]', 'j', ['nested']],
  ['j["nested"]["deep"]', 'j', ['nested', 'deep']],
  ['j["arr"][0]', 'j', ['arr', 0]],
  ['j["arr"][0][1]', 'j', ['arr', 0, 1]],
  ['nj["nested"]["x"]', 'nj', ['nested', 'x']],
  ['color', '$meta', ['color']],
  ['$meta["info"]["level"]', '$meta', ['info', 'level']],
  ['tags[2]', '$meta', ['tags', 2]],
] as [string, string, (string | number)[]][]) {
  q(`exists ${path}`, exists(field, keys));
  q(`not exists ${path}`, not(exists(field, keys)));
}

// ---- Dynamic fields. ----
q(
  '$meta["color"] == "red"',
  onJson('$meta', meta('color'), (v) => v === 'red'),
);
q(
  'color == "red"',
  onJson('$meta', meta('color'), (v) => v === 'red'),
);
q(
  'color != "red"',
  onJson('$meta', meta('color'), (v) => v !== 'red', true),
);
q(
  'color > "b"',
  onJson('$meta', meta('color'), (v) => typeof v === 'string' && utf8Order(v, 'b') > 0),
);
q(
  'size > 3',
  onJson('$meta', meta('size'), (v) => typeof v === 'number' && v > 3),
);
q(
  'size == 2.5',
  onJson('$meta', meta('size'), (v) => v === 2.5),
);
q(
  'size <= 2',
  onJson('$meta', meta('size'), (v) => typeof v === 'number' && v <= 2),
);
q(
  'price >= 50.5',
  onJson('$meta', meta('price'), (v) => typeof v === 'number' && v >= 50.5),
);
q(
  'flag == true',
  onJson('$meta', meta('flag'), (v) => v === true),
);
q(
  'flag != true',
  onJson('$meta', meta('flag'), (v) => v !== true, true),
);
q(
  'tags[0] == "a"',
  onJson('$meta', meta('tags', 0), (v) => v === 'a'),
);
q(
  '$meta["info"]["level"] >= 2',
  onJson('$meta', meta('info', 'level'), (v) => typeof v === 'number' && v >= 2),
);
q(
  '$meta["info"]["tags"][0] == "x"',
  onJson('$meta', meta('info', 'tags', 0), (v) => v === 'x'),
);
q('unknown_key == 1', always(false));
q('unknown_key != 1', always(true));
q(
  'size > 1 and color == "red"',
  and(
    onJson('$meta', meta('size'), (v) => typeof v === 'number' && v > 1),
    onJson('$meta', meta('color'), (v) => v === 'red'),
  ),
);
q(
  'size * 2 > 10',
  onJson('$meta', meta('size'), (v) => typeof v === 'number' && v * 2 > 10),
);
q(
  'size % 3 == 1',
  onJson('$meta', meta('size'), (v) => typeof v === 'number' && Number.isInteger(v) && v % 3 === 1),
);

// ---- Arrays: elements, length, contains*, whole-array equality. ----
for (const op of ops) {
  q(
    `ai[0] ${op} 3`,
    onElement('ai', 0, (x: bigint) => numOp(x, op, 3n)),
  );
  q(
    `ai32[1] ${op} 2`,
    onElement('ai32', 1, (x: number) => numOp(x, op, 2)),
  );
  q(
    `af[0] ${op} 0.1`,
    onElement('af', 0, (x: number) => numOp(x, op, f32(0.1))),
  );
  q(
    `ad[1] ${op} 0.3`,
    onElement('ad', 1, (x: number) => numOp(x, op, 0.3)),
  );
  q(
    `as[0] ${op} "green"`,
    onElement('as', 0, (x: string) => strOp(x, op, 'green')),
  );
}
q(
  'ai[4] == 1',
  onElement('ai', 4, (x: bigint) => x === 1n),
);
q(
  'ai[4] != 1',
  onElement('ai', 4, (x: bigint) => x !== 1n),
);
q(
  'ai8[0] == -3',
  onElement('ai8', 0, (x: number) => x === -3),
);
q(
  'ab[0] == true',
  onElement('ab', 0, (x: boolean) => x),
);
q(
  'ab[1] != true',
  onElement('ab', 1, (x: boolean) => !x),
);
q(
  'nai[0] == 1',
  onElement('nai', 0, (x: bigint) => x === 1n),
);
q('not (nai[0] == 1)', not(onElement('nai', 0, (x: bigint) => x === 1n)));
for (const op of ops) {
  q(
    `array_length(ai) ${op} 2`,
    on('ai', (x: unknown[]) => numOp(x.length, op, 2)),
  );
}
q(
  'array_length(as) == 0',
  on('as', (x: unknown[]) => x.length === 0),
);
q(
  'array_length(nai) >= 1',
  on('nai', (x: unknown[]) => x.length >= 1),
);
q(
  'array_length(j["arr"]) == 2',
  onJson('j', ['arr'], (v) => Array.isArray(v) && v.length === 2),
);
q(
  'array_length(tags) > 1',
  onJson('$meta', meta('tags'), (v) => Array.isArray(v) && v.length > 1),
);
q(
  'array_length(j["b"]) == 1',
  onJson('j', ['b'], () => false),
);
q(
  'array_length(j) >= 2',
  onJson('j', [], (v) => Array.isArray(v) && v.length >= 2),
);
const has = (x: unknown[], c: unknown): boolean => x.some((item) => jsonEq(item, c));
q(
  'array_contains(ai, 3)',
  on('ai', (x: bigint[]) => x.includes(3n)),
);
q(
  'array_contains(ai, 9223372036854775807)',
  on('ai', (x: bigint[]) => x.includes(2n ** 63n - 1n)),
);
q(
  'ARRAY_CONTAINS(ai32, -3)',
  on('ai32', (x: number[]) => x.includes(-3)),
);
q(
  'array_contains(af, 0.1)',
  on('af', (x: number[]) => x.includes(f32(0.1))),
);
q(
  'array_contains(ad, 0.1)',
  on('ad', (x: number[]) => x.includes(0.1)),
);
q(
  'array_contains(as, "é")',
  on('as', (x: string[]) => x.includes('é')),
);
q(
  'array_contains(ai, 9007199254740992)',
  on('ai', (x: bigint[]) => x.includes(2n ** 53n)),
);
q(
  'ai[0] in [9007199254740992, -9007199254740992]',
  onElement('ai', 0, (x: bigint) => x === 2n ** 53n || x === -(2n ** 53n)),
);
q(
  'array_contains(ab, false)',
  on('ab', (x: boolean[]) => x.includes(false)),
);
q('not array_contains(ai, 3)', not(on('ai', (x: bigint[]) => x.includes(3n))));
q(
  'array_contains(nai, 2)',
  on('nai', (x: bigint[]) => x.includes(2n)),
);
q(
  'array_contains_all(ai, [1, 2])',
  on('ai', (x: bigint[]) => x.includes(1n) && x.includes(2n)),
);
q(
  'array_contains_all(ai, [1, 1])',
  on('ai', (x: bigint[]) => x.includes(1n)),
);
q(
  'array_contains_all(ai, [])',
  on('ai', () => true),
);
q(
  'array_contains_any(ai, [])',
  on('ai', () => false),
);
q(
  'array_contains_any(ai, [0, 10, -3])',
  on('ai', (x: bigint[]) => [0n, 10n, -3n].some((c) => x.includes(c))),
);
q(
  'array_contains_all(as, ["red", "green", "blue"])',
  on('as', (x: string[]) => ['red', 'green', 'blue'].every((c) => x.includes(c))),
);
q(
  'array_contains_any(as, ["", "é"])',
  on('as', (x: string[]) => x.includes('') || x.includes('é')),
);
q(
  'array_contains_all(af, [0.5, 1.5])',
  on('af', (x: number[]) => x.includes(0.5) && x.includes(1.5)),
);
q(
  'array_contains_any(ab, [true])',
  on('ab', (x: boolean[]) => x.includes(true)),
);
q(
  'json_contains(j["arr"], 2)',
  onJson('j', ['arr'], (v) => Array.isArray(v) && has(v, 2)),
);
q(
  'json_contains(j["arr"], "x")',
  onJson('j', ['arr'], (v) => Array.isArray(v) && has(v, 'x')),
);
q(
  'json_contains(j["arr"], [0, 1])',
  onJson('j', ['arr'], (v) => Array.isArray(v) && has(v, [0, 1])),
);
q(
  'json_contains(j, 3)',
  onJson('j', [], (v) => Array.isArray(v) && has(v, 3)),
);
q(
  'json_contains(j["b"], "x")',
  onJson('j', ['b'], () => false),
);
q(
  'json_contains_all(j["arr"], [1, 2])',
  onJson('j', ['arr'], (v) => Array.isArray(v) && has(v, 1) && has(v, 2)),
);
q(
  'json_contains_any(j["arr"], [5, "y"])',
  onJson('j', ['arr'], (v) => Array.isArray(v) && (has(v, 5) || has(v, 'y'))),
);
q(
  'json_contains_all(tags, ["a", "hot"])',
  onJson('$meta', meta('tags'), (v) => Array.isArray(v) && has(v, 'a') && has(v, 'hot')),
);
q(
  'json_contains_any(tags, ["b", "c"])',
  onJson('$meta', meta('tags'), (v) => Array.isArray(v) && (has(v, 'b') || has(v, 'c'))),
);
q(
  'json_contains(tags, "hot")',
  onJson('$meta', meta('tags'), (v) => Array.isArray(v) && has(v, 'hot')),
);
q(
  'json_contains_all(j["arr"], [])',
  onJson('j', ['arr'], (v) => Array.isArray(v)),
);
q('not json_contains(nj["arr"], 1)', not(onJson('nj', ['arr'], (v) => Array.isArray(v) && has(v, 1))));
q(
  'ai == [1, 2]',
  on('ai', (x: bigint[]) => jsonEq(x, [1, 2])),
);
q(
  'ai != [0]',
  on('ai', (x: bigint[]) => !jsonEq(x, [0])),
);
q(
  'ai32 == [1, 2]',
  on('ai32', (x: number[]) => x.length === 2 && x[0] === 1 && x[1] === 2),
);
q(
  'as == ["red"]',
  on('as', (x: string[]) => jsonEq(x, ['red'])),
);
q(
  'ab == [true, false]',
  on('ab', (x: boolean[]) => jsonEq(x, [true, false])),
);
q(
  'af == [0.5]',
  on('af', (x: number[]) => jsonEq(x, [0.5])),
);

// ---- Arithmetic on a field compared with a constant. ----
const wrap = (x: bigint): bigint => int64(x);
q(
  'i64 % 3 == 1',
  on('i64', (x: bigint) => x % 3n === 1n),
);
q(
  'i64 % 3 == -1',
  on('i64', (x: bigint) => x % 3n === -1n),
);
q(
  'i64 + 1 == -9223372036854775808',
  on('i64', (x: bigint) => wrap(x + 1n) === -(2n ** 63n)),
);
q(
  'i64 - 1 > 9223372036854775806',
  on('i64', (x: bigint) => wrap(x - 1n) > 2n ** 63n - 2n),
);
q(
  'i64 * 2 == -2',
  on('i64', (x: bigint) => wrap(x * 2n) === -2n),
);
q(
  'i64 * 2 > 0',
  on('i64', (x: bigint) => wrap(x * 2n) > 0n),
);
q(
  'i64 / 2 == -3',
  on('i64', (x: bigint) => x / 2n === -3n),
);
q(
  'i64 / 7 >= 1',
  on('i64', (x: bigint) => x / 7n >= 1n),
);
q(
  'i8 + 5 < 0',
  on('i8', (x: number) => x + 5 < 0),
);
q(
  'i8 * 100 >= 500',
  on('i8', (x: number) => x * 100 >= 500),
);
q(
  'i16 % 7 == 0',
  on('i16', (x: number) => x % 7 === 0),
);
q(
  'i32 / 3 == 0',
  on('i32', (x: number) => Math.trunc(x / 3) === 0),
);
q(
  'i32 - 1 < -2147483648',
  on('i32', (x: number) => x - 1 < -(2 ** 31)),
);
q(
  'i32 * 4194304 > 2147483647',
  on('i32', (x: number) => BigInt(x) * 4194304n > 2147483647n),
);
q(
  'i32 + 9007199254740990 > 9007199254740991',
  on('i32', (x: number) => BigInt(x) + 9007199254740990n > 9007199254740991n),
);
q(
  'ni32 % 2 == 1',
  on('ni32', (x: number) => x % 2 === 1),
);
q('not (ni32 % 2 == 1)', not(on('ni32', (x: number) => x % 2 === 1)));
q(
  'f + 0.5 == 1',
  on('f', (x: number) => f32(x + 0.5) === 1),
);
q(
  'f * 2 > 3.5',
  on('f', (x: number) => f32(x * 2) > 3.5),
);
q(
  'f / 3 < 0.1',
  on('f', (x: number) => f32(x / 3) < f32(0.1)),
);
q(
  'f - 0.1 != 0',
  on('f', (x: number) => f32(x - f32(0.1)) !== 0),
);
q(
  'd * 2 == 0.6',
  on('d', (x: number) => x * 2 === 0.6),
);
q(
  'd + 0.1 == 0.4',
  on('d', (x: number) => x + 0.1 === 0.4),
);
q(
  'd / 2 >= 1',
  on('d', (x: number) => x / 2 >= 1),
);
q(
  'nd - 1 < 0',
  on('nd', (x: number) => x - 1 < 0),
);
q(
  'j["a"] + 1 == 2',
  onJson('j', ['a'], (v) => typeof v === 'number' && v + 1 === 2),
);
q(
  'j["a"] * 2 > 2',
  onJson('j', ['a'], (v) => typeof v === 'number' && v * 2 > 2),
);
q(
  'j["a"] % 2 == 0',
  onJson('j', ['a'], (v) => typeof v === 'number' && Number.isInteger(v) && v % 2 === 0),
);
q(
  'j["a"] % 2 != 0',
  onJson('j', ['a'], (v) => typeof v === 'number' && Number.isInteger(v) && v % 2 !== 0),
);
q(
  'j["f"] - 0.5 >= 1',
  onJson('j', ['f'], (v) => typeof v === 'number' && v - 0.5 >= 1),
);
q(
  'ai[0] + 1 == 2',
  onElement('ai', 0, (x: bigint) => x + 1n === 2n),
);
q(
  'ai32[0] * 3 > 10',
  onElement('ai32', 0, (x: number) => x * 3 > 10),
);
q(
  'af[0] + 1 > 1.5',
  onElement('af', 0, (x: number) => f32(x + 1) > 1.5),
);
q(
  'i64 + 2 + 3 == 5',
  on('i64', (x: bigint) => wrap(x + 5n) === 5n),
);

// ---- Two-field comparisons. ----
for (const op of ops) {
  q(`i8 ${op} i16`, (r) => T(numOp(r.i8 as number, op, r.i16 as number)));
  q(`i64 ${op} ni64`, (r) => (r.ni64 === null ? NUL : T(numOp(r.i64 as bigint, op, r.ni64 as bigint))));
  q(`f ${op} d`, (r) => T(numOp(r.f as number, op, r.d as number)));
  q(`s ${op} t`, (r) => T(strOp(r.s as string, op, r.t as string)));
}
q('i32 < i64', (r) => T((r.i32 as number) < (r.i64 as bigint)));
q('i64 >= d', (r) => T(numOp(r.i64 as bigint, '>=', r.d as number)));
q('b == nb', (r) => (r.nb === null ? NUL : T(r.b === r.nb)));
q('s == ns', (r) => (r.ns === null ? NUL : T(r.s === r.ns)));
q(
  'not (s == ns)',
  not((r) => (r.ns === null ? NUL : T(r.s === r.ns))),
);
q('ni32 < i8', (r) => (r.ni32 === null ? NUL : T((r.ni32 as number) < (r.i8 as number))));

// ---- Filter functions, text and phrase match. ----
q(
  'empty(s)',
  on('s', (x: string) => x === ''),
);
q(
  'not empty(s)',
  on('s', (x: string) => x !== ''),
);
q(
  'empty(ns)',
  on('ns', (x: string) => x === ''),
);
q('not empty(ns)', not(on('ns', (x: string) => x === '')));
q(
  'starts_with(s, "app")',
  on('s', (x: string) => x.startsWith('app')),
);
q(
  'starts_with(s, "")',
  on('s', () => true),
);
q(
  'starts_with(ns, "a")',
  on('ns', (x: string) => x.startsWith('a')),
);
q('starts_with(s, t)', (r) => T((r.s as string).startsWith(r.t as string)));
q(
  'not starts_with(t, ns)',
  not((r) => (r.ns === null ? NUL : T((r.t as string).startsWith(r.ns as string)))),
);
q(
  'STARTS_WITH(s, "é")',
  on('s', (x: string) => x.startsWith('é')),
);
q(
  'text_match(title, "quick")',
  on('title', (x: string) => textMatch(x, 'quick')),
);
q(
  'text_match(title, "fox dog")',
  on('title', (x: string) => textMatch(x, 'fox dog')),
);
q(
  'text_match(title, "quick lazy dog", minimum_should_match=2)',
  on('title', (x: string) => textMatch(x, 'quick lazy dog', 2)),
);
q('not text_match(title, "the")', not(on('title', (x: string) => textMatch(x, 'the'))));
q(
  'phrase_match(title, "quick brown")',
  on('title', (x: string) => phraseMatch(x, 'quick brown')),
);
q(
  'phrase_match(title, "the fox", 1)',
  on('title', (x: string) => phraseMatch(x, 'the fox', 1)),
);
q(
  'phrase_match(title, "quick dog", 2)',
  on('title', (x: string) => phraseMatch(x, 'quick dog', 2)),
);
q(
  'PHRASE_MATCH(title, "dog dog")',
  on('title', (x: string) => phraseMatch(x, 'dog dog')),
);

// ---- Template values. ----
q(
  'i64 > {x}',
  on('i64', (x: bigint) => x > 5n),
  { x: { kind: 'int64', value: 5n } },
);
q(
  'f <= {y}',
  on('f', (x: number) => x <= 2.5),
  { y: { kind: 'float', value: 2.5 } },
);
q(
  'd == {y}',
  on('d', (x: number) => x === 0.3),
  { y: { kind: 'float', value: 0.3 } },
);
q(
  's == {name}',
  on('s', (x: string) => x === 'apple'),
  { name: { kind: 'string', value: 'apple' } },
);
q(
  'b == {flag}',
  on('b', (x: boolean) => !x),
  { flag: { kind: 'bool', value: false } },
);
q(
  'i32 in {list}',
  on('i32', (x: number) => [0, 1, 2, 3, 4, 5].includes(x)),
  {
    list: { kind: 'array', array: { kind: 'long', data: [0n, 1n, 2n, 3n, 4n, 5n] } },
  },
);
q('s not in {names}', not(on('s', (x: string) => x === 'apple' || x === '')), {
  names: { kind: 'array', array: { kind: 'string', data: ['apple', ''] } },
});
q(
  '{lo} <= i8 < {hi}',
  on('i8', (x: number) => x >= -2 && x < 4),
  {
    lo: { kind: 'int64', value: -2n },
    hi: { kind: 'int64', value: 4n },
  },
);
q(
  'j["a"] in {mixed}',
  onJson('j', ['a'], (v) => [1, 'x', true].some((c) => jsonEq(v, c))),
  {
    mixed: { kind: 'array', array: { kind: 'json', data: ['1', '"x"', 'true'] } },
  },
);
q(
  'array_contains_any(ai, {values})',
  on('ai', (x: bigint[]) => x.includes(1n) || x.includes(7n)),
  {
    values: { kind: 'array', array: { kind: 'long', data: [1n, 7n] } },
  },
);
q(
  'color == {c} and size > {n}',
  and(
    onJson('$meta', meta('color'), (v) => v === 'red'),
    onJson('$meta', meta('size'), (v) => typeof v === 'number' && v > 2),
  ),
  {
    c: { kind: 'string', value: 'red' },
    n: { kind: 'int64', value: 2n },
  },
);
q(
  'i64 % {m} == 0',
  on('i64', (x: bigint) => x % 4n === 0n),
  { m: { kind: 'int64', value: 4n } },
);

const rows = makeRows();
const segments = makeSegments(rows);

function expectedBits(c: Case, part: readonly PlainRow[]): Uint8Array {
  return Uint8Array.from(part, (row) => (c.ref(row).v ? 1 : 0));
}

function firstDifference(
  actual: Uint8Array,
  expected: Uint8Array,
  part: readonly PlainRow[],
): string | undefined {
  for (let row = 0; row < expected.length; row++) {
    if (actual[row] !== expected[row]) {
      const shown = JSON.stringify(part[row], (_, v) => (typeof v === 'bigint' ? `${v}n` : v));
      return `row ${row}: got ${actual[row]}, expected ${expected[row]}; row = ${shown}`;
    }
  }
  return undefined;
}

test(`the corpus has at least 300 filters over every family (${corpus.length})`, () => {
  assert.ok(corpus.length >= 300, `${corpus.length} filters`);
  assert.equal(rows.length, 2000);
  assert.deepEqual(
    segments.map(({ segment }) => segment.numRows),
    [666, 666, 668],
  );
});

test('evaluateFilter selects exactly the rows the reference selects, row by row', () => {
  let matchedSomewhere = 0;
  for (const c of corpus) {
    const ir = compileFilter(c.filter, schema, c.templates ?? {});
    let matched = 0;
    for (const { segment, rows: part } of segments) {
      const actual = evaluateFilter(ir, segment);
      const expected = expectedBits(c, part);
      const difference = firstDifference(actual, expected, part);
      if (difference) assert.fail(`${c.filter}: ${difference}`);
      matched += actual.reduce((sum, bit) => sum + bit, 0);
    }
    if (matched > 0 && matched < rows.length) matchedSomewhere++;
  }
  // The data is varied enough that most filters split the rows rather than take all or none.
  assert.ok(
    matchedSomewhere > corpus.length * 0.75,
    `${matchedSomewhere} of ${corpus.length} filters split the rows`,
  );
});

test('with scalar indexes on the fields, evaluateFilter still selects exactly the reference rows', () => {
  let answered = 0;
  const indexed = segments.map(({ segment, rows: part }) => {
    const indexes = new Map<string, ScalarIndex>();
    for (const [name, factory] of Object.entries(indexChoice)) {
      const index = factory.build(segment.column(name)!);
      // Counts the leaves the index answers, so the test shows the indexes were really used.
      const evaluate = index.evaluate.bind(index);
      indexes.set(
        name,
        Object.assign(Object.create(index) as ScalarIndex, {
          evaluate: (leaf: Parameters<ScalarIndex['evaluate']>[0]) => {
            const mask = evaluate(leaf);
            if (mask !== undefined) answered++;
            return mask;
          },
        }),
      );
    }
    return { segment, part, indexes };
  });
  for (const c of corpus) {
    const ir = compileFilter(c.filter, schema, c.templates ?? {});
    for (const { segment, part, indexes } of indexed) {
      const difference = firstDifference(
        evaluateFilter(ir, segment, { indexes }),
        expectedBits(c, part),
        part,
      );
      if (difference) assert.fail(`${c.filter} (indexed): ${difference}`);
    }
  }
  assert.ok(answered > 600, `indexes answered ${answered} leaves`);
});

test('the row evaluator agrees with the reference on the same corpus', () => {
  const objects = segments.flatMap(({ segment }) =>
    Array.from({ length: segment.numRows }, (_, row) => {
      const object: Record<string, unknown> = {};
      for (const f of fields) object[f.name] = cellValue(segment.column(f.name)!, row);
      return object;
    }),
  );
  for (const c of corpus) {
    const ir = compileFilter(c.filter, schema, c.templates ?? {});
    const actual = Uint8Array.from(objects, (object) => (evaluateRow(ir, object) ? 1 : 0));
    const difference = firstDifference(actual, expectedBits(c, rows), rows);
    if (difference) assert.fail(`${c.filter}: ${difference}`);
  }
});

test('random_sample keeps a sampled subset of the rows matching its predicate', () => {
  const ir = compileFilter('i8 > 0 and random_sample(0.5)', schema);
  for (const { segment, rows: part } of segments) {
    let calls = 0;
    // Deterministic sampler: keeps every other row it is asked about.
    const mask = evaluateFilter(ir, segment, { sampleRow: () => calls++ % 2 === 0 });
    const candidates = part.flatMap((row, i) => ((row.i8 as number) > 0 ? [i] : []));
    assert.equal(calls, candidates.length);
    const kept = candidates.filter((_, k) => k % 2 === 0);
    assert.deepEqual(
      [...mask].flatMap((bit, i) => (bit ? [i] : [])),
      kept,
    );
  }
  const alone = compileFilter('random_sample(0.25)', schema);
  const mask = evaluateFilter(alone, segments[0]!.segment, { sampleRow: (factor) => factor > 0.2 });
  assert.ok(mask.every((bit) => bit === 1));
});
