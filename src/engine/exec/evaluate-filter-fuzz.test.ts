import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { QuiverError } from '../../errors/quiver-error.js';
import { compileFilter, evaluateRow, type FilterIr } from '../../expr/index.js';
import { seededRandom } from '../../kernels/seeded-random.js';
import { evaluateFilter } from './evaluate-filter.js';
import { buildIndexes, fields, makeRows, makeSegments, schema } from './filter-test-fixtures.js';
import { cellValue } from './row-object.js';

/**
 * A second net under the corpus test: random filters (fixed seed) over the seeded segments must
 * select exactly the rows the row evaluator (expr/evaluate-row.ts, fed by the engine's own row
 * objects) selects. Filters the compiler refuses are skipped; the generator keeps most valid.
 */
const segments = makeSegments(makeRows(1200, 7));
const rowObjects = segments.map(({ segment }) =>
  Array.from({ length: segment.numRows }, (_, row) => {
    const object: Record<string, unknown> = {};
    for (const f of fields) {
      const column = segment.column(f.name);
      object[f.name] = column ? cellValue(column, row) : null;
    }
    return object;
  }),
);

const indexes = segments.map(({ segment }) => buildIndexes(segment));
const random = seededRandom(99);
const candidates = segments.map(({ segment }) =>
  Uint8Array.from({ length: segment.numRows }, () => (random() < 0.7 ? 1 : 0)),
);

const pick = <T>(items: readonly T[]): fc.Arbitrary<T> => fc.constantFrom(...items);

const numericFields = ['i8', 'i16', 'i32', 'i64', 'f', 'd', 'ni32', 'ni64', 'nf', 'nd'];
const integerFields = ['i8', 'i16', 'i32', 'i64', 'ni32', 'ni64'];
const stringFields = ['s', 't', 'ns', 'pk'];
const jsonPaths = [
  'j["a"]',
  'j["b"]',
  'j["f"]',
  'j["t"]',
  'j["arr"]',
  'j["arr"][0]',
  'j["arr"][1]',
  'j["arr"][0][1]',
  'j["nested"]',
  'j["nested"]["k"]',
  'j["nested"]["x"]',
  'j["nested"]["deep"]["y"]',
  'j["0"]',
  'j[0]',
  'nj["a"]',
  'nj["b"]',
  'nj["nested"]["x"]',
  'color',
  'size',
  'price',
  'flag',
  'tags',
  'tags[0]',
  '$meta["info"]["level"]',
  'missing_key',
];
const arrayFields = ['ai', 'ai32', 'ai8', 'af', 'ad', 'as', 'ab', 'nai'];
const elements = [
  'ai[0]',
  'ai[1]',
  'ai32[2]',
  'ai8[0]',
  'af[0]',
  'ad[1]',
  'as[0]',
  'ab[0]',
  'nai[0]',
  'ai[7]',
];
const numbers = [
  '0',
  '1',
  '-1',
  '3',
  '5',
  '-5',
  '10',
  '127',
  '-128',
  '1000',
  '0.1',
  '0.5',
  '1.5',
  '-2.25',
  '2.5',
  '0.30000000000000004',
  '1e10',
  '9007199254740992',
  '9007199254740993',
  '-9223372036854775808',
  '9223372036854775807',
  '1152921504606846976',
];
const stringLiterals = [
  '""',
  '"a"',
  '"apple"',
  '"app"',
  '"banana"',
  '"x"',
  '"red"',
  '"é"',
  '"😀"',
  '"\\uffff"',
  '"1"',
];
const likePatterns = [
  '"a%"',
  '"%a"',
  '"%an%"',
  '"a_p%"',
  '"%"',
  '"_"',
  '"__"',
  '"a\\\\%b"',
  '"%é%"',
  '"a%b%"',
  '""',
];
const literals = [...numbers, ...stringLiterals, 'true', 'false', '[1, 2]', '[]', '["a", "b"]', '[0, 1, 2]'];
const ops = ['==', '!=', '<', '<=', '>', '>='];

