import type { MetaBatch } from './meta-store.js';

/** A validated, private copy of a MetaBatch: later changes to the caller's arrays cannot reach it. */
export interface CheckedMetaBatch {
  readonly put: ReadonlyArray<readonly [key: string, value: string]>;
  readonly delete: readonly string[];
  readonly deletePrefix: readonly string[];
}

// In a `u` regex a well-formed surrogate pair is one code point, so this matches only lone halves.
const loneSurrogate = /[\uD800-\uDFFF]/u;

/**
 * Validates `batch` and copies it. Throws TypeError for a programming error in the batch, before
 * anything is applied, so a bad batch never half-applies.
 *
 * Rules (shared by every backend, so that an etcd backend can follow):
 * - keys are non-empty strings; values are strings; prefixes are strings ('' means every key);
 * - keys, values and prefixes are well-formed Unicode (no lone surrogates), because they are
 *   stored as UTF-8 and a lone surrogate would not survive that round trip.
 */
export function copyMetaBatch(batch: MetaBatch): CheckedMetaBatch {
  if (batch === null || typeof batch !== 'object') throw new TypeError('meta batch must be an object');
  const put = (batch.put ?? []).map((entry, index): readonly [string, string] => {
    if (!Array.isArray(entry) || entry.length !== 2) {
      throw new TypeError(`meta batch put[${index}] must be a [key, value] pair`);
    }
    const [key, value] = entry as readonly unknown[];
    checkKey(key, `put[${index}] key`);
    checkText(value, `put[${index}] value`);
    return [key as string, value as string];
  });
  const deleteKeys = (batch.delete ?? []).map((key, index) => {
    checkKey(key, `delete[${index}]`);
    return key;
  });
  const deletePrefix = (batch.deletePrefix ?? []).map((prefix, index) => {
    checkText(prefix, `deletePrefix[${index}]`);
    return prefix;
  });
  return { put, delete: deleteKeys, deletePrefix };
}

function checkKey(key: unknown, where: string): void {
  checkText(key, where);
  if (key === '') throw new TypeError(`meta batch ${where} must not be empty`);
}

function checkText(text: unknown, where: string): void {
  if (typeof text !== 'string')
    throw new TypeError(`meta batch ${where} must be a string, got ${typeof text}`);
  if (loneSurrogate.test(text)) throw new TypeError(`meta batch ${where} contains a lone UTF-16 surrogate`);
}
