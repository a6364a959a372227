import { ErrorCodes } from './codes.js';
import { isQuiverError } from './quiver-error.js';

/** Milvus's common.Status as the gRPC codec sends it (enums as names). */
export interface WireStatus {
  error_code: string;
  reason: string;
  code: number;
  retriable: boolean;
  detail: string;
  extra_info: Record<string, string>;
}

export const okStatus: WireStatus = Object.freeze({
  error_code: 'Success',
  reason: '',
  code: 0,
  retriable: false,
  detail: '',
  extra_info: Object.freeze({}) as Record<string, string>,
}) as WireStatus;

/**
 * Maps any thrown value to an in-band status, as merr.Status does. Non-Quiver errors become the
 * catch-all 65535 with their message as reason, which is also what Milvus sends for plain Go
 * errors, so a bug never turns into a transport error that clients would retry for minutes.
 *
 * `detail` equals `reason`: Milvus sends the full chain in detail and the chain minus its outermost
 * wraps in reason; Quiver builds every reason with at most one wrap, where the two coincide.
 */
export function toStatus(error: unknown): WireStatus {
  if (isQuiverError(error)) {
    return {
      error_code: error.legacy,
      reason: error.reason,
      code: error.definition.code,
      retriable: error.definition.retriable,
      detail: error.reason,
      extra_info: { ...error.extraInfo },
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    error_code: ErrorCodes.Unexpected.legacy,
    reason: message,
    code: ErrorCodes.Unexpected.code,
    retriable: false,
    detail: message,
    extra_info: {},
  };
}
