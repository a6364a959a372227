/**
 * A hash table from a primary key to a (segment slot, row) pair: the storage under PrimaryKeyIndex,
 * which maps slots to segments. An "entry" is a table-specific handle to one key's pair; it stays
 * valid only until the next insert or delete (setAt keeps it valid).
 *
 * `K` is the key type (bigint or string), `C` a column of keys (BigInt64Array or string[]).
 */
export interface KeyTable<K, C> {
  readonly size: number;
  /** The entry holding `key`, or -1. A key of the wrong type is simply absent. */
  find(key: K): number;
  /** Adds `key` → (slot, row) when the key is absent and returns -1; else returns its entry, unchanged. */
  insert(key: K, slot: number, row: number): number;
  slotAt(entry: number): number;
  rowAt(entry: number): number;
  setAt(entry: number, slot: number, row: number): void;
  /** Removes `key`; returns the slot it pointed to, or -1 when it was absent. */
  delete(key: K): number;
  /**
   * Adds keys[i] → (slot, firstRow + i) for every i whose row is live, i.e. whose delete timestamp
   * `deleteTimestamps[firstRow + i]` is 0 (every row when there are none), in order. For a key
   * already present it calls `onClash(entry, row)` instead, which may call setAt on that entry but
   * must not insert or delete. Returns how many keys were added.
   */
  insertColumn(
    keys: C,
    slot: number,
    firstRow: number,
    deleteTimestamps: BigUint64Array | undefined,
    onClash: (entry: number, row: number) => void,
  ): number;
  /** Removes every entry whose slot s has dropped[s] === 1; returns how many were removed. */
  deleteSlots(dropped: Uint8Array): number;
}
