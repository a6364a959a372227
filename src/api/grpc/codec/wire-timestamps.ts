import { physicalMsOf } from '../../../service/catalog/timestamp-oracle.js';

/** uint64 hybrid timestamp as the codec sends it (decimal string, exact above 2^53). */
export function wireTimestamp(ts: bigint): string {
  return ts.toString();
}

/** The physical part in milliseconds, which Milvus reports as the *_utc_timestamp fields. */
export function wireUtcTimestamp(ts: bigint): string {
  return String(physicalMsOf(ts));
}
