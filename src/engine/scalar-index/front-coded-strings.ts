import { compareStrings } from '../../expr/constant-ops.js';
import { encodeUtf8Strings } from '../format/utf8-strings.js';
import { bytesOf, type ScalarIndexSections } from './scalar-index-file.js';

/**
 * Ascending strings front-coded as three sections: per string the number of leading UTF-8 bytes it
 * shares with the one before (0 for the first), then the remaining bytes as u32 offsets + bytes.
 * Sorted keys share long prefixes (that is what makes a trie compact), and a run of equal strings
 * (STL_SORT's one value per row) costs four bytes per repeat and is decoded once.
 */
export function frontCodeStrings(keys: readonly string[]): Uint8Array[] {
  const runStarts: number[] = [];
  const runKeys: string[] = [];
  for (let i = 0; i < keys.length; i++) {
    if (i === 0 || keys[i] !== keys[i - 1]) {
      runStarts.push(i);
      runKeys.push(keys[i]!);
    }
  }
  const { offsets, bytes } = encodeUtf8Strings(runKeys);
  const shared = new Uint32Array(keys.length);
  const suffixOffsets = new Uint32Array(keys.length + 1);
  const suffixes = new Uint8Array(bytes.byteLength);
  let written = 0;
  let run = -1;
  for (let i = 0; i < keys.length; i++) {
    if (runStarts[run + 1] === i) {
      run++;
      const start = offsets[run]!;
      const end = offsets[run + 1]!;
      let common = 0;
      if (run > 0) {
        const previous = offsets[run - 1]!;
        const limit = Math.min(end - start, start - previous);
        while (common < limit && bytes[previous + common] === bytes[start + common]) common++;
      }
      shared[i] = common;
      suffixes.set(bytes.subarray(start + common, end), written);
      written += end - start - common;
    } else {
      shared[i] = offsets[run + 1]! - offsets[run]!;
    }
    suffixOffsets[i + 1] = written;
  }
  return [bytesOf(shared), bytesOf(suffixOffsets), suffixes.subarray(0, written)];
}

/**
 * Reads front-coded strings, checking the coding and the order (strictly ascending when
 * `distinct`, else non-decreasing). A repeat of the previous string reuses it without decoding.
 */
export function readFrontCodedStrings(
  sections: ScalarIndexSections,
  name: string,
  distinct: boolean,
): string[] {
  const shared = sections.u32(`${name} shared prefix lengths`);
  const suffixOffsets = sections.offsets(`${name} suffix offsets`, shared.length);
  const suffixes = sections.u8(`${name} suffix bytes`);
  const count = shared.length;
  const label = `front-coded ${name}`;
  if (suffixOffsets[count] !== suffixes.byteLength) {
    sections.fail(`${label}: the suffix offsets end at ${suffixOffsets[count]}, not ${suffixes.byteLength}`);
  }
  const strings = new Array<string>(count);
  let scratch = Buffer.alloc(256);
  let previousLength = 0;
  for (let i = 0; i < count; i++) {
    const common = shared[i]!;
    const suffixStart = suffixOffsets[i]!;
    const suffixLength = suffixOffsets[i + 1]! - suffixStart;
    if (common > previousLength || (i === 0 && common !== 0)) {
      sections.fail(`${label}: string ${i} shares ${common} bytes with a string of ${previousLength}`);
    }
    if (i > 0 && common === previousLength && suffixLength === 0) {
      if (distinct) sections.fail(`${label} are not in ascending order at ${i}`);
      strings[i] = strings[i - 1]!;
      continue;
    }
    const length = common + suffixLength;
    if (length > scratch.length) {
      const grown = Buffer.alloc(Math.max(length, 2 * scratch.length));
      scratch.copy(grown, 0, 0, common);
      scratch = grown;
    }
    scratch.set(suffixes.subarray(suffixStart, suffixStart + suffixLength), common);
    const text = scratch.toString('utf8', 0, length);
    if (i > 0) {
      const order = compareStrings(strings[i - 1]!, text);
      if (order > 0 || (distinct && order === 0))
        sections.fail(`${label} are not in ascending order at ${i}`);
    }
    strings[i] = text;
    previousLength = length;
  }
  return strings;
}
