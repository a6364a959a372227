import { errors, goParseBool, goParseInt64, type QuiverError } from '../errors/index.js';
import type { CollectionSchema, DefaultValue, FieldSchema, FunctionSchema } from './collection-schema.js';
import { DataType, dataTypeNames, isVectorType } from './data-type.js';

/**
 * CreateCollection validation with Milvus's rules, order and messages (Milvus 2.5/2.6): first the
 * proxy's createCollectionTask.PreExecute (internal/proxy/task.go, util.go), then rootcoord's
 * createCollectionTask.validateSchema (internal/rootcoord). The first failing rule wins, as in
 * Milvus, so clients see the same error for the same bad schema.
 *
 * Many proxy checks are plain Go errors in Milvus; those reach clients as code 65535 and are raised
 * here with errors.uncoded(). Checks that Milvus wraps in merr keep their merr code.
 *
 * The schema is the one decoded from the wire, before the catalog assigns field IDs and appends
 * the dynamic `$meta` field; it is not modified.
 */

/** Milvus configuration values that bound a schema. Defaults are Milvus 2.5/2.6's. */
export interface SchemaLimits {
  /** proxy.maxNameLength: collection, alias, field, partition and database names. */
  maxNameLength: number;
  /** proxy.maxFieldNum. */
  maxFieldNum: number;
  /** proxy.maxVectorFieldNum (4 in the 2.5 and 2.6 milvus.yaml; 10 only on later master). */
  maxVectorFieldNum: number;
  /** proxy.maxDimension; binary vectors may be 8 times larger. */
  maxDimension: number;
  /** proxy.maxVarCharLength. */
  maxVarCharLength: number;
  /** The proxy's defaultMaxArrayCapacity. */
  maxArrayCapacity: number;
  /** proxy.maxShardNum. */
  maxShardNum: number;
  /** rootCoord.maxPartitionNum: bounds num_partitions of a partition-key collection. */
  maxPartitionNum: number;
  /** common.DefaultPartitionsWithPartitionKey: num_partitions used when the request sends 0. */
  defaultPartitionsWithPartitionKey: number;
  /** proxy.mustUsePartitionKey. */
  mustUsePartitionKey: boolean;
  /** common.enableVectorClusteringKey. */
  enableVectorClusteringKey: boolean;
}

export const defaultSchemaLimits: Readonly<SchemaLimits> = Object.freeze({
  maxNameLength: 255,
  maxFieldNum: 64,
  maxVectorFieldNum: 4,
  maxDimension: 32768,
  maxVarCharLength: 65535,
  maxArrayCapacity: 4096,
  maxShardNum: 16,
  maxPartitionNum: 1024,
  defaultPartitionsWithPartitionKey: 16,
  mustUsePartitionKey: false,
  enableVectorClusteringKey: false,
});

/** The parts of CreateCollectionRequest that Milvus validates together with the schema. */
export interface CreateCollectionRequestOptions {
  /** CreateCollectionRequest.collection_name; rootcoord requires it to equal schema.name. */
  collectionName?: string;
  /** CreateCollectionRequest.shards_num (0 means the default, 1). */
  shardsNum?: number;
  /** CreateCollectionRequest.num_partitions (only allowed with a partition key). */
  numPartitions?: number | bigint;
}

/**
 * Words that may not name a field (common.FieldNameKeywords): the filter language uses them.
 * `$meta` is listed too but never reaches this check, since `$` already fails the first-character rule.
 */
export const fieldNameKeywords: ReadonlySet<string> = new Set([
  '$meta',
  'like',
  'exists',
  'EXISTS',
  'and',
  'or',
  'not',
  'in',
  'json_contains',
  'JSON_CONTAINS',
  'json_contains_all',
  'JSON_CONTAINS_ALL',
  'json_contains_any',
  'JSON_CONTAINS_ANY',
  'array_contains',
  'ARRAY_CONTAINS',
  'array_contains_all',
  'ARRAY_CONTAINS_ALL',
  'array_contains_any',
  'ARRAY_CONTAINS_ANY',
  'array_length',
  'ARRAY_LENGTH',
  'true',
  'True',
  'TRUE',
  'false',
  'False',
  'FALSE',
  'text_match',
  'TEXT_MATCH',
  'phrase_match',
  'PHRASE_MATCH',
  'random_sample',
  'RANDOM_SAMPLE',
]);

