import type { CollectionData, RowRef } from '../engine/collection/collection-data.js';
import { filterRows } from '../engine/exec/filter-rows.js';
import { projectRows } from '../engine/exec/project-rows.js';
import { emptyColumn } from '../engine/segment/column-ops.js';
import type { Segment } from '../engine/segment/segment.js';
import type { StorageEngine } from '../engine/storage-engine.js';
import { errors } from '../errors/index.js';
import { compareStrings } from '../expr/constant-ops.js';
import { compileFilter, ExpressionError, type FilterIr, type TemplateValues } from '../expr/index.js';
import type { CollectionSchema } from '../schema/index.js';
import {
  type Column,
  DataType,
  DYNAMIC_FIELD_NAME,
  type FieldSchema,
  primaryField,
} from '../schema/index.js';
import type { Catalog } from './catalog/catalog.js';
import type { CollectionInfo } from './catalog/catalog-model.js';
import type { LoadService } from './load-service.js';
import type { RequestContext } from './request-context.js';

export interface QueryRequest {
  collectionName: string;
  expr: string;
  outputFields: readonly string[];
  partitionNames: readonly string[];
  params: Record<string, string>;
  templateValues: TemplateValues;
}

export interface QueryOutput {
  field: FieldSchema;
  column: Column;
}

export interface QueryResult {
  collection: CollectionInfo;
  /** One entry per output field (the primary key always among them), or the count. */
  outputs: QueryOutput[];
  count?: number;
}

/** Milvus's cap on offset + limit for a query (quotaAndLimits.maxQueryResultWindow). */
export const MAX_QUERY_RESULT_WINDOW = 16_384;
const COUNT_STAR = 'count(*)';

/**
 * Compiles a filter, wrapping parser errors the way Milvus's proxy does per request type
 * ("failed to create query plan: cannot parse expression: ...").
 */
export function compileRequestFilter(
  expr: string,
  schema: CollectionSchema,
  templateValues: TemplateValues,
  planKind: 'query' | 'delete',
): FilterIr {
  try {
    return compileFilter(expr, schema, templateValues);
  } catch (error) {
    if (error instanceof ExpressionError) {
      throw errors.parameterInvalid(`failed to create ${planKind} plan: ${error.detail}`);
    }
    throw error;
  }
}

function parseIntegerParam(name: string, text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isInteger(value)) throw errors.parameterInvalid(`${name} [${text}] is invalid`);
  return value;
}

/** Query: filter, output fields, limit/offset and count(*), reading the newest acknowledged data. */
export class QueryService {
  constructor(
    private readonly catalog: Catalog,
    private readonly engine: StorageEngine,
    private readonly loads: LoadService,
    readonly maxResultWindow = MAX_QUERY_RESULT_WINDOW,
  ) {}

  private readonly indexesOf = (segment: Segment) => this.engine.scalarIndexes.indexesOf(segment);

  query(ctx: RequestContext, request: QueryRequest): QueryResult {
    const collection = this.catalog.getCollection(ctx.dbName, request.collectionName);
    const schema = collection.schema;
    const limit = parseIntegerParam('limit', request.params.limit);
    // Milvus reads offset only together with a limit (parseQueryParams); alone it is ignored.
    const offset = limit === undefined ? 0 : (parseIntegerParam('offset', request.params.offset) ?? 0);
    const isCount = request.outputFields.some((f) => f.trim().toLowerCase() === COUNT_STAR);
    if (limit !== undefined) this.validateResultWindow(offset, limit);
    if (isCount && limit !== undefined) {
      throw errors.parameterInvalid('count entities with pagination is not allowed');
    }
    const iterator = request.params.iterator === 'True' || request.params.iterator === 'true';
    if (!isCount && limit === undefined && request.expr.trim() === '' && !iterator) {
      throw errors.parameterInvalid('empty expression should be used with limit');
    }
    const partitionIds = this.loads.readablePartitions(collection, request.partitionNames);
    const ir = compileRequestFilter(request.expr, schema, request.templateValues, 'query');
    const data = this.engine.collection(collection.id);
    if (isCount) {
      if (request.outputFields.length > 1) {
        throw errors.parameterInvalid('count entities with other output fields is not allowed');
      }
      const count =
        ir.kind === 'alwaysTrue'
          ? data.liveRows(partitionIds)
          : filterRows(data, ir, this.engine.lastAppliedTimestamp, partitionIds, this.indexesOf).length;
      return { collection, outputs: [], count };
    }
    const outputs = resolveOutputFields(collection, request.outputFields);
    let refs = filterRows(data, ir, this.engine.lastAppliedTimestamp, partitionIds, this.indexesOf);
    refs = sortByPrimaryKey(data, refs);
    if (limit !== undefined) refs = refs.slice(offset, offset + limit);
    return {
      collection,
      outputs: outputs.fields.map((field) => ({
        field,
        column:
          field.isDynamic && outputs.dynamicKeys
            ? pickDynamicKeys(projectRows(refs, field.name), outputs.dynamicKeys, refs.length)
            : (projectRows(refs, field.name) ?? emptyColumn(field, 0, 'zero')),
      })),
    };
  }

