import { errors } from '../../../errors/index.js';
import {
  type CollectionSchema,
  DataType,
  type DefaultValue,
  type FieldSchema,
  type FunctionSchema,
  type FunctionTypeName,
} from '../../../schema/index.js';
import { keyValuesToRecord, recordToKeyValues, type WireKeyValue } from './key-value.js';
import { decodeMessage } from './milvus-proto.js';

/** schema.ValueField as decoded (oneof name in `data`). */
export interface WireValueField {
  data?: string;
  bool_data?: boolean;
  int_data?: number;
  long_data?: string;
  float_data?: number;
  double_data?: number;
  string_data?: string;
  bytes_data?: Buffer;
  timestamptz_data?: string;
}

export interface WireFieldSchema {
  fieldID: string;
  name: string;
  is_primary_key: boolean;
  description: string;
  data_type: string | number;
  type_params: WireKeyValue[];
  index_params: WireKeyValue[];
  autoID: boolean;
  state?: string;
  element_type: string | number;
  default_value: WireValueField | null;
  is_dynamic: boolean;
  is_partition_key: boolean;
  is_clustering_key: boolean;
  nullable: boolean;
  is_function_output: boolean;
}

export interface WireFunctionSchema {
  name: string;
  id: string;
  description: string;
  type: string | number;
  input_field_names: string[];
  input_field_ids: string[];
  output_field_names: string[];
  output_field_ids: string[];
  params: WireKeyValue[];
}

export interface WireCollectionSchema {
  name: string;
  description: string;
  autoID: boolean;
  fields: WireFieldSchema[];
  enable_dynamic_field: boolean;
  properties: WireKeyValue[];
  functions: WireFunctionSchema[];
  dbName?: string;
  struct_array_fields?: unknown[];
}

/** Accepts an enum name or number as the codec hands it over; undefined when unknown. */
export function parseDataType(value: string | number | undefined): DataType | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return DataType[value] === undefined ? undefined : (value as DataType);
  const numeric = (DataType as unknown as Record<string, number>)[value];
  return numeric === undefined ? undefined : (numeric as DataType);
}

const functionTypes: readonly FunctionTypeName[] = ['Unknown', 'BM25', 'TextEmbedding', 'Rerank', 'MinHash'];

function parseFunctionType(value: string | number): FunctionTypeName {
  const name = typeof value === 'number' ? functionTypes[value] : value;
  if (!name || !functionTypes.includes(name as FunctionTypeName)) {
    throw errors.parameterInvalid(`unknown function type ${JSON.stringify(value)}`);
  }
  return name as FunctionTypeName;
}

function decodeDefaultValue(value: WireValueField | null): DefaultValue | undefined {
  if (!value?.data) return undefined;
  switch (value.data) {
    case 'bool_data':
      return { kind: 'bool', value: Boolean(value.bool_data) };
    case 'int_data':
      return { kind: 'int', value: Number(value.int_data) };
    case 'long_data':
      return { kind: 'long', value: String(value.long_data) };
    case 'float_data':
      return { kind: 'float', value: Number(value.float_data) };
    case 'double_data':
      return { kind: 'double', value: Number(value.double_data) };
    case 'string_data':
      return { kind: 'string', value: String(value.string_data) };
    case 'bytes_data':
      return { kind: 'bytes', value: Buffer.from(value.bytes_data ?? []).toString('base64') };
    case 'timestamptz_data':
      return { kind: 'long', value: String(value.timestamptz_data) };
    default:
      throw errors.parameterInvalid(`unsupported default value kind ${value.data}`);
  }
}

export function encodeDefaultValue(value: DefaultValue | undefined): WireValueField | null {
  if (!value) return null;
  switch (value.kind) {
    case 'bool':
      return { bool_data: value.value };
    case 'int':
      return { int_data: value.value };
    case 'long':
      return { long_data: value.value };
    case 'float':
      return { float_data: value.value };
    case 'double':
      return { double_data: value.value };
    case 'string':
      return { string_data: value.value };
    case 'bytes':
      return { bytes_data: Buffer.from(value.value, 'base64') };
  }
}