/** Names rootcoord reserves for system columns (RowIDFieldName, TimeStampFieldName, MetaFieldName). */
export const systemFieldNames: readonly string[] = Object.freeze(['RowID', 'Timestamp', '$meta']);

export function validateCollectionSchema(
  schema: CollectionSchema,
  limits: Partial<SchemaLimits> = {},
  request: CreateCollectionRequestOptions = {},
): void {
  const resolved: SchemaLimits = { ...defaultSchemaLimits, ...limits };
  validateAtProxy(schema, resolved, request);
  validateAtRootCoord(schema, request);
}

// ---------------------------------------------------------------------------------------------
// Names

/** validateCollectionName (proxy): trimmed, ≤ maxNameLength bytes, [_A-Za-z][_A-Za-z0-9]*. */
export function validateCollectionName(
  name: string,
  maxNameLength = defaultSchemaLimits.maxNameLength,
): void {
  validateCollectionNameOrAlias(name, 'name', maxNameLength);
}

/** ValidateCollectionAlias (proxy): the collection-name rules, worded for "alias". */
export function validateAliasName(alias: string, maxNameLength = defaultSchemaLimits.maxNameLength): void {
  validateCollectionNameOrAlias(alias, 'alias', maxNameLength);
}

function validateCollectionNameOrAlias(
  raw: string,
  entityType: 'name' | 'alias',
  maxNameLength: number,
): void {
  const entity = goTrimSpace(raw);
  if (entity === '') throw errors.parameterInvalid(`collection ${entityType} should not be empty`);
  // Milvus joins "<invalidMsg> the ..." where invalidMsg already ends in a space: two spaces.
  const invalidMsg = `Invalid collection ${entityType}: ${entity}. `;
  if (utf8ByteLength(entity) > maxNameLength) {
    throw errors.parameterInvalid(
      `${invalidMsg} the length of a collection ${entityType} must be less than ${maxNameLength} characters`,
    );
  }
  if (!isUnderscoreOrLetter(entity.charCodeAt(0))) {
    throw errors.parameterInvalid(
      `${invalidMsg} the first character of a collection ${entityType} must be an underscore or letter`,
    );
  }
  for (let i = 1; i < entity.length; i++) {
    if (!isIdentifierChar(entity.charCodeAt(i))) {
      throw errors.parameterInvalid(
        `${invalidMsg} collection ${entityType} can only contain numbers, letters and underscores`,
      );
    }
  }
}

/** validateFieldName (proxy): identifier rules plus the filter keywords; code 1701. */
export function validateFieldName(name: string, maxNameLength = defaultSchemaLimits.maxNameLength): void {
  const fieldName = goTrimSpace(name);
  if (fieldName === '') throw errors.fieldNameInvalid(fieldName, 'field name should not be empty');
  const invalidMsg = `Invalid field name: ${fieldName}. `;
  if (utf8ByteLength(fieldName) > maxNameLength) {
    throw errors.fieldNameInvalid(
      fieldName,
      `${invalidMsg}The length of a field name must be less than ${maxNameLength} characters.`,
    );
  }
  if (!isUnderscoreOrLetter(fieldName.charCodeAt(0))) {
    throw errors.fieldNameInvalid(
      fieldName,
      `${invalidMsg}The first character of a field name must be an underscore or letter.`,
    );
  }
  for (let i = 1; i < fieldName.length; i++) {
    if (!isIdentifierChar(fieldName.charCodeAt(i))) {
      throw errors.fieldNameInvalid(
        fieldName,
        `${invalidMsg}Field name can only contain numbers, letters, and underscores.`,
      );
    }
  }
  if (fieldNameKeywords.has(fieldName)) {
    throw errors.fieldNameInvalid(fieldName, `${invalidMsg}${fieldName} is keyword in milvus.`);
  }
}

