import { AnalyzerParamsError } from './analyzer-params-error.js';
import { englishStem } from './english-stemmer.js';
import { englishStopWords } from './english-stop-words.js';
import { StandardTokenizer } from './standard-tokenizer.js';
import { createTokenFilter, isObject, stopWordList, type TokenFilter } from './token-filter.js';
import type { Tokenizer } from './tokenizer.js';
import { Utf8Offsets } from './utf8-offsets.js';
import { WhitespaceTokenizer } from './whitespace-tokenizer.js';

/**
 * One token as Milvus's RunAnalyzer reports it (milvus.proto AnalyzerToken, with_detail): `start` and
 * `end` are UTF-8 byte offsets into the text (tantivy's offset_from/offset_to), `position` the
 * token's index in the tokenizer's output (gaps remain where filters dropped tokens).
 */
export interface AnalyzerToken {
  token: string;
  start: number;
  end: number;
  position: number;
  positionLength: number;
}

/** A tokenizer followed by filters, built from Milvus analyzer_params. Stateless and reusable. */
export class Analyzer {
  constructor(
    private readonly tokenizer: Tokenizer,
    private readonly filters: readonly TokenFilter[],
  ) {}

  /** Tokens with offsets and positions (what RunAnalyzer returns with with_detail = true). */
  tokens(text: string): AnalyzerToken[] {
    const out: AnalyzerToken[] = [];
    const offsets = new Utf8Offsets(text);
    let position = 0;
    this.tokenizer.scan(text, (start, end) => {
      const term = this.filter(text.slice(start, end));
      if (term !== undefined) {
        out.push({
          token: term,
          start: offsets.byteOffset(start),
          end: offsets.byteOffset(end),
          position,
          positionLength: 1,
        });
      }
      position += 1;
    });
    return out;
  }

  /** Just the terms, in order: what BM25 and text match index. */
  terms(text: string): string[] {
    const out: string[] = [];
    this.forEachTerm(text, (term) => out.push(term));
    return out;
  }

  /** Calls `visit` with each term in order, without building an array. */
  forEachTerm(text: string, visit: (term: string) => void): void {
    this.tokenizer.scan(text, (start, end) => {
      const term = this.filter(text.slice(start, end));
      if (term !== undefined) visit(term);
    });
  }

  private filter(term: string): string | undefined {
    const filters = this.filters;
    for (let i = 0; i < filters.length; i++) {
      const next = filters[i]!(term);
      if (next === undefined) return undefined;
      term = next;
    }
    return term;
  }
}

const lowercase = createTokenFilter('lowercase')!;

/**
 * Builds an analyzer from Milvus's analyzer_params (the JSON object given on a VARCHAR field, or to
 * RunAnalyzer), following tantivy-binding's create_analyzer:
 * - `{}` (or undefined / '' ) → the standard analyzer;
 * - `{type: 'standard' | 'english', stop_words?: [...]}` → a built-in analyzer (other keys ignored);
 * - `{tokenizer: 'standard' | 'whitespace' | {type, ...}, filter?: [...]}` → a custom analyzer;
 *   filter entries are names ('lowercase', 'asciifolding', 'alphanumonly', 'cncharonly',
 *   'cnalphanumonly', 'removepunct') or objects ({type: 'stop' | 'stemmer' | 'length', ...}).
 * A JSON string is parsed first. Invalid params throw AnalyzerParamsError with Milvus's message.
 */
