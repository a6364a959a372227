import { createRequire } from 'node:module';

// crc-32 ships CRC-32C (Castagnoli) as a CommonJS module beside its CRC-32 one.
const require = createRequire(import.meta.url);
const castagnoli = require('crc-32/crc32c') as { buf(data: Uint8Array, seed?: number): number };

/**
 * CRC-32C of `data`, as an unsigned 32-bit integer. Pass a previous result as `previous` to
 * continue a checksum over several chunks.
 */
export function crc32c(data: Uint8Array, previous = 0): number {
  return castagnoli.buf(data, previous | 0) >>> 0;
}
