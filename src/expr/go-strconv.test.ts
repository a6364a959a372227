import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  convertEscapeSingle,
  goFormatFloat,
  goParseFloat,
  goParseIntBase0,
  goUnquote,
} from './go-strconv.js';

test('strconv.ParseInt(s, 0, 64) with its errors', () => {
  assert.deepEqual(goParseIntBase0('42'), { ok: true, value: 42n });
  assert.deepEqual(goParseIntBase0('017'), { ok: true, value: 15n });
  assert.deepEqual(goParseIntBase0('0x1F'), { ok: true, value: 31n });
  assert.deepEqual(goParseIntBase0('0b101'), { ok: true, value: 5n });
  assert.deepEqual(goParseIntBase0('9223372036854775807'), { ok: true, value: 9223372036854775807n });
  assert.deepEqual(goParseIntBase0('9223372036854775808'), {
    ok: false,
    message: 'strconv.ParseInt: parsing "9223372036854775808": value out of range',
  });
});

test('strconv.ParseFloat, hexadecimal floats included', () => {
  assert.deepEqual(goParseFloat('1.5'), { ok: true, value: 1.5 });
  assert.deepEqual(goParseFloat('.5'), { ok: true, value: 0.5 });
  assert.deepEqual(goParseFloat('0x1.8p3'), { ok: true, value: 12 });
  assert.deepEqual(goParseFloat('0x1p-2'), { ok: true, value: 0.25 });
  assert.deepEqual(goParseFloat('1e400'), {
    ok: false,
    message: 'strconv.ParseFloat: parsing "1e400": value out of range',
  });
});

test('strconv.Unquote escapes and errors', () => {
  assert.deepEqual(goUnquote('"a\\n\\t\\"\\\\"'), { ok: true, value: 'a\n\t"\\' });
  assert.deepEqual(goUnquote('"\\x41\\u00e9\\101\\U0001F600"'), { ok: true, value: 'Aé\u0041😀' });
  assert.deepEqual(goUnquote('"\\xc3\\xa9"'), { ok: true, value: 'é' });
  for (const bad of ['"\\q"', '"\\x4"', '"\\400"', '"\\12"', '"\\ud800"', '"\\\'"', '"a"b"']) {
    assert.deepEqual(goUnquote(bad), { ok: false, message: 'invalid syntax' }, bad);
  }
});

test("convertEscapeSingle: single quotes, escaped quotes, Milvus's prefix quirk", () => {
  assert.deepEqual(convertEscapeSingle(`'it\\'s'`), { ok: true, value: "it's" });
  assert.deepEqual(convertEscapeSingle(`'say "hi"'`), { ok: true, value: 'say "hi"' });
  assert.deepEqual(convertEscapeSingle(`"it\\'s"`), { ok: true, value: "it's" });
  assert.deepEqual(convertEscapeSingle(`""`), { ok: true, value: '' });
  // Milvus does not strip an encoding prefix: the opening quote becomes part of the value.
  assert.deepEqual(convertEscapeSingle(`u"abc"`), { ok: true, value: '"abc' });
});

test("strconv.FormatFloat(v, 'g', -1, 64)", () => {
  const cases: [number, string][] = [
    [1, '1'],
    [1.5, '1.5'],
    [123456, '123456'],
    [1234567, '1.234567e+06'],
    [1e21, '1e+21'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [-2.5e-7, '-2.5e-07'],
    [0, '0'],
  ];
  for (const [value, text] of cases) assert.equal(goFormatFloat(value), text, String(value));
});
