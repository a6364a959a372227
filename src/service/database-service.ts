import { validateDatabaseName } from '../schema/validate-collection-schema.js';
import type { Catalog } from './catalog/catalog.js';
import type { DatabaseInfo } from './catalog/catalog-model.js';

/** Database DDL use-cases. */
export class DatabaseService {
  constructor(private readonly catalog: Catalog) {}

  createDatabase(name: string, properties: Record<string, string>): Promise<void> {
    validateDatabaseName(name);
    return this.catalog.createDatabase(name, properties);
  }

  dropDatabase(name: string): Promise<void> {
    validateDatabaseName(name);
    return this.catalog.dropDatabase(name);
  }

  listDatabases(): DatabaseInfo[] {
    return this.catalog.listDatabases();
  }

  describeDatabase(name: string): DatabaseInfo {
    return this.catalog.getDatabase(name);
  }

  alterDatabase(name: string, properties: Record<string, string>, deleteKeys: string[]): Promise<void> {
    return this.catalog.alterDatabase(name, properties, deleteKeys);
  }
}
