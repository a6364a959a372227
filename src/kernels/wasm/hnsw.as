// HNSW (hierarchical navigable small world) graph build and search over resident float32 rows, L2, IP
// or COSINE, following hnswlib's algorithm: greedy descent through the upper levels, a beam search of
// width ef at level 0, and the diversity heuristic (getNeighborsByHeuristic2) to pick neighbours.
// The graph lives in linear memory (layout in hnsw-layout.as) so any instance on the shared memory can
// search it; per-search state lives in the caller's scratch.
//
// Keys: smaller is closer. L2 key = squared distance; IP and COSINE key = -similarity; NaN = +Infinity.
// Scores are computed with the same helpers and the same operation order as scan-top-k.as, so a pair's
// reported score is bit-identical to the exact scan's.
import { METRIC_COSINE, METRIC_IP, METRIC_L2 } from './metric';
import { dot, inverseNorm, l2Squared, sumSquares } from './float-distance';
import { heapPush, heapReplaceTop, heapSortBestFirst } from './top-k-heap';
import { minHeapPop, minHeapPush } from './hnsw-heap';
import {
  G_DIM,
  G_ENTRY,
  G_LEVELS,
  G_M,
  G_M0,
  G_MAX_LEVEL,
  G_METRIC,
  gi,
  neighbourList,
  nextEpoch,
  S_CAND_IDS,
  S_CAND_KEYS,
  S_LIST_IDS,
  S_LIST_KEYS,
  S_SEL_IDS,
  S_SEL_KEYS,
  S_SEL2_IDS,
  S_SEL2_KEYS,
  S_TOP_IDS,
  S_TOP_KEYS,
  S_VISITED,
  sp,
} from './hnsw-layout';

@inline
function keyAs(metric: i32, q: usize, qInv: f32, vectors: usize, invNorms: usize, id: i32, dim: i32): f32 {
  const row = vectors + <usize>id * (<usize>dim << 2);
  let key: f32;
  if (metric == METRIC_L2) key = l2Squared(q, row, dim);
  else if (metric == METRIC_IP) key = -dot(q, row, dim);
  else key = -(dot(q, row, dim) * qInv * load<f32>(invNorms + (<usize>id << 2)));
  return key != key ? Infinity : key;
}

@inline
function scoreIdsAs(
  metric: i32,
  q: usize,
  qInv: f32,
  vectors: usize,
  invNorms: usize,
  dim: i32,
  ids: usize,
  count: i32,
  out: usize,
): void {
  for (let t = 0; t < count; t++) {
    const id = load<i32>(ids + (<usize>t << 2));
    store<f32>(out + (<usize>t << 2), keyAs(metric, q, qInv, vectors, invNorms, id, dim));
  }
}

// out[t] = key of (q, row ids[t]). Kept out of line on purpose: the batch of a node's unvisited
// neighbours is scored in one tight loop with no heap work in between, so the loads of several rows
// overlap (memory-level parallelism stands in for hnswlib's explicit prefetches), and the distance
// loop keeps its accumulators in registers (see the note in scan-top-k.as).
function scoreIds(
  metric: i32,
  q: usize,
  qInv: f32,
  vectors: usize,
  invNorms: usize,
  dim: i32,
  ids: usize,
  count: i32,
  out: usize,
): void {
  if (metric == METRIC_L2) scoreIdsAs(METRIC_L2, q, 0, vectors, 0, dim, ids, count, out);
  else if (metric == METRIC_IP) scoreIdsAs(METRIC_IP, q, 0, vectors, 0, dim, ids, count, out);
  else scoreIdsAs(METRIC_COSINE, q, qInv, vectors, invNorms, dim, ids, count, out);
}

@inline
function isCandidate(bitset: usize, id: i32): bool {
  return ((load<u32>(bitset + (<usize>(id >>> 5) << 2)) >>> (<u32>id & 31)) & 1) != 0;
}

