import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AstNode } from './ast.js';
import { ExpressionError } from './expression-error.js';
import { parseExpression } from './parse-expression.js';

/** A compact, fully parenthesised rendering of the tree, to assert precedence and associativity. */
function show(node: AstNode): string {
  switch (node.kind) {
    case 'integer':
    case 'float':
    case 'boolean':
    case 'string':
    case 'jsonIdentifier':
      return node.text;
    case 'identifier':
      return node.name;
    case 'template':
      return `{${node.name}}`;
    case 'parens':
      return show(node.expr);
    case 'array':
      return `[${node.elements.map(show).join(', ')}]`;
    case 'emptyArray':
      return '[]';
    case 'exists':
      return `(exists ${show(node.operand)})`;
    case 'like':
      return `(${show(node.operand)} like ${node.pattern})`;
    case 'unary':
      return `(${node.op} ${show(node.operand)})`;
    case 'binary':
      return `(${show(node.left)} ${node.op} ${show(node.right)})`;
    case 'term':
      return `(${show(node.operand)} ${node.negated ? 'not in' : 'in'} ${show(node.list)})`;
    case 'range':
      return `(${show(node.first)} ${node.firstOp} ${node.field.text} ${node.secondOp} ${show(node.second)})`;
    case 'isNull':
      return `(${node.field.text} ${node.negated ? 'is not null' : 'is null'})`;
    case 'call':
      return `${node.name}(${node.args.map(show).join(', ')})`;
    case 'contains':
      return `${node.fn}(${show(node.field)}, ${show(node.element)})`;
    case 'arrayLength':
      return `array_length(${node.field.text})`;
    case 'textMatch':
      return `text_match(${node.field}, ${node.query}${node.minimumShouldMatch ? `, ${node.minimumShouldMatch}` : ''})`;
    case 'phraseMatch':
      return `phrase_match(${node.field}, ${node.query}${node.slop ? `, ${show(node.slop)}` : ''})`;
    case 'randomSample':
      return `random_sample(${show(node.factor)})`;
    default:
      return node.kind;
  }
}

const parse = (text: string): string => show(parseExpression(text).ast);

test('precedence follows the order of Plan.g4 alternatives', () => {
  const cases: [string, string][] = [
    ['a > 1 and b < 2 or c == 3', '(((a > 1) and (b < 2)) or (c == 3))'],
    ['a or b and c', '(a or (b and c))'],
    ['a == 1 or b == 2 and c == 3', '((a == 1) or ((b == 2) and (c == 3)))'],
    ['a + b * c', '(a + (b * c))'],
    ['a * b + c', '((a * b) + c)'],
    ['a - b - c', '((a - b) - c)'],
    ['a / b % c', '((a / b) % c)'],
    ['2 ** 3 ** 2', '((2 ** 3) ** 2)'],
    ['-2 ** 2', '(- (2 ** 2))'],
    ['-a * 2', '((- a) * 2)'],
    ['not a > 1', '((not a) > 1)'],
    ['not (a > 1)', '(not (a > 1))'],
    ['!a == b', '((not a) == b)'],
    ['a + 1 > 2', '((a + 1) > 2)'],
    ['a > 1 == true', '((a > 1) == true)'],
    ['a & b == c', '(a & (b == c))'],
    ['a | b ^ c & d', '(a | (b ^ (c & d)))'],
    ['a & b and c', '((a & b) and c)'],
    ['a << 1 + 2', '(a << (1 + 2))'],
    ['a < b << 1', '(a < (b << 1))'],
    ['a in [1] and b', '((a in [1]) and b)'],
    ['a + 1 in [2]', '((a + 1) in [2])'],
    ['a in [1] == true', '((a in [1]) == true)'],
    ['a like "x%" and b', '((a like "x%") and b)'],
    ['exists a["b"] and c', '((exists a["b"]) and c)'],
    ['exists a like "x"', '((exists a) like "x")'],
    ['a is null or b IS NOT NULL', '((a is null) or (b is not null))'],
    ['1 < a < 2 and b', '((1 < a < 2) and b)'],
    ['10 >= a > 2', '(10 >= a > 2)'],
    ['1 < a <= b', '(1 < a <= b)'],
    ['a < b < c', '(a < b < c)'],
    ['1 < a > 2', '((1 < a) > 2)'],
    ['a > b > c', '(a > b > c)'],
    ['a == b == c', '((a == b) == c)'],
    ['not not a', '(not (not a))'],
    ['- - 1', '(- (- 1))'],
    ['+a', '(+ a)'],
    ['~a', '(~ a)'],
    ['(((a)))', 'a'],
    ['a not in [1, 2,]', '(a not in [1, 2])'],
    ['a NOT IN []', '(a not in [])'],
    ['f(a, 1,)', 'f(a, 1)'],
    ['f()', 'f()'],
    ['array_contains(a, 1) or json_contains_all(b, [1])', '(contains(a, 1) or containsAll(b, [1]))'],
    ['array_length(a) == 1', '(array_length(a) == 1)'],
    [`text_match(t, 'q', minimum_should_match=2)`, `text_match(t, 'q', 2)`],
    [`phrase_match(t, 'q', 1 + 1)`, `phrase_match(t, 'q', (1 + 1))`],
    ['random_sample(0.1)', 'random_sample(0.1)'],
    ['{x} < a', '({x} < a)'],
    ['a in {list}', '(a in {list})'],
  ];
  for (const [text, expected] of cases) assert.equal(parse(text), expected, text);
});

