import { DataType, DYNAMIC_FIELD_NAME, type FieldSchema } from '../../../schema/index.js';
import {
  memberFor,
  type ScalarMember,
  scalarMemberOf,
  type VectorMember,
  vectorMemberOf,
  type WireEnum,
  type WireFieldData,
} from './wire-field-data.js';

/*
 * A request column in the form the checks work on: the set oneof member and its data pulled out of
 * the wire object, so that filling nulls and defaults can replace the data as Milvus's proxy does.
 */

/** One column of the request while it is checked; mirrors the Go proxy's mutable FieldData. */
export interface Entry {
  name: string;
  wireType: WireEnum;
  fieldId: string;
  isDynamic: boolean;
  valid: boolean[];
  holder: 'none' | 'scalars' | 'vectors';
  scalar?: ScalarMember;
  /** Data of the set scalar member; after filling, one slot per row with undefined for nulls. */
  values: unknown[];
  vector?: VectorMember;
  dim: number;
  /** Float32Array when decoded by the fast path in milvus-proto.ts, number[] otherwise. */
  floats: number[] | Float32Array;
  bytes: Uint8Array;
  sparseRows: Uint8Array[];
}

export const noBytes = new Uint8Array(0);

export function toEntry(wire: WireFieldData): Entry {
  const entry: Entry = {
    name: wire.field_name,
    wireType: wire.type,
    fieldId: String(wire.field_id ?? '0'),
    isDynamic: wire.is_dynamic === true,
    valid: [...(wire.valid_data ?? [])],
    holder: 'none',
    values: [],
    dim: 0,
    floats: [],
    bytes: noBytes,
    sparseRows: [],
  };
  const holder = wire.field ?? (wire.scalars ? 'scalars' : wire.vectors ? 'vectors' : undefined);
  if (holder === 'scalars' && wire.scalars) {
    entry.holder = 'scalars';
    entry.scalar = scalarMemberOf(wire.scalars);
    if (entry.scalar !== undefined) entry.values = [...(wire.scalars[entry.scalar]?.data ?? [])];
  } else if (holder === 'vectors' && wire.vectors) {
    const vectors = wire.vectors;
    entry.holder = 'vectors';
    entry.dim = Number(vectors.dim ?? 0);
    entry.vector = vectorMemberOf(vectors);
    if (entry.vector === 'float_vector') entry.floats = vectors.float_vector?.data ?? [];
    else if (entry.vector === 'sparse_float_vector')
      entry.sparseRows = vectors.sparse_float_vector?.contents ?? [];
    else if (entry.vector !== undefined)
      entry.bytes = (vectors[entry.vector] as Uint8Array | null | undefined) ?? noBytes;
  }
  return entry;
}

export function typeParamNumber(field: FieldSchema, key: string): number | undefined {
  const text = field.typeParams[key];
  if (text === undefined) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

export function dimOf(field: FieldSchema): number {
  return typeParamNumber(field, 'dim') ?? 0;
}

export function bytesOf(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  return noBytes;
}

export function utf8Text(value: unknown): string {
  if (typeof value === 'string') return value;
  const bytes = bytesOf(value);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/** A column the request left out: every row null or default (typeutil.GenEmptyFieldData). */
export function absentEntry(field: FieldSchema, numRows: number): Entry {
  const scalar = memberFor(field.dataType);
  return {
    name: field.name,
    wireType: field.dataType,
    fieldId: String(field.fieldId),
    isDynamic: field.isDynamic,
    valid: new Array<boolean>(numRows).fill(false),
    holder: scalar === undefined ? 'vectors' : 'scalars',
    scalar,
    values: [],
    dim: dimOf(field),
    floats: [],
    bytes: noBytes,
    sparseRows: [],
  };
}

/** The `$meta` column Milvus adds when a dynamic collection's request has none: `{}` per row. */
export function emptyDynamicEntry(numRows: number): Entry {
  return {
    name: DYNAMIC_FIELD_NAME,
    wireType: DataType.JSON,
    fieldId: '0',
    isDynamic: true,
    valid: [],
    holder: 'scalars',
    scalar: 'json_data',
    values: Array.from({ length: numRows }, () => Buffer.from('{}')),
    dim: 0,
    floats: [],
    bytes: noBytes,
    sparseRows: [],
  };
}