const list = (items: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.array(items, { maxLength: 7 }).map((values) => `[${values.join(', ')}]`);

const leaf: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(pick(numericFields), pick(ops), pick(numbers)).map(([f, op, c]) => `${f} ${op} ${c}`),
  fc.tuple(pick(numbers), pick(ops), pick(numericFields)).map(([c, op, f]) => `${c} ${op} ${f}`),
  fc
    .tuple(pick(numbers), pick(['<', '<=']), pick(numericFields), pick(['<', '<=']), pick(numbers))
    .map(([a, op1, f, op2, b]) => `${a} ${op1} ${f} ${op2} ${b}`),
  fc
    .tuple(pick(numericFields), fc.boolean(), list(pick(numbers)))
    .map(([f, negated, l]) => `${f} ${negated ? 'not in' : 'in'} ${l}`),
  fc.tuple(pick(stringFields), pick(ops), pick(stringLiterals)).map(([f, op, c]) => `${f} ${op} ${c}`),
  fc.tuple(pick(stringFields), list(pick(stringLiterals))).map(([f, l]) => `${f} in ${l}`),
  fc
    .tuple(pick([...stringFields, 'j["b"]', 'color', 'as[0]']), pick(likePatterns))
    .map(([f, p]) => `${f} like ${p}`),
  fc
    .tuple(pick(['b', 'nb']), pick(['==', '!=']), pick(['true', 'false']))
    .map(([f, op, c]) => `${f} ${op} ${c}`),
  fc.tuple(pick(jsonPaths), pick(ops), pick(literals)).map(([f, op, c]) => `${f} ${op} ${c}`),
  fc.tuple(pick(jsonPaths), list(pick(literals))).map(([f, l]) => `${f} in ${l}`),
  fc
    .tuple(pick(elements), pick(ops), pick([...numbers, ...stringLiterals, 'true']))
    .map(([f, op, c]) => `${f} ${op} ${c}`),
  fc.tuple(pick(elements), list(pick([...numbers, ...stringLiterals]))).map(([f, l]) => `${f} in ${l}`),
  fc
    .tuple(pick([...arrayFields, 'j["arr"]', 'tags', 'j["a"]']), pick(ops), pick(['0', '1', '2', '3', '1.5']))
    .map(([f, op, c]) => `array_length(${f}) ${op} ${c}`),
  fc
    .tuple(
      pick(['array_contains', 'json_contains']),
      pick([...arrayFields, 'j["arr"]', 'tags', 'j["a"]', 'j']),
      pick([...numbers.slice(0, 12), ...stringLiterals.slice(0, 8), 'true', '[1, 2]']),
    )
    .map(([fn, f, c]) => `${fn}(${f}, ${c})`),
  fc
    .tuple(
      pick(['array_contains_all', 'array_contains_any', 'json_contains_all', 'json_contains_any']),
      pick([...arrayFields, 'j["arr"]', 'tags']),
      list(pick([...numbers.slice(0, 10), ...stringLiterals.slice(0, 8), 'true', 'false'])),
    )
    .map(([fn, f, l]) => `${fn}(${f}, ${l})`),
  fc
    .tuple(pick(arrayFields), pick(['==', '!=']), pick(['[1, 2]', '[]', '[0]', '["red"]', '[true]', '[0.5]']))
    .map(([f, op, c]) => `${f} ${op} ${c}`),
  fc
    .tuple(
      pick([...integerFields, 'j["a"]', 'size', 'ai[0]', 'ai32[1]', 'ai8[0]']),
      pick(['+', '-', '*', '/', '%']),
      pick(['1', '2', '3', '7', '-4', '4194304', '4503599627370497', '9223372036854775807']),
      pick(ops),
      pick(numbers.filter((c) => !c.includes('.') && !c.includes('e'))),
    )
    .map(([f, a, y, op, c]) => `${f} ${a} ${y} ${op} ${c}`),
  fc
    .tuple(
      pick(['f', 'd', 'nf', 'nd', 'af[0]', 'ad[1]', 'j["f"]', 'price']),
      pick(['+', '-', '*', '/']),
      pick(['1', '0.5', '3', '1e15', '-0.1']),
      pick(ops),
      pick(numbers),
    )
    .map(([f, a, y, op, c]) => `${f} ${a} ${y} ${op} ${c}`),
  fc
    .tuple(
      pick(integerFields),
      fc.integer({ min: -300, max: 300 }),
      fc.integer({ min: 0, max: 300 }),
      pick(['<', '<=']),
      pick(['<', '<=']),
    )
    .map(([f, lo, width, op1, op2]) => `${lo} ${op1} ${f} ${op2} ${lo + width + 1}`),
  fc
    .tuple(pick([...numericFields, ...stringFields, 'b', 'nb', 'j', 'nj', 'nai', ...jsonPaths]), fc.boolean())
    .map(([f, not]) => `${f} is ${not ? 'not ' : ''}null`),
  pick(jsonPaths).map((f) => `exists ${f}`),
  fc
    .tuple(
      pick([...numericFields, 's', 'b', 'ai[0]', 'ai32[0]']),
      pick(ops),
      pick([...numericFields, 't', 'nb', 'ns', 'ai[1]', 'af[0]']),
    )
    .map(([a, op, b]) => `${a} ${op} ${b}`),
  pick([
    'empty(s)',
    'empty(ns)',
    'starts_with(s, "a")',
    'starts_with(ns, "ap")',
    'starts_with(s, t)',
    'starts_with(t, ns)',
  ]),
  pick([
    'text_match(title, "quick")',
    'text_match(title, "fox dog")',
    'text_match(title, "quick dog lazy", minimum_should_match=2)',
    'phrase_match(title, "quick brown")',
    'phrase_match(title, "the fox", 1)',
  ]),
  pick(['1 == 1', '1 == 2', 'true == false']),
);

