import { MilvusClient } from '@zilliz/milvus2-sdk-node';

/** The official Node SDK, pointed at a test server, with its own logging kept quiet. */
export function connectClient(address: string, database?: string): MilvusClient {
  return new MilvusClient({ address, database, logLevel: 'error', timeout: 15_000 });
}
