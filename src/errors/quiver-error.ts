import { ErrorCodes, type ErrorDefinition, type ErrorKind } from './codes.js';

/**
 * A user-visible error. `reason` is the complete message sent to clients (common.Status.reason);
 * it already contains the registry's base message in Milvus's layout.
 */
export class QuiverError extends Error {
  readonly kind: ErrorKind;
  readonly definition: ErrorDefinition;
  constructor(kind: ErrorKind, reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.name = 'QuiverError';
    this.kind = kind;
    this.definition = ErrorCodes[kind];
  }
  get code(): number {
    return this.definition.code;
  }
  get reason(): string {
    return this.message;
  }
}

export function isQuiverError(error: unknown): error is QuiverError {
  return error instanceof QuiverError;
}