const filter: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc
      .tuple(tie('expr'), pick(['and', 'or', '&&', '||']), tie('expr'))
      .map(([a, op, b]) => `(${a}) ${op} (${b})`),
    tie('expr').map((a) => `not (${a})`),
  ),
})).expr;

function compileOrSkip(text: string): FilterIr | undefined {
  try {
    return compileFilter(text, schema);
  } catch (error) {
    if (error instanceof QuiverError) return undefined;
    throw error;
  }
}

test('evaluateFilter agrees with evaluateRow on random filters (fast-check, fixed seed)', () => {
  let compiled = 0;
  fc.assert(
    fc.property(filter, (text) => {
      const ir = compileOrSkip(text);
      if (ir === undefined) return;
      compiled++;
      segments.forEach(({ segment }, s) => {
        const mask = evaluateFilter(ir, segment);
        const withIndexes = evaluateFilter(ir, segment, { indexes: indexes[s]! });
        const restricted = evaluateFilter(ir, segment, { candidates: candidates[s]! });
        const objects = rowObjects[s]!;
        for (let row = 0; row < objects.length; row++) {
          const expected: number = evaluateRow(ir, objects[row]!) ? 1 : 0;
          const where = `${text}: segment ${s} row ${row}`;
          if (mask[row] !== expected)
            assert.fail(`${where}: evaluateFilter ${mask[row]}, evaluateRow ${expected}`);
          if (withIndexes[row] !== expected) {
            assert.fail(`${where}: with indexes ${withIndexes[row]}, evaluateRow ${expected}`);
          }
          if (restricted[row] !== (expected & candidates[s]![row]!)) {
            assert.fail(`${where}: with candidates ${restricted[row]}, evaluateRow ${expected}`);
          }
        }
      });
    }),
    { seed: 0x5eed, numRuns: 600 },
  );
  assert.ok(compiled >= 350, `only ${compiled} of 600 random filters compiled`);
});
