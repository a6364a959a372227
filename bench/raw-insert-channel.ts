import * as grpc from '@grpc/grpc-js';
import { encodeMessage, lookupType } from '../src/api/grpc/codec/milvus-proto.js';
import { seededRandom } from '../src/kernels/seeded-random.js';

export const ROWS_PER_REQUEST = 1000;
/**
 * Every key from 2^35 up to 2^42 encodes as a 6-byte varint, so a pre-encoded request's key block
 * has a fixed size and can be rewritten in place with fresh keys before each send.
 */
export const FIRST_KEY = 2 ** 35;
const KEY_LIMIT = 2 ** 42;
const VARINT_BYTES = 6;

/** The 1,000 vectors every request carries (row r of a request has vector r), fixed seed. */
export function requestVectors(dim: number): Float32Array {
  const random = seededRandom(dim);
  const vectors = new Float32Array(ROWS_PER_REQUEST * dim);
  for (let i = 0; i < vectors.length; i++) vectors[i] = random() * 2 - 1;
  return vectors;
}

const identity = (bytes: Buffer) => bytes;

/**
 * Sends Milvus InsertRequests as raw gRPC unary calls on one channel, without the SDK: each slot
 * holds one request encoded once ({id Int64, vector FloatVector}, 1,000 rows); only its primary
 * keys are rewritten per send, so the client's cost per request is a key patch and the transport.
 * A slot must not be reused before its previous insert resolved.
 */
export class RawInsertChannel {
  private readonly client: grpc.Client;
  private readonly requests: Buffer[];
  private readonly keyOffset: number;
  private readonly resultType = lookupType('milvus.proto.milvus.MutationResult');

  constructor(address: string, collectionName: string, dim: number, slots: number) {
    this.client = new grpc.Client(address, grpc.credentials.createInsecure(), {
      'grpc.max_send_message_length': -1,
      'grpc.max_receive_message_length': -1,
    });
    const keys = Array.from({ length: ROWS_PER_REQUEST }, (_, i) => FIRST_KEY + i);
    const template = Buffer.from(
      encodeMessage('milvus.proto.milvus.InsertRequest', {
        collection_name: collectionName,
        fields_data: [
          { field_name: 'id', type: 'Int64', scalars: { long_data: { data: keys } } },
          {
            field_name: 'vector',
            type: 'FloatVector',
            vectors: { dim, float_vector: { data: Array.from(requestVectors(dim)) } },
          },
        ],
        num_rows: ROWS_PER_REQUEST,
      }),
    );
    const longArray = encodeMessage('milvus.proto.schema.LongArray', { data: keys });
    const keyBlock = longArray.subarray(longArray.length - ROWS_PER_REQUEST * VARINT_BYTES);
    this.keyOffset = template.indexOf(keyBlock);
    if (this.keyOffset < 0) throw new Error('key block not found in the encoded InsertRequest');
    this.requests = Array.from({ length: slots }, () => Buffer.from(template));
  }

  /** Inserts rows with keys firstKey .. firstKey + 999 from `slot`; rejects unless all were acknowledged. */
  insert(slot: number, firstKey: number): Promise<void> {
    if (firstKey < FIRST_KEY || firstKey + ROWS_PER_REQUEST > KEY_LIMIT) throw new Error('key out of range');
    const request = this.requests[slot]!;
    let offset = this.keyOffset;
    for (let i = 0; i < ROWS_PER_REQUEST; i++) {
      let key = firstKey + i;
      for (let b = 1; b < VARINT_BYTES; b++) {
        request[offset++] = (key % 128) | 0x80;
        key = Math.floor(key / 128);
      }
      request[offset++] = key;
    }
    return new Promise((resolve, reject) =>
      this.client.makeUnaryRequest(
        '/milvus.proto.milvus.MilvusService/Insert',
        identity,
        identity,
        request,
        (error, bytes) => {
          if (error) return reject(error);
          const result = this.resultType.decode(bytes!) as unknown as {
            status?: { code?: number; error_code?: number; reason?: string };
            insert_cnt?: { toString(): string };
          };
          const status = result.status;
          if ((status?.code ?? 0) !== 0 || (status?.error_code ?? 0) !== 0) {
            return reject(new Error(`Insert failed: ${status?.reason}`));
          }
          if (Number(String(result.insert_cnt)) !== ROWS_PER_REQUEST) {
            return reject(new Error(`Insert acknowledged ${String(result.insert_cnt)} rows`));
          }
          resolve();
        },
      ),
    );
  }

  close(): void {
    this.client.close();
  }
}
