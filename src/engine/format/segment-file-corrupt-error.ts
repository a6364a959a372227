import { describedReason, QuiverError } from '../../errors/index.js';

/** Which of a segment's files is damaged. */
export type SegmentFileKind = 'segment file' | 'delete file';

/**
 * A sealed segment's file (its data file or its delete file) cannot be trusted: truncated, wrong
 * magic, unknown version, or a checksum that does not match. The segment must not be loaded; it
 * can be rebuilt from the WAL or a replica. The message names the file, the segment and the defect.
 *
 * `segmentId` is the one the caller expected, else the one in the file's verified header; when the
 * header itself is damaged it is the value read from it, marked "unverified" in the message, or
 * undefined when not even that could be read.
 */
export class SegmentFileCorruptError extends QuiverError {
  readonly path: string;
  readonly segmentId: bigint | undefined;
  readonly fileKind: SegmentFileKind;
  readonly defect: string;

  constructor(
    fileKind: SegmentFileKind,
    path: string,
    segment: { readonly id: bigint; readonly verified: boolean } | undefined,
    defect: string,
    cause?: unknown,
  ) {
    const segmentText =
      segment === undefined
        ? 'segment unknown'
        : `segment ${segment.id}${segment.verified ? '' : ', unverified'}`;
    super(
      'IoFailed',
      describedReason('IoFailed', `${fileKind} ${path} (${segmentText}) is corrupt: ${defect}`),
      {
        cause,
      },
    );
    this.name = 'SegmentFileCorruptError';
    this.path = path;
    this.segmentId = segment?.id;
    this.fileKind = fileKind;
    this.defect = defect;
  }
}