// WASM has no prefetch instruction. Instead, while collecting a node's unvisited neighbours, one load
// per cache line of each neighbour's row is issued: the loads are independent, so the CPU keeps many
// misses in flight at once, and the rows are (nearly) in cache when scoreIds computes the distances.
// The loaded words are folded into a sink so the loads cannot be dropped.
let touchSink: u32 = 0;

@inline
function touchRow(row: usize, rowBytes: usize): u32 {
  let sink: u32 = 0;
  for (let offset: usize = 0; offset < rowBytes; offset += 64) sink ^= load<u32>(row + offset);
  // A row that does not start on a line boundary ends in one more line.
  return sink ^ load<u32>(row + rowBytes - 4);
}

// Key of the node greedyDescend returns (a second result, per instance).
let descentKey: f32 = 0;

// From `node` (key `key`), moves greedily to closer neighbours on each level from `top` down to
// bottom + 1; returns the node reached and leaves its key in descentKey.
@inline
function greedyDescend(
  metric: i32,
  graph: usize,
  scratch: usize,
  q: usize,
  qInv: f32,
  vectors: usize,
  invNorms: usize,
  dim: i32,
  node: i32,
  key: f32,
  top: i32,
  bottom: i32,
): i32 {
  const listKeys = sp(scratch, S_LIST_KEYS);
  const rowBytes = <usize>dim << 2;
  for (let level = top; level > bottom; level--) {
    let changed = true;
    while (changed) {
      changed = false;
      const list = neighbourList(graph, node, level);
      const count = load<i32>(list);
      let touch: u32 = 0;
      for (let t = 0; t < count; t++) {
        touch ^= touchRow(vectors + <usize>load<i32>(list + ((<usize>t + 1) << 2)) * rowBytes, rowBytes);
      }
      touchSink = touch;
      scoreIds(metric, q, qInv, vectors, invNorms, dim, list + 4, count, listKeys);
      for (let t = 0; t < count; t++) {
        const k = load<f32>(listKeys + (<usize>t << 2));
        if (k < key) {
          key = k;
          node = load<i32>(list + ((<usize>t + 1) << 2));
          changed = true;
        }
      }
    }
  }
  descentKey = key;
  return node;
}

// Beam search of width ef on one level from `entry` (hnswlib's searchBaseLayer / searchBaseLayerST).
// Every reachable node may be traversed, but only rows whose bitset bit is set (all when bitset is 0)
// enter the result max-heap (scratch S_TOP_*). The search stops when the closest unexpanded candidate
// is worse than the worst result and the results are full, so with a restrictive bitset it keeps
// walking until ef allowed rows are found or the reachable graph is exhausted. Returns the result count.
@inline
function searchLayer(
  metric: i32,
  graph: usize,
  scratch: usize,
  q: usize,
  qInv: f32,
  vectors: usize,
  invNorms: usize,
  dim: i32,
  entry: i32,
  entryKey: f32,
  level: i32,
  ef: i32,
  bitset: usize,
): i32 {
  const visited = sp(scratch, S_VISITED);
  const candKeys = sp(scratch, S_CAND_KEYS);
  const candIds = sp(scratch, S_CAND_IDS);
  const topKeys = sp(scratch, S_TOP_KEYS);
  const topIds = sp(scratch, S_TOP_IDS);
  const listIds = sp(scratch, S_LIST_IDS);
  const listKeys = sp(scratch, S_LIST_KEYS);
  const epoch = <u16>nextEpoch(scratch);
  const rowBytes = <usize>dim << 2;
  let touch: u32 = 0;
  store<u16>(visited + (<usize>entry << 1), epoch);
  let top = 0;
  let lowerBound: f32 = Infinity;
  if (bitset == 0 || isCandidate(bitset, entry)) {
    heapPush(topKeys, topIds, 0, entryKey, entry);
    top = 1;
    lowerBound = entryKey;
  }
  minHeapPush(candKeys, candIds, 0, entryKey, entry);
  let cand = 1;
  while (cand > 0) {
    if (load<f32>(candKeys) > lowerBound && top == ef) break;
    const node = load<i32>(candIds);
    minHeapPop(candKeys, candIds, cand);
    cand--;
    const list = neighbourList(graph, node, level);
    const count = load<i32>(list);
    let fresh = 0;
    for (let j = 0; j < count; j++) {
      const id = load<i32>(list + ((<usize>j + 1) << 2));
      const tag = visited + (<usize>id << 1);
      if (load<u16>(tag) != epoch) {
        store<u16>(tag, epoch);
        store<i32>(listIds + (<usize>fresh << 2), id);
        fresh++;
        touch ^= touchRow(vectors + <usize>id * rowBytes, rowBytes);
      }
    }
    if (fresh == 0) continue;
    scoreIds(metric, q, qInv, vectors, invNorms, dim, listIds, fresh, listKeys);
    for (let t = 0; t < fresh; t++) {
      const key = load<f32>(listKeys + (<usize>t << 2));
      if (top < ef || key < lowerBound) {
        const id = load<i32>(listIds + (<usize>t << 2));
        minHeapPush(candKeys, candIds, cand, key, id);
        cand++;
        // Its neighbour list will probably be read soon: start loading it now.
        touch ^= load<u32>(neighbourList(graph, id, level));
        if (bitset == 0 || isCandidate(bitset, id)) {
          if (top < ef) {
            heapPush(topKeys, topIds, top, key, id);
            top++;
          } else {
            heapReplaceTop(topKeys, topIds, top, key, id);
          }
          lowerBound = load<f32>(topKeys);
        }
      }
    }
  }
  touchSink = touch;
  return top;
}

