import type { QuiverService } from '../../../service/quiver-service.js';
import type { RequestContext } from '../../../service/request-context.js';

/**
 * One RPC's implementation: the decoded request (plain object, proto field names) in, the response
 * message out. Throwing a QuiverError produces the in-band error status; the server adds it.
 */
export type RpcHandler = (request: never, context: RequestContext) => Promise<object> | object;

export type HandlerTable = Record<string, RpcHandler>;

export type HandlerFamily = (service: QuiverService) => HandlerTable;

/** Fields every Milvus request may carry that the server itself interprets. */
export interface WireRequestBase {
  db_name?: string;
}
