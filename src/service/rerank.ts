import { errors } from '../errors/index.js';

/** A ranking strategy of HybridSearch, parsed and checked from rank_params. */
export type Reranker =
  | { strategy: 'rrf'; k: number }
  | { strategy: 'weighted'; weights: number[]; normScore: boolean };

/** One sub-request's hits for one query: keys (primary keys as strings) and scores, best first. */
export interface RankedList {
  metric: string;
  keys: readonly string[];
  scores: readonly number[];
}

const similarityMetrics = new Set(['IP', 'COSINE', 'BM25']);

/**
 * Milvus's score normalisation for the weighted ranker (reranker code, getNormalizeFunc): every
 * metric is mapped to [0, 1] with larger = better.
 */
export function normalizeScore(metric: string, score: number): number {
  switch (metric.toUpperCase()) {
    case 'COSINE':
      return (1 + score) * 0.5;
    case 'IP':
      return 0.5 + Math.atan(score) / Math.PI;
    case 'BM25':
      return (2 * Math.atan(score)) / Math.PI;
    default:
      // Distances (L2, HAMMING, JACCARD): smaller is better, so invert.
      return 1 - (2 * Math.atan(score)) / Math.PI;
  }
}

/** Parses rank_params' strategy and params (JSON), with Milvus's checks and messages. */
export function parseReranker(rankParams: Record<string, string>, requestCount: number): Reranker {
  const strategy = (rankParams.strategy ?? 'rrf').toLowerCase();
  let params: Record<string, unknown> = {};
  if (rankParams.params) {
    try {
      params = JSON.parse(rankParams.params) as Record<string, unknown>;
    } catch {
      throw errors.parameterInvalid(`rank params are not valid JSON: ${rankParams.params}`);
    }
  }
  if (strategy === 'rrf') {
    const k = params.k === undefined ? 60 : Number(params.k);
    if (!Number.isFinite(k) || k <= 0 || k >= 16384) {
      throw errors.parameterInvalid(`The rank params k should be in range (0, 16384)`);
    }
    return { strategy: 'rrf', k };
  }
  if (strategy === 'weighted') {
    if (!Array.isArray(params.weights)) throw errors.uncoded('The weights param should be an array');
    const weights = params.weights.map(Number);
    for (const weight of weights) {
      if (!(weight >= 0 && weight <= 1))
        throw errors.parameterInvalid('rank param weight should be in range [0, 1]');
    }
    if (weights.length !== requestCount) {
      throw errors.parameterInvalidValue(
        requestCount,
        weights.length,
        'the length of weights param mismatch with ann search requests',
      );
    }
    const normScore =
      params.norm_score === undefined ? true : params.norm_score === true || params.norm_score === 'true';
    return { strategy: 'weighted', weights, normScore };
  }
  throw errors.uncoded(`unsupported rank type ${strategy}`);
}

export interface FusedHit {
  key: string;
  score: number;
  /** Which list and position the key was first seen at (to fetch its row). */
  list: number;
  position: number;
}

/**
 * Fuses one query's ranked lists. RRF: Σ 1 / (k + rank), rank from 1. Weighted: Σ wᵢ · norm(scoreᵢ)
 * (norm as normalizeScore; without norm_score, distances are still turned larger-is-better when
 * metrics are mixed, as Milvus does). Best first; equal scores keep the order keys were first seen.
 */
export function fuse(reranker: Reranker, lists: readonly RankedList[]): FusedHit[] {
  const fused = new Map<string, FusedHit>();
  const mixed =
    lists.some((l) => similarityMetrics.has(l.metric.toUpperCase())) &&
    lists.some((l) => !similarityMetrics.has(l.metric.toUpperCase()));
  const allDistances = lists.every((l) => !similarityMetrics.has(l.metric.toUpperCase()));
  lists.forEach((list, index) => {
    list.keys.forEach((key, position) => {
      let contribution: number;
      if (reranker.strategy === 'rrf') {
        contribution = 1 / (reranker.k + position + 1);
      } else {
        const raw = list.scores[position]!;
        const score = reranker.normScore
          ? normalizeScore(list.metric, raw)
          : mixed && !similarityMetrics.has(list.metric.toUpperCase())
            ? 1 - (2 * Math.atan(raw)) / Math.PI
            : raw;
        contribution = reranker.weights[index]! * score;
      }
      const hit = fused.get(key);
      if (hit) hit.score += contribution;
      else fused.set(key, { key, score: contribution, list: index, position });
    });
  });
  // Weighted sums of raw distances (norm_score off, only distance metrics) rank ascending.
  const ascending = reranker.strategy === 'weighted' && !reranker.normScore && allDistances;
  return [...fused.values()].sort((a, b) => (ascending ? a.score - b.score : b.score - a.score));
}
