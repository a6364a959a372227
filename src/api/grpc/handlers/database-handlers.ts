import { okStatus } from '../../../errors/index.js';
import { keyValuesToRecord, recordToKeyValues, type WireKeyValue } from '../codec/key-value.js';
import { wireTimestamp } from '../codec/wire-timestamps.js';
import type { HandlerFamily } from './rpc-handler.js';

interface DatabaseRequest {
  db_name: string;
  properties?: WireKeyValue[];
  delete_keys?: string[];
}

export const databaseHandlers: HandlerFamily = (service) => ({
  CreateDatabase: async (request: DatabaseRequest) => {
    await service.databases.createDatabase(request.db_name, keyValuesToRecord(request.properties));
    return okStatus;
  },

  DropDatabase: async (request: DatabaseRequest) => {
    await service.databases.dropDatabase(request.db_name);
    return okStatus;
  },

  ListDatabases: () => {
    const dbs = service.databases.listDatabases();
    return {
      status: okStatus,
      db_names: dbs.map((db) => db.name),
      created_timestamp: dbs.map((db) => wireTimestamp(db.createdTimestamp)),
      db_ids: dbs.map((db) => String(db.id)),
    };
  },

  DescribeDatabase: (request: DatabaseRequest) => {
    const db = service.databases.describeDatabase(request.db_name);
    return {
      status: okStatus,
      db_name: db.name,
      dbID: String(db.id),
      created_timestamp: wireTimestamp(db.createdTimestamp),
      properties: recordToKeyValues(db.properties),
    };
  },

  AlterDatabase: async (request: DatabaseRequest) => {
    await service.databases.alterDatabase(
      request.db_name,
      keyValuesToRecord(request.properties),
      request.delete_keys ?? [],
    );
    return okStatus;
  },
});