// hnswlib's getNeighborsByHeuristic2: from `size` candidates sorted closest first (keys = distance to
// the base point), keeps a candidate only when it is closer to the base point than to every candidate
// kept before it, up to maxCount. This keeps links spread over directions instead of clustered.
// Writes outIds/outKeys and returns how many were kept.
@inline
function selectNeighbours(
  metric: i32,
  vectors: usize,
  invNorms: usize,
  dim: i32,
  sortedKeys: usize,
  sortedIds: usize,
  size: i32,
  maxCount: i32,
  outIds: usize,
  outKeys: usize,
): i32 {
  if (size < maxCount) {
    memory.copy(outIds, sortedIds, <usize>size << 2);
    memory.copy(outKeys, sortedKeys, <usize>size << 2);
    return size;
  }
  const rowBytes = <usize>dim << 2;
  let kept = 0;
  for (let i = 0; i < size && kept < maxCount; i++) {
    const id = load<i32>(sortedIds + (<usize>i << 2));
    const key = load<f32>(sortedKeys + (<usize>i << 2));
    const row = vectors + <usize>id * rowBytes;
    const rowInv: f32 = metric == METRIC_COSINE ? load<f32>(invNorms + (<usize>id << 2)) : 0;
    let good = true;
    for (let s = 0; s < kept; s++) {
      const other = load<i32>(outIds + (<usize>s << 2));
      if (keyAs(metric, row, rowInv, vectors, invNorms, other, dim) < key) {
        good = false;
        break;
      }
    }
    if (good) {
      store<i32>(outIds + (<usize>kept << 2), id);
      store<f32>(outKeys + (<usize>kept << 2), key);
      kept++;
    }
  }
  return kept;
}

