import type { SparsePostings } from './sparse-postings.js';

/** "QSPI" little-endian: Quiver sparse inverted index. */
export const SPARSE_INDEX_MAGIC = 0x49505351;
export const SPARSE_INDEX_VERSION = 1;
const HEADER_BYTES = 32;

/** The typed arrays in file order (all 4-byte elements, so every section stays 4-byte aligned). */
const SECTIONS = [
  'dims',
  'offsets',
  'rowIds',
  'values',
  'listMax',
  'listMin',
  'listMinLength',
  'blockOffsets',
  'blockLastRow',
  'blockMax',
  'blockMin',
  'blockMinLength',
  'rowLengths',
] as const;
type Section = (typeof SECTIONS)[number];
const FLOAT_SECTIONS = new Set<Section>([
  'values',
  'listMax',
  'listMin',
  'listMinLength',
  'blockMax',
  'blockMin',
  'blockMinLength',
  'rowLengths',
]);

function sectionLengths(
  rows: number,
  lists: number,
  postings: number,
  blocks: number,
): Record<Section, number> {
  return {
    dims: lists,
    offsets: lists + 1,
    rowIds: postings,
    values: postings,
    listMax: lists,
    listMin: lists,
    listMinLength: lists,
    blockOffsets: lists + 1,
    blockLastRow: blocks,
    blockMax: blocks,
    blockMin: blocks,
    blockMinLength: blocks,
    rowLengths: rows,
  };
}

/**
 * Layout (little-endian): u32 magic "QSPI", u32 version, u32 rows, u32 lists, u32 postings, u32 blocks,
 * u32 block size, u32 reserved; then the sections of SECTIONS in order, each a packed array of u32 or f32.
 */
export function sparsePostingsToBytes(postings: SparsePostings, blockSize: number): Uint8Array {
  const lists = postings.dims.length;
  const lengths = sectionLengths(postings.rows, lists, postings.rowIds.length, postings.blockLastRow.length);
  let total = HEADER_BYTES;
  for (const name of SECTIONS) total += lengths[name] * 4;
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  const header = [SPARSE_INDEX_MAGIC, SPARSE_INDEX_VERSION, postings.rows, lists, postings.rowIds.length];
  header.push(postings.blockLastRow.length, blockSize, 0);
  for (let i = 0; i < header.length; i++) view.setUint32(i * 4, header[i]!, true);
  let at = HEADER_BYTES;
  for (const name of SECTIONS) {
    const array = postings[name];
    for (let i = 0; i < array.length; i++, at += 4) {
      if (FLOAT_SECTIONS.has(name)) view.setFloat32(at, array[i]!, true);
      else view.setUint32(at, array[i]!, true);
    }
  }
  return bytes;
}

export function sparsePostingsFromBytes(bytes: Uint8Array, expectedBlockSize: number): SparsePostings {
  if (bytes.length < HEADER_BYTES) throw new RangeError('sparse index bytes: truncated header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const word = (i: number) => view.getUint32(i * 4, true);
  if (word(0) !== SPARSE_INDEX_MAGIC) throw new RangeError('sparse index bytes: bad magic');
  if (word(1) !== SPARSE_INDEX_VERSION)
    throw new RangeError(`sparse index bytes: unsupported version ${word(1)}`);
  const [rows, lists, postingCount, blocks, blockSize] = [word(2), word(3), word(4), word(5), word(6)];
  if (blockSize !== expectedBlockSize) throw new RangeError(`sparse index bytes: block size ${blockSize}`);
  const lengths = sectionLengths(rows, lists, postingCount, blocks);
  let total = HEADER_BYTES;
  for (const name of SECTIONS) total += lengths[name] * 4;
  if (total !== bytes.length)
    throw new RangeError(`sparse index bytes: expected ${total} bytes, got ${bytes.length}`);
  const out: Partial<Record<Section, Uint32Array | Float32Array>> = {};
  let at = HEADER_BYTES;
  for (const name of SECTIONS) {
    const length = lengths[name];
    const array = FLOAT_SECTIONS.has(name) ? new Float32Array(length) : new Uint32Array(length);
    for (let i = 0; i < length; i++, at += 4) {
      array[i] = FLOAT_SECTIONS.has(name) ? view.getFloat32(at, true) : view.getUint32(at, true);
    }
    out[name] = array;
  }
  const postings = { rows, ...out } as SparsePostings;
  checkStructure(postings, blockSize);
  return postings;
}

/** Cheap consistency checks so corrupt bytes fail here, not as out-of-range reads during a search. */
function checkStructure(p: SparsePostings, blockSize: number): void {
  const lists = p.dims.length;
  const fail = (what: string) => {
    throw new RangeError(`sparse index bytes: ${what}`);
  };
  if (p.offsets[0] !== 0 || p.offsets[lists] !== p.rowIds.length) fail('posting offsets');
  if (p.blockOffsets[0] !== 0 || p.blockOffsets[lists] !== p.blockLastRow.length) fail('block offsets');
  for (let l = 0; l < lists; l++) {
    if (l > 0 && p.dims[l]! <= p.dims[l - 1]!) fail('dimensions not ascending');
    const length = p.offsets[l + 1]! - p.offsets[l]!;
    if (p.offsets[l + 1]! <= p.offsets[l]!) fail('empty or decreasing posting list');
    if (p.blockOffsets[l + 1]! - p.blockOffsets[l]! !== Math.ceil(length / blockSize)) fail('block count');
    for (let i = p.offsets[l]! + 1; i < p.offsets[l + 1]!; i++) {
      if (p.rowIds[i]! <= p.rowIds[i - 1]!) fail('row ids not ascending');
    }
  }
  for (let i = 0; i < p.rowIds.length; i++) if (p.rowIds[i]! >= p.rows) fail('row id out of range');
}
