import type { ColumnRef, EvaluateRowOptions } from '../../expr/index.js';
import { type ArrayCell, type Column, DataType } from '../../schema/index.js';
import type { ScalarIndex } from '../scalar-index/scalar-index.js';
import type { MaskAllocator } from './mask-ops.js';
import { acquireBuffer, recycleBuffer } from './mask-pool.js';

/** What the evaluator needs from a segment (a Segment satisfies it). */
export interface SegmentColumns {
  readonly numRows: number;
  column(name: string): Column | undefined;
}

export interface EvaluateFilterOptions extends EvaluateRowOptions {
  /** Per-segment scalar indexes by field name, asked first for leaf predicates on whole fields. */
  indexes?: ReadonlyMap<string, ScalarIndex>;
  /**
   * Rows to consider (for example the visible ones); the others are 0 in the result and are not
   * evaluated where skipping them saves work. random_sample samples only among these rows.
   */
  candidates?: Uint8Array;
  /**
   * Where to write the result (at least numRows long; the first numRows bytes are written and
   * returned as a view). Reusing one buffer across calls avoids touching fresh memory per call.
   */
  out?: Uint8Array;
}

/** A JSON path or array element that does not exist in a row. */
export const MISSING: unique symbol = Symbol('missing');

/** Reads the value `ref` designates in a non-null row, as the row evaluator sees it, or MISSING. */
export type ValueReader = (row: number) => unknown;

const UNPARSED: unique symbol = Symbol('unparsed');

/**
 * The state of one evaluateFilter call over one segment: columns looked up once, null masks per
 * field, JSON documents parsed at most once per row and field, and the masks taken from the pool
 * (all given back by dispose()). Nothing outlives the call.
 */
export class FilterContext implements MaskAllocator {
  readonly numRows: number;
  private readonly columns = new Map<string, Column | undefined>();
  private readonly validMasks = new Map<string, Uint8Array | undefined>();
  private readonly documents = new Map<string, unknown[]>();
  private readonly taken = new Set<Uint8Array>();

  constructor(
    private readonly segment: SegmentColumns,
    readonly options: EvaluateFilterOptions,
  ) {
    this.numRows = segment.numRows;
  }

  take(): Uint8Array {
    return this.takeBytes(this.numRows);
  }

  /** A zero-filled owned buffer of `byteLength` bytes at offset 0 of its ArrayBuffer (for typed views). */
  takeBytes(byteLength: number): Uint8Array {
    const buffer = acquireBuffer(byteLength);
    this.taken.add(buffer);
    return buffer;
  }

  release(mask: Uint8Array | undefined): void {
    if (mask !== undefined && this.taken.delete(mask)) recycleBuffer(mask);
  }

  /** Gives every buffer still taken back to the pool; the context is not used afterwards. */
  dispose(): void {
    for (const mask of this.taken) recycleBuffer(mask);
    this.taken.clear();
  }

  column(name: string): Column | undefined {
    if (!this.columns.has(name)) this.columns.set(name, this.segment.column(name));
    return this.columns.get(name);
  }

  /**
   * 1 where the field has a value, 0 where the row evaluator sees null: the column's validity, a
   * missing column (all null), and for JSON also an empty text or a document that is `null`.
   * undefined when no row is null. Read-only: callers copy before writing.
   */
  validRows(fieldName: string): Uint8Array | undefined {
    if (this.validMasks.has(fieldName)) return this.validMasks.get(fieldName);
    const column = this.column(fieldName);
    let mask: Uint8Array | undefined;
    if (column === undefined) {
      mask = this.take();
    } else if (column.type === DataType.JSON) {
      mask = jsonValidRows(column.values, column.valid, this.numRows, this);
    } else {
      mask = column.valid;
    }
    this.validMasks.set(fieldName, mask);
    return mask;
  }

