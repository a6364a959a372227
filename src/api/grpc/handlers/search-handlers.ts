import { okStatus } from '../../../errors/index.js';
import { encodeFieldData, encodeIds } from '../codec/field-data-codec.js';
import { keyValuesToRecord, type WireKeyValue } from '../codec/key-value.js';
import { decodePlaceholderGroup } from '../codec/placeholder-codec.js';
import { decodeTemplateValues } from '../codec/template-values-codec.js';
import type { HandlerFamily } from './rpc-handler.js';

interface SearchRequest {
  collection_name: string;
  partition_names?: string[];
  dsl?: string;
  placeholder_group?: Buffer;
  output_fields?: string[];
  search_params?: WireKeyValue[];
  expr_template_values?: Record<string, never>;
}

export const searchHandlers: HandlerFamily = (service) => ({
  Search: (request: SearchRequest, context) => {
    const result = service.search.search(context, {
      collectionName: request.collection_name,
      partitionNames: request.partition_names ?? [],
      filter: request.dsl ?? '',
      templateValues: decodeTemplateValues(request.expr_template_values),
      outputFields: request.output_fields ?? [],
      params: keyValuesToRecord(request.search_params),
      vectors: decodePlaceholderGroup(request.placeholder_group),
    });
    const pk = result.collection.schema.fields.find((f) => f.isPrimaryKey)!;
    return {
      status: okStatus,
      results: {
        num_queries: String(result.nq),
        top_k: String(result.topK),
        fields_data: result.outputs.map(({ field, column }) => encodeFieldData(field, column)),
        scores: result.scores,
        ids: encodeIds(result.pkColumn),
        topks: result.hits.map((hits) => String(hits.length)),
        output_fields: result.outputFieldNames,
        primary_field_name: pk.name,
      },
      collection_name: result.collection.name,
      session_ts: '0',
    };
  },
});