// Adds the link node -> added (key = their distance) on `level`; when node's list is full, re-selects
// its neighbours among the old ones and `added` with the heuristic (hnswlib's mutuallyConnectNewElement).
@inline
function connect(
  metric: i32,
  graph: usize,
  scratch: usize,
  vectors: usize,
  invNorms: usize,
  dim: i32,
  node: i32,
  added: i32,
  addedKey: f32,
  level: i32,
  maxLinks: i32,
): void {
  const list = neighbourList(graph, node, level);
  const count = load<i32>(list);
  if (count < maxLinks) {
    store<i32>(list + ((<usize>count + 1) << 2), added);
    store<i32>(list, count + 1);
    return;
  }
  const topKeys = sp(scratch, S_TOP_KEYS);
  const topIds = sp(scratch, S_TOP_IDS);
  const listKeys = sp(scratch, S_LIST_KEYS);
  const selIds = sp(scratch, S_SEL2_IDS);
  const selKeys = sp(scratch, S_SEL2_KEYS);
  const row = vectors + <usize>node * (<usize>dim << 2);
  const rowInv: f32 = metric == METRIC_COSINE ? load<f32>(invNorms + (<usize>node << 2)) : 0;
  scoreIds(metric, row, rowInv, vectors, invNorms, dim, list + 4, count, listKeys);
  heapPush(topKeys, topIds, 0, addedKey, added);
  for (let j = 0; j < count; j++) {
    heapPush(topKeys, topIds, j + 1, load<f32>(listKeys + (<usize>j << 2)), load<i32>(list + ((<usize>j + 1) << 2)));
  }
  heapSortBestFirst(topKeys, topIds, count + 1);
  const kept = selectNeighbours(metric, vectors, invNorms, dim, topKeys, topIds, count + 1, maxLinks, selIds, selKeys);
  memory.copy(list + 4, selIds, <usize>kept << 2);
  store<i32>(list, kept);
}

// Inserts row `node` (its lists on every level must be empty) into the graph (hnswlib's addPoint).
@inline
function insertAs(
  metric: i32,
  graph: usize,
  scratch: usize,
  vectors: usize,
  invNorms: usize,
  node: i32,
  efConstruction: i32,
): void {
  const dim = gi(graph, G_DIM);
  const m = gi(graph, G_M);
  const m0 = gi(graph, G_M0);
  const level = load<i32>(sp(graph, G_LEVELS) + (<usize>node << 2));
  const entry = gi(graph, G_ENTRY);
  if (entry < 0) {
    store<i32>(graph + G_ENTRY, node);
    store<i32>(graph + G_MAX_LEVEL, level);
    return;
  }
  const maxLevel = gi(graph, G_MAX_LEVEL);
  const q = vectors + <usize>node * (<usize>dim << 2);
  const qInv: f32 = metric == METRIC_COSINE ? load<f32>(invNorms + (<usize>node << 2)) : 0;
  let current = entry;
  let currentKey = keyAs(metric, q, qInv, vectors, invNorms, entry, dim);
  if (level < maxLevel) {
    current = greedyDescend(metric, graph, scratch, q, qInv, vectors, invNorms, dim, current, currentKey, maxLevel, level);
    currentKey = descentKey;
  }
  const topKeys = sp(scratch, S_TOP_KEYS);
  const topIds = sp(scratch, S_TOP_IDS);
  const selIds = sp(scratch, S_SEL_IDS);
  const selKeys = sp(scratch, S_SEL_KEYS);
  for (let l = level < maxLevel ? level : maxLevel; l >= 0; l--) {
    const found = searchLayer(metric, graph, scratch, q, qInv, vectors, invNorms, dim, current, currentKey, l, efConstruction, 0);
    heapSortBestFirst(topKeys, topIds, found);
    const kept = selectNeighbours(metric, vectors, invNorms, dim, topKeys, topIds, found, m, selIds, selKeys);
    const list = neighbourList(graph, node, l);
    memory.copy(list + 4, selIds, <usize>kept << 2);
    store<i32>(list, kept);
    const maxLinks = l == 0 ? m0 : m;
    for (let s = 0; s < kept; s++) {
      const other = load<i32>(selIds + (<usize>s << 2));
      connect(metric, graph, scratch, vectors, invNorms, dim, other, node, load<f32>(selKeys + (<usize>s << 2)), l, maxLinks);
    }
    current = load<i32>(selIds);
    currentKey = load<f32>(selKeys);
  }
  if (level > maxLevel) {
    store<i32>(graph + G_ENTRY, node);
    store<i32>(graph + G_MAX_LEVEL, level);
  }
}