  /** The parsed JSON document of a row (null for a null or empty document), parsed on first use. */
  jsonDocument(fieldName: string, texts: readonly string[], row: number): unknown {
    let documents = this.documents.get(fieldName);
    if (documents === undefined) {
      documents = new Array<unknown>(this.numRows).fill(UNPARSED);
      this.documents.set(fieldName, documents);
    }
    let document = documents[row];
    if (document === UNPARSED) {
      const text = texts[row]!;
      document = text === '' ? null : JSON.parse(text);
      documents[row] = document;
    }
    return document;
  }

  /**
   * A reader of `ref`'s value in non-null rows: a scalar as the row evaluator sees it (Int64 as
   * bigint, Bool as boolean), a JSON path's value, an array element, or a whole array as a plain
   * array; MISSING for an absent JSON key or array element. undefined when the column is absent.
   */
  reader(ref: ColumnRef): ValueReader | undefined {
    const column = this.column(ref.fieldName);
    if (column === undefined) return undefined;
    if (column.type === DataType.JSON) {
      const texts = column.values;
      const fieldName = ref.fieldName;
      const steps = ref.nestedPath.map(jsonStep);
      return (row) => {
        let current = this.jsonDocument(fieldName, texts, row);
        for (const step of steps) {
          current = step(current);
          if (current === MISSING) return MISSING;
        }
        return current;
      };
    }
    if (column.type === DataType.Array) {
      const cells = column.values;
      const elementType = column.elementType;
      if (ref.nestedPath.length === 0) return (row) => plainArray(cells[row]!, elementType);
      // The row evaluator reads only the first index below an Array field.
      const key = ref.nestedPath[0]!;
      if (!/^[0-9]+$/.test(key)) return () => MISSING;
      const index = Number(key);
      return (row) => {
        const cell = cells[row]!;
        if (index >= cell.length) return MISSING;
        const item = cell[index]!;
        return elementType === DataType.Bool ? item === 1 : item;
      };
    }
    // A path below a scalar field finds nothing (the row evaluator steps into a non-object).
    if (ref.nestedPath.length > 0) return () => MISSING;
    if (column.type === DataType.Bool) {
      const bits = column.values;
      return (row) => bits[row] === 1;
    }
    const values = column.values as ArrayLike<unknown>;
    return (row) => values[row];
  }
}

/** One JSON pointer step: an array index (canonical decimal) or an object's own key. */
function jsonStep(key: string): (current: unknown) => unknown {
  const index = /^(0|[1-9][0-9]*)$/.test(key) ? Number(key) : -1;
  return (current) => {
    if (Array.isArray(current)) return index >= 0 && index < current.length ? current[index] : MISSING;
    if (current !== null && typeof current === 'object' && Object.hasOwn(current, key)) {
      return (current as Record<string, unknown>)[key];
    }
    return MISSING;
  };
}

/** An Array cell as the row evaluator holds it: a plain array, Bool elements as booleans. */
export function plainArray(cell: ArrayCell, elementType: DataType): unknown[] {
  if (elementType === DataType.Bool) return Array.from(cell as Uint8Array, (bit) => bit === 1);
  return Array.from(cell as ArrayLike<unknown>);
}

/**
 * A JSON cell is null when invalid, empty, or the document `null`: texts are validated JSON, so a
 * document is `null` exactly when its first non-blank character is 'n'.
 */
function jsonValidRows(
  texts: readonly string[],
  valid: Uint8Array | undefined,
  numRows: number,
  allocator: MaskAllocator,
): Uint8Array | undefined {
  let mask: Uint8Array | undefined;
  for (let row = 0; row < numRows; row++) {
    const isNull = (valid !== undefined && valid[row] === 0) || isNullDocument(texts[row]!);
    if (isNull) {
      if (mask === undefined) mask = allocator.take().fill(1);
      mask[row] = 0;
    }
  }
  return mask;
}

function isNullDocument(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d) continue;
    return code === 0x6e;
  }
  return true;
}