function decodeField(wire: WireFieldSchema): FieldSchema {
  const dataType = parseDataType(wire.data_type);
  if (dataType === undefined || dataType === DataType.None) {
    throw errors.parameterInvalid(
      `field data type ${JSON.stringify(wire.data_type)} of field ${wire.name} is not supported`,
    );
  }
  const elementType = parseDataType(wire.element_type);
  if (elementType === undefined) {
    throw errors.parameterInvalid(
      `element type ${JSON.stringify(wire.element_type)} of field ${wire.name} is not supported`,
    );
  }
  return {
    fieldId: 0,
    name: wire.name,
    description: wire.description,
    dataType,
    isPrimaryKey: wire.is_primary_key,
    autoId: wire.autoID,
    typeParams: keyValuesToRecord(wire.type_params),
    indexParams: keyValuesToRecord(wire.index_params),
    elementType,
    defaultValue: decodeDefaultValue(wire.default_value),
    isDynamic: wire.is_dynamic,
    isPartitionKey: wire.is_partition_key,
    isClusteringKey: wire.is_clustering_key,
    nullable: wire.nullable,
    isFunctionOutput: wire.is_function_output,
  };
}

/** Decodes CreateCollectionRequest.schema bytes. Garbage bytes become a 1100 error, never a crash. */
export function decodeCollectionSchema(bytes: Uint8Array | undefined): CollectionSchema {
  if (!bytes || bytes.length === 0) throw errors.parameterInvalid('collection schema is empty');
  let wire: WireCollectionSchema;
  try {
    wire = decodeMessage<WireCollectionSchema>('milvus.proto.schema.CollectionSchema', bytes);
  } catch (error) {
    throw errors.parameterInvalid(`failed to parse the collection schema: ${(error as Error).message}`);
  }
  if ((wire.struct_array_fields?.length ?? 0) > 0) {
    throw errors.parameterInvalid('struct array fields are not supported by Quiver yet');
  }
  return {
    name: wire.name,
    description: wire.description,
    autoId: wire.autoID,
    fields: wire.fields.map(decodeField),
    enableDynamicField: wire.enable_dynamic_field,
    functions: wire.functions.map(
      (fn): FunctionSchema => ({
        name: fn.name,
        id: 0,
        description: fn.description,
        type: parseFunctionType(fn.type),
        inputFieldNames: fn.input_field_names,
        inputFieldIds: [],
        outputFieldNames: fn.output_field_names,
        outputFieldIds: [],
        params: keyValuesToRecord(fn.params),
      }),
    ),
  };
}

function dataTypeName(type: DataType): string {
  return DataType[type];
}

/** The schema as DescribeCollection reports it: user fields only (no `$meta`), IDs as strings. */
export function encodeCollectionSchema(
  schema: CollectionSchema,
  properties: Record<string, string>,
  dbName: string,
): Omit<WireCollectionSchema, 'fields' | 'functions'> & { fields: object[]; functions: object[] } {
  return {
    name: schema.name,
    description: schema.description,
    autoID: schema.autoId,
    fields: schema.fields
      .filter((field) => !field.isDynamic)
      .map((field) => ({
        fieldID: String(field.fieldId),
        name: field.name,
        is_primary_key: field.isPrimaryKey,
        description: field.description,
        data_type: dataTypeName(field.dataType),
        type_params: recordToKeyValues(field.typeParams),
        index_params: recordToKeyValues(field.indexParams),
        autoID: field.autoId,
        state: 'FieldCreated',
        element_type: dataTypeName(field.elementType),
        default_value: encodeDefaultValue(field.defaultValue),
        is_dynamic: field.isDynamic,
        is_partition_key: field.isPartitionKey,
        is_clustering_key: field.isClusteringKey,
        nullable: field.nullable,
        is_function_output: field.isFunctionOutput,
      })),
    enable_dynamic_field: schema.enableDynamicField,
    properties: recordToKeyValues(properties),
    functions: schema.functions.map((fn) => ({
      name: fn.name,
      id: String(fn.id),
      description: fn.description,
      type: fn.type,
      input_field_names: fn.inputFieldNames,
      input_field_ids: fn.inputFieldIds.map(String),
      output_field_names: fn.outputFieldNames,
      output_field_ids: fn.outputFieldIds.map(String),
      params: recordToKeyValues(fn.params),
    })),
    dbName,
  };
}
