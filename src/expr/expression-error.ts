import { prefixedReason } from '../errors/merr-reason.js';
import { QuiverError } from '../errors/quiver-error.js';

/**
 * A filter expression that Milvus's plan parser would refuse. Code 1100 (ParameterInvalid), reason
 * laid out as `errors.parameterInvalid(detail)` lays it out: "<detail>: invalid parameter".
 *
 * `detail` is the planparserv2 message alone, e.g. "cannot parse expression: a >, error: invalid
 * expression: a >". Milvus's proxy wraps it once more per request type before it reaches clients
 * (query and search: `merr.WrapErrParameterInvalidMsg("failed to create query plan: %v", err)`), so
 * the service layer builds its own error from `detail` rather than from this error's reason.
 */
export class ExpressionError extends QuiverError {
  readonly detail: string;

  constructor(detail: string) {
    super('ParameterInvalid', prefixedReason('ParameterInvalid', detail));
    this.detail = detail;
  }
}

/**
 * Internal failure raised while parsing or checking; converted to an ExpressionError at the public
 * boundary. `wrapped` says whether Milvus reports it inside "cannot parse expression: <expr>, error:
 * <message>" (parser and visitor errors) or bare (template filling, function resolution).
 */
export class ExpressionFailure extends Error {
  readonly wrapped: boolean;

  constructor(message: string, wrapped = true) {
    super(message);
    this.name = 'ExpressionFailure';
    this.wrapped = wrapped;
  }
}

/**
 * Where Milvus's visitor hits a nil value and panics, its recover() reports
 * "unsupported expression: <whole expression>"; raised where Quiver reaches the same state.
 */
export class UnsupportedExpressionFailure extends ExpressionFailure {
  constructor() {
    super('unsupported expression');
  }
}

/** Turns an internal failure into the public error for the expression text `expression`. */
export function toExpressionError(failure: ExpressionFailure, expression: string): ExpressionError {
  const message =
    failure instanceof UnsupportedExpressionFailure
      ? `unsupported expression: ${expression}`
      : failure.message;
  return new ExpressionError(
    failure.wrapped ? `cannot parse expression: ${expression}, error: ${message}` : message,
  );
}
