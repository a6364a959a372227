import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type AnalyzerToken, createAnalyzer } from './analyzer.js';
import { AnalyzerParamsError } from './analyzer-params-error.js';

const terms = (params: unknown, text: string) => createAnalyzer(params).terms(text);

describe('Milvus documentation examples (run_analyzer expected outputs)', () => {
  test('standard analyzer with stop_words ["for"]', () => {
    assert.deepEqual(
      terms({ type: 'standard', stop_words: ['for'] }, 'The Milvus vector database is built for scale!'),
      ['the', 'milvus', 'vector', 'database', 'is', 'built', 'scale'],
    );
  });

  test('english analyzer with stop_words ["a", "an", "the"] keeps removing _english_', () => {
    assert.deepEqual(
      terms(
        { type: 'english', stop_words: ['a', 'an', 'the'] },
        'Milvus is a vector database built for scale!',
      ),
      ['milvus', 'vector', 'databas', 'built', 'scale'],
    );
  });

  test('stop filter with ["of", "to", "_english_"] (no lowercase: "The" stays)', () => {
    const params = {
      tokenizer: 'standard',
      filter: [{ type: 'stop', stop_words: ['of', 'to', '_english_'] }],
    };
    assert.deepEqual(
      terms(params, 'The stop filter allows control over common stop words for text processing.'),
      ['The', 'stop', 'filter', 'allows', 'control', 'over', 'common', 'stop', 'words', 'text', 'processing'],
    );
  });

  test('stemmer filter (english)', () => {
    const params = { tokenizer: 'standard', filter: [{ type: 'stemmer', language: 'english' }] };
    assert.deepEqual(terms(params, 'running runs looked ran runner'), [
      'run',
      'run',
      'look',
      'ran',
      'runner',
    ]);
  });

  test('whitespace tokenizer with lowercase keeps punctuation attached', () => {
    assert.deepEqual(
      terms(
        { tokenizer: 'whitespace', filter: ['lowercase'] },
        'The Milvus vector database is built for scale!',
      ),
      ['the', 'milvus', 'vector', 'database', 'is', 'built', 'for', 'scale!'],
    );
  });

  test('{} and the default (no params) are the standard analyzer', () => {
    assert.deepEqual(terms({}, 'football, basketball, pingpang'), ['football', 'basketball', 'pingpang']);
    assert.deepEqual(terms(undefined, 'Hello World!'), ['hello', 'world']);
    assert.deepEqual(terms('', 'Hello World!'), ['hello', 'world']);
    assert.deepEqual(terms('{"type": "english"}', 'The dogs barked'), ['dog', 'bark']);
  });
});

describe('tantivy unit-test examples (the tokenizers and filters Milvus builds on)', () => {
  const detail = (params: unknown, text: string) =>
    createAnalyzer(params)
      .tokens(text)
      .map((t) => [t.token, t.position, t.start, t.end]);

  test('whitespace tokenizer: "Hello, happy tax payer!"', () => {
    assert.deepEqual(detail({ tokenizer: 'whitespace' }, 'Hello, happy tax payer!'), [
      ['Hello,', 0, 0, 6],
      ['happy', 1, 7, 12],
      ['tax', 2, 13, 16],
      ['payer!', 3, 17, 23],
    ]);
  });

  test('RemoveLongFilter::limit(6) = Milvus length max 5', () => {
    const params = { tokenizer: 'standard', filter: [{ type: 'length', max: 5 }] };
    assert.deepEqual(detail(params, 'hello tantivy, happy searching!'), [
      ['hello', 0, 0, 5],
      ['happy', 2, 15, 20],
    ]);
  });

  test('lowercase + english stemmer: "Dogs are the bests!"', () => {
    const params = { tokenizer: 'standard', filter: ['lowercase', { type: 'stemmer', language: 'english' }] };
    assert.deepEqual(detail(params, 'Dogs are the bests!'), [
      ['dog', 0, 0, 4],
      ['are', 1, 5, 8],
      ['the', 2, 9, 12],
      ['best', 3, 13, 18],
    ]);
  });

  test('lowercase of Cyrillic keeps byte offsets of the original', () => {
    assert.deepEqual(detail({}, 'Русский текст'), [
      ['русский', 0, 0, 14],
      ['текст', 1, 15, 25],
    ]);
  });
});

