import { compareMetaKeys } from '../compare-meta-keys.js';
import { crc32c } from '../crc32c.js';
import { MetaStoreCorruptError } from '../meta-store.js';

/**
 * The metadata snapshot file format (documented in docs/FORMATS.md, "Metadata snapshot"):
 *
 *   offset 0   8 bytes  magic "QUIVMETA"
 *   offset 8   u32 LE   format version (1)
 *   offset 12  u32 LE   payload length in bytes
 *   offset 16  u32 LE   CRC-32C of the payload
 *   offset 20  payload  UTF-8 JSON {"entries":[[key,value],...]}, keys strictly ascending in
 *                       code point order, exactly `payload length` bytes, nothing after it.
 */
export const META_SNAPSHOT_MAGIC = new Uint8Array([0x51, 0x55, 0x49, 0x56, 0x4d, 0x45, 0x54, 0x41]);
export const META_SNAPSHOT_VERSION = 1;
export const META_SNAPSHOT_HEADER_BYTES = 20;

/** Encodes entries (already in compareMetaKeys order) as [header, payload]. */
export function encodeMetaSnapshot(
  entries: ReadonlyArray<readonly [string, string]>,
): [Uint8Array, Uint8Array] {
  // Entries are a list of pairs, not an object: JS objects move integer-like keys ("10") to the
  // front and give "__proto__" special meaning, and a list keeps the sorted order explicit.
  const payload = new TextEncoder().encode(JSON.stringify({ entries }));
  if (payload.byteLength > 0xffffffff)
    throw new RangeError(`metadata snapshot of ${payload.byteLength} bytes exceeds 4 GiB`);
  const header = new Uint8Array(META_SNAPSHOT_HEADER_BYTES);
  header.set(META_SNAPSHOT_MAGIC, 0);
  const view = new DataView(header.buffer);
  view.setUint32(8, META_SNAPSHOT_VERSION, true);
  view.setUint32(12, payload.byteLength, true);
  view.setUint32(16, crc32c(payload), true);
  return [header, payload];
}

/**
 * Decodes a snapshot file's bytes into entries in compareMetaKeys order. Throws
 * MetaStoreCorruptError naming `filePath` and the defect when the bytes cannot be trusted.
 */
export function decodeMetaSnapshot(filePath: string, bytes: Uint8Array): Array<[string, string]> {
  const corrupt = (detail: string) => new MetaStoreCorruptError(filePath, detail);
  if (bytes.byteLength < META_SNAPSHOT_HEADER_BYTES) {
    throw corrupt(
      `truncated: ${bytes.byteLength} bytes, shorter than the ${META_SNAPSHOT_HEADER_BYTES}-byte header`,
    );
  }
  for (let i = 0; i < META_SNAPSHOT_MAGIC.length; i++) {
    if (bytes[i] !== META_SNAPSHOT_MAGIC[i])
      throw corrupt('bad magic: not a Quiver metadata snapshot (expected "QUIVMETA")');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== META_SNAPSHOT_VERSION) {
    throw corrupt(`unknown format version ${version} (this build reads version ${META_SNAPSHOT_VERSION})`);
  }
  const payloadBytes = view.getUint32(12, true);
  const presentBytes = bytes.byteLength - META_SNAPSHOT_HEADER_BYTES;
  if (presentBytes < payloadBytes) {
    throw corrupt(
      `truncated: header declares a ${payloadBytes}-byte payload but only ${presentBytes} bytes follow`,
    );
  }
  if (presentBytes > payloadBytes) {
    throw corrupt(
      `wrong length: header declares a ${payloadBytes}-byte payload but ${presentBytes} bytes follow`,
    );
  }
  const payload = bytes.subarray(META_SNAPSHOT_HEADER_BYTES);
  const expectedCrc = view.getUint32(16, true);
  const actualCrc = crc32c(payload);
  if (actualCrc !== expectedCrc) {
    throw corrupt(
      `checksum mismatch: header says CRC-32C ${hex(expectedCrc)}, payload has ${hex(actualCrc)}`,
    );
  }
  // The checksum matched, so anything wrong below was written that way: still not to be trusted.
  let document: unknown;
  try {
    document = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch (error) {
    throw corrupt(`payload is not valid UTF-8 JSON (${(error as Error).message})`);
  }
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw corrupt('payload is not a JSON object');
  }
  const members = Object.keys(document);
  if (members.length !== 1 || members[0] !== 'entries') {
    throw corrupt(`payload must have exactly the member "entries", has ${JSON.stringify(members)}`);
  }
  const entries = (document as { entries: unknown }).entries;
  if (!Array.isArray(entries)) throw corrupt('payload "entries" is not an array');
  let previousKey: string | undefined;
  for (let i = 0; i < entries.length; i++) {
    const entry: unknown = entries[i];
    if (
      !Array.isArray(entry) ||
      entry.length !== 2 ||
      typeof entry[0] !== 'string' ||
      typeof entry[1] !== 'string'
    ) {
      throw corrupt(`entry ${i} is not a [key, value] pair of strings`);
    }
    if (previousKey !== undefined && compareMetaKeys(previousKey, entry[0]) >= 0) {
      throw corrupt(
        `entry ${i} key ${JSON.stringify(entry[0])} is not after the previous key (duplicate or unsorted)`,
      );
    }
    previousKey = entry[0];
  }
  return entries as Array<[string, string]>;
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}
