import type { MetaStore } from '../storage/meta-store.js';
import { AliasService } from './alias-service.js';
import { Catalog } from './catalog/catalog.js';
import { TimestampOracle } from './catalog/timestamp-oracle.js';
import { CollectionService } from './collection-service.js';
import { DatabaseService } from './database-service.js';
import { PartitionService } from './partition-service.js';
import { SessionService } from './session-service.js';

/** Every use-case of a Quiver node, composed over one catalog. The wire adapters call only this. */
export class QuiverService {
  readonly sessions: SessionService;
  readonly databases: DatabaseService;
  readonly collections: CollectionService;
  readonly partitions: PartitionService;
  readonly aliases: AliasService;

  private constructor(
    readonly catalog: Catalog,
    readonly tso: TimestampOracle,
  ) {
    this.sessions = new SessionService(tso);
    this.databases = new DatabaseService(catalog);
    this.collections = new CollectionService(catalog);
    this.partitions = new PartitionService(catalog);
    this.aliases = new AliasService(catalog);
  }

  static async open(metaStore: MetaStore): Promise<QuiverService> {
    const tso = await TimestampOracle.open(metaStore);
    const catalog = await Catalog.open(metaStore, tso);
    return new QuiverService(catalog, tso);
  }
}
