import { okStatus } from '../../../errors/index.js';
import type { HandlerFamily } from './rpc-handler.js';

interface AliasRequest {
  collection_name: string;
  alias: string;
}

export const aliasHandlers: HandlerFamily = (service) => ({
  CreateAlias: async (request: AliasRequest, context) => {
    await service.aliases.createAlias(context, request.collection_name, request.alias);
    return okStatus;
  },

  AlterAlias: async (request: AliasRequest, context) => {
    await service.aliases.alterAlias(context, request.collection_name, request.alias);
    return okStatus;
  },

  DropAlias: async (request: AliasRequest, context) => {
    await service.aliases.dropAlias(context, request.alias);
    return okStatus;
  },

  DescribeAlias: (request: AliasRequest, context) => {
    const collection = service.aliases.describeAlias(context, request.alias);
    return {
      status: okStatus,
      db_name: service.catalog.databaseOf(collection).name,
      alias: request.alias,
      collection: collection.name,
    };
  },

  ListAliases: (request: AliasRequest, context) => ({
    status: okStatus,
    db_name: service.catalog.getDatabase(context.dbName).name,
    collection_name: request.collection_name ?? '',
    aliases: service.aliases.listAliases(context, request.collection_name ?? ''),
  }),
});
