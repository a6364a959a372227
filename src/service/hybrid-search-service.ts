import type { KnnHit } from '../engine/search/vector-search.js';
import { errors } from '../errors/index.js';
import { primaryField } from '../schema/index.js';
import type { Catalog } from './catalog/catalog.js';
import type { RequestContext } from './request-context.js';
import { fuse, parseReranker, type RankedList } from './rerank.js';
import {
  integerParam,
  type SearchRequest,
  type SearchResult,
  type SearchService,
  searchResult,
  validateResultWindow,
} from './search-service.js';

export interface HybridSearchRequest {
  collectionName: string;
  partitionNames: readonly string[];
  /** The ANN sub-requests, each with its own field, vectors, filter, params and limit. */
  requests: SearchRequest[];
  /** strategy (rrf | weighted), params (JSON), limit, offset, round_decimal. */
  rankParams: Record<string, string>;
  outputFields: readonly string[];
}

/** Milvus's cap on ANN sub-requests in one hybrid search. */
const MAX_SUB_REQUESTS = 1024;

/**
 * HybridSearch: every sub-request is an ordinary search (same checks, same execution); their hits are
 * fused per query by primary key with RRF or the weighted ranker, then offset and limit apply and
 * the output fields are read from the fused rows.
 */
export class HybridSearchService {
  constructor(
    private readonly catalog: Catalog,
    private readonly search: SearchService,
  ) {}

  async hybridSearch(ctx: RequestContext, request: HybridSearchRequest): Promise<SearchResult> {
    const collection = this.catalog.getCollection(ctx.dbName, request.collectionName);
    if (request.requests.length === 0)
      throw errors.parameterInvalid('no ann search requests in hybrid search');
    if (request.requests.length > MAX_SUB_REQUESTS) {
      throw errors.parameterInvalid(
        `maximum of ann search requests is ${MAX_SUB_REQUESTS}, but got ${request.requests.length}`,
      );
    }
    const reranker = parseReranker(request.rankParams, request.requests.length);
    const limit = integerParam(request.rankParams, 'limit', 10);
    const offset = integerParam(request.rankParams, 'offset', 0);
    const roundDecimal = integerParam(request.rankParams, 'round_decimal', -1);
    validateResultWindow(limit, offset, this.search.maxResultWindow);
    const subResults = await Promise.all(
      request.requests.map((sub) =>
        this.search.search(ctx, {
          ...sub,
          // A sub-request returns its best `limit` hits; paging applies to the fused list only.
          params: { ...sub.params, offset: '0' },
          collectionName: collection.name,
          partitionNames: request.partitionNames.length > 0 ? request.partitionNames : sub.partitionNames,
          outputFields: [],
        }),
      ),
    );
    const nq = subResults[0]!.nq;
    if (subResults.some((r) => r.nq !== nq)) {
      throw errors.parameterInvalid('the nq of every ann search request in a hybrid search must be the same');
    }
    const pkName = primaryField(collection.schema).name;
    const keyOf = (hit: KnnHit) => String(hit.ref.segment.column(pkName)!.values[hit.ref.row]);
    const fusedPerQuery: KnnHit[][] = [];
    for (let q = 0; q < nq; q++) {
      const lists: RankedList[] = subResults.map((result) => ({
        metric: result.metric,
        keys: result.hits[q]!.map(keyOf),
        scores: result.hits[q]!.map((hit) => hit.score),
      }));
      const fused = fuse(reranker, lists).slice(offset, offset + limit);
      fusedPerQuery.push(
        fused.map((hit) => ({ ref: subResults[hit.list]!.hits[q]![hit.position]!.ref, score: hit.score })),
      );
    }
    const first = subResults[0]!;
    return searchResult(collection, first.metric, limit, fusedPerQuery, request.outputFields, roundDecimal);
  }
}
