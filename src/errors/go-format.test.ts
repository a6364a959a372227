import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goParseBool, goParseInt64, goQuote, goValue } from './go-format.js';

test('goParseInt64 accepts what strconv.ParseInt(s, 10, 64) accepts', () => {
  assert.deepEqual(goParseInt64('128'), { ok: true, value: 128n });
  assert.deepEqual(goParseInt64('+7'), { ok: true, value: 7n });
  assert.deepEqual(goParseInt64('-9223372036854775808'), { ok: true, value: -(2n ** 63n) });
  assert.deepEqual(goParseInt64('007'), { ok: true, value: 7n });
});

test('goParseInt64 reports Go error texts', () => {
  assert.deepEqual(goParseInt64('abc'), {
    ok: false,
    message: 'strconv.ParseInt: parsing "abc": invalid syntax',
  });
  assert.deepEqual(goParseInt64(''), { ok: false, message: 'strconv.ParseInt: parsing "": invalid syntax' });
  assert.deepEqual(goParseInt64(' 8'), {
    ok: false,
    message: 'strconv.ParseInt: parsing " 8": invalid syntax',
  });
  assert.deepEqual(goParseInt64('1_000'), {
    ok: false,
    message: 'strconv.ParseInt: parsing "1_000": invalid syntax',
  });
  assert.deepEqual(goParseInt64('12.5'), {
    ok: false,
    message: 'strconv.ParseInt: parsing "12.5": invalid syntax',
  });
  assert.deepEqual(goParseInt64('9223372036854775808'), {
    ok: false,
    message: 'strconv.ParseInt: parsing "9223372036854775808": value out of range',
  });
});

test('goQuote escapes like strconv.Quote', () => {
  assert.equal(goQuote('a"b\\c'), '"a\\"b\\\\c"');
  assert.equal(goQuote('tab\there\n'), '"tab\\there\\n"');
  assert.equal(goQuote('\u0001'), '"\\x01"');
  assert.equal(goQuote('中文'), '"中文"');
});

test('goParseBool follows strconv.ParseBool', () => {
  for (const text of ['1', 't', 'T', 'TRUE', 'true', 'True']) assert.equal(goParseBool(text), true, text);
  for (const text of ['0', 'f', 'F', 'FALSE', 'false', 'False']) assert.equal(goParseBool(text), false, text);
  for (const text of ['yes', 'tRuE', '', ' true']) assert.equal(goParseBool(text), undefined, text);
});

test('goValue prints slices the Go way', () => {
  assert.equal(goValue([1, 2, 3]), '[1 2 3]');
  assert.equal(goValue(42n), '42');
  assert.equal(goValue('x'), 'x');
});
