/** A scored hit with its group key, in the order hits arrive (best first). */
export interface GroupedCandidate<T> {
  hit: T;
  key: unknown;
}

export interface GroupSelection<T> {
  /** Hits grouped: groups in the order of their best hit, each group's hits best first. */
  hits: T[];
  /** Group key of each returned hit. */
  keys: unknown[];
  /** Whether every group reached groupSize and `limit` groups were found. */
  complete: boolean;
}

/**
 * Milvus's grouping reduce: walks hits best first; the first `offset` distinct groups are skipped;
 * then up to `limit` groups are kept with at most `groupSize` hits each.
 */
export function selectGroups<T>(
  candidates: readonly GroupedCandidate<T>[],
  offset: number,
  limit: number,
  groupSize: number,
): GroupSelection<T> {
  const skipped = new Set<unknown>();
  const groups = new Map<unknown, T[]>();
  let taken = 0;
  for (const { hit, key } of candidates) {
    if (taken >= limit * groupSize) break;
    if (skipped.has(key) || skipped.size < offset) {
      skipped.add(key);
      continue;
    }
    const group = groups.get(key);
    if (!group) {
      if (groups.size >= limit) continue;
      groups.set(key, [hit]);
      taken++;
    } else if (group.length < groupSize) {
      group.push(hit);
      taken++;
    }
  }
  const hits: T[] = [];
  const keys: unknown[] = [];
  for (const [key, group] of groups) {
    for (const hit of group) {
      hits.push(hit);
      keys.push(key);
    }
  }
  return { hits, keys, complete: taken >= limit * groupSize };
}
