import { createRequire } from 'node:module';
import { fromJSON, type PackageDefinition } from '@grpc/proto-loader';
import protobuf from 'protobufjs';

/**
 * Milvus's protocol, loaded from the JSON descriptor that ships inside the official Node SDK
 * (pinned in package.json), so Quiver speaks exactly the messages the SDKs were built against.
 */
const require = createRequire(import.meta.url);
const descriptor = (
  require('@zilliz/milvus2-sdk-node/dist/milvus/proto-json/milvus.js') as { default: protobuf.INamespace }
).default;

export const SERVICE_NAME = 'milvus.proto.milvus.MilvusService';

/**
 * Options shared by the server's codec and our own decoding of embedded messages (schema bytes,
 * placeholder groups): field names as in the .proto, 64-bit integers as decimal strings, enums as
 * their names, defaults filled in.
 */
export const protoOptions = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
} as const;

export const packageDefinition: PackageDefinition = fromJSON(descriptor, protoOptions);

export const protoRoot: protobuf.Root = protobuf.Root.fromJSON(descriptor);

const service = protoRoot.lookupService(SERVICE_NAME);

/** Every RPC of the service, in descriptor order. */
export const rpcNames: readonly string[] = Object.keys(service.methods);

/** Whether the RPC answers with a bare common.Status rather than a message holding `status`. */
export function respondsWithBareStatus(rpc: string): boolean {
  const method = service.methods[rpc];
  if (!method) throw new Error(`unknown RPC ${rpc}`);
  method.resolve();
  return method.resolvedResponseType?.fullName === '.milvus.proto.common.Status';
}

export function lookupType(name: string): protobuf.Type {
  return protoRoot.lookupType(name);
}

/** Decodes an embedded message into the same plain-object form the gRPC codec produces. */
export function decodeMessage<T>(typeName: string, bytes: Uint8Array): T {
  const type = lookupType(typeName);
  return type.toObject(type.decode(bytes), { ...protoOptions, bytes: Buffer, arrays: true }) as T;
}

export function encodeMessage(typeName: string, value: object): Uint8Array {
  const type = lookupType(typeName);
  return type.encode(type.fromObject(value)).finish();
}
