// The HNSW candidate queue: a binary min-heap of (key, id) in two parallel arrays (keys f32, ids i32),
// closest first. Ties go to the lower id so the traversal order, and with it the build, is fully
// determined by the data. (The result set is the max-heap of top-k-heap.as.)

@inline
function closer(ka: f32, ia: i32, kb: f32, ib: i32): bool {
  return ka < kb || (ka == kb && ia < ib);
}

// Adds an entry to a heap of `size` entries.
@inline
export function minHeapPush(keys: usize, ids: usize, size: i32, key: f32, id: i32): void {
  let child = size;
  while (child > 0) {
    const parent = (child - 1) >> 1;
    const parentKey = load<f32>(keys + (<usize>parent << 2));
    const parentId = load<i32>(ids + (<usize>parent << 2));
    if (!closer(key, id, parentKey, parentId)) break;
    store<f32>(keys + (<usize>child << 2), parentKey);
    store<i32>(ids + (<usize>child << 2), parentId);
    child = parent;
  }
  store<f32>(keys + (<usize>child << 2), key);
  store<i32>(ids + (<usize>child << 2), id);
}

// Removes the root of a heap of `size` (> 0) entries; afterwards it holds size - 1.
@inline
export function minHeapPop(keys: usize, ids: usize, size: i32): void {
  const last = size - 1;
  const key = load<f32>(keys + (<usize>last << 2));
  const id = load<i32>(ids + (<usize>last << 2));
  let hole = 0;
  while (true) {
    let child = (hole << 1) + 1;
    if (child >= last) break;
    let childKey = load<f32>(keys + (<usize>child << 2));
    let childId = load<i32>(ids + (<usize>child << 2));
    const right = child + 1;
    if (right < last) {
      const rightKey = load<f32>(keys + (<usize>right << 2));
      const rightId = load<i32>(ids + (<usize>right << 2));
      if (closer(rightKey, rightId, childKey, childId)) {
        child = right;
        childKey = rightKey;
        childId = rightId;
      }
    }
    if (!closer(childKey, childId, key, id)) break;
    store<f32>(keys + (<usize>hole << 2), childKey);
    store<i32>(ids + (<usize>hole << 2), childId);
    hole = child;
  }
  store<f32>(keys + (<usize>hole << 2), key);
  store<i32>(ids + (<usize>hole << 2), id);
}
