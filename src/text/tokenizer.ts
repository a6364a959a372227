/**
 * A tokenizer reports each token as a UTF-16 range [start, end) of the input, in text order.
 * Positions are the order of emission (0, 1, 2, ...), as tantivy's tokenizers assign them.
 */
export interface Tokenizer {
  scan(text: string, emit: (start: number, end: number) => void): void;
}
