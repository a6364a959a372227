import { goParseBool } from '../errors/go-format.js';
import { type CollectionSchema, DYNAMIC_FIELD_NAME, type FieldSchema } from '../schema/collection-schema.js';
import { DataType, dataTypeName } from '../schema/data-type.js';
import { ExpressionFailure, UnsupportedExpressionFailure } from './expression-error.js';
import { decodeUnicodeEscapes } from './han-to-unicode-escapes.js';
import type { ColumnRef } from './ir.js';

/**
 * Field lookup as Milvus's SchemaHelper does it for filters (GetFieldFromNameDefaultJSON): a name
 * that is not a field resolves to the dynamic JSON field (`$meta`) when the collection has one,
 * with the name as the first JSON key.
 */
export class SchemaFields {
  private readonly byName = new Map<string, FieldSchema>();
  private readonly dynamicField: FieldSchema | undefined;

  constructor(schema: CollectionSchema) {
    for (const field of schema.fields) this.byName.set(field.name, field);
    this.dynamicField =
      schema.fields.find((field) => field.isDynamic && field.dataType === DataType.JSON) ??
      (schema.enableDynamicField ? syntheticDynamicField() : undefined);
    if (this.dynamicField !== undefined && !this.byName.has(this.dynamicField.name)) {
      this.byName.set(this.dynamicField.name, this.dynamicField);
    }
  }

  /** GetFieldFromNameDefaultJSON; Milvus's error when neither the field nor a dynamic field exists. */
  fieldOrDynamic(name: string): FieldSchema {
    const field = this.byName.get(name) ?? this.dynamicField;
    if (field === undefined) throw new ExpressionFailure(`field ${name} not exist`);
    return field;
  }

  /** The field's analyzer_params (JSON text), '' when it has none (the standard analyzer). */
  analyzerParams(fieldId: number): string {
    for (const field of this.byName.values()) {
      if (field.fieldId === fieldId) return field.typeParams.analyzer_params ?? '';
    }
    return '';
  }

  /** SchemaHelper.IsFieldTextMatchEnabled: type param enable_match parses as true (strconv.ParseBool). */
  textMatchEnabled(fieldId: number): boolean {
    for (const field of this.byName.values()) {
      if (field.fieldId === fieldId) return goParseBool(field.typeParams.enable_match ?? '') === true;
    }
    return false;
  }
}

/** The hidden `$meta` field of a dynamic collection whose schema does not list it explicitly. */
function syntheticDynamicField(): FieldSchema {
  return {
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
}

function columnOf(field: FieldSchema, nestedPath: string[]): ColumnRef {
  return {
    fieldId: field.fieldId,
    fieldName: field.name,
    dataType: field.dataType,
    elementType: field.elementType,
    nestedPath,
    isPrimaryKey: field.isPrimaryKey,
    isPartitionKey: field.isPartitionKey,
    nullable: field.nullable,
    isDynamic: field.isDynamic,
  };
}

/** Milvus's translateIdentifier: a bare identifier (or `$meta`). */
export function resolveIdentifier(fields: SchemaFields, identifier: string): ColumnRef {
  const name = decodeUnicodeEscapes(identifier);
  const field = fields.fieldOrDynamic(name);
  const nestedPath = name !== field.name ? [name] : [];
  if (field.dataType === DataType.Text) {
    throw new ExpressionFailure(`filter on text field (${field.name}) is not supported yet`);
  }
  return columnOf(field, nestedPath);
}

/**
 * Milvus's getColumnInfoFromJSONIdentifier: `f["a"][0]` on a JSON field (or a dynamic key), or
 * `arr[0]` on an Array field. Keys are taken verbatim between the quotes (no unescaping), split on
 * "][" as Milvus splits them.
 */
export function resolveJsonIdentifier(fields: SchemaFields, text: string): ColumnRef {
  const identifier = decodeUnicodeEscapes(text);
  const fieldName = identifier.split('[')[0]!;
  const field = fields.fieldOrDynamic(fieldName);
  if (field.dataType !== DataType.JSON && field.dataType !== DataType.Array) {
    throw new ExpressionFailure(`${dataTypeName(field.dataType)} data type not supported accessed with []`);
  }
  const nestedPath: string[] = [];
  if (fieldName !== field.name) nestedPath.push(fieldName);
  const keys = identifier.slice(fieldName.length).split('][');
  for (const key of keys) {
    let path = trimBrackets(key);
    if (path === '') throw new ExpressionFailure(`invalid identifier: ${identifier}`);
    const quoted =
      (path.startsWith('"') && path.endsWith('"')) || (path.startsWith("'") && path.endsWith("'"));
    if (quoted) {
      // A lone quote makes Milvus slice path[1:0] and panic.
      if (path.length === 1) throw new UnsupportedExpressionFailure();
      path = path.slice(1, -1);
      if (path === '') throw new ExpressionFailure(`invalid identifier: ${identifier}`);
      if (field.dataType === DataType.Array)
        throw new ExpressionFailure('can only access array field with integer index');
    } else if (!/^[+-]?[0-9]+$/.test(path) || !fitsInt64(path)) {
      throw new ExpressionFailure(`json key must be enclosed in double quotes or single quotes: "${path}"`);
    }
    nestedPath.push(path);
  }
  return columnOf(field, nestedPath);
}

/** Go's strings.Trim(s, "[]"). */
function trimBrackets(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && (text[start] === '[' || text[start] === ']')) start++;
  while (end > start && (text[end - 1] === '[' || text[end - 1] === ']')) end--;
  return text.slice(start, end);
}

function fitsInt64(text: string): boolean {
  const value = BigInt(text);
  return value >= -(2n ** 63n) && value < 2n ** 63n;
}
