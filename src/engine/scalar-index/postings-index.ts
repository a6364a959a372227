import { errors } from '../../errors/index.js';
import type { FilterIr } from '../../expr/index.js';
import { type Column, DataType, dataTypeName } from '../../schema/index.js';
import { keyArrayBytes } from './index-keys.js';
import { type PlanTarget, planLeaf } from './plan-leaf.js';
import { type PostingsLayout, postingsMask } from './postings-mask.js';
import type { ScalarIndex, ScalarIndexType } from './scalar-index.js';
import {
  bytesOf,
  decodeScalarIndexFile,
  encodeScalarIndexFile,
  type ScalarIndexSections,
} from './scalar-index-file.js';
import type { SortedPostings } from './sorted-postings.js';

/**
 * An index that keeps, per distinct key, the ascending list of rows holding it (sorted keys +
 * CSR offsets + rows): INVERTED and Trie. A range of keys is a contiguous run of rows, so `==`,
 * `in`, ranges and prefixes cost a binary search plus one write per matching row.
 *
 * Payload sections (docs/FORMATS.md): null rows, NaN rows, the keys (as the subclass encodes them),
 * offsets (keys + 1), rows.
 */
export abstract class PostingsIndex implements ScalarIndex {
  abstract readonly type: ScalarIndexType;
  readonly numRows: number;
  readonly sizeBytes: number;
  private readonly target: PlanTarget;
  private readonly layout: PostingsLayout;

  constructor(
    readonly dataType: DataType,
    readonly elementType: DataType,
    protected readonly postings: SortedPostings,
  ) {
    const { keys, offsets, rows, nullRows, nanRows, numRows } = postings;
    this.numRows = numRows;
    this.sizeBytes =
      keyArrayBytes(keys) + offsets.byteLength + rows.byteLength + nullRows.byteLength + nanRows.byteLength;
    this.target = {
      dataType,
      elementType,
      keyType: postings.keyType,
      keys,
      numRows,
      hasNanRows: nanRows.length > 0,
      // Once per distinct key beats a scan while keys are few next to rows.
      evaluatePerKey: keys.length <= Math.max(256, numRows >>> 3),
    };
    this.layout = { numRows, offsets, rows, nullRows, nanRows };
  }

  evaluate(leaf: FilterIr): Uint8Array | undefined {
    const plan = planLeaf(leaf, this.target);
    return plan === undefined ? undefined : postingsMask(plan, this.layout);
  }

  /** Sections holding the keys. */
  protected abstract keySections(): Uint8Array[];

  serialize(): Uint8Array[] {
    const { nullRows, nanRows, offsets, rows, numRows } = this.postings;
    return encodeScalarIndexFile(
      { indexType: this.type, dataType: this.dataType, elementType: this.elementType, numRows },
      [bytesOf(nullRows), bytesOf(nanRows), ...this.keySections(), bytesOf(offsets), bytesOf(rows)],
    );
  }
}

/** Throws the error for a column an index type does not accept. */
export function refuseColumn(type: ScalarIndexType, column: Column): never {
  const what =
    column.type === DataType.Array
      ? `an Array of ${dataTypeName(column.elementType)}`
      : `a ${dataTypeName(column.type)}`;
  throw errors.indexNotSupported(type, `${type} cannot index ${what} column`);
}

/** Decodes a postings index file's sections, reading the keys with `readKeys`. */
export function decodePostings(
  bytes: Uint8Array,
  type: ScalarIndexType,
  source: string | undefined,
  readKeys: (sections: ScalarIndexSections) => SortedPostings['keys'],
): { dataType: DataType; elementType: DataType; postings: SortedPostings } {
  const { header, sections } = decodeScalarIndexFile(bytes, type, source);
  const { dataType, elementType, numRows } = header;
  const keyType = dataType === DataType.Array ? elementType : dataType;
  const nullRows = sections.rowList('null rows');
  const nanRows = sections.rowList('NaN rows');
  if (nanRows.length > 0 && keyType !== DataType.Float && keyType !== DataType.Double) {
    sections.fail(`NaN rows in an index of ${dataTypeName(keyType)} keys`);
  }
  const keys = readKeys(sections);
  const offsets = sections.offsets('offsets', keys.length);
  const rows = sections.groupedRows('rows', offsets);
  sections.finish();
  return { dataType, elementType, postings: { keyType, numRows, keys, offsets, rows, nullRows, nanRows } };
}

/** The (dataType, elementType) pair an index records for a column. */
export function columnTypes(column: Column): { dataType: DataType; elementType: DataType } {
  return {
    dataType: column.type,
    elementType: column.type === DataType.Array ? column.elementType : DataType.None,
  };
}