test('spans record the tokens of each node for quoting', () => {
  const parsed = parseExpression('a + 1 > ( b )');
  assert.deepEqual(parsed.tokenTexts, ['a', '+', '1', '>', '(', 'b', ')', '<EOF>']);
  const root = parsed.ast as AstNode & { kind: 'binary' };
  assert.deepEqual([root.start, root.end], [0, 6]);
  assert.deepEqual([root.right.start, root.right.end], [4, 6]);
});

function syntaxError(text: string): string {
  try {
    parseExpression(text);
  } catch (error) {
    assert.ok(error instanceof ExpressionError, text);
    assert.equal(error.code, 1100);
    assert.equal(error.message, `${error.detail}: invalid parameter`);
    return error.detail;
  }
  assert.fail(`expected a syntax error for ${text}`);
}

test('syntax errors reproduce ANTLR reports as Milvus relays them', () => {
  const cases: [string, string][] = [
    ['(a > 1', "line 1:6 missing ')' at '<EOF>'"],
    ['(a b)', "line 1:3 extraneous input 'b' expecting ')'"],
    ['(a b c)', "line 1:3 mismatched input 'b' expecting ')'"],
    ['()', "line 1:1 no viable alternative at input ')'"],
    ['(a > )', "line 1:5 no viable alternative at input '>)'"],
    ['(a + )', "line 1:5 no viable alternative at input ')'"],
    ['(1 < a < )', "line 1:9 no viable alternative at input '<a<)'"],
    [')', "line 1:0 no viable alternative at input ')'"],
    ['not', "line 1:3 no viable alternative at input '<EOF>'"],
    ['a # b', "line 1:2 token recognition error at: '#'"],
    ['a > 1\n#', "line 2:0 token recognition error at: '#'"],
    ['[1, 2', "line 1:5 mismatched input '<EOF>' expecting {',', ']'}"],
    ['[1 2]', "line 1:3 extraneous input '2' expecting {',', ']'}"],
    ['[1,,2]', "line 1:3 no viable alternative at input ',,'"],
    ['(a like 2)', "line 1:8 mismatched input '2' expecting StringLiteral"],
    // At top level the same mistake just ends the expression early (ANTLR's prediction exits).
    ['a like 1 or (a like 2)', 'invalid expression: a like 1 or (a like 2)'],
    ['(a not b)', "line 1:7 missing IN at 'b'"],
    [`text_match(a, 'x' 1)`, "line 1:18 extraneous input '1' expecting {',', ')'}"],
    ['{1}', "line 1:1 mismatched input '1' expecting Identifier"],
    ['array_length(1)', "line 1:13 mismatched input '1' expecting {Identifier, JSONIdentifier}"],
  ];
  for (const [text, message] of cases) {
    assert.equal(syntaxError(text), `cannot parse expression: ${text}, error: ${message}`, text);
  }
});

test('a complete expression followed by tokens that cannot continue it is an invalid expression', () => {
  for (const text of [
    'a >',
    'a > 1 b',
    'a > 1)',
    'a ["b"]',
    'a like 1',
    'a + (b',
    'a > 1 and',
    'a is  null',
  ]) {
    assert.equal(
      syntaxError(text),
      `cannot parse expression: ${text}, error: invalid expression: ${text}`,
      text,
    );
  }
});

test('deep nesting fails with a clear error instead of exhausting the stack', () => {
  const deep = `${'('.repeat(1001)}a > 1${')'.repeat(1001)}`;
  assert.equal(
    syntaxError(deep),
    `cannot parse expression: ${deep}, error: expression nesting depth exceeds the limit of 1000`,
  );
  const unary = `${'not '.repeat(1500)}(a > 1)`;
  assert.match(syntaxError(unary), /nesting depth exceeds the limit of 1000$/);
  const arithmetic = `${Array.from({ length: 1500 }, () => '1').join(' + ')} > a`;
  assert.match(syntaxError(arithmetic), /nesting depth exceeds the limit of 1000$/);
  // Within the limit is fine, and long and/or chains do not count as depth.
  assert.doesNotThrow(() => parseExpression(`${'('.repeat(900)}a > 1${')'.repeat(900)}`));
  assert.doesNotThrow(() =>
    parseExpression(Array.from({ length: 5000 }, (_, i) => `a == ${i}`).join(' or ')),
  );
  assert.doesNotThrow(() => parseExpression('(a > 1)', { maxDepth: 3 }));
  assert.throws(() => parseExpression('((a > 1))', { maxDepth: 3 }), /nesting depth exceeds the limit of 3/);
});

test('Han characters are escaped before lexing, as Milvus does', () => {
  assert.equal(parse('s == "名字"'), '(s == "\\u540d\\u5b57")');
  assert.equal(
    syntaxError('名 == 1'),
    "cannot parse expression: 名 == 1, error: line 1:0 token recognition error at: '\\'",
  );
});
