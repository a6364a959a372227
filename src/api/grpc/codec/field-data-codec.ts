import { errors } from '../../../errors/index.js';
import {
  type CollectionSchema,
  type Column,
  type ColumnBatch,
  DataType,
  DYNAMIC_FIELD_NAME,
  type FieldSchema,
} from '../../../schema/index.js';
import { checkFieldData, checkJsonDocuments } from './field-data-checks.js';
import { toColumn } from './field-data-columns.js';
import {
  absentEntry,
  bytesOf,
  type Entry,
  emptyDynamicEntry,
  toEntry,
  utf8Text,
} from './field-data-entry.js';
import { checkAligned, fillWithValue } from './field-data-fill.js';
import { goJsonError } from './go-json-error.js';
import type { WireEnum, WireFieldData } from './wire-field-data.js';

export { JSON_MAX_LENGTH_BYTES } from './field-data-checks.js';
export { encodeFieldData } from './field-data-encoder.js';
export type {
  WireEnum,
  WireFieldData,
  WireScalarField,
  WireValues,
  WireVectorField,
} from './wire-field-data.js';

export interface DecodeFieldDataOptions {
  /** Upsert: the primary key is required even with auto_id, and array capacity is not checked. */
  upsert: boolean;
}

/** The schema's fields, with the hidden `$meta` field when dynamic fields are on. */
function fieldsOf(schema: CollectionSchema): FieldSchema[] {
  if (!schema.enableDynamicField || schema.fields.some((field) => field.isDynamic)) return schema.fields;
  const dynamic: FieldSchema = {
    fieldId: 0,
    name: DYNAMIC_FIELD_NAME,
    description: 'dynamic schema',
    dataType: DataType.JSON,
    isPrimaryKey: false,
    autoId: false,
    typeParams: {},
    indexParams: {},
    elementType: DataType.None,
    isDynamic: true,
    isPartitionKey: false,
    isClusteringKey: false,
    nullable: false,
    isFunctionOutput: false,
  };
  return [...schema.fields, dynamic];
}

/** Go's `%v` of a schemapb.DataType: its name, or the number when it has none. */
function goDataType(value: WireEnum): string {
  if (typeof value === 'string') return value;
  return DataType[value] ?? String(value);
}

/** JSON.parse of a document Go's scanner accepted; both follow RFC 8259, so it does not throw. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw errors.ioFailed(error instanceof Error ? error.message : String(error));
  }
}

/**
 * util.go checkDynamicFieldData / verifyDynamicFieldData: the first column flagged is_dynamic is
 * the `$meta` column whatever its name; each row must be a JSON object that neither sets `$meta`
 * nor repeats a schema field. Without such a column every row gets `{}`.
 */
function checkDynamicFieldData(entries: Entry[], fields: readonly FieldSchema[], numRows: number): void {
  const dynamic = entries.find((entry) => entry.isDynamic);
  if (!dynamic) {
    entries.push(emptyDynamicEntry(numRows));
    return;
  }
  dynamic.name = DYNAMIC_FIELD_NAME;
  for (const entry of entries) {
    if (entry.name !== DYNAMIC_FIELD_NAME || entry.scalar !== 'json_data') continue;
    for (const row of entry.values) {
      const bytes = bytesOf(row);
      const problem = goJsonError(bytes, 'object');
      if (problem !== undefined) throw errors.ioFailed(problem);
      const document = parseJson(utf8Text(bytes));
      if (document === null || typeof document !== 'object') continue;
      if (Object.hasOwn(document, DYNAMIC_FIELD_NAME)) {
        throw errors.uncoded(`cannot set json key to: ${DYNAMIC_FIELD_NAME}`);
      }
      for (const field of fields) {
        if (Object.hasOwn(document, field.name)) {
          throw errors.uncoded(`dynamic field name cannot include the static field name: ${field.name}`);
        }
      }
    }
  }
}

