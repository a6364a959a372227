import { okStatus } from '../../../errors/index.js';
import type { SearchResult, SearchRequest as ServiceSearchRequest } from '../../../service/search-service.js';
import { encodeFieldData } from '../codec/field-data-codec.js';
import { decodeIds, encodeIds, type WireIds } from '../codec/ids-codec.js';
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
  /** Search by primary key (Milvus 2.6): these rows' vectors are the queries. */
  ids?: WireIds | null;
}

interface HybridSearchRequest {
  collection_name: string;
  partition_names?: string[];
  requests?: SearchRequest[];
  rank_params?: WireKeyValue[];
  output_fields?: string[];
}

function decodeSearchRequest(request: SearchRequest): ServiceSearchRequest {
  const ids = decodeIds(request.ids);
  const byKeys = ids !== undefined && ids.values.length > 0;
  return {
    collectionName: request.collection_name,
    partitionNames: request.partition_names ?? [],
    filter: request.dsl ?? '',
    templateValues: decodeTemplateValues(request.expr_template_values),
    outputFields: request.output_fields ?? [],
    params: keyValuesToRecord(request.search_params),
    vectors:
      byKeys && !request.placeholder_group?.length
        ? undefined
        : decodePlaceholderGroup(request.placeholder_group),
    ids: byKeys ? ids : undefined,
  };
}

/** milvus.SearchResults as clients read it: hits flattened over queries, `topks` per query. */
function encodeSearchResults(result: SearchResult): object {
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
      ...(result.groupBy
        ? { group_by_field_value: encodeFieldData(result.groupBy.field, result.groupBy.column) }
        : {}),
    },
    collection_name: result.collection.name,
    session_ts: '0',
  };
}

export const searchHandlers: HandlerFamily = (service) => ({
  Search: async (request: SearchRequest, context) =>
    encodeSearchResults(await service.search.search(context, decodeSearchRequest(request))),

  HybridSearch: async (request: HybridSearchRequest, context) =>
    encodeSearchResults(
      await service.hybridSearch.hybridSearch(context, {
        collectionName: request.collection_name,
        partitionNames: request.partition_names ?? [],
        requests: (request.requests ?? []).map((sub) =>
          decodeSearchRequest({ ...sub, collection_name: request.collection_name }),
        ),
        rankParams: keyValuesToRecord(request.rank_params),
        outputFields: request.output_fields ?? [],
      }),
    ),
});
