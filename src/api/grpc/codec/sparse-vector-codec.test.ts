import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeSparseVector,
  encodeSparseVector,
  nonFiniteFloatError,
  sparseVectorDim,
  sparseVectorError,
} from './sparse-vector-codec.js';

/** Little-endian (uint32 index, float32 value) pairs, as the SDKs send a sparse row. */
function row(...pairs: [number, number][]): Buffer {
  const bytes = Buffer.alloc(pairs.length * 8);
  pairs.forEach(([index, value], i) => {
    bytes.writeUInt32LE(index, i * 8);
    bytes.writeFloatLE(value, i * 8 + 4);
  });
  return bytes;
}

describe('sparse vector codec', () => {
  it('decodes rows into sorted indices and values and encodes them back byte for byte', () => {
    const bytes = row([1, 0.25], [3, 0.5], [4294967294, 2]);
    assert.equal(sparseVectorError(bytes), undefined);
    const vector = decodeSparseVector(bytes);
    assert.deepEqual(vector, {
      indices: Uint32Array.of(1, 3, 4294967294),
      values: Float32Array.of(0.25, 0.5, 2),
    });
    assert.deepEqual(encodeSparseVector(vector), bytes);
    assert.equal(sparseVectorDim(vector), 4294967295);
  });

  it('reads rows that do not start on an aligned offset', () => {
    const backing = Buffer.concat([Buffer.from([9]), row([7, 1.5])]);
    const unaligned = backing.subarray(1);
    assert.deepEqual(decodeSparseVector(unaligned), {
      indices: Uint32Array.of(7),
      values: Float32Array.of(1.5),
    });
  });

  it('accepts an empty row, whose dim is 0', () => {
    assert.equal(sparseVectorError(new Uint8Array(0)), undefined);
    const empty = decodeSparseVector(new Uint8Array(0));
    assert.equal(empty.indices.length, 0);
    assert.equal(sparseVectorDim(empty), 0);
  });

  it("rejects rows as typeutil.ValidateSparseFloatRows does, with Milvus's words", () => {
    assert.equal(sparseVectorError(Buffer.alloc(7)), 'invalid data length in sparse float vector: 7');
    assert.equal(
      sparseVectorError(row([4294967295, 1])),
      'invalid index in sparse float vector: must be less than 2^32-1',
    );
    assert.equal(sparseVectorError(row([5, 1], [2, 1])), 'unsorted or same indices in sparse float vector');
    assert.equal(sparseVectorError(row([5, 1], [5, 2])), 'unsorted or same indices in sparse float vector');
    assert.equal(sparseVectorError(row([1, Number.NaN])), "value 'NaN' is not a number or infinity");
    assert.equal(
      sparseVectorError(row([1, Number.NEGATIVE_INFINITY])),
      "value '-Inf' is not a number or infinity",
    );
    assert.equal(sparseVectorError(row([1, -0.5])), 'negative value in sparse float vector');
  });

  it("prints non-finite values as Go's %f does", () => {
    assert.equal(nonFiniteFloatError(Number.POSITIVE_INFINITY), "value '+Inf' is not a number or infinity");
    assert.equal(nonFiniteFloatError(1.5), undefined);
  });
});
