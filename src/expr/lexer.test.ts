import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tokenize } from './lexer.js';

const kinds = (text: string): string[] => tokenize(text).tokens.map((token) => `${token.kind}:${token.text}`);

test('keywords accept exactly the lower- and upper-case spellings', () => {
  for (const word of ['and', 'AND', '&&']) assert.deepEqual(kinds(word), [`AND:${word}`, 'EOF:<EOF>']);
  for (const word of ['or', 'OR', '||']) assert.deepEqual(kinds(word), [`OR:${word}`, 'EOF:<EOF>']);
  for (const word of ['not', 'NOT', '!']) assert.deepEqual(kinds(word), [`NOT:${word}`, 'EOF:<EOF>']);
  for (const word of ['in', 'IN', 'like', 'LIKE', 'exists', 'EXISTS']) {
    assert.notEqual(kinds(word)[0]!.split(':')[0], 'Identifier', word);
  }
  // Mixed case is an ordinary identifier, as in Plan.g4.
  for (const word of ['And', 'Or', 'Not', 'In', 'Like', 'Exists', 'nOT']) {
    assert.deepEqual(kinds(word), [`Identifier:${word}`, 'EOF:<EOF>']);
  }
});

test('booleans: true True TRUE false False FALSE; other spellings are identifiers', () => {
  for (const word of ['true', 'True', 'TRUE', 'false', 'False', 'FALSE']) {
    assert.deepEqual(kinds(word), [`BooleanConstant:${word}`, 'EOF:<EOF>']);
  }
  assert.deepEqual(kinds('tRUE'), ['Identifier:tRUE', 'EOF:<EOF>']);
  assert.deepEqual(kinds('true_value'), ['Identifier:true_value', 'EOF:<EOF>']);
});

test('longest match: identifiers that start with a keyword stay identifiers', () => {
  assert.deepEqual(kinds('index'), ['Identifier:index', 'EOF:<EOF>']);
  assert.deepEqual(kinds('like_count'), ['Identifier:like_count', 'EOF:<EOF>']);
  assert.deepEqual(kinds('in_stock'), ['Identifier:in_stock', 'EOF:<EOF>']);
  assert.deepEqual(kinds('isnull'), ['Identifier:isnull', 'EOF:<EOF>']);
});

test('is null / is not null are single tokens with exactly one space', () => {
  assert.deepEqual(kinds('a is null'), ['Identifier:a', 'ISNULL:is null', 'EOF:<EOF>']);
  assert.deepEqual(kinds('a IS NOT NULL'), ['Identifier:a', 'ISNOTNULL:IS NOT NULL', 'EOF:<EOF>']);
  assert.deepEqual(kinds('a is  null'), ['Identifier:a', 'Identifier:is', 'Identifier:null', 'EOF:<EOF>']);
  assert.deepEqual(kinds('a Is Null'), ['Identifier:a', 'Identifier:Is', 'Identifier:Null', 'EOF:<EOF>']);
});

test('integer literals: decimal, octal, hexadecimal, binary', () => {
  for (const text of ['0', '42', '017', '0x1F', '0XaB', '0b101', '0B11']) {
    assert.deepEqual(kinds(text), [`IntegerConstant:${text}`, 'EOF:<EOF>'], text);
  }
  // 0x without digits is 0 followed by an identifier; 09 is 0 then 9 (not octal).
  assert.deepEqual(kinds('0x'), ['IntegerConstant:0', 'Identifier:x', 'EOF:<EOF>']);
  assert.deepEqual(kinds('09'), ['IntegerConstant:0', 'IntegerConstant:9', 'EOF:<EOF>']);
});

test('floating literals: fractions, exponents, hexadecimal floats', () => {
  for (const text of ['1.5', '.5', '5.', '1e-3', '1E+10', '2e5', '.5e1', '0x1.8p3', '0x1p-2', '0x.8P0']) {
    assert.deepEqual(kinds(text), [`FloatingConstant:${text}`, 'EOF:<EOF>'], text);
  }
  assert.deepEqual(kinds('1e'), ['IntegerConstant:1', 'Identifier:e', 'EOF:<EOF>']);
  assert.deepEqual(kinds('1..2'), ['FloatingConstant:1.', 'FloatingConstant:.2', 'EOF:<EOF>']);
});

