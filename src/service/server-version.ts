/**
 * The Milvus version Quiver reports to clients. Both SDKs gate features on it (for example
 * database and JSON-path support), so it names the Milvus release whose protocol we speak.
 */
export const MILVUS_COMPATIBLE_VERSION = 'v2.6.6';