describe('standard tokenizer (tantivy SimpleTokenizer: runs of alphanumeric characters)', () => {
  test('splits on apostrophes, hyphens, dots, underscores; keeps digits', () => {
    assert.deepEqual(
      createAnalyzer({ tokenizer: 'standard' }).terms("The 2 QUICK Brown-Foxes dog's 32.3 a_b ---x1y2---"),
      ['The', '2', 'QUICK', 'Brown', 'Foxes', 'dog', 's', '32', '3', 'a', 'b', 'x1y2'],
    );
  });

  test('a CJK run is one token; emoji and punctuation are dropped; accented letters are letters', () => {
    assert.deepEqual(
      terms({ tokenizer: 'standard' }, '中文，系统安全;,lxyz密码 👩‍🔬 éclair Straße Ελληνικά русский 日本語'),
      ['中文', '系统安全', 'lxyz密码', 'éclair', 'Straße', 'Ελληνικά', 'русский', '日本語'],
    );
  });

  test('other numerals (superscripts, roman numerals) count as alphanumeric', () => {
    assert.deepEqual(terms({ tokenizer: 'standard' }, 'x² Ⅻ ½'), ['x²', 'Ⅻ', '½']);
  });

  test('empty and punctuation-only text give no tokens', () => {
    const analyzer = createAnalyzer({ type: 'english' });
    assert.deepEqual(analyzer.tokens(''), []);
    assert.deepEqual(analyzer.terms(''), []);
    assert.deepEqual(analyzer.terms(' ,.;!? --- '), []);
    assert.deepEqual(createAnalyzer({ tokenizer: 'whitespace' }).terms(' \t\n\r\f '), []);
  });
});

describe('standard tokenizer with uax29 (Milvus tantivy-binding tests)', () => {
  const uax29 = { tokenizer: { type: 'standard', uax29: true } };

  test('keeps apostrophes, decimals and IP addresses inside words', () => {
    assert.deepEqual(terms(uax29, "O'Reilly can't jump 32.3 feet from 216.239.63.104"), [
      "O'Reilly",
      "can't",
      'jump',
      '32.3',
      'feet',
      'from',
      '216.239.63.104',
    ]);
  });

  test('ideographs and hiragana are single tokens, katakana and hangul words stay whole, emoji kept', () => {
    assert.deepEqual(terms(uax29, '中文 仮名遣い カタカナ 한국어 👩‍🔬 🇨🇳 1️⃣'), [
      '中',
      '文',
      '仮',
      '名',
      '遣',
      'い',
      'カタカナ',
      '한국어',
      '👩‍🔬',
      '🇨🇳',
      '1️⃣',
    ]);
  });

  test('max_token_length cuts long words into chunks of characters', () => {
    const params = { tokenizer: { type: 'standard', uax29: true, max_token_length: 5 } };
    const text = 'jumped 日本語日本語';
    const tokens = createAnalyzer(params).tokens(text);
    assert.deepEqual(
      tokens.map((t) => t.token),
      ['jumpe', 'd', '日', '本', '語', '日', '本', '語'],
    );
    const bytes = Buffer.from(text);
    for (const t of tokens) assert.equal(bytes.subarray(t.start, t.end).toString(), t.token);
  });
});

