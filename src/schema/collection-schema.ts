import { DataType } from './data-type.js';

/**
 * A field's default value, kept in the shape of Milvus's schema.ValueField oneof so that it
 * round-trips exactly and stays JSON-serialisable (int64 as a decimal string).
 */
export type DefaultValue =
  | { kind: 'bool'; value: boolean }
  | { kind: 'int'; value: number }
  | { kind: 'long'; value: string }
  | { kind: 'float'; value: number }
  | { kind: 'double'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'bytes'; value: string /* base64 */ };

export interface FieldSchema {
  /** Assigned by the catalog from 100 upwards, as Milvus does. */
  fieldId: number;
  name: string;
  description: string;
  dataType: DataType;
  isPrimaryKey: boolean;
  autoId: boolean;
  /** dim, max_length, max_capacity, enable_analyzer, analyzer_params, enable_match, mmap.enabled... */
  typeParams: Record<string, string>;
  indexParams: Record<string, string>;
  /** Element type of Array fields; None otherwise. */
  elementType: DataType;
  defaultValue?: DefaultValue;
  isDynamic: boolean;
  isPartitionKey: boolean;
  isClusteringKey: boolean;
  nullable: boolean;
  isFunctionOutput: boolean;
}

export type FunctionTypeName = 'Unknown' | 'BM25' | 'TextEmbedding' | 'Rerank' | 'MinHash';

export interface FunctionSchema {
  name: string;
  id: number;
  description: string;
  type: FunctionTypeName;
  inputFieldNames: string[];
  inputFieldIds: number[];
  outputFieldNames: string[];
  outputFieldIds: number[];
  params: Record<string, string>;
}

export interface CollectionSchema {
  name: string;
  description: string;
  /** Deprecated at collection level in Milvus; kept because old clients still send it. */
  autoId: boolean;
  fields: FieldSchema[];
  enableDynamicField: boolean;
  functions: FunctionSchema[];
}

/** Name of the hidden JSON field that holds dynamic keys. */
export const DYNAMIC_FIELD_NAME = '$meta';

export function primaryField(schema: CollectionSchema): FieldSchema {
  const field = schema.fields.find((f) => f.isPrimaryKey);
  if (!field) throw new Error(`collection ${schema.name} has no primary key (catalog invariant broken)`);
  return field;
}

/** A field schema with Milvus's defaults for everything not given (field ID 0 until the catalog assigns one). */
export function makeFieldSchema(
  name: string,
  dataType: DataType,
  extra: Partial<FieldSchema> = {},
): FieldSchema {
  return {
    fieldId: 0,
    name,
    description: '',
    dataType,
    isPrimaryKey: false,
    autoId: false,
    typeParams: {},
    indexParams: {},
    elementType: DataType.None,
    isDynamic: false,
    isPartitionKey: false,
    isClusteringKey: false,
    nullable: false,
    isFunctionOutput: false,
    ...extra,
  };
}
