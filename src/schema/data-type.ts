/** Milvus's schema.DataType, with the same numeric values as the protocol. */
export enum DataType {
  None = 0,
  Bool = 1,
  Int8 = 2,
  Int16 = 3,
  Int32 = 4,
  Int64 = 5,
  Float = 10,
  Double = 11,
  String = 20,
  VarChar = 21,
  Array = 22,
  JSON = 23,
  Geometry = 24,
  Text = 25,
  Timestamptz = 26,
  BinaryVector = 100,
  FloatVector = 101,
  Float16Vector = 102,
  BFloat16Vector = 103,
  SparseFloatVector = 104,
  Int8Vector = 105,
  ArrayOfVector = 106,
  ArrayOfStruct = 200,
  Struct = 201,
}

export const dataTypeNames: ReadonlyMap<DataType, string> = new Map(
  Object.entries(DataType)
    .filter(([, value]) => typeof value === 'number')
    .map(([name, value]) => [value as DataType, name]),
);

export function dataTypeName(type: DataType): string {
  return dataTypeNames.get(type) ?? `DataType(${type})`;
}

export function isVectorType(type: DataType): boolean {
  return (
    type === DataType.BinaryVector ||
    type === DataType.FloatVector ||
    type === DataType.Float16Vector ||
    type === DataType.BFloat16Vector ||
    type === DataType.SparseFloatVector ||
    type === DataType.Int8Vector
  );
}

/** Dense vectors carry a `dim` type parameter; sparse vectors do not. */
export function isDenseVectorType(type: DataType): boolean {
  return isVectorType(type) && type !== DataType.SparseFloatVector;
}

export function isIntegerType(type: DataType): boolean {
  return (
    type === DataType.Int8 || type === DataType.Int16 || type === DataType.Int32 || type === DataType.Int64
  );
}

export function isStringType(type: DataType): boolean {
  return type === DataType.VarChar || type === DataType.String || type === DataType.Text;
}
