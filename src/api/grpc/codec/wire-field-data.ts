import { DataType } from '../../../schema/index.js';

/*
 * schema.FieldData as @grpc/proto-loader hands it over (keepCase, longs and enums as strings,
 * defaults, oneof names in `field` / `data`), and as encodeFieldData hands it back.
 */

export type WireEnum = string | number;

export interface WireValues<T> {
  data: T[];
}

export interface WireScalarField {
  /** Name of the set member of the `data` oneof. */
  data?: string;
  bool_data?: WireValues<boolean> | null;
  int_data?: WireValues<number> | null;
  long_data?: WireValues<string | number> | null;
  float_data?: WireValues<number> | null;
  double_data?: WireValues<number> | null;
  string_data?: WireValues<string> | null;
  bytes_data?: WireValues<Uint8Array> | null;
  array_data?: { data: WireScalarField[]; element_type: WireEnum } | null;
  json_data?: WireValues<Uint8Array | string> | null;
  geometry_data?: WireValues<Uint8Array> | null;
  timestamptz_data?: WireValues<string | number> | null;
  geometry_wkt_data?: WireValues<string> | null;
}

export interface WireVectorField {
  /** Name of the set member of the `data` oneof. */
  data?: string;
  dim: string | number;
  float_vector?: WireValues<number> | null;
  binary_vector?: Uint8Array | null;
  float16_vector?: Uint8Array | null;
  bfloat16_vector?: Uint8Array | null;
  sparse_float_vector?: { contents: Uint8Array[]; dim: string | number } | null;
  int8_vector?: Uint8Array | null;
}

export interface WireFieldData {
  type: WireEnum;
  field_name: string;
  field_id?: string | number;
  is_dynamic?: boolean;
  valid_data?: boolean[];
  /** Name of the set member of the `field` oneof. */
  field?: string;
  scalars?: WireScalarField | null;
  vectors?: WireVectorField | null;
}

export const scalarMembers = [
  'bool_data',
  'int_data',
  'long_data',
  'float_data',
  'double_data',
  'string_data',
  'bytes_data',
  'array_data',
  'json_data',
  'geometry_data',
  'timestamptz_data',
  'geometry_wkt_data',
] as const;
export type ScalarMember = (typeof scalarMembers)[number];

export const vectorMembers = [
  'float_vector',
  'binary_vector',
  'float16_vector',
  'bfloat16_vector',
  'sparse_float_vector',
  'int8_vector',
] as const;
export type VectorMember = (typeof vectorMembers)[number];

export function scalarMemberOf(scalars: WireScalarField): ScalarMember | undefined {
  const named = scalars.data;
  if (named !== undefined)
    return (scalarMembers as readonly string[]).includes(named) ? (named as ScalarMember) : undefined;
  return scalarMembers.find((member) => scalars[member] !== undefined && scalars[member] !== null);
}

export function vectorMemberOf(vectors: WireVectorField): VectorMember | undefined {
  const named = vectors.data;
  if (named !== undefined)
    return (vectorMembers as readonly string[]).includes(named) ? (named as VectorMember) : undefined;
  return vectorMembers.find((member) => vectors[member] !== undefined && vectors[member] !== null);
}

/** The typed member Milvus expects for a field of this type (typeutil.GenEmptyFieldData). */
export function memberFor(type: DataType): ScalarMember | undefined {
  switch (type) {
    case DataType.Bool:
      return 'bool_data';
    case DataType.Int8:
    case DataType.Int16:
    case DataType.Int32:
      return 'int_data';
    case DataType.Int64:
      return 'long_data';
    case DataType.Float:
      return 'float_data';
    case DataType.Double:
      return 'double_data';
    case DataType.String:
    case DataType.VarChar:
    case DataType.Text:
      return 'string_data';
    case DataType.Array:
      return 'array_data';
    case DataType.JSON:
      return 'json_data';
    case DataType.Geometry:
      return 'geometry_wkt_data';
    case DataType.Timestamptz:
      return 'timestamptz_data';
    default:
      return undefined;
  }
}

export function cellValues(cell: WireScalarField | undefined, member: ScalarMember | undefined): unknown[] {
  if (!cell || member === undefined || scalarMemberOf(cell) !== member) return [];
  return cell[member]?.data ?? [];
}
