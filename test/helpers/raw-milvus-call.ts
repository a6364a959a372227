import * as grpc from '@grpc/grpc-js';
import { decodeMessage, encodeMessage, protoRoot } from '../../src/api/grpc/codec/milvus-proto.js';

/**
 * Calls one MilvusService RPC with a hand-built request, bypassing the SDK's client-side checks,
 * so tests can send what a buggy or hostile client would.
 */
export async function rawMilvusCall<T = Record<string, unknown>>(
  address: string,
  rpc: string,
  request: object | Buffer,
  metadata: Record<string, string> = {},
): Promise<T> {
  const channel = new grpc.Client(address, grpc.credentials.createInsecure());
  const service = protoRoot.lookupService('milvus.proto.milvus.MilvusService');
  const definition = service.methods[rpc];
  if (!definition) throw new Error(`no RPC ${rpc}`);
  definition.resolve();
  const requestType = definition.resolvedRequestType!.fullName.slice(1);
  const responseType = definition.resolvedResponseType!.fullName.slice(1);
  const body = Buffer.isBuffer(request) ? request : Buffer.from(encodeMessage(requestType, request));
  const md = new grpc.Metadata();
  for (const [key, value] of Object.entries(metadata)) md.set(key, value);
  try {
    const bytes = await new Promise<Buffer>((resolve, reject) =>
      channel.makeUnaryRequest(
        `/milvus.proto.milvus.MilvusService/${rpc}`,
        (x: Buffer) => x,
        (x: Buffer) => x,
        body,
        md,
        (error, value) => (error ? reject(error) : resolve(value as Buffer)),
      ),
    );
    return decodeMessage<T>(responseType, bytes);
  } finally {
    channel.close();
  }
}

export function schemaBytes(schema: object): Buffer {
  return Buffer.from(encodeMessage('milvus.proto.schema.CollectionSchema', schema));
}
