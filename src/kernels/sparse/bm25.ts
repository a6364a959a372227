/**
 * BM25 exactly as Milvus scores full-text search:
 *  - query side (Milvus internal/storage BM25Stats.BuildIDF): each distinct query term t with count c
 *    in the query gets weight c * float32(ln(1 + (N - df(t) + 0.5) / (df(t) + 0.5))), the logarithm
 *    in float64, then rounded to float32, and the product in float32;
 *  - document side (knowhere GetDocValueBM25Computer): tf * (k1 + 1) / (tf + k1 * (1 - b + b * (dl / avgdl)))
 *    evaluated in float32, with avgdl clamped to >= 1 (knowhere: avgdl = max(avgdl, 1));
 *  - score = the float32 sum over matching terms (ascending term id) of weight * documentValue.
 * dl is the row's document length: the float32 sum of its term frequencies (knowhere's row sum).
 */
const fround = Math.fround;

export interface Bm25Parameters {
  /** Term-frequency saturation, Milvus bm25_k1 (default 1.2). */
  k1: number;
  /** Length normalization, Milvus bm25_b (default 0.75). */
  b: number;
  /** Average document length over the whole collection (caller-maintained across segments). */
  avgdl: number;
}

/** Milvus's / Lucene's idf, in float64 then rounded to float32 as Milvus stores it. */
export function bm25Idf(docCount: number, docFreq: number): number {
  return fround(Math.log(1 + (docCount - docFreq + 0.5) / (docFreq + 0.5)));
}

/** The query weight of a term occurring `count` times in the query. */
export function bm25QueryWeight(count: number, docCount: number, docFreq: number): number {
  return fround(fround(count) * bm25Idf(docCount, docFreq));
}

/** The float32 constants knowhere uses: k1, b, (k1 + 1), (1 - b) and max(avgdl, 1). */
export interface Bm25Constants {
  k1: number;
  b: number;
  k1Plus1: number;
  oneMinusB: number;
  avgdl: number;
}

export function bm25Constants(parameters: Bm25Parameters): Bm25Constants {
  const { k1, b, avgdl } = parameters;
  if (!(k1 >= 0 && Number.isFinite(k1)))
    throw new RangeError(`bm25 k1 must be a finite number >= 0, got ${k1}`);
  if (!(b >= 0 && b <= 1)) throw new RangeError(`bm25 b must be in [0, 1], got ${b}`);
  if (!(avgdl > 0 && Number.isFinite(avgdl))) throw new RangeError(`bm25 avgdl must be > 0, got ${avgdl}`);
  const k1f = fround(k1);
  const bf = fround(b);
  return {
    k1: k1f,
    b: bf,
    k1Plus1: fround(k1f + 1),
    oneMinusB: fround(1 - bf),
    avgdl: fround(Math.max(fround(avgdl), 1)),
  };
}

/**
 * The length part of the denominator, k1 * (1 - b + b * (dl / avgdl)) in float32; it depends only on
 * the row, so searches compute it once per row and reuse it for every term.
 */
export function bm25LengthNorm(c: Bm25Constants, docLength: number): number {
  return fround(c.k1 * fround(c.oneMinusB + fround(c.b * fround(docLength / c.avgdl))));
}

/** tf * (k1 + 1) / (tf + lengthNorm), float32. */
export function bm25DocValue(c: Bm25Constants, tf: number, lengthNorm: number): number {
  return fround(fround(tf * c.k1Plus1) / fround(tf + lengthNorm));
}

/**
 * A query term's float32 contribution to a row's score: weight · value for IP, and for BM25 (with
 * the search's constants and the row's length norm) weight · bm25DocValue of the value as tf. The
 * one formula every sparse search path sums, so they all agree bit for bit.
 */
export function sparseTermScore(
  weight: number,
  value: number,
  constants: Bm25Constants | undefined,
  lengthNorm: number,
): number {
  return constants === undefined
    ? fround(weight * value)
    : fround(weight * bm25DocValue(constants, value, lengthNorm));
}

/**
 * A float64 upper bound of bm25DocValue over postings whose tf <= maxTf and length >= minLength: the
 * value grows with tf and shrinks with dl (k1 >= 0, 0 <= b <= 1). Callers add slack for float32 rounding.
 */
export function bm25DocValueBound(c: Bm25Constants, maxTf: number, minLength: number): number {
  if (maxTf <= 0) return 0;
  const norm = c.k1 * (c.oneMinusB + c.b * (minLength / c.avgdl));
  return Math.min((maxTf * c.k1Plus1) / (maxTf + norm), c.k1Plus1);
}