// Inserts rows [from, to) in order. The scratch's result heap must hold max(efConstruction, M0 + 1).
export function hnswInsert(graph: usize, scratch: usize, vectors: usize, invNorms: usize, from: i32, to: i32, efConstruction: i32): void {
  const metric = gi(graph, G_METRIC);
  for (let node = from; node < to; node++) {
    if (metric == METRIC_L2) insertAs(METRIC_L2, graph, scratch, vectors, 0, node, efConstruction);
    else if (metric == METRIC_IP) insertAs(METRIC_IP, graph, scratch, vectors, 0, node, efConstruction);
    else insertAs(METRIC_COSINE, graph, scratch, vectors, invNorms, node, efConstruction);
  }
}

@inline
function searchAs(
  metric: i32,
  graph: usize,
  scratch: usize,
  vectors: usize,
  invNorms: usize,
  queries: usize,
  nq: i32,
  k: i32,
  ef: i32,
  bitset: usize,
  outIds: usize,
  outScores: usize,
): i32 {
  const dim = gi(graph, G_DIM);
  const topKeys = sp(scratch, S_TOP_KEYS);
  const topIds = sp(scratch, S_TOP_IDS);
  let minCount = k;
  for (let j = 0; j < nq; j++) {
    const q = queries + <usize>j * (<usize>dim << 2);
    const qInv: f32 = metric == METRIC_COSINE ? inverseNorm(sumSquares(q, dim)) : 0;
    const entry = gi(graph, G_ENTRY);
    let found = 0;
    if (entry >= 0) {
      const entryKey = keyAs(metric, q, qInv, vectors, invNorms, entry, dim);
      const start = greedyDescend(metric, graph, scratch, q, qInv, vectors, invNorms, dim, entry, entryKey, gi(graph, G_MAX_LEVEL), 0);
      found = searchLayer(metric, graph, scratch, q, qInv, vectors, invNorms, dim, start, descentKey, 0, ef, bitset);
      heapSortBestFirst(topKeys, topIds, found);
    }
    const count = found < k ? found : k;
    const ids = outIds + ((<usize>j * <usize>k) << 2);
    const scores = outScores + ((<usize>j * <usize>k) << 2);
    for (let i = 0; i < count; i++) {
      const key = load<f32>(topKeys + (<usize>i << 2));
      store<i32>(ids + (<usize>i << 2), load<i32>(topIds + (<usize>i << 2)));
      store<f32>(scores + (<usize>i << 2), metric == METRIC_L2 ? key : -key);
    }
    for (let i = count; i < k; i++) {
      store<i32>(ids + (<usize>i << 2), -1);
      store<f32>(scores + (<usize>i << 2), NaN);
    }
    if (count < minCount) minCount = count;
  }
  return minCount;
}

// Searches nq queries (row-major float32) for their k best rows with beam width ef (>= k), writing
// ids and scores (Milvus's) best first per query, padded with -1 / NaN. Returns the smallest hit count
// over the queries.
export function hnswSearch(
  graph: usize,
  scratch: usize,
  vectors: usize,
  invNorms: usize,
  queries: usize,
  nq: i32,
  k: i32,
  ef: i32,
  bitset: usize,
  outIds: usize,
  outScores: usize,
): i32 {
  const metric = gi(graph, G_METRIC);
  if (metric == METRIC_L2) {
    return searchAs(METRIC_L2, graph, scratch, vectors, 0, queries, nq, k, ef, bitset, outIds, outScores);
  }
  if (metric == METRIC_IP) {
    return searchAs(METRIC_IP, graph, scratch, vectors, 0, queries, nq, k, ef, bitset, outIds, outScores);
  }
  return searchAs(METRIC_COSINE, graph, scratch, vectors, invNorms, queries, nq, k, ef, bitset, outIds, outScores);
}
