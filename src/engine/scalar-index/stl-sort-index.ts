import type { FilterIr } from '../../expr/index.js';
import { type Column, DataType, isIntegerType } from '../../schema/index.js';
import { frontCodeStrings, readFrontCodedStrings } from './front-coded-strings.js';
import { type KeyArray, keyArrayBytes, newKeyArray, numericKeyKind } from './index-keys.js';
import { type PlanTarget, planLeaf } from './plan-leaf.js';
import { refuseColumn } from './postings-index.js';
import { type PostingsLayout, postingsMask } from './postings-mask.js';
import type { ScalarIndex, ScalarIndexFactory } from './scalar-index.js';
import { bytesOf, decodeScalarIndexFile, encodeScalarIndexFile, keySections } from './scalar-index-file.js';
import { buildSortedPostings } from './sorted-postings.js';

/**
 * STL_SORT: Milvus's sorted (value, row) array, for numeric and (Milvus 2.6) VarChar fields. Every
 * non-null, non-NaN row has one entry; entries are sorted by value, then row. ==, !=, in, <, <=, >,
 * >=, ranges and prefix LIKE (VarChar) are one or two binary searches and a run of entries; is
 * [not] null comes from the null-row list. No per-value evaluation (there is no distinct-value
 * dictionary): other predicates fall back to a scan.
 *
 * Payload sections: null rows, NaN rows, sorted values (raw numbers, or front-coded VarChar:
 * shared prefix lengths, suffix offsets, suffix bytes), rows.
 */
export class StlSortIndex implements ScalarIndex {
  readonly type = 'STL_SORT' as const;
  readonly numRows: number;
  readonly sizeBytes: number;
  private readonly target: PlanTarget;
  private readonly layout: PostingsLayout;

  constructor(
    readonly dataType: DataType,
    private readonly values: KeyArray,
    private readonly rows: Uint32Array,
    private readonly nullRows: Uint32Array,
    private readonly nanRows: Uint32Array,
    numRows: number,
  ) {
    this.numRows = numRows;
    this.sizeBytes = keyArrayBytes(values) + rows.byteLength + nullRows.byteLength + nanRows.byteLength;
    this.target = {
      dataType,
      elementType: DataType.None,
      keyType: dataType,
      keys: values,
      numRows,
      hasNanRows: nanRows.length > 0,
      evaluatePerKey: false,
    };
    this.layout = { numRows, offsets: undefined, rows, nullRows, nanRows };
  }

  evaluate(leaf: FilterIr): Uint8Array | undefined {
    const plan = planLeaf(leaf, this.target);
    return plan === undefined ? undefined : postingsMask(plan, this.layout);
  }

  serialize(): Uint8Array[] {
    return encodeScalarIndexFile(
      { indexType: this.type, dataType: this.dataType, elementType: DataType.None, numRows: this.numRows },
      [
        bytesOf(this.nullRows),
        bytesOf(this.nanRows),
        ...(Array.isArray(this.values) ? frontCodeStrings(this.values) : keySections(this.values)),
        bytesOf(this.rows),
      ],
    );
  }
}

/** Numeric fields (integers, Float, Double) and VarChar; not Bool, not Arrays. */
function accepts(dataType: DataType): boolean {
  return (
    isIntegerType(dataType) ||
    dataType === DataType.Float ||
    dataType === DataType.Double ||
    dataType === DataType.VarChar
  );
}

export const stlSortIndexFactory: ScalarIndexFactory = {
  type: 'STL_SORT',
  build(column: Column): StlSortIndex {
    if (column.type === DataType.Array || !accepts(column.type)) refuseColumn('STL_SORT', column);
    const { keys, offsets, rows, nullRows, nanRows, numRows } = buildSortedPostings(column);
    // One entry per row: each distinct key repeated over its run of rows.
    let values: KeyArray;
    if (Array.isArray(keys)) {
      values = new Array<string>(rows.length);
      for (let k = 0; k < keys.length; k++) values.fill(keys[k]!, offsets[k]!, offsets[k + 1]!);
    } else {
      const numeric = newKeyArray(numericKeyKind(column.type, false), rows.length);
      for (let k = 0; k < keys.length; k++) {
        (numeric as { fill(value: number | bigint, start: number, end: number): unknown }).fill(
          keys[k]!,
          offsets[k]!,
          offsets[k + 1]!,
        );
      }
      values = numeric;
    }
    return new StlSortIndex(column.type, values, rows, nullRows, nanRows, numRows);
  },
  deserialize(bytes: Uint8Array, source?: string): StlSortIndex {
    const { header, sections } = decodeScalarIndexFile(bytes, 'STL_SORT', source);
    const { dataType, elementType, numRows } = header;
    if (!accepts(dataType) || elementType !== DataType.None) {
      sections.fail('the header names a column type STL_SORT does not hold');
    }
    const nullRows = sections.rowList('null rows');
    const nanRows = sections.rowList('NaN rows');
    if (nanRows.length > 0 && dataType !== DataType.Float && dataType !== DataType.Double) {
      sections.fail('NaN rows in an index of non-float values');
    }
    const values =
      dataType === DataType.VarChar
        ? readFrontCodedStrings(sections, 'values', false)
        : sections.keys('values', false);
    const rows = sections.u32('rows');
    sections.finish();
    if (rows.length !== values.length || rows.length + nullRows.length + nanRows.length !== numRows) {
      sections.fail(
        `${values.length} values, ${rows.length} rows, ${nullRows.length} null and ${nanRows.length} NaN rows do not add up to ${numRows}`,
      );
    }
    const items = values as ArrayLike<unknown>;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const sameValue = i > 0 && Object.is(items[i], items[i - 1]);
      if (row >= numRows || (sameValue && row <= rows[i - 1]!)) {
        sections.fail(`rows: row ${row} at ${i} is out of order or range`);
      }
    }
    return new StlSortIndex(dataType, values, rows, nullRows, nanRows, numRows);
  },
};
