import { okStatus } from '../../../errors/index.js';
import { type Column, DataType } from '../../../schema/index.js';
import { encodeFieldData, encodeIds } from '../codec/field-data-codec.js';
import { keyValuesToRecord, type WireKeyValue } from '../codec/key-value.js';
import { decodeTemplateValues } from '../codec/template-values-codec.js';
import { wireTimestamp } from '../codec/wire-timestamps.js';
import type { HandlerFamily } from './rpc-handler.js';

interface QueryRequest {
  collection_name: string;
  expr?: string;
  output_fields?: string[];
  partition_names?: string[];
  query_params?: WireKeyValue[];
  expr_template_values?: Record<string, never>;
}

interface DeleteRequest {
  collection_name: string;
  partition_name?: string;
  expr?: string;
  expr_template_values?: Record<string, never>;
}

function keysOf(column: Column): Array<bigint | string> {
  return column.type === DataType.Int64 ? Array.from(column.values) : (column.values as string[]);
}

/** Query and Delete: the RPCs that take a filter expression. */
export const queryHandlers: HandlerFamily = (service) => ({
  Query: (request: QueryRequest, context) => {
    const result = service.query.query(context, {
      collectionName: request.collection_name,
      expr: request.expr ?? '',
      outputFields: request.output_fields ?? [],
      partitionNames: request.partition_names ?? [],
      params: keyValuesToRecord(request.query_params),
      templateValues: decodeTemplateValues(request.expr_template_values),
    });
    const pk = result.collection.schema.fields.find((f) => f.isPrimaryKey)!;
    if (result.count !== undefined) {
      return {
        status: okStatus,
        fields_data: [
          { type: 'Int64', field_name: 'count(*)', scalars: { long_data: { data: [String(result.count)] } } },
        ],
        collection_name: result.collection.name,
        output_fields: ['count(*)'],
        session_ts: '0',
        primary_field_name: pk.name,
      };
    }
    return {
      status: okStatus,
      fields_data: result.outputs.map(({ field, column }) => encodeFieldData(field, column)),
      collection_name: result.collection.name,
      output_fields: result.outputs.map(({ field }) => field.name),
      session_ts: '0',
      primary_field_name: pk.name,
    };
  },

  Delete: async (request: DeleteRequest, context) => {
    const collection = service.data.resolveCollection(context, request.collection_name);
    const keys = service.query.matchingKeys(
      collection,
      request.expr ?? '',
      request.partition_name ?? '',
      decodeTemplateValues(request.expr_template_values),
    );
    const { ts, deleted } = await service.data.deleteByKeys(
      collection,
      request.partition_name ?? '',
      keysOf(keys),
    );
    return {
      status: okStatus,
      IDs: encodeIds(keys),
      succ_index: [],
      err_index: [],
      acknowledged: false,
      insert_cnt: '0',
      delete_cnt: String(deleted),
      upsert_cnt: '0',
      timestamp: wireTimestamp(ts),
    };
  },
});