test('strings: both quotes, escapes kept verbatim in the token, encoding prefixes', () => {
  assert.deepEqual(kinds(`"a\\"b" 'c\\'d'`), [`StringLiteral:"a\\"b"`, `StringLiteral:'c\\'d'`, 'EOF:<EOF>']);
  assert.deepEqual(kinds(`"\\x41\\u00e9\\101\\n"`), [`StringLiteral:"\\x41\\u00e9\\101\\n"`, 'EOF:<EOF>']);
  assert.deepEqual(kinds(`u8"x" L'y' U"z"`), [
    'StringLiteral:u8"x"',
    "StringLiteral:L'y'",
    'StringLiteral:U"z"',
    'EOF:<EOF>',
  ]);
  assert.deepEqual(kinds(`'say "hi"'`), [`StringLiteral:'say "hi"'`, 'EOF:<EOF>']);
});

test('JSON identifiers are one token; a space before [ splits them', () => {
  assert.deepEqual(kinds(`j["a"][0]['b']`), [`JSONIdentifier:j["a"][0]['b']`, 'EOF:<EOF>']);
  assert.deepEqual(kinds(`$meta["k"]`), [`JSONIdentifier:$meta["k"]`, 'EOF:<EOF>']);
  assert.deepEqual(kinds('$meta'), ['Meta:$meta', 'EOF:<EOF>']);
  assert.deepEqual(kinds(`a ["b"]`), [
    'Identifier:a',
    'LBRACKET:[',
    'StringLiteral:"b"',
    'RBRACKET:]',
    'EOF:<EOF>',
  ]);
  // An incomplete suffix falls back to the longest complete prefix.
  assert.deepEqual(kinds(`a["b"][01]`), [
    `JSONIdentifier:a["b"]`,
    'LBRACKET:[',
    'IntegerConstant:01',
    'RBRACKET:]',
    'EOF:<EOF>',
  ]);
});

test('operators and punctuation, longest first', () => {
  assert.deepEqual(
    kinds('<= >= == != << >> ** && || < > = ! ~ & | ^ + - * / % ( ) [ , ] { }').map((k) => k.split(':')[0]),
    [
      'LE',
      'GE',
      'EQ',
      'NE',
      'SHL',
      'SHR',
      'POW',
      'AND',
      'OR',
      'LT',
      'GT',
      'ASSIGN',
      'NOT',
      'BNOT',
      'BAND',
      'BOR',
      'BXOR',
    ]
      .concat([
        'ADD',
        'SUB',
        'MUL',
        'DIV',
        'MOD',
        'LPAREN',
        'RPAREN',
        'LBRACKET',
        'COMMA',
        'RBRACKET',
        'LBRACE',
        'RBRACE',
      ])
      .concat(['EOF']),
  );
  assert.deepEqual(kinds('[ \t\n ]'), ['EmptyArray:[ \t\n ]', 'EOF:<EOF>']);
});

test('every token carries its line and column (ANTLR: 1-based line, 0-based column)', () => {
  const { tokens } = tokenize('a >\n  1');
  assert.deepEqual(
    tokens.map((token) => [token.text, token.line, token.column, token.offset]),
    [
      ['a', 1, 0, 0],
      ['>', 1, 2, 2],
      ['1', 2, 2, 6],
      ['<EOF>', 2, 3, 7],
    ],
  );
});

test('unrecognised characters are reported like ANTLR and skipped', () => {
  assert.deepEqual(tokenize('a # b').errors, [
    { line: 1, column: 2, offset: 2, message: "token recognition error at: '#'" },
  ]);
  assert.deepEqual(kinds('a # b'), ['Identifier:a', 'Identifier:b', 'EOF:<EOF>']);
  // The reported text runs to the character at which the last candidate rule failed.
  assert.equal(tokenize('"abc').errors[0]!.message, `token recognition error at: '"abc'`);
  assert.equal(tokenize('$x').errors[0]!.message, "token recognition error at: '$x'");
  assert.equal(tokenize('"ab\ncd').errors[0]!.message, `token recognition error at: '"ab\\n'`);
});
