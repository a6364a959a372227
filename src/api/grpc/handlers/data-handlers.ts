import { okStatus } from '../../../errors/index.js';
import { decodeFieldData, encodeIds, type WireFieldData } from '../codec/field-data-codec.js';
import { wireTimestamp } from '../codec/wire-timestamps.js';
import type { HandlerFamily } from './rpc-handler.js';

interface WriteRequest {
  collection_name: string;
  partition_name?: string;
  fields_data?: WireFieldData[];
  num_rows?: number;
}

interface FlushRequest {
  collection_names?: string[];
}

interface StatisticsRequest {
  collection_name: string;
  partition_name?: string;
}

/** Insert, Upsert, Flush, GetFlushState and statistics. Delete and Query live with the filter language. */
export const dataHandlers: HandlerFamily = (service) => {
  const write = async (
    request: WriteRequest,
    context: Parameters<typeof service.data.resolveCollection>[0],
    mode: 'insert' | 'upsert',
  ) => {
    const collection = service.data.resolveCollection(context, request.collection_name);
    const batch = decodeFieldData(collection.schema, request.fields_data ?? [], request.num_rows ?? 0, {
      upsert: mode === 'upsert',
    });
    const outcome = await service.data.write(collection, request.partition_name ?? '', batch, mode);
    return {
      status: okStatus,
      IDs: encodeIds(outcome.ids),
      succ_index: Array.from({ length: outcome.count }, (_, i) => i),
      err_index: [],
      acknowledged: false,
      insert_cnt: String(mode === 'insert' ? outcome.count : 0),
      delete_cnt: '0',
      upsert_cnt: String(mode === 'upsert' ? outcome.count : 0),
      timestamp: wireTimestamp(outcome.ts),
    };
  };

  return {
    Insert: (request: WriteRequest, context) => write(request, context, 'insert'),

    Upsert: (request: WriteRequest, context) => write(request, context, 'upsert'),

    Flush: async (request: FlushRequest, context) => {
      const names = request.collection_names ?? [];
      const { segments, ts } = await service.data.flush(context, names);
      const segmentIds = Object.fromEntries(
        [...segments].map(([name, ids]) => [name, { data: ids.map(String) }]),
      );
      const nowSeconds = String(Math.floor(Date.now() / 1000));
      return {
        status: okStatus,
        db_name: service.catalog.getDatabase(context.dbName).name,
        coll_segIDs: segmentIds,
        flush_coll_segIDs: segmentIds,
        coll_seal_times: Object.fromEntries(names.map((name) => [name, nowSeconds])),
        coll_flush_ts: Object.fromEntries(names.map((name) => [name, wireTimestamp(ts)])),
        channel_cps: {},
      };
    },

    // Flush returns only after every segment it names is durable, so a flush it reported is done.
    GetFlushState: () => ({ status: okStatus, flushed: true }),

    GetCollectionStatistics: (request: StatisticsRequest, context) => {
      const collection = service.data.resolveCollection(context, request.collection_name);
      return {
        status: okStatus,
        stats: [{ key: 'row_count', value: String(service.data.rowCount(collection)) }],
      };
    },

    GetPartitionStatistics: (request: StatisticsRequest, context) => {
      const collection = service.data.resolveCollection(context, request.collection_name);
      const count = service.data.rowCount(collection, [request.partition_name ?? '']);
      return { status: okStatus, stats: [{ key: 'row_count', value: String(count) }] };
    },
  };
};
