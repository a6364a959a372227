import { ErrorCodes, type ErrorKind, isQuiverError } from '../errors/index.js';

/**
 * The `status` label of the RPC metrics: 'success', or the name of an error kind from
 * src/errors/codes.ts (e.g. 'CollectionNotFound'). Using the registry's kinds rather than reason
 * strings keeps the label's cardinality bounded by that table (a few dozen values).
 */
export type RpcStatusLabel = 'success' | ErrorKind;

export const successStatusLabel = 'success';

const kindsByCode = new Map<number, ErrorKind>();
for (const [kind, definition] of Object.entries(ErrorCodes) as Array<[ErrorKind, { code: number }]>) {
  // First kind wins if two kinds ever share a code; either name identifies the family.
  if (definition.code !== 0 && !kindsByCode.has(definition.code)) kindsByCode.set(definition.code, kind);
}

const knownLabels = new Set<string>([successStatusLabel, ...(Object.keys(ErrorCodes) as ErrorKind[])]);

/** Label for an RPC that threw `error`, or succeeded when `error` is undefined. */
export function rpcStatusLabel(error?: unknown): RpcStatusLabel {
  if (error === undefined) return successStatusLabel;
  if (isQuiverError(error)) return error.kind;
  return 'Unexpected';
}

/** Label for an RPC that answered with the in-band Milvus status code `code` (0 = success). */
export function rpcStatusLabelForCode(code: number): RpcStatusLabel {
  if (code === 0) return successStatusLabel;
  return kindsByCode.get(code) ?? 'Unexpected';
}

/** Folds any string that is not a known label into 'Unexpected', so a caller bug cannot explode cardinality. */
export function normaliseRpcStatusLabel(status: string): RpcStatusLabel {
  return knownLabels.has(status) ? (status as RpcStatusLabel) : 'Unexpected';
}