/** util.go checkFieldsDataBySchema: no duplicates, every required field present, nothing extra. */
function checkFieldsDataBySchema(
  entries: Entry[],
  fields: readonly FieldSchema[],
  numRows: number,
  upsert: boolean,
): void {
  const names = new Set<string>();
  for (const entry of entries) {
    if (names.has(entry.name)) throw errors.parameterInvalid(`duplicated field ${entry.name} found`);
    names.add(entry.name);
  }
  let generated = 0;
  for (const field of fields) {
    // Columns the server fills itself: an auto_id key on insert, and function outputs (BM25).
    const isGenerated = (field.isPrimaryKey && field.autoId && !upsert) || field.isFunctionOutput;
    if (isGenerated) generated++;
    if (names.has(field.name) || isGenerated) continue;
    if (field.defaultValue === undefined && !field.nullable) {
      throw errors.parameterInvalid(`fieldSchema(${field.name}) has no corresponding fieldData pass in`);
    }
    entries.push(absentEntry(field, numRows));
  }
  const actual = entries.length + generated;
  if (actual !== fields.length) {
    throw errors.parameterInvalidValue(fields.length, actual, 'more fieldData has pass in');
  }
}

/** util.go parsePrimaryFieldData2IDs: the key column must be long_data or string_data. */
function checkPrimaryFieldData(entry: Entry): void {
  if (entry.holder !== 'scalars') {
    throw errors.parameterInvalid('currently not support vector field as PrimaryField');
  }
  if (entry.scalar !== 'long_data' && entry.scalar !== 'string_data') {
    throw errors.parameterInvalid('currently only support DataType Int64 or VarChar as PrimaryField');
  }
}

/**
 * Turns an Insert/Upsert request's columns into a ColumnBatch keyed by field name, checking them
 * as Milvus's proxy does (internal/proxy task_insert.go / task_upsert.go PreExecute, util.go,
 * validate_util.go), in the same order and with the same codes and messages. Columns the server
 * generates (an auto_id key on insert, function outputs) are not in the batch; `$meta` is.
 */
export function decodeFieldData(
  schema: CollectionSchema,
  fieldsData: readonly WireFieldData[],
  numRows: number,
  options: DecodeFieldDataOptions,
): ColumnBatch {
  const { upsert } = options;
  const numRowsInvalid = () =>
    errors.parameterInvalidValue('invalid num_rows', String(numRows), 'num_rows should be greater than 0');
  // Upsert checks num_rows in PreExecute, before anything else looks at the columns.
  if (upsert && numRows <= 0) throw numRowsInvalid();

  const fields = fieldsOf(schema);
  const fieldsByName = new Map(fields.map((field) => [field.name, field]));
  const entries = fieldsData.map(toEntry);

  if (schema.enableDynamicField) checkDynamicFieldData(entries, fields, numRows);

  // util.go checkAndFlattenStructFieldData: a column must be a field of the schema.
  for (const entry of entries) {
    if (!fieldsByName.has(entry.name)) {
      throw errors.parameterInvalid(
        `fieldName ${entry.name} not exist in collection schema, fieldType ${goDataType(entry.wireType)}, ` +
          `fieldId ${entry.fieldId}`,
      );
    }
  }
  if (numRows <= 0) throw numRowsInvalid();

  checkFieldsDataBySchema(entries, fields, numRows, upsert);

  const schemaOf = (entry: Entry): FieldSchema => fieldsByName.get(entry.name)!;
  for (const entry of entries) {
    const field = schemaOf(entry);
    if (field.isPrimaryKey) checkPrimaryFieldData(entry);
  }
  // util.go fillFieldPropertiesBySchema: an Array column must carry array_data.
  for (const entry of entries) {
    if (schemaOf(entry).dataType === DataType.Array && entry.scalar !== 'array_data') {
      throw errors.parameterInvalid(
        `field convert FieldData_Scalars fail in fieldData, fieldName: ${entry.name}, collectionName: ${schema.name}`,
      );
    }
  }

  for (const entry of entries) checkFieldData(entry, schemaOf(entry), upsert);
  for (const entry of entries) fillWithValue(entry, schemaOf(entry), numRows);
  for (const entry of entries) checkAligned(entry, schemaOf(entry), numRows);
  for (const entry of entries) {
    const field = schemaOf(entry);
    if (field.dataType === DataType.JSON && !field.isDynamic) checkJsonDocuments(entry, field);
  }

  const entriesByName = new Map(entries.map((entry) => [entry.name, entry]));
  const columns = new Map<string, Column>();
  for (const field of fields) {
    const entry = entriesByName.get(field.name);
    if (entry) columns.set(field.name, toColumn(entry, field));
  }
  return { numRows, columns };
}

export { decodeIds, encodeIds, type WireIds } from './ids-codec.js';