export function createAnalyzer(analyzerParams: unknown): Analyzer {
  let params = analyzerParams;
  if (params === undefined || params === null || params === '') return standardAnalyzer([]);
  if (typeof params === 'string') {
    try {
      params = JSON.parse(params);
    } catch (error) {
      throw new AnalyzerParamsError(`analyzer params is not valid json: ${(error as Error).message}`);
    }
  }
  if (!isObject(params)) throw new AnalyzerParamsError('params should be a json map');
  if (Object.keys(params).length === 0) return standardAnalyzer([]);

  const type = params['type'];
  if (type !== undefined) {
    if (typeof type !== 'string') throw new AnalyzerParamsError('analyzer type shoud be string');
    const stopWords =
      params['stop_words'] === undefined ? [] : stopWordList(params['stop_words'], 'filter stop_words');
    switch (type) {
      case 'standard':
        return standardAnalyzer(stopWords);
      case 'english':
        return englishAnalyzer(stopWords);
      case 'chinese':
        throw new AnalyzerParamsError('build-in analyzer type chinese is not supported by Quiver yet');
      default:
        throw new AnalyzerParamsError(`unknown build-in analyzer type: ${type}`);
    }
  }

  const tokenizer = createTokenizer(params['tokenizer']);
  const filters: TokenFilter[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (key === 'tokenizer') continue;
    if (key !== 'filter') throw new AnalyzerParamsError(`unknown analyzer option key: ${key}`);
    if (!Array.isArray(value)) throw new AnalyzerParamsError('filter params should be array');
    for (const entry of value) {
      const filter = createTokenFilter(entry);
      if (filter !== undefined) filters.push(filter);
    }
  }
  return new Analyzer(tokenizer, filters);
}

function standardAnalyzer(stopWords: readonly string[]): Analyzer {
  return new Analyzer(StandardTokenizer.alphanumeric(), [lowercase, ...stopFilter(stopWords)]);
}

/** Milvus's english analyzer: standard tokenizer, lowercase, stemmer, then the _english_ stop list. */
function englishAnalyzer(stopWords: readonly string[]): Analyzer {
  const builtIn = new Set(englishStopWords);
  return new Analyzer(StandardTokenizer.alphanumeric(), [
    lowercase,
    englishStem,
    (term) => (builtIn.has(term) ? undefined : term),
    ...stopFilter(stopWords),
  ]);
}

function stopFilter(stopWords: readonly string[]): TokenFilter[] {
  if (stopWords.length === 0) return [];
  const words = new Set(stopWords);
  return [(term) => (words.has(term) ? undefined : term)];
}

function createTokenizer(value: unknown): Tokenizer {
  if (value === undefined) throw new AnalyzerParamsError('tokenizer name or type must be set');
  let name: string;
  let options: Record<string, unknown> = {};
  if (typeof value === 'string') name = value;
  else if (isObject(value)) {
    const type = value['type'];
    if (type === undefined) throw new AnalyzerParamsError('costum tokenizer must set type');
    if (typeof type !== 'string') throw new AnalyzerParamsError('tokenizer type should be string');
    name = type;
    options = value;
  } else throw new AnalyzerParamsError('tokenizer name should be string or dict');

  switch (name) {
    case 'standard':
      return standardTokenizer(options);
    case 'whitespace':
      return new WhitespaceTokenizer();
    case 'jieba':
    case 'lindera':
    case 'icu':
    case 'grpc':
    case 'language_identifier':
    case 'char_group':
      throw new AnalyzerParamsError(`tokenizer ${name} is not supported by Quiver yet`);
    default:
      throw new AnalyzerParamsError(`unsupported tokenizer: ${name}`);
  }
}

const maxTokenLengthLimit = 1024 * 1024;

/** Options of Milvus's StandardTokenizer::from_json (uax29, max_token_length). */
function standardTokenizer(options: Record<string, unknown>): Tokenizer {
  const uax29 = options['uax29'];
  if (uax29 !== undefined && typeof uax29 !== 'boolean') {
    throw new AnalyzerParamsError('standard tokenizer uax29 must be a boolean');
  }
  const maxTokenLength = options['max_token_length'];
  if (uax29 !== true) {
    if (maxTokenLength !== undefined) {
      throw new AnalyzerParamsError('standard tokenizer max_token_length requires uax29 to be true');
    }
    return StandardTokenizer.alphanumeric();
  }
  if (maxTokenLength === undefined) return StandardTokenizer.uax29();
  if (typeof maxTokenLength !== 'number' || !Number.isInteger(maxTokenLength) || maxTokenLength < 0) {
    throw new AnalyzerParamsError('standard tokenizer max_token_length must be a positive integer');
  }
  if (maxTokenLength === 0 || maxTokenLength > maxTokenLengthLimit) {
    throw new AnalyzerParamsError(
      `standard tokenizer max_token_length must be between 1 and ${maxTokenLengthLimit}`,
    );
  }
  return StandardTokenizer.uax29(maxTokenLength);
}
