import type { Tokenizer } from './tokenizer.js';

/**
 * Milvus's `standard` tokenizer.
 *
 * Default mode: tantivy's SimpleTokenizer, which Milvus uses for "standard": a token is a maximal run
 * of characters for which Rust's `char::is_alphanumeric` holds (Unicode Alphabetic or Numeric, i.e.
 * \p{Alphabetic} or \p{N}). So "dog's" → "dog", "s"; "32.3" → "32", "3"; "Brown-Foxes" → "Brown",
 * "Foxes"; a run of CJK ideographs is one token; punctuation and emoji are dropped.
 *
 * `uax29: true` (Milvus's newer opt-in, with `max_token_length`, default 255 characters): Unicode word
 * segmentation (UAX #29) keeping segments that contain an alphanumeric or emoji character, long
 * segments cut into chunks of max_token_length characters. Node's Intl.Segmenter (ICU) provides the
 * segmentation; ICU segments Chinese/Japanese ideographs and hiragana by dictionary where UAX #29's
 * default rules (and Rust's unicode-segmentation, which Milvus uses) make each one its own word, so
 * those characters are split back into single-character tokens here.
 */
export class StandardTokenizer implements Tokenizer {
  private static readonly alphanumericRun = /[\p{Alphabetic}\p{N}]+/gu;

  private constructor(
    private readonly uax29: boolean,
    private readonly maxTokenLength: number,
  ) {}

  static alphanumeric(): StandardTokenizer {
    return new StandardTokenizer(false, 0);
  }

  static uax29(maxTokenLength = 255): StandardTokenizer {
    return new StandardTokenizer(true, maxTokenLength);
  }

  scan(text: string, emit: (start: number, end: number) => void): void {
    if (this.uax29) scanUax29(text, this.maxTokenLength, emit);
    else {
      const run = StandardTokenizer.alphanumericRun;
      run.lastIndex = 0;
      for (let match = run.exec(text); match !== null; match = run.exec(text)) {
        emit(match.index, match.index + match[0].length);
      }
    }
  }
}

const wordOrEmoji =
  /[\p{Alphabetic}\p{N}\p{Extended_Pictographic}\p{Emoji_Presentation}\p{Regional_Indicator}]|\u20e3/u;
// Characters that UAX #29's default rules never join into words (each is its own segment) but that
// ICU's dictionary-based segmentation of Chinese/Japanese groups.
const singleCharacterWord = /[\p{Ideographic}\p{Script=Hiragana}]/u;
const singleCharacterWords = /[\p{Ideographic}\p{Script=Hiragana}]/gu;
let segmenter: Intl.Segmenter | undefined;

function scanUax29(text: string, maxTokenLength: number, emit: (start: number, end: number) => void): void {
  // A fixed locale: word boundaries must not depend on the host's default locale.
  segmenter ??= new Intl.Segmenter('en', { granularity: 'word' });
  for (const { segment, index } of segmenter.segment(text)) {
    if (!wordOrEmoji.test(segment)) continue;
    if (!singleCharacterWord.test(segment)) {
      emitChunks(segment, index, maxTokenLength, emit);
      continue;
    }
    let from = 0;
    singleCharacterWords.lastIndex = 0;
    for (
      let match = singleCharacterWords.exec(segment);
      match !== null;
      match = singleCharacterWords.exec(segment)
    ) {
      if (match.index > from)
        emitChunks(segment.slice(from, match.index), index + from, maxTokenLength, emit);
      emit(index + match.index, index + match.index + match[0].length);
      from = match.index + match[0].length;
    }
    if (from < segment.length) emitChunks(segment.slice(from), index + from, maxTokenLength, emit);
  }
}

/** Emits `segment` (starting at `offset`) in chunks of at most `maxLength` code points. */
function emitChunks(
  segment: string,
  offset: number,
  maxLength: number,
  emit: (start: number, end: number) => void,
): void {
  let start = 0;
  while (start < segment.length) {
    let end = start;
    for (let points = 0; points < maxLength && end < segment.length; points++) {
      const code = segment.charCodeAt(end);
      end += code >= 0xd800 && code <= 0xdbff && end + 1 < segment.length ? 2 : 1;
    }
    emit(offset + start, offset + end);
    start = end;
  }
}
