import { describedReason, QuiverError } from '../../errors/index.js';

/**
 * A scalar index file (`segments/*.qidx`, docs/FORMATS.md) cannot be trusted: truncated, wrong
 * magic, unknown version, a checksum that does not match, or a structure that contradicts itself.
 * The index must not be used; it can be rebuilt from its segment. The message names the file (when
 * the caller gave its path) and the defect:
 * `IO failed: scalar index file segments/7.101.qidx is corrupt: payload checksum mismatch`.
 */
export class ScalarIndexFileCorruptError extends QuiverError {
  /** The path (or other label) the caller gave, undefined for bytes of unknown origin. */
  readonly source: string | undefined;
  readonly defect: string;

  constructor(defect: string, source?: string, cause?: unknown) {
    const what = source === undefined ? 'scalar index file' : `scalar index file ${source}`;
    super('IoFailed', describedReason('IoFailed', `${what} is corrupt: ${defect}`), { cause });
    this.name = 'ScalarIndexFileCorruptError';
    this.source = source;
    this.defect = defect;
  }
}