  /** Milvus's validateMaxQueryResultWindow, with its messages. */
  private validateResultWindow(offset: number, limit: number): void {
    const prefix = 'invalid max query result window';
    if (offset < 0)
      throw errors.parameterInvalid(`${prefix}, offset [${offset}] is invalid, should be gte than 0`);
    if (limit <= 0)
      throw errors.parameterInvalid(`${prefix}, limit [${limit}] is invalid, should be greater than 0`);
    if (offset + limit > this.maxResultWindow) {
      throw errors.parameterInvalid(
        `${prefix}, (offset+limit) should be in range [1, ${this.maxResultWindow}], but got ${offset + limit}`,
      );
    }
  }

  /** Primary keys of the live rows matching `expr` (for delete by expression). */
  matchingKeys(
    collection: CollectionInfo,
    expr: string,
    partitionName: string,
    templateValues: TemplateValues,
  ): Column {
    if (expr.trim() === '') {
      throw errors.parameterInvalidValue('valid expr', 'empty expr', 'invalid empty expression');
    }
    const ir = compileRequestFilter(expr, collection.schema, templateValues, 'delete');
    const partitionIds = partitionName
      ? new Set([this.catalog.getPartition(collection, partitionName).id])
      : undefined;
    const data = this.engine.collection(collection.id);
    const refs = filterRows(data, ir, this.engine.lastAppliedTimestamp, partitionIds, this.indexesOf);
    return projectRows(refs, data.pkField.name) ?? emptyColumn(data.pkField, 0, 'zero');
  }
}

/**
 * Output fields as Milvus resolves them: `*` is every field; a name the schema lacks is a dynamic
 * key when the dynamic field is on (returned inside `$meta`); the primary key is always included.
 */
export function resolveOutputFields(
  collection: CollectionInfo,
  requested: readonly string[],
): { fields: FieldSchema[]; dynamicKeys?: string[] } {
  const schema = collection.schema;
  const byName = new Map(schema.fields.map((f) => [f.name, f]));
  const chosen = new Set<FieldSchema>([primaryField(schema)]);
  const dynamicKeys: string[] = [];
  let wholeDynamic = false;
  for (const raw of requested) {
    const name = raw.trim();
    if (name === '*') {
      for (const field of schema.fields) chosen.add(field);
      wholeDynamic = true;
      continue;
    }
    const field = byName.get(name);
    if (field) {
      chosen.add(field);
      if (field.isDynamic) wholeDynamic = true;
      continue;
    }
    if (schema.enableDynamicField) {
      dynamicKeys.push(name);
      continue;
    }
    throw errors.uncoded(`field ${name} not exist`);
  }
  const dynamic = byName.get(DYNAMIC_FIELD_NAME);
  if (dynamic && dynamicKeys.length > 0) chosen.add(dynamic);
  const fields = schema.fields.filter((f) => chosen.has(f));
  return { fields, dynamicKeys: wholeDynamic || dynamicKeys.length === 0 ? undefined : dynamicKeys };
}

function sortByPrimaryKey(data: CollectionData, refs: RowRef[]): RowRef[] {
  const name = data.pkField.name;
  const keyed = refs.map((ref) => ({
    ref,
    key: (ref.segment.column(name)!.values as ArrayLike<bigint | string>)[ref.row]!,
  }));
  // Strings order by UTF-8 bytes, as Milvus's segcore compares them (not JS's UTF-16 order).
  keyed.sort((a, b) => {
    if (typeof a.key === 'string') return compareStrings(a.key, b.key as string);
    const other = b.key as bigint;
    return a.key < other ? -1 : a.key > other ? 1 : 0;
  });
  return keyed.map((k) => k.ref);
}

/** The `$meta` column restricted to the requested dynamic keys, as Milvus returns it. */
export function pickDynamicKeys(column: Column | undefined, keys: readonly string[], rows: number): Column {
  const texts = column?.type === DataType.JSON ? column.values : new Array<string>(rows).fill('{}');
  return {
    type: DataType.JSON,
    values: texts.map((text) => {
      const all = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      const picked: Record<string, unknown> = {};
      for (const key of keys) if (Object.hasOwn(all, key)) picked[key] = all[key];
      return JSON.stringify(picked);
    }),
  };
}
