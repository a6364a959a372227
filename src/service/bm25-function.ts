import type { CollectionSchema, Column, ColumnBatch, FieldSchema, SparseVector } from '../schema/index.js';
import { DataType } from '../schema/index.js';
import { analyzerFor } from '../text/analyzer-cache.js';
import { milvusTokenHash } from '../text/milvus-token-hash.js';

/**
 * Text → term frequencies keyed by the term's hash (Milvus's HashString2LessUint32), indices
 * sorted, as Milvus's BM25 function emits them; tokens come from the input field's analyzer.
 */
export function bm25TermFrequencies(text: string, inputField: FieldSchema | undefined): SparseVector {
  const analyzer = analyzerFor(inputField?.typeParams.analyzer_params);
  const counts = new Map<number, number>();
  for (const token of analyzer.terms(text)) {
    const hash = milvusTokenHash(token);
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
    const inputField = schema.fields.find((f) => f.name === fn.inputFieldNames[0]);
    const input = batch.columns.get(fn.inputFieldNames[0]!);
    const texts = input?.type === DataType.VarChar ? input : undefined;
    const values: SparseVector[] = Array.from({ length: batch.numRows }, (_, row) =>
      texts && (!texts.valid || texts.valid[row] === 1)
        ? bm25TermFrequencies(texts.values[row] ?? '', inputField)
        : { indices: new Uint32Array(0), values: new Float32Array(0) },
    );
    const output: Column = { type: DataType.SparseFloatVector, values };
    columns.set(fn.outputFieldNames[0]!, output);
  }
  return { numRows: batch.numRows, columns };
}
