import { ErrorCodes, type ErrorDefinition, type ErrorKind, type LegacyErrorCode } from './codes.js';

export interface QuiverErrorOptions {
  cause?: unknown;
  /**
   * Replaces the registry's legacy error_code for this one error. Milvus does this in a few places
   * (DescribeCollection reports a missing collection as UnexpectedError for old pymilvus).
   */
  legacy?: LegacyErrorCode;
  /** common.Status.extra_info, e.g. Milvus's {is_input_error: "true"}. */
  extraInfo?: Readonly<Record<string, string>>;
}

/**
 * A user-visible error. `reason` is the complete message sent to clients (common.Status.reason);
 * it already contains the registry's base message in Milvus's layout (see errors.ts).
 */
export class QuiverError extends Error {
  readonly kind: ErrorKind;
  readonly definition: ErrorDefinition;
  /** The legacy enum name sent on the wire: the registry's unless overridden. */
  readonly legacy: LegacyErrorCode;
  readonly extraInfo: Readonly<Record<string, string>>;

  constructor(kind: ErrorKind, reason: string, options?: QuiverErrorOptions) {
    super(reason, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'QuiverError';
    this.kind = kind;
    this.definition = ErrorCodes[kind];
    this.legacy = options?.legacy ?? this.definition.legacy;
    this.extraInfo = Object.freeze({ ...options?.extraInfo });
    // The registry entry is frozen and has a `message`; loggers that walk enumerable properties
    // (pino's err serializer) would mistake it for a nested error and try to tag it.
    Object.defineProperty(this, 'definition', { enumerable: false });
  }

  get code(): number {
    return this.definition.code;
  }

  get reason(): string {
    return this.message;
  }

  get retriable(): boolean {
    return this.definition.retriable;
  }
}

export function isQuiverError(error: unknown): error is QuiverError {
  return error instanceof QuiverError;
}