/** ValidateDatabaseName (proxy): identifier rules, not trimmed; code 802. */
export function validateDatabaseName(name: string, maxNameLength = defaultSchemaLimits.maxNameLength): void {
  if (name === '') throw errors.databaseNameInvalid(name, "database name couldn't be empty");
  if (utf8ByteLength(name) > maxNameLength) {
    throw errors.databaseNameInvalid(
      name,
      `the length of a database name must be less than ${maxNameLength} characters`,
    );
  }
  if (!isUnderscoreOrLetter(name.charCodeAt(0))) {
    throw errors.databaseNameInvalid(
      name,
      'the first character of a database name must be an underscore or letter',
    );
  }
  for (let i = 1; i < name.length; i++) {
    if (!isIdentifierChar(name.charCodeAt(i))) {
      throw errors.databaseNameInvalid(
        name,
        'database name can only contain numbers, letters and underscores',
      );
    }
  }
}

/**
 * validatePartitionTag(name, strictCheck=true) (proxy): trimmed; the first character may also be a
 * digit (despite the message), later ones also '-'. Plain errors in Milvus 2.5/2.6 (code 65535).
 */
export function validatePartitionName(name: string, maxNameLength = defaultSchemaLimits.maxNameLength): void {
  const partition = goTrimSpace(name);
  const invalidMsg = `Invalid partition name: ${partition}. `;
  if (partition === '') throw errors.uncoded(`${invalidMsg}Partition name should not be empty.`);
  if (utf8ByteLength(partition) > maxNameLength) {
    throw errors.uncoded(
      `${invalidMsg}The length of a partition name must be less than ${maxNameLength} characters.`,
    );
  }
  const first = partition.charCodeAt(0);
  if (!isUnderscoreOrLetter(first) && !isDigit(first)) {
    throw errors.uncoded(
      `${invalidMsg}The first character of a partition name must be an underscore or letter.`,
    );
  }
  for (let i = 1; i < partition.length; i++) {
    const c = partition.charCodeAt(i);
    if (!isIdentifierChar(c) && c !== 0x2d /* '-' */) {
      throw errors.uncoded(`${invalidMsg}Partition name can only contain numbers, letters and underscores.`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Proxy: createCollectionTask.PreExecute

function validateAtProxy(
  schema: CollectionSchema,
  limits: SchemaLimits,
  request: CreateCollectionRequestOptions,
): void {
  validateFunctions(schema);

  if ((request.shardsNum ?? 0) > limits.maxShardNum) {
    throw errors.uncoded(`maximum shards's number should be limited to ${limits.maxShardNum}`);
  }
  if (schema.fields.length > limits.maxFieldNum) {
    throw errors.uncoded(`maximum field's number should be limited to ${limits.maxFieldNum}`);
  }
  const vectorFieldCount = schema.fields.filter((field) => isVectorType(field.dataType)).length;
  if (vectorFieldCount > limits.maxVectorFieldNum) {
    throw errors.uncoded(`maximum vector field's number should be limited to ${limits.maxVectorFieldNum}`);
  }
  if (vectorFieldCount === 0) throw errors.parameterInvalid('schema does not contain vector field');

  validateCollectionName(schema.name, limits.maxNameLength);
  validateNoDuplicatedFieldNames(schema.fields);
  validatePrimaryKey(schema.fields);
  if (schema.fields.some((field) => field.isDynamic)) {
    throw errors.uncoded('cannot explicitly set a field as a dynamic field');
  }
  validateAutoId(schema.fields);
  validateFieldTypes(schema.fields);
  validatePartitionKey(schema.fields, limits, request);
  validateClusteringKey(schema.fields, limits, request.collectionName ?? schema.name);

  for (const field of schema.fields) {
    validateFieldName(field.name, limits.maxNameLength);
    if (isVectorType(field.dataType)) validateDimension(field, limits);
    if (
      field.dataType === DataType.VarChar ||
      (field.dataType === DataType.Array && field.elementType === DataType.VarChar)
    ) {
      validateMaxLength(field, schema.name, limits);
    }
    if (field.dataType === DataType.Array) validateMaxCapacity(field, schema.name, limits);
    validateAnalyzer(field);
  }
}

function validateNoDuplicatedFieldNames(fields: readonly FieldSchema[]): void {
  const seen = new Set<string>();
  for (const field of fields) {
    if (seen.has(field.name)) throw errors.uncoded(`duplicated field name ${field.name} found`);
    seen.add(field.name);
  }
}

function validatePrimaryKey(fields: readonly FieldSchema[]): void {
  let primary: FieldSchema | undefined;
  for (const field of fields) {
    if (!field.isPrimaryKey) continue;
    if (primary !== undefined) {
      throw errors.uncoded(
        `there are more than one primary key, field name = ${primary.name}, ${field.name}`,
      );
    }
    // Milvus 2.x allows auto_id on a VarChar primary key too (it stringifies generated int64 IDs).
    if (field.dataType !== DataType.Int64 && field.dataType !== DataType.VarChar) {
      throw errors.uncoded('the data type of primary key should be Int64 or VarChar');
    }
    primary = field;
  }
  if (primary === undefined) throw errors.uncoded('primary key is not specified');
}

function validateAutoId(fields: readonly FieldSchema[]): void {
  let autoIdField: FieldSchema | undefined;
  for (const field of fields) {
    if (!field.autoId) continue;
    // Milvus's own spelling ("speficy") kept: clients may match on it.
    if (autoIdField !== undefined) {
      throw errors.uncoded(
        `only one field can speficy AutoID with true, field name = ${autoIdField.name}, ${field.name}`,
      );
    }
    autoIdField = field;
    if (!field.isPrimaryKey) {
      throw errors.uncoded(`only primary field can speficy AutoID with true, field name = ${field.name}`);
    }
  }
}

/** Array element types Milvus 2.5/2.6 accept (proxy validateElementType). */
const arrayElementTypes: ReadonlySet<DataType> = new Set([
  DataType.Bool,
  DataType.Int8,
  DataType.Int16,
  DataType.Int32,
  DataType.Int64,
  DataType.Float,
  DataType.Double,
  DataType.VarChar,
]);

function validateFieldTypes(fields: readonly FieldSchema[]): void {
  for (const field of fields) {
    if (field.dataType === DataType.String) {
      throw errors.uncoded('string data type not supported yet, please use VarChar type instead');
    }
    if (field.dataType === DataType.None) throw errors.uncoded('data type None is not valid');
    if (field.dataType !== DataType.Array) continue;
    if (arrayElementTypes.has(field.elementType)) continue;
    if (field.elementType === DataType.String) {
      throw errors.uncoded('string data type not supported yet, please use VarChar type instead');
    }
    if (field.elementType === DataType.None) throw errors.uncoded('element data type None is not valid');
    throw errors.uncoded(`element type ${goDataTypeName(field.elementType)} is not supported`);
  }
}

function validatePartitionKey(
  fields: readonly FieldSchema[],
  limits: SchemaLimits,
  request: CreateCollectionRequestOptions,
): void {
  const numPartitions = BigInt(request.numPartitions ?? 0);
  let partitionKey: FieldSchema | undefined;
  for (const field of fields) {
    if (!field.isPartitionKey) continue;
    if (partitionKey !== undefined) {
      throw errors.uncoded(
        `there are more than one partition key, field name = ${partitionKey.name}, ${field.name}`,
      );
    }
    if (field.isPrimaryKey) throw errors.uncoded('the partition key field must not be primary field');
    if (field.nullable) throw errors.parameterInvalid('partition key field not support nullable');
    if (field.dataType !== DataType.Int64 && field.dataType !== DataType.VarChar) {
      throw errors.uncoded('the data type of partition key should be Int64 or VarChar');
    }
    if (numPartitions < 0n) {
      throw errors.uncoded('the specified partitions should be greater than 0 if partition key is used');
    }
    if (numPartitions > BigInt(limits.maxPartitionNum)) {
      throw errors.parameterInvalid(
        `partition number (${numPartitions}) exceeds max configuration (${limits.maxPartitionNum})`,
      );
    }
    partitionKey = field;
  }
  if (limits.mustUsePartitionKey && partitionKey === undefined) {
    throw errors.parameterInvalid(
      'partition key must be set when creating the collection because the mustUsePartitionKey config is true',
    );
  }
  if (partitionKey === undefined && numPartitions !== 0n) {
    throw errors.uncoded('num_partitions should only be specified with partition key field enabled');
  }
}

/** Scalar types a clustering key may have (Milvus 2.6 typeutil.IsClusteringKeyType, scalar part). */
const clusteringKeyScalarTypes: ReadonlySet<DataType> = new Set([
  DataType.Int8,
  DataType.Int16,
  DataType.Int32,
  DataType.Int64,
  DataType.Float,
  DataType.Double,
  DataType.VarChar,
]);

function validateClusteringKey(
  fields: readonly FieldSchema[],
  limits: SchemaLimits,
  collection: string,
): void {
  let clusteringKey: FieldSchema | undefined;
  for (const field of fields) {
    if (!field.isClusteringKey) continue;
    const isVector = isVectorType(field.dataType);
    if (!isVector && !clusteringKeyScalarTypes.has(field.dataType)) {
      throw errors.collectionIllegalSchema(
        collection,
        `clustering key field ${field.name} has unsupported data type ${goDataTypeName(field.dataType)}`,
      );
    }
    if (isVector && !limits.enableVectorClusteringKey) {
      throw errors.collectionVectorClusteringKeyNotAllowed(collection);
    }
    if (clusteringKey !== undefined) {
      throw errors.collectionIllegalSchema(
        collection,
        `there are more than one clustering key, field name = ${clusteringKey.name}, ${field.name}`,
      );
    }
    clusteringKey = field;
  }
}

/** Dense vector types whose dim is bounded by maxDimension (all but BinaryVector). */
function isFloatLikeVector(type: DataType): boolean {
  return (
    type === DataType.FloatVector ||
    type === DataType.Float16Vector ||
    type === DataType.BFloat16Vector ||
    type === DataType.Int8Vector
  );
}

function validateDimension(field: FieldSchema, limits: SchemaLimits): void {
  const hasDim = Object.hasOwn(field.typeParams, 'dim');
  let dim = 0n;
  if (hasDim) {
    const parsed = goParseInt64(field.typeParams.dim ?? '');
    if (!parsed.ok) throw errors.uncoded(parsed.message);
    dim = parsed.value;
  }
  if (field.dataType === DataType.SparseFloatVector) {
    if (hasDim) {
      throw errors.uncoded(
        `dim should not be specified for sparse vector field ${field.name}(${field.fieldId})`,
      );
    }
    return;
  }
  if (!hasDim) {
    throw errors.uncoded(
      `dimension is not defined in field type params of field ${field.name}, check type param \`dim\` for vector field`,
    );
  }
  const maxDimension = BigInt(limits.maxDimension);
  if (dim <= 1n) throw errors.uncoded(`invalid dimension: ${dim}. should be in range 2 ~ ${maxDimension}`);
  if (isFloatLikeVector(field.dataType)) {
    if (dim > maxDimension) {
      throw errors.uncoded(
        `invalid dimension: ${dim} of field ${field.name}. float vector dimension should be in range 2 ~ ${maxDimension}`,
      );
    }
    return;
  }
  if (dim % 8n !== 0n) {
    // Milvus's text ends in ". " (trailing space).
    throw errors.uncoded(
      `invalid dimension: ${dim} of field ${field.name}. binary vector dimension should be multiple of 8. `,
    );
  }
  if (dim > maxDimension * 8n) {
    throw errors.uncoded(
      `invalid dimension: ${dim} of field ${field.name}. binary vector dimension should be in range 2 ~ ${maxDimension * 8n}`,
    );
  }
}

function validateMaxLength(field: FieldSchema, collection: string, limits: SchemaLimits): void {
  const raw = field.typeParams.max_length;
  if (raw === undefined || !Object.hasOwn(field.typeParams, 'max_length')) {
    throw errors.uncoded(
      `type param(max_length) should be specified for varChar field(${field.name}) of collection ${collection}`,
    );
  }
  const parsed = goParseInt64(raw);
  if (!parsed.ok) throw errors.uncoded(parsed.message);
  if (parsed.value > BigInt(limits.maxVarCharLength) || parsed.value <= 0n) {
    throw errors.parameterInvalid(
      `the maximum length specified for a VarChar field(${field.name}) should be in (0, ${limits.maxVarCharLength}], but got ${parsed.value} instead`,
    );
  }
}

function validateMaxCapacity(field: FieldSchema, collection: string, limits: SchemaLimits): void {
  const raw = field.typeParams.max_capacity;
  if (raw === undefined || !Object.hasOwn(field.typeParams, 'max_capacity')) {
    throw errors.uncoded(
      `type param(max_capacity) should be specified for array field ${field.name} of collection ${collection}`,
    );
  }
  const parsed = goParseInt64(raw);
  if (!parsed.ok)
    throw errors.uncoded(`the value for max_capacity of field ${field.name} must be an integer`);
  if (parsed.value > BigInt(limits.maxArrayCapacity) || parsed.value <= 0n) {
    throw errors.uncoded(
      `the maximum capacity specified for a Array should be in (0, ${limits.maxArrayCapacity}]`,
    );
  }
}

/** validateAnalyzer: text match needs an analyzer (BM25 inputs were checked with the functions). */
function validateAnalyzer(field: FieldSchema): void {
  if (!typeParamIsTrue(field, 'enable_match')) return;
  if (!typeParamIsTrue(field, 'enable_analyzer')) {
    throw errors.uncoded(
      `field ${field.name} is set to enable match or bm25 function but not enable analyzer`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Proxy: validateFunction (runs first in PreExecute)

function validateFunctions(schema: CollectionSchema): void {
  const fieldsByName = new Map(schema.fields.map((field) => [field.name, field]));
  const usedOutputFields = new Set<string>();
  const usedFunctionNames = new Set<string>();

  for (const fn of schema.functions) {
    validateFunctionBasics(fn);
    if (usedFunctionNames.has(fn.name)) throw errors.uncoded(`duplicate function name: ${fn.name}`);
    usedFunctionNames.add(fn.name);

    const inputs: FieldSchema[] = [];
    for (const name of fn.inputFieldNames) {
      const input = fieldsByName.get(name);
      if (input === undefined) throw errors.uncoded(`function input field not found: ${name}`);
      if (input.nullable) {
        throw errors.uncoded(
          `function input field cannot be nullable: function ${fn.name}, field ${input.name}`,
        );
      }
      inputs.push(input);
    }
    validateBm25Input(inputs);

    const outputs: FieldSchema[] = [];
    for (const name of fn.outputFieldNames) {
      const output = fieldsByName.get(name);
      if (output === undefined) throw errors.uncoded(`function output field not found: ${name}`);
      if (output.isPrimaryKey) {
        throw errors.uncoded(
          `function output field cannot be primary key: function ${fn.name}, field ${output.name}`,
        );
      }
      if (output.isPartitionKey || output.isClusteringKey) {
        throw errors.uncoded(
          `function output field cannot be partition key or clustering key: function ${fn.name}, field ${output.name}`,
        );
      }
      if (output.nullable) {
        throw errors.uncoded(
          `function output field cannot be nullable: function ${fn.name}, field ${output.name}`,
        );
      }
      if (usedOutputFields.has(name)) {
        throw errors.uncoded(`duplicate function output field: function ${fn.name}, field ${name}`);
      }
      usedOutputFields.add(name);
      outputs.push(output);
    }
    validateBm25Output(outputs);
  }
}

function validateFunctionBasics(fn: FunctionSchema): void {
  if (fn.name === '') throw errors.uncoded('function name cannot be empty');
  if (fn.inputFieldNames.length === 0) {
    throw errors.uncoded(`function input field names cannot be empty, function: ${fn.name}`);
  }
  if (fn.outputFieldNames.length === 0) {
    throw errors.uncoded(`function output field names cannot be empty, function: ${fn.name}`);
  }
  for (const input of fn.inputFieldNames) {
    if (input === '')
      throw errors.uncoded(`function input field name cannot be empty string, function: ${fn.name}`);
    if (countOf(fn.inputFieldNames, input) > 1) {
      throw errors.uncoded(
        `each function input field should be used exactly once in the same function, function: ${fn.name}, input field: ${input}`,
      );
    }
  }
  for (const output of fn.outputFieldNames) {
    if (output === '') {
      throw errors.uncoded(`function output field name cannot be empty string, function: ${fn.name}`);
    }
    if (fn.inputFieldNames.includes(output)) {
      throw errors.uncoded(
        `a single field cannot be both input and output in the same function, function: ${fn.name}, field: ${output}`,
      );
    }
    if (countOf(fn.outputFieldNames, output) > 1) {
      throw errors.uncoded(
        `each function output field should be used exactly once in the same function, function: ${fn.name}, output field: ${output}`,
      );
    }
  }
  // Milvus 2.5 knows BM25 only; other function types (2.6 TextEmbedding, rerankers) need model
  // providers that Quiver does not have, so they keep 2.5's answer.
  if (fn.type !== 'BM25') throw errors.uncoded('check function params with unknown function type');
  if (Object.keys(fn.params).length !== 0) throw errors.uncoded('BM25 function accepts no params');
}

function validateBm25Input(inputs: readonly FieldSchema[]): void {
  const [first] = inputs;
  if (first === undefined) return; // unreachable: validateFunctionBasics requires an input
  if (inputs.length !== 1 || first.dataType !== DataType.VarChar) {
    throw errors.uncoded(
      `BM25 function input field must be a VARCHAR field, got ${inputs.length} field with type ${goDataTypeName(first.dataType)}`,
    );
  }
  if (!typeParamIsTrue(first, 'enable_analyzer')) {
    throw errors.uncoded('BM25 function input field must set enable_analyzer to true');
  }
}

function validateBm25Output(outputs: readonly FieldSchema[]): void {
  const [first] = outputs;
  if (outputs.length !== 1 || first === undefined) {
    throw errors.uncoded(`BM25 function only need 1 output field, but got ${outputs.length}`);
  }
  if (first.dataType !== DataType.SparseFloatVector) {
    throw errors.uncoded(
      `BM25 function output field must be a SparseFloatVector field, but got ${goDataTypeName(first.dataType)}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// RootCoord: createCollectionTask.validateSchema

/** Field types rootcoord accepts at the top level of a schema (String/None were refused earlier). */
const rootCoordFieldTypes: ReadonlySet<DataType> = new Set([
  DataType.Bool,
  DataType.Int8,
  DataType.Int16,
  DataType.Int32,
  DataType.Int64,
  DataType.Float,
  DataType.Double,
  DataType.VarChar,
  DataType.Array,
  DataType.JSON,
  DataType.Geometry,
  DataType.Timestamptz,
  DataType.BinaryVector,
  DataType.FloatVector,
  DataType.Float16Vector,
  DataType.BFloat16Vector,
  DataType.SparseFloatVector,
  DataType.Int8Vector,
]);

function validateAtRootCoord(schema: CollectionSchema, request: CreateCollectionRequestOptions): void {
  if (request.collectionName !== undefined && request.collectionName !== schema.name) {
    throw errors.parameterInvalidValue(
      'collection name matches schema name',
      "don't match",
      `collection name = ${request.collectionName}, schema.Name=${schema.name}`,
    );
  }
  for (const field of schema.fields) checkFieldSchema(field);
  if (schema.fields.some((field) => systemFieldNames.includes(field.name))) {
    throw errors.parameterInvalidValue(
      "schema don't contains system field",
      'contains',
      `schema contains system field: ${systemFieldNames.join(', ')}`,
    );
  }
  for (const field of schema.fields) {
    if (!rootCoordFieldTypes.has(field.dataType)) {
      throw errors.parameterInvalidValue(
        'valid field',
        `field data type: ${goDataTypeName(field.dataType)} is not supported`,
        '',
      );
    }
  }
}

/** rootcoord checkFieldSchema: struct-only types, nullability, default values. */
function checkFieldSchema(field: FieldSchema): void {
  const typeName = goDataTypeName(field.dataType);
  if (field.dataType === DataType.ArrayOfStruct) {
    throw errors.parameterInvalid(`Invalid field type, type:${typeName}, name:${field.name}`);
  }
  if (field.dataType === DataType.ArrayOfVector) {
    throw errors.parameterInvalid(
      `ArrayOfVector is only supported in struct array field, type:${typeName}, name:${field.name}`,
    );
  }
  // Milvus 2.5 refuses nullable vectors; 2.6 later accepts them, Quiver's engine does not store them.
  if (field.nullable && isVectorType(field.dataType)) {
    throw errors.parameterInvalid(`vector type not support null, type:${typeName}, name:${field.name}`);
  }
  if (field.nullable && field.isPrimaryKey) {
    throw errors.parameterInvalid(`primary field not support null, type:${typeName}, name:${field.name}`);
  }
  if (field.defaultValue !== undefined) checkDefaultValue(field, field.defaultValue, typeName);
}

/** The schemapb.ValueField oneof case each DefaultValue kind decodes from, as Milvus names it. */
const defaultValueTypeNames: Readonly<Record<DefaultValue['kind'], string>> = {
  bool: 'DataType_Bool',
  int: 'DataType_Int',
  long: 'DataType_Int64',
  float: 'DataType_Float',
  double: 'DataType_Double',
  string: 'DataType_VarChar',
  // Milvus's own misspelling.
  bytes: 'DataType_SJON',
};

function checkDefaultValue(field: FieldSchema, value: DefaultValue, typeName: string): void {
  const type = field.dataType;
  if (field.isPrimaryKey) {
    throw errors.parameterInvalid(
      `primary field not support default_value, type:${typeName}, name:${field.name}`,
    );
  }
  if (type === DataType.Array || isVectorType(type) || (type === DataType.JSON && !field.isDynamic)) {
    throw errors.parameterInvalid(`type not support default_value, type:${typeName}, name:${field.name}`);
  }
  if (type === DataType.Geometry) {
    if (value.kind !== 'string' || !looksLikeWkt(value.value)) {
      throw errors.parameterInvalid('invalid default value for geometry field');
    }
    return;
  }
  const mismatch = (): QuiverError =>
    errors.parameterInvalid(
      `type (${typeName}) of field (${field.name}) is not equal to the type(${defaultValueTypeNames[value.kind]}) of default_value`,
    );
  switch (value.kind) {
    case 'bool':
      if (type !== DataType.Bool) throw mismatch();
      return;
    case 'int':
      if (type !== DataType.Int32 && type !== DataType.Int16 && type !== DataType.Int8) throw mismatch();
      if (type === DataType.Int16) checkIntRange(value.value, -32768, 32767);
      if (type === DataType.Int8) checkIntRange(value.value, -128, 127);
      return;
    case 'long':
      if (type !== DataType.Int64) throw mismatch();
      return;
    case 'float':
      if (type !== DataType.Float) throw mismatch();
      return;
    case 'double':
      if (type !== DataType.Double) throw mismatch();
      return;
    case 'string': {
      if (type === DataType.Timestamptz) return;
      if (type !== DataType.VarChar) throw mismatch();
      const maxLength = Number(field.typeParams.max_length);
      const lengthBytes = utf8ByteLength(value.value);
      if (lengthBytes > maxLength) {
        throw errors.parameterInvalidValue(
          'valid length string',
          'string length exceeds max length',
          `the length (${lengthBytes}) of string exceeds max length (${maxLength})`,
        );
      }
      return;
    }
    case 'bytes':
      // JSON fields were refused above (only the dynamic field may carry a JSON default).
      throw mismatch();
  }
}

function checkIntRange(value: number, lower: number, upper: number): void {
  if (value > upper || value < lower) {
    throw errors.parameterInvalidRange(lower, upper, value, 'default value out of range');
  }
}

/** A shallow WKT check: Milvus parses the default with its geometry library. */
function looksLikeWkt(text: string): boolean {
  return /^\s*(POINT|LINESTRING|POLYGON|MULTIPOINT|MULTILINESTRING|MULTIPOLYGON|GEOMETRYCOLLECTION)\s*(\(|EMPTY\b)/i.test(
    text,
  );
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** Go's DataType.String(): the enum name, or the number for values the enum does not define. */
function goDataTypeName(type: DataType): string {
  return dataTypeNames.get(type) ?? String(type);
}

/** typeutil.FieldSchemaHelper: a boolean type param that strconv.ParseBool reads as true. */
function typeParamIsTrue(field: FieldSchema, key: string): boolean {
  const raw = field.typeParams[key];
  return raw !== undefined && goParseBool(raw) === true;
}

function countOf(values: readonly string[], value: string): number {
  return values.filter((candidate) => candidate === value).length;
}

/** Go's len(string) counts UTF-8 bytes. */
function utf8ByteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

// Go's unicode.IsSpace: like JavaScript's \s but with U+0085 and without U+FEFF.
const goSpace = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const goTrimPattern = new RegExp(`^${goSpace}+|${goSpace}+$`, 'g');

/** strings.TrimSpace. */
function goTrimSpace(text: string): string {
  return text.replace(goTrimPattern, '');
}

function isLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isUnderscoreOrLetter(c: number): boolean {
  return c === 0x5f || isLetter(c);
}

function isIdentifierChar(c: number): boolean {
  return c === 0x5f || isLetter(c) || isDigit(c);
}
