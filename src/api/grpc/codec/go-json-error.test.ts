import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { goJsonError } from './go-json-error.js';

const bytes = (text: string): Uint8Array => Buffer.from(text, 'utf8');

describe('goJsonError', () => {
  it('accepts the documents Go accepts', () => {
    for (const text of [
      '{}',
      ' {"a": [1, -2.5e+3, true, false, null, "x\\u00e9\\n"]} ',
      '[]',
      '"text"',
      '0',
      '-0.5E-2',
      'null',
    ]) {
      assert.equal(goJsonError(bytes(text), 'any'), undefined, text);
    }
  });

  it("words syntax errors as encoding/json's scanner does", () => {
    const cases: [string, string][] = [
      ['', 'unexpected end of JSON input'],
      ['   ', 'unexpected end of JSON input'],
      ['{"a":1', 'unexpected end of JSON input'],
      ['"abc', 'unexpected end of JSON input'],
      ['x', "invalid character 'x' looking for beginning of value"],
      ['{a:1}', "invalid character 'a' looking for beginning of object key string"],
      ['{"a" 1}', "invalid character '1' after object key"],
      ['{"a":1 "b":2}', "invalid character '\"' after object key:value pair"],
      ['{"a":1,}', "invalid character '}' looking for beginning of object key string"],
      ['[1 2]', "invalid character '2' after array element"],
      ['[1,]', "invalid character ']' looking for beginning of value"],
      ['{} {}', "invalid character '{' after top-level value"],
      ['01', "invalid character '1' after top-level value"],
      ['-', "invalid character ' ' in numeric literal"],
      ['-a', "invalid character 'a' in numeric literal"],
      ['1.', "invalid character ' ' after decimal point in numeric literal"],
      ['1.e5', "invalid character 'e' after decimal point in numeric literal"],
      ['1e', "invalid character ' ' in exponent of numeric literal"],
      ['tru', "invalid character ' ' in literal true (expecting 'e')"],
      ['nul!', "invalid character '!' in literal null (expecting 'l')"],
      ['fals', "invalid character ' ' in literal false (expecting 'e')"],
      ['"a\\x"', "invalid character 'x' in string escape code"],
      ['"\\u12g4"', "invalid character 'g' in \\u hexadecimal character escape"],
      ['"a\tb"', "invalid character '\\t' in string literal"],
      ["'a'", "invalid character '\\'' looking for beginning of value"],
      ['\u0001', "invalid character '\\x01' looking for beginning of value"],
    ];
    for (const [text, message] of cases) assert.equal(goJsonError(bytes(text), 'any'), message, text);
  });

  it('names a non-ASCII byte as Go widens it to a Latin-1 rune', () => {
    assert.equal(goJsonError(bytes('é'), 'any'), "invalid character 'Ã' looking for beginning of value");
    assert.equal(
      goJsonError(Uint8Array.of(0x85), 'any'),
      "invalid character '\\u0085' looking for beginning of value",
    );
  });

  it('reports what cannot be unmarshalled into a map, as json.Unmarshal does', () => {
    assert.equal(goJsonError(bytes('{"a":1}'), 'object'), undefined);
    assert.equal(goJsonError(bytes('null'), 'object'), undefined);
    const intoMap = 'into Go value of type map[string]interface {}';
    assert.equal(goJsonError(bytes('[1]'), 'object'), `json: cannot unmarshal array ${intoMap}`);
    assert.equal(goJsonError(bytes(' "s"'), 'object'), `json: cannot unmarshal string ${intoMap}`);
    assert.equal(goJsonError(bytes('-3'), 'object'), `json: cannot unmarshal number ${intoMap}`);
    assert.equal(goJsonError(bytes('true'), 'object'), `json: cannot unmarshal bool ${intoMap}`);
    assert.equal(goJsonError(bytes('{'), 'object'), 'unexpected end of JSON input');
  });
});
