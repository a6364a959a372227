/** common.KeyValuePair as it crosses the wire. */
export interface WireKeyValue {
  key: string;
  value: string;
}

/** Later pairs win, as Milvus reads repeated keys. */
export function keyValuesToRecord(pairs: readonly WireKeyValue[] | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  for (const pair of pairs ?? []) record[pair.key] = pair.value;
  return record;
}

export function recordToKeyValues(record: Readonly<Record<string, string>>): WireKeyValue[] {
  return Object.entries(record).map(([key, value]) => ({ key, value }));
}
