/**
 * The `hash` Milvus's RunAnalyzer reports with `with_hash` (Go typeutil.HashString2LessUint32):
 * CRC-32 (IEEE) of the token's first 100 UTF-8 bytes, modulo 2^32 - 1.
 */
const table = (() => {
  const entries = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    entries[n] = c >>> 0;
  }
  return entries;
})();
const encoder = new TextEncoder();
const maxBytes = 100;

export function milvusTokenHash(token: string): number {
  const bytes = encoder.encode(token);
  const end = Math.min(bytes.length, maxBytes);
  let crc = 0xffffffff;
  for (let i = 0; i < end; i++) crc = table[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return ((crc ^ 0xffffffff) >>> 0) % 0xffffffff;
}
