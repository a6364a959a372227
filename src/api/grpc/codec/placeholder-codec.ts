import { errors } from '../../../errors/index.js';
import { DataType } from '../../../schema/index.js';
import type { SearchVectors } from '../../../service/search-service.js';
import { decodeMessage } from './milvus-proto.js';
import { decodeSparseVector, sparseVectorError } from './sparse-vector-codec.js';

interface WirePlaceholderGroup {
  placeholders: Array<{ tag: string; type: string | number; values: Buffer[] }>;
}

const placeholderTypes: Record<string, DataType> = {
  FloatVector: DataType.FloatVector,
  BinaryVector: DataType.BinaryVector,
  Float16Vector: DataType.Float16Vector,
  BFloat16Vector: DataType.BFloat16Vector,
  SparseFloatVector: DataType.SparseFloatVector,
  Int8Vector: DataType.Int8Vector,
  VarChar: DataType.VarChar,
};

/** SearchRequest.placeholder_group: the `$0` placeholder's type and one byte string per query. */
export function decodePlaceholderGroup(bytes: Uint8Array | undefined): SearchVectors {
  if (!bytes || bytes.length === 0) throw errors.parameterInvalid('placeholder group is empty');
  let group: WirePlaceholderGroup;
  try {
    group = decodeMessage<WirePlaceholderGroup>('milvus.proto.common.PlaceholderGroup', bytes);
  } catch (error) {
    throw errors.parameterInvalid(`failed to parse the placeholder group: ${(error as Error).message}`);
  }
  const placeholder = group.placeholders[0];
  if (!placeholder) throw errors.parameterInvalid('placeholder group has no placeholder');
  const type = typeof placeholder.type === 'string' ? placeholderTypes[placeholder.type] : undefined;
  if (type === undefined)
    throw errors.parameterInvalid(`unsupported placeholder type ${JSON.stringify(placeholder.type)}`);
  const values = placeholder.values.map((v) => new Uint8Array(v));
  if (type !== DataType.SparseFloatVector) return { type, values };
  // Sparse queries are decoded (and checked as Milvus checks sparse rows) here, at the wire.
  const sparse = values.map((row) => {
    const problem = sparseVectorError(row);
    if (problem) throw errors.parameterInvalid(problem);
    return decodeSparseVector(row);
  });
  return { type, values, sparse };
}
