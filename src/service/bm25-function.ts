import { crc32 } from 'node:zlib';
import { defaultAnalyze } from '../expr/index.js';
import type { CollectionSchema, Column, ColumnBatch, SparseVector } from '../schema/index.js';
import { DataType } from '../schema/index.js';

/**
 * A token's dimension in a BM25 sparse vector, as Milvus computes it (HashString2LessUint32):
 * CRC-32 (IEEE) of the token's first 100 UTF-8 bytes, modulo 2^32 − 1.
 */
export function bm25TermHash(token: string): number {
  return crc32(Buffer.from(token, 'utf8').subarray(0, 100)) % 0xffffffff;
}

/** Text → term frequencies keyed by term hash, indices sorted, as Milvus's BM25 function emits. */
export function bm25TermFrequencies(
  text: string,
  analyze: (text: string) => string[] = defaultAnalyze,
): SparseVector {
  const counts = new Map<number, number>();
  for (const token of analyze(text)) {
    const hash = bm25TermHash(token);
    counts.set(hash, (counts.get(hash) ?? 0) + 1);
  }
  const indices = Uint32Array.from([...counts.keys()].sort((a, b) => a - b));
  return { indices, values: Float32Array.from(indices, (i) => counts.get(i)!) };
}

/**
 * Fills the output field of every BM25 function of the schema from its input text field (clients
 * never send it): one sparse vector of term frequencies per row; a null or empty text gives an
 * empty vector.
 */
export function applyBm25Functions(schema: CollectionSchema, batch: ColumnBatch): ColumnBatch {
  const functions = schema.functions.filter((fn) => fn.type === 'BM25');
  if (functions.length === 0) return batch;
  const columns = new Map(batch.columns);
  for (const fn of functions) {
    const input = batch.columns.get(fn.inputFieldNames[0]!);
    const texts = input?.type === DataType.VarChar ? input : undefined;
    const values: SparseVector[] = Array.from({ length: batch.numRows }, (_, row) =>
      texts && (!texts.valid || texts.valid[row] === 1)
        ? bm25TermFrequencies(texts.values[row] ?? '')
        : { indices: new Uint32Array(0), values: new Float32Array(0) },
    );
    const output: Column = { type: DataType.SparseFloatVector, values };
    columns.set(fn.outputFieldNames[0]!, output);
  }
  return { numRows: batch.numRows, columns };
}
