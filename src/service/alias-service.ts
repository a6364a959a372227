import { validateAliasName, validateCollectionName } from '../schema/validate-collection-schema.js';
import type { Catalog } from './catalog/catalog.js';
import type { CollectionInfo } from './catalog/catalog-model.js';
import type { RequestContext } from './request-context.js';

/** Alias use-cases. An alias resolves wherever a collection name is accepted (see Catalog.getCollection). */
export class AliasService {
  constructor(private readonly catalog: Catalog) {}

  createAlias(ctx: RequestContext, collectionName: string, alias: string): Promise<void> {
    validateCollectionName(collectionName);
    validateAliasName(alias);
    return this.catalog.createAlias(ctx.dbName, collectionName, alias);
  }

  alterAlias(ctx: RequestContext, collectionName: string, alias: string): Promise<void> {
    validateCollectionName(collectionName);
    validateAliasName(alias);
    return this.catalog.alterAlias(ctx.dbName, collectionName, alias);
  }

  dropAlias(ctx: RequestContext, alias: string): Promise<void> {
    validateAliasName(alias);
    return this.catalog.dropAlias(ctx.dbName, alias);
  }

  describeAlias(ctx: RequestContext, alias: string): CollectionInfo {
    validateAliasName(alias);
    return this.catalog.describeAlias(ctx.dbName, alias);
  }

  listAliases(ctx: RequestContext, collectionName: string): string[] {
    if (collectionName) validateCollectionName(collectionName);
    return this.catalog.listAliases(ctx.dbName, collectionName || undefined);
  }
}
