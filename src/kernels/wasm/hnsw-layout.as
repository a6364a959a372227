// Layout of an HNSW graph and of a searcher's scratch in linear memory. The TS side
// (src/kernels/ann/hnsw-layout.ts) writes both headers; the offsets here must match it.
//
// Graph region: header (64 bytes) | levels i32[rows] | upperOffsets i32[rows] | level 0 adjacency |
// upper adjacency. Level 0 holds, per node, a fixed stride of 1 + M0 i32 (count, then up to
// M0 = 2 * M neighbour ids), so a node's list is found by one multiply. Upper levels (few nodes) are
// packed: node i with level L >= 1 owns L lists of 1 + M i32 from upper + upperOffsets[i] * 4, level l
// at list l - 1.

export const G_ROWS: usize = 0;
export const G_DIM: usize = 4;
export const G_METRIC: usize = 8;
export const G_M: usize = 12;
export const G_M0: usize = 16;
export const G_ENTRY: usize = 20;
export const G_MAX_LEVEL: usize = 24;
export const G_LEVELS: usize = 28;
export const G_UPPER_OFFSETS: usize = 32;
export const G_LEVEL0: usize = 36;
export const G_UPPER: usize = 40;

// Scratch header (one per searching thread, never shared): u16 visited tags with an epoch counter (a
// new search bumps the epoch instead of clearing the tags), the candidate min-heap (one slot per row:
// a node enters it at most once per search), the result max-heap, and small lists.
export const S_EPOCH: usize = 0;
export const S_ROWS_CAP: usize = 4;
export const S_VISITED: usize = 8;
export const S_CAND_KEYS: usize = 12;
export const S_CAND_IDS: usize = 16;
export const S_TOP_KEYS: usize = 20;
export const S_TOP_IDS: usize = 24;
export const S_LIST_IDS: usize = 28;
export const S_LIST_KEYS: usize = 32;
export const S_SEL_IDS: usize = 36;
export const S_SEL_KEYS: usize = 40;
export const S_SEL2_IDS: usize = 44;
export const S_SEL2_KEYS: usize = 48;

@inline
export function gi(graph: usize, field: usize): i32 {
  return load<i32>(graph + field);
}

@inline
export function sp(scratch: usize, field: usize): usize {
  return <usize>load<u32>(scratch + field);
}

// Pointer to node's list at `level`: [count, id0, id1, ...].
@inline
export function neighbourList(graph: usize, node: i32, level: i32): usize {
  if (level == 0) {
    return sp(graph, G_LEVEL0) + <usize>node * ((<usize>gi(graph, G_M0) + 1) << 2);
  }
  const offset = load<i32>(sp(graph, G_UPPER_OFFSETS) + (<usize>node << 2));
  return sp(graph, G_UPPER) + ((<usize>offset + <usize>(level - 1) * (<usize>gi(graph, G_M) + 1)) << 2);
}

// A fresh visited epoch; clears the tags only when the u16 counter wraps (once per 65535 searches).
@inline
export function nextEpoch(scratch: usize): u32 {
  let epoch = load<u32>(scratch + S_EPOCH) + 1;
  if (epoch > 0xffff) {
    memory.fill(sp(scratch, S_VISITED), 0, sp(scratch, S_ROWS_CAP) << 1);
    epoch = 1;
  }
  store<u32>(scratch + S_EPOCH, epoch);
  return epoch;
}
