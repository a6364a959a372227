export { ErrorCodes, type ErrorDefinition, type ErrorKind, type LegacyErrorCode } from './codes.js';
export { errors } from './errors.js';
export { isQuiverError, QuiverError } from './quiver-error.js';
export { okStatus, toStatus, type WireStatus } from './to-status.js';