describe('offsets and positions', () => {
  test('offsets are UTF-8 byte offsets into the text, positions count tokenizer output', () => {
    const tokens = createAnalyzer({}).tokens('héllo wörld 中文 ok 😀 end');
    assert.deepEqual(tokens, [
      { token: 'héllo', start: 0, end: 6, position: 0, positionLength: 1 },
      { token: 'wörld', start: 7, end: 13, position: 1, positionLength: 1 },
      { token: '中文', start: 14, end: 20, position: 2, positionLength: 1 },
      { token: 'ok', start: 21, end: 23, position: 3, positionLength: 1 },
      { token: 'end', start: 29, end: 32, position: 4, positionLength: 1 },
    ] satisfies AnalyzerToken[]);
  });

  test('offsets slice the original (un-lowercased, un-stemmed) text', () => {
    const text = 'Ünïcödé Runners RAN to the Café';
    const bytes = Buffer.from(text);
    const tokens = createAnalyzer({ type: 'english' }).tokens(text);
    assert.deepEqual(
      tokens.map((t) => [t.token, bytes.subarray(t.start, t.end).toString()]),
      [
        ['ünïcödé', 'Ünïcödé'],
        ['runner', 'Runners'],
        ['ran', 'RAN'],
        ['café', 'Café'],
      ],
    );
  });

  test('stop words leave gaps in positions (filters do not renumber)', () => {
    const tokens = createAnalyzer({ type: 'english' }).tokens('the cat and the hat');
    assert.deepEqual(
      tokens.map((t) => [t.token, t.position]),
      [
        ['cat', 1],
        ['hat', 4],
      ],
    );
  });

  test('terms() equals the token strings of tokens()', () => {
    const analyzer = createAnalyzer({ type: 'english' });
    const text = 'Wolves were running across the snowy fields; 3 hunters watched.';
    assert.deepEqual(
      analyzer.terms(text),
      analyzer.tokens(text).map((t) => t.token),
    );
  });
});

describe('filters', () => {
  const withFilters = (filter: unknown[]) => createAnalyzer({ tokenizer: 'standard', filter });

  test('lowercase has no final-sigma rule (tantivy lowercases char by char)', () => {
    assert.deepEqual(withFilters(['lowercase']).terms('ΟΔΟΣ Straße İstanbul MiXeD'), [
      'οδοσ',
      'straße',
      'i̇stanbul',
      'mixed',
    ]);
  });

  test('length max counts UTF-8 bytes and keeps tokens of exactly max', () => {
    const analyzer = withFilters([{ type: 'length', max: 4 }]);
    assert.deepEqual(analyzer.terms('abcd abcde éé ééé 中 中文'), ['abcd', 'éé', '中']);
  });

  test('alphanumonly keeps only ASCII letters and digits', () => {
    assert.deepEqual(withFilters(['alphanumonly']).terms('abc 123 café 中文 x9'), ['abc', '123', 'x9']);
  });

  test('asciifolding removes diacritics and folds special Latin letters', () => {
    assert.deepEqual(
      withFilters(['lowercase', 'asciifolding']).terms('Café Ørsted Straße Łódź Ærø naïve 中文'),
      ['cafe', 'orsted', 'strasse', 'lodz', 'aero', 'naive', '中文'],
    );
  });

  test('removepunct drops tokens containing punctuation (whitespace tokenizer)', () => {
    const analyzer = createAnalyzer({ tokenizer: 'whitespace', filter: ['removepunct'] });
    assert.deepEqual(analyzer.terms('hello , world! ok 。'), ['hello', 'ok']);
  });

  test('cncharonly keeps tokens with a Han character, cnalphanumonly also ASCII alphanumerics', () => {
    const text = '中文 abc é ;; 1';
    assert.deepEqual(createAnalyzer({ tokenizer: 'whitespace', filter: ['cncharonly'] }).terms(text), [
      '中文',
    ]);
    assert.deepEqual(createAnalyzer({ tokenizer: 'whitespace', filter: ['cnalphanumonly'] }).terms(text), [
      '中文',
      'abc',
      '1',
    ]);
  });

  test('stop filter is case-sensitive and exact; stemmer runs where it is listed', () => {
    assert.deepEqual(withFilters([{ type: 'stop', stop_words: ['the'] }]).terms('The the THE'), [
      'The',
      'THE',
    ]);
    // Stop before stemming removes "running" itself, not its stem.
    const stopThenStem = withFilters([
      { type: 'stop', stop_words: ['run'] },
      { type: 'stemmer', language: 'English' },
    ]);
    assert.deepEqual(stopThenStem.terms('run running'), ['run']);
  });

  test('english analyzer stems before removing stop words', () => {
    // "this" and "was" are stop words both before and after stemming; "is" too.
    assert.deepEqual(terms({ type: 'english' }, 'This was the thing that is'), ['thing']);
  });

  test('entries that are neither names nor objects are skipped, as Milvus does', () => {
    assert.deepEqual(withFilters([42, null, 'lowercase']).terms('ABC'), ['abc']);
  });
});

