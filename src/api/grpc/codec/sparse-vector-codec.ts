import type { SparseVector } from '../../../schema/index.js';

/**
 * Milvus's wire form of one sparse row (schema.SparseFloatArray.contents[i]): little-endian pairs
 * of uint32 index and float32 value, 8 bytes per non-zero element, indices strictly ascending.
 */
const pairSizeBytes = 8;

/** Milvus reserves 2^32-1 (typeutil.ValidateSparseFloatRows). */
const maxIndexExclusive = 0xffffffff;

/** Go's `%f` for the special floats Milvus's VerifyFloat prints. */
function goFloatVerb(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return value.toFixed(6);
}

/** typeutil.VerifyFloat's message for a NaN or infinite value, or undefined for a finite one. */
export function nonFiniteFloatError(value: number): string | undefined {
  return Number.isFinite(value) ? undefined : `value '${goFloatVerb(value)}' is not a number or infinity`;
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The first problem typeutil.ValidateSparseFloatRows finds in one row, worded as Milvus words it
 * (plain Go errors), or undefined when the row is valid. An empty row is valid.
 */
export function sparseVectorError(row: Uint8Array): string | undefined {
  if (row.byteLength % pairSizeBytes !== 0) {
    return `invalid data length in sparse float vector: ${row.byteLength}`;
  }
  const data = view(row);
  let previous = -1;
  for (let offset = 0; offset < row.byteLength; offset += pairSizeBytes) {
    const index = data.getUint32(offset, true);
    if (index === maxIndexExclusive) return 'invalid index in sparse float vector: must be less than 2^32-1';
    if (index <= previous) return 'unsorted or same indices in sparse float vector';
    previous = index;
    const value = data.getFloat32(offset + 4, true);
    const nonFinite = nonFiniteFloatError(value);
    if (nonFinite !== undefined) return nonFinite;
    if (value < 0) return 'negative value in sparse float vector';
  }
  return undefined;
}

/** Decodes a row that passed sparseVectorError. */
export function decodeSparseVector(row: Uint8Array): SparseVector {
  const count = row.byteLength / pairSizeBytes;
  const indices = new Uint32Array(count);
  const values = new Float32Array(count);
  const data = view(row);
  for (let i = 0; i < count; i++) {
    indices[i] = data.getUint32(i * pairSizeBytes, true);
    values[i] = data.getFloat32(i * pairSizeBytes + 4, true);
  }
  return { indices, values };
}

export function encodeSparseVector(vector: SparseVector): Buffer {
  const bytes = Buffer.alloc(vector.indices.length * pairSizeBytes);
  for (let i = 0; i < vector.indices.length; i++) {
    bytes.writeUInt32LE(vector.indices[i] ?? 0, i * pairSizeBytes);
    bytes.writeFloatLE(vector.values[i] ?? 0, i * pairSizeBytes + 4);
  }
  return bytes;
}

/** Milvus's dim of a sparse row: last index + 1 (typeutil.SparseFloatRowDim); 0 when empty. */
export function sparseVectorDim(vector: SparseVector): number {
  const last = vector.indices.length - 1;
  return last < 0 ? 0 : (vector.indices[last] ?? 0) + 1;
}
