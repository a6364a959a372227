// A bounded binary max-heap of (key, id) pairs stored in two parallel arrays in linear memory: keys
// (f32) and ids (i32). Smaller keys are better; similarities are negated into keys by the caller.
//
// Invariant: the root is the worst kept entry, where (ka, ia) is worse than (kb, ib) when ka > kb, or
// ka == kb and ia > ib (a tie goes to the lower row offset). Keys are never NaN (callers map NaN to
// +Infinity), so the order is total.

@inline
function worse(ka: f32, ia: i32, kb: f32, ib: i32): bool {
  return ka > kb || (ka == kb && ia > ib);
}

// Adds an entry to a heap holding `size` entries (size < capacity).
export function heapPush(keys: usize, ids: usize, size: i32, key: f32, id: i32): void {
  let child = size;
  while (child > 0) {
    const parent = (child - 1) >> 1;
    const parentKey = load<f32>(keys + (<usize>parent << 2));
    const parentId = load<i32>(ids + (<usize>parent << 2));
    if (!worse(key, id, parentKey, parentId)) break;
    store<f32>(keys + (<usize>child << 2), parentKey);
    store<i32>(ids + (<usize>child << 2), parentId);
    child = parent;
  }
  store<f32>(keys + (<usize>child << 2), key);
  store<i32>(ids + (<usize>child << 2), id);
}

// Replaces the root (the worst entry) with a better entry and restores the heap order.
export function heapReplaceTop(keys: usize, ids: usize, size: i32, key: f32, id: i32): void {
  siftDown(keys, ids, size, 0, key, id);
}

@inline
function siftDown(keys: usize, ids: usize, size: i32, start: i32, key: f32, id: i32): void {
  let hole = start;
  while (true) {
    let child = (hole << 1) + 1;
    if (child >= size) break;
    let childKey = load<f32>(keys + (<usize>child << 2));
    let childId = load<i32>(ids + (<usize>child << 2));
    const right = child + 1;
    if (right < size) {
      const rightKey = load<f32>(keys + (<usize>right << 2));
      const rightId = load<i32>(ids + (<usize>right << 2));
      if (worse(rightKey, rightId, childKey, childId)) {
        child = right;
        childKey = rightKey;
        childId = rightId;
      }
    }
    if (!worse(childKey, childId, key, id)) break;
    store<f32>(keys + (<usize>hole << 2), childKey);
    store<i32>(ids + (<usize>hole << 2), childId);
    hole = child;
  }
  store<f32>(keys + (<usize>hole << 2), key);
  store<i32>(ids + (<usize>hole << 2), id);
}

// Heapsort in place: afterwards entries [0, size) are ordered best first (ascending key, then id).
export function heapSortBestFirst(keys: usize, ids: usize, size: i32): void {
  for (let end = size - 1; end > 0; end--) {
    const lastKey = load<f32>(keys + (<usize>end << 2));
    const lastId = load<i32>(ids + (<usize>end << 2));
    store<f32>(keys + (<usize>end << 2), load<f32>(keys));
    store<i32>(ids + (<usize>end << 2), load<i32>(ids));
    siftDown(keys, ids, end, 0, lastKey, lastId);
  }
}
