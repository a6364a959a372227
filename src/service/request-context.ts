/** Who is asking and in which database; read from the call's metadata by the wire adapter. */
export interface RequestContext {
  /** Database selected by the `dbname` header or the request's db_name ("" means default). */
  dbName: string;
  /** Session identifier handed out by Connect, if the client sent it back. */
  identifier?: string;
  /** User named by the `authorization` header, if any (auth is not enforced yet). */
  user?: string;
}
