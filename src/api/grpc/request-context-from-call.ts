import type { Metadata } from '@grpc/grpc-js';
import type { RequestContext } from '../../service/request-context.js';

function header(metadata: Metadata, name: string): string | undefined {
  const value = metadata.get(name)[0];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value.toString('utf8');
}

/** `authorization` is base64 of "user:password" or of an API token; only the user part is kept. */
function userFromAuthorization(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const decoded = Buffer.from(authorization, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? decoded.slice(0, colon) : undefined;
}

/**
 * Milvus takes the database from the request's db_name when set, else from the `dbname` header
 * (which the SDKs send on every call after useDatabase), else `default`.
 */
export function requestContextFromCall(metadata: Metadata, request: unknown): RequestContext {
  const fromRequest =
    request && typeof request === 'object' && 'db_name' in request && typeof request.db_name === 'string'
      ? request.db_name
      : '';
  return {
    dbName: fromRequest || header(metadata, 'dbname') || '',
    identifier: header(metadata, 'identifier'),
    user: userFromAuthorization(header(metadata, 'authorization')),
  };
}
