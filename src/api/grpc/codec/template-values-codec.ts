import { errors } from '../../../errors/index.js';
import type { TemplateArrayValue, TemplateValue, TemplateValues } from '../../../expr/index.js';

interface WireTemplateArray {
  data?: string;
  bool_data?: { data: boolean[] };
  long_data?: { data: string[] };
  double_data?: { data: number[] | Float64Array };
  string_data?: { data: string[] };
  array_data?: { data: WireTemplateArray[] };
  json_data?: { data: Buffer[] };
}

interface WireTemplateValue {
  val?: string;
  bool_val?: boolean;
  int64_val?: string;
  float_val?: number;
  string_val?: string;
  array_val?: WireTemplateArray;
}

function decodeArray(wire: WireTemplateArray): TemplateArrayValue {
  switch (wire.data) {
    case 'bool_data':
      return { kind: 'bool', data: wire.bool_data?.data ?? [] };
    case 'long_data':
      return { kind: 'long', data: (wire.long_data?.data ?? []).map((v) => BigInt(v)) };
    case 'double_data':
      return { kind: 'double', data: Array.from(wire.double_data?.data ?? []) };
    case 'string_data':
      return { kind: 'string', data: wire.string_data?.data ?? [] };
    case 'array_data':
      return { kind: 'array', data: (wire.array_data?.data ?? []).map(decodeArray) };
    case 'json_data':
      return { kind: 'json', data: (wire.json_data?.data ?? []).map((b) => Buffer.from(b).toString('utf8')) };
    default:
      throw errors.parameterInvalid('template array value has no data');
  }
}

function decodeValue(name: string, wire: WireTemplateValue): TemplateValue {
  switch (wire.val) {
    case 'bool_val':
      return { kind: 'bool', value: Boolean(wire.bool_val) };
    case 'int64_val':
      return { kind: 'int64', value: BigInt(wire.int64_val ?? '0') };
    case 'float_val':
      return { kind: 'float', value: Number(wire.float_val) };
    case 'string_val':
      return { kind: 'string', value: String(wire.string_val ?? '') };
    case 'array_val':
      return { kind: 'array', array: decodeArray(wire.array_val ?? {}) };
    default:
      throw errors.parameterInvalid(`expression template variable value is empty, template name: ${name}`);
  }
}

/** `expr_template_values` (map<string, schema.TemplateValue>) as the filter compiler takes it. */
export function decodeTemplateValues(wire: Record<string, WireTemplateValue> | undefined): TemplateValues {
  const values: Record<string, TemplateValue> = {};
  for (const [name, value] of Object.entries(wire ?? {})) values[name] = decodeValue(name, value);
  return values;
}
