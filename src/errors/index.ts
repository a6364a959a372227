export {
  ErrorCodes,
  type ErrorDefinition,
  type ErrorKind,
  type LegacyErrorCode,
  legacyErrorCodeValues,
} from './codes.js';
export { errors } from './errors.js';
export { type GoParseIntResult, goParseBool, goParseInt64, goQuote, goValue } from './go-format.js';
export {
  describedReason,
  fieldsReason,
  prefixedReason,
  type ReasonField,
  rangeField,
} from './merr-reason.js';
export { isQuiverError, QuiverError, type QuiverErrorOptions } from './quiver-error.js';
export { okStatus, toStatus, type WireStatus } from './to-status.js';
