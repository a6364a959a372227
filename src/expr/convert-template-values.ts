import { DataType } from '../schema/data-type.js';
import { ExpressionFailure } from './expression-error.js';
import { arrayValue, type GenericValue } from './generic-value.js';
import { goParseFloat } from './go-strconv.js';
import { type JsonNode, parseJsonText } from './parse-json-text.js';
import type { TemplateArrayValue, TemplateValue, TemplateValues } from './template-value.js';

/**
 * Milvus's UnmarshalExpressionValues (planparserv2): template values become GenericValues. Array
 * values record whether their elements share a type; JSON elements are decoded keeping 1 (int64)
 * apart from 1.0 (double). Failures are reported bare (not as "cannot parse expression").
 */
export function convertTemplateValues(values: TemplateValues): Map<string, GenericValue> {
  const result = new Map<string, GenericValue>();
  for (const [name, value] of Object.entries(values)) result.set(name, convertTemplateValue(name, value));
  return result;
}

function convertTemplateValue(name: string, value: TemplateValue | null | undefined): GenericValue {
  if (value === null || value === undefined) {
    throw new ExpressionFailure(`expression template variable value is nil, template name: {${name}}`, false);
  }
  switch (value.kind) {
    case 'bool':
      return { kind: 'bool', value: value.value };
    case 'int64':
      return { kind: 'int64', value: BigInt.asIntN(64, value.value) };
    case 'float':
      return { kind: 'float', value: value.value };
    case 'string':
      return { kind: 'string', value: value.value };
    case 'array':
      return convertArray(value.array);
    default:
      throw new ExpressionFailure('expression elements can only be scalars', false);
  }
}

function convertArray(array: TemplateArrayValue): GenericValue {
  const sameTyped = (elements: GenericValue[], elementType: DataType): GenericValue => ({
    kind: 'array',
    elements,
    sameType: elementType !== DataType.JSON,
    elementType,
  });
  switch (array.kind) {
    case 'bool':
      return sameTyped(
        array.data.map((value) => ({ kind: 'bool', value })),
        DataType.Bool,
      );
    case 'long':
      return sameTyped(
        array.data.map((value) => ({ kind: 'int64', value: BigInt.asIntN(64, value) })),
        DataType.Int64,
      );
    case 'double':
      return sameTyped(
        array.data.map((value) => ({ kind: 'float', value })),
        DataType.Double,
      );
    case 'string':
      return sameTyped(
        array.data.map((value) => ({ kind: 'string', value })),
        DataType.VarChar,
      );
    case 'array':
      return sameTyped(array.data.map(convertArray), DataType.Array);
    case 'json':
      return sameTyped(
        array.data.map((text) => {
          const parsed = parseJsonText(text);
          if (!parsed.ok) throw new ExpressionFailure(parsed.message, false);
          return jsonToGenericValue(parsed.node).value;
        }),
        DataType.JSON,
      );
    default:
      throw new ExpressionFailure(`unknown template variable value type: ${JSON.stringify(array)}`, false);
  }
}

/** Milvus's parseJSONValue: numbers as int64 when they parse as one, else double; strings typed String. */
export function jsonToGenericValue(node: JsonNode): { value: GenericValue; dataType: DataType } {
  switch (node.type) {
    case 'number': {
      if (/^-?[0-9]+$/.test(node.text)) {
        const value = BigInt(node.text);
        if (value >= -(2n ** 63n) && value < 2n ** 63n)
          return { value: { kind: 'int64', value }, dataType: DataType.Int64 };
      }
      const parsed = goParseFloat(node.text);
      if (!parsed.ok) throw new ExpressionFailure(`${node.text} is a number, but couldn't convert it`, false);
      return { value: { kind: 'float', value: parsed.value }, dataType: DataType.Double };
    }
    case 'string':
      return { value: { kind: 'string', value: node.value }, dataType: DataType.String };
    case 'bool':
      return { value: { kind: 'bool', value: node.value }, dataType: DataType.Bool };
    case 'array': {
      const converted = node.items.map(jsonToGenericValue);
      const value = arrayValue(
        converted.map((item) => item.value),
        converted.map((item) => item.dataType),
      );
      return { value, dataType: DataType.Array };
    }
    case 'null':
      throw new ExpressionFailure('<nil> is of unknown type: <nil>\n', false);
    case 'object':
      throw new ExpressionFailure(`${goMapText(node)} is of unknown type: map[string]interface {}\n`, false);
  }
}

/** Go's %v of a decoded JSON object: map[k:v ...] with sorted keys. */
function goMapText(node: JsonNode): string {
  switch (node.type) {
    case 'null':
      return '<nil>';
    case 'bool':
      return String(node.value);
    case 'number':
      return node.text;
    case 'string':
      return node.value;
    case 'array':
      return `[${node.items.map(goMapText).join(' ')}]`;
    case 'object':
      return `map[${[...node.entries]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, value]) => `${key}:${goMapText(value)}`)
        .join(' ')}]`;
  }
}