describe('invalid params throw AnalyzerParamsError with Milvus messages', () => {
  const cases: [unknown, string][] = [
    [[], 'params should be a json map'],
    [42, 'params should be a json map'],
    ['{not json', 'analyzer params is not valid json'],
    [{ type: 7 }, 'analyzer type shoud be string'],
    [{ type: 'klingon' }, 'unknown build-in analyzer type: klingon'],
    [{ type: 'english', stop_words: 'the' }, 'filter stop_words should be array'],
    [{ type: 'standard', stop_words: [1] }, 'filter stop_words list item should be string'],
    [{ filter: ['lowercase'] }, 'tokenizer name or type must be set'],
    [{ tokenizer: 5 }, 'tokenizer name should be string or dict'],
    [{ tokenizer: {} }, 'costum tokenizer must set type'],
    [{ tokenizer: { type: 1 } }, 'tokenizer type should be string'],
    [{ tokenizer: 'nope' }, 'unsupported tokenizer: nope'],
    [{ tokenizer: 'standard', extra: 1 }, 'unknown analyzer option key: extra'],
    [{ tokenizer: 'standard', filter: 'lowercase' }, 'filter params should be array'],
    [{ tokenizer: 'standard', filter: ['uppercase'] }, 'build analyzer failed, filter not found :uppercase'],
    [{ tokenizer: 'standard', filter: [{}] }, 'no type field in filter params'],
    [{ tokenizer: 'standard', filter: [{ type: 3 }] }, 'filter type should be string'],
    [{ tokenizer: 'standard', filter: [{ type: 'shout' }] }, 'unsupport filter type: shout'],
    [{ tokenizer: 'standard', filter: [{ type: 'length' }] }, 'lenth max param was none or not uint'],
    [
      { tokenizer: 'standard', filter: [{ type: 'length', max: -1 }] },
      'lenth max param was none or not uint',
    ],
    [
      { tokenizer: 'standard', filter: [{ type: 'length', max: 2.5 }] },
      'lenth max param was none or not uint',
    ],
    [{ tokenizer: 'standard', filter: [{ type: 'stemmer' }] }, 'stemmer language field should be string'],
    [
      { tokenizer: 'standard', filter: [{ type: 'stemmer', language: 'Elvish' }] },
      'create stemmer failed : unsupport language: elvish',
    ],
    [{ tokenizer: 'standard', filter: [{ type: 'stop', stop_words: 'a' }] }, 'stop_words should be array'],
    [{ tokenizer: { type: 'standard', uax29: 'yes' } }, 'standard tokenizer uax29 must be a boolean'],
    [
      { tokenizer: { type: 'standard', max_token_length: 5 } },
      'standard tokenizer max_token_length requires uax29 to be true',
    ],
    [
      { tokenizer: { type: 'standard', uax29: true, max_token_length: 0 } },
      'standard tokenizer max_token_length must be between 1 and 1048576',
    ],
    [
      { tokenizer: { type: 'standard', uax29: true, max_token_length: '255' } },
      'standard tokenizer max_token_length must be a positive integer',
    ],
  ];
  for (const [params, message] of cases) {
    test(`${JSON.stringify(params)} → ${message}`, () => {
      assert.throws(
        () => createAnalyzer(params),
        (error: unknown) => error instanceof AnalyzerParamsError && error.message.startsWith(message),
      );
    });
  }

  test('Milvus features Quiver does not ship are refused, not silently ignored', () => {
    for (const params of [
      { type: 'chinese' },
      { tokenizer: 'jieba' },
      { tokenizer: 'standard', filter: [{ type: 'stemmer', language: 'french' }] },
      { tokenizer: 'standard', filter: [{ type: 'stop', stop_words: ['_french_'] }] },
      { tokenizer: 'standard', filter: [{ type: 'synonym', synonyms: [] }] },
    ]) {
      assert.throws(
        () => createAnalyzer(params),
        (error: unknown) =>
          error instanceof AnalyzerParamsError && /not supported by Quiver/.test(error.message),
      );
    }
  });
});
