import type { Tokenizer } from './tokenizer.js';

/**
 * Milvus's `whitespace` tokenizer (tantivy's WhitespaceTokenizer): tokens are maximal runs of
 * characters that are not ASCII whitespace (space, tab, LF, form feed, CR, as Rust's
 * `char::is_ascii_whitespace`). Punctuation stays attached: "scale!" is one token.
 */
export class WhitespaceTokenizer implements Tokenizer {
  private static readonly run = /[^ \t\n\f\r]+/g;

  scan(text: string, emit: (start: number, end: number) => void): void {
    const run = WhitespaceTokenizer.run;
    run.lastIndex = 0;
    for (let match = run.exec(text); match !== null; match = run.exec(text)) {
      emit(match.index, match.index + match[0].length);
    }
  }
}
