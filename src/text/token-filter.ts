import { AnalyzerParamsError } from './analyzer-params-error.js';
import { asciiFold } from './ascii-folding.js';
import { englishStem } from './english-stemmer.js';
import { englishStopWords } from './english-stop-words.js';
import { utf8Length } from './utf8-offsets.js';

/**
 * One token filter: returns the (possibly rewritten) term, or undefined to drop the token. Every
 * filter Quiver supports maps or drops one token at a time (none splits or adds tokens), and
 * filters never change a token's offsets or position, as in tantivy.
 */
export type TokenFilter = (term: string) => string | undefined;

type JsonObject = Record<string, unknown>;

/** Builds a filter from one entry of analyzer_params.filter, as Milvus's analyzer builder does. */
export function createTokenFilter(entry: unknown): TokenFilter | undefined {
  if (typeof entry === 'string') return builtInFilter(entry);
  if (isObject(entry)) return configuredFilter(entry);
  return undefined; // Milvus skips entries that are neither a name nor an object
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function builtInFilter(name: string): TokenFilter {
  switch (name) {
    case 'lowercase':
      return lowercase;
    case 'asciifolding':
      return asciiFold;
    case 'alphanumonly':
      return (term) => (asciiAlphanumeric.test(term) ? term : undefined);
    case 'cncharonly':
      return (term) => (han.test(term) ? term : undefined);
    case 'cnalphanumonly':
      return (term) => (hanOrAsciiAlphanumeric.test(term) ? term : undefined);
    case 'removepunct':
      return (term) => (punctuationOrSpace.test(term) ? undefined : term);
    default:
      throw new AnalyzerParamsError(`build analyzer failed, filter not found :${name}`);
  }
}

function configuredFilter(params: JsonObject): TokenFilter {
  const type = params['type'];
  if (type === undefined) throw new AnalyzerParamsError('no type field in filter params');
  if (typeof type !== 'string') throw new AnalyzerParamsError('filter type should be string');
  switch (type) {
    case 'length': {
      const max = params['max'];
      if (typeof max !== 'number' || !Number.isInteger(max) || max < 0) {
        throw new AnalyzerParamsError('lenth max param was none or not uint');
      }
      // tantivy's RemoveLongFilter::limit(max + 1): keeps tokens of at most `max` UTF-8 bytes.
      return (term) => (term.length <= max / 3 || utf8Length(term) <= max ? term : undefined);
    }
    case 'stop': {
      const words = new Set(
        params['stop_words'] === undefined ? [] : stopWordList(params['stop_words'], 'stop_words'),
      );
      if (params['stop_words_file'] !== undefined) {
        throw new AnalyzerParamsError('stop_words_file is not supported by Quiver (no file resources)');
      }
      return (term) => (words.has(term) ? undefined : term);
    }
    case 'stemmer': {
      const language = params['language'];
      if (typeof language !== 'string')
        throw new AnalyzerParamsError('stemmer language field should be string');
      const lower = language.toLowerCase();
      if (lower === 'english') return englishStem;
      if (milvusStemmerLanguages.has(lower)) {
        throw new AnalyzerParamsError(
          `create stemmer failed : language ${language} is not supported by Quiver yet`,
        );
      }
      throw new AnalyzerParamsError(`create stemmer failed : unsupport language: ${lower}`);
    }
    case 'decompounder':
    case 'regex':
    case 'synonym':
      throw new AnalyzerParamsError(`filter type ${type} is not supported by Quiver yet`);
    default:
      throw new AnalyzerParamsError(`unsupport filter type: ${type}`);
  }
}

/**
 * A stop_words value: an array of strings where `_english_` expands to the built-in list. Milvus
 * treats other unknown `_x_` entries as literal words; its other language lists are not shipped here,
 * so those are refused rather than silently ignored.
 */
export function stopWordList(value: unknown, label: string): string[] {
  if (!Array.isArray(value)) throw new AnalyzerParamsError(`${label} should be array`);
  const words: string[] = [];
  for (const item of value) {
    if (typeof item !== 'string') throw new AnalyzerParamsError(`${label} list item should be string`);
    if (item === '_english_') words.push(...englishStopWords);
    else if (milvusStopWordLists.has(item)) {
      throw new AnalyzerParamsError(`stop words list ${item} is not supported by Quiver yet`);
    } else words.push(item);
  }
  return words;
}

const milvusStopWordLists = new Set([
  '_danish_',
  '_dutch_',
  '_finnish_',
  '_french_',
  '_german_',
  '_hungarian_',
  '_italian_',
  '_norwegian_',
  '_portuguese_',
  '_russian_',
  '_spanish_',
  '_swedish_',
  '_chinese_',
]);
const milvusStemmerLanguages = new Set([
  'arabic',
  'arabig',
  'danish',
  'dutch',
  'finnish',
  'french',
  'german',
  'greek',
  'hungarian',
  'italian',
  'norwegian',
  'portuguese',
  'romanian',
  'russian',
  'spanish',
  'swedish',
  'tamil',
  'turkish',
]);

const asciiAlphanumeric = /^[A-Za-z0-9]*$/;
// Milvus's cn filters and removepunct use unanchored Rust regexes: one matching character decides.
const han = /\p{Script=Han}/u;
const hanOrAsciiAlphanumeric = /[\p{Script=Han}A-Za-z0-9]/u;
const punctuationOrSpace = /[\p{P}\s]/u;
const nonAscii = /[^\u0000-\u007f]/;

/**
 * tantivy's LowerCaser: char-by-char Unicode lowercase. Unlike String.prototype.toLowerCase it has no
 * final-sigma rule ("ΟΔΟΣ" → "οδοσ"), so words match wherever they stand.
 */
function lowercase(term: string): string {
  const lower = term.toLowerCase();
  if (!nonAscii.test(term) || !term.includes('Σ')) return lower;
  let out = '';
  for (const char of term) out += char.toLowerCase();
  return out;
}
