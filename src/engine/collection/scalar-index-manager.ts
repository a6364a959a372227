import { readFile, rm } from 'node:fs/promises';
import { writeFileAtomic } from '../../storage/local/write-file-atomic.js';
import type { ScalarIndex, ScalarIndexType } from '../scalar-index/scalar-index.js';
import { scalarIndexFactory } from '../scalar-index/scalar-index-registry.js';
import type { Segment } from '../segment/segment.js';

/** A scalar index declared on a field (resolved type: AUTOINDEX already mapped). */
export interface ScalarIndexSpec {
  fieldName: string;
  fieldId: number;
  type: ScalarIndexType;
}

/**
 * Builds, persists, loads and drops the per-segment scalar indexes of sealed segments. Each index
 * is a file beside its segment (`<segment>.<fieldId>.qidx`), written atomically before the
 * manifest records it, so a crash never leaves a listed index without its file.
 */
export class ScalarIndexManager {
  private readonly specs = new Map<number, ScalarIndexSpec[]>();
  /** Indexes attached to segments: segment → field name → index. */
  private readonly attached = new WeakMap<Segment, Map<string, ScalarIndex>>();

  constructor(
    private readonly indexPath: (collectionId: number, segmentId: bigint, fieldId: number) => string,
  ) {}

  setSpecs(collectionId: number, specs: ScalarIndexSpec[]): void {
    this.specs.set(collectionId, specs);
  }

  specsOf(collectionId: number): readonly ScalarIndexSpec[] {
    return this.specs.get(collectionId) ?? [];
  }

  /** The indexes a segment has, by field name (empty for growing segments). */
  indexesOf(segment: Segment): ReadonlyMap<string, ScalarIndex> {
    return this.attached.get(segment) ?? new Map();
  }

  private attach(segment: Segment, fieldName: string, index: ScalarIndex): void {
    let map = this.attached.get(segment);
    if (!map) {
      map = new Map();
      this.attached.set(segment, map);
    }
    map.set(fieldName, index);
  }

  /**
   * Builds and writes every declared index the segment lacks; returns the field IDs now indexed
   * (for the segment's manifest record).
   */
  async buildMissing(collectionId: number, segment: Segment): Promise<number[]> {
    const done: number[] = [];
    for (const spec of this.specsOf(collectionId)) {
      if (this.indexesOf(segment).get(spec.fieldName)?.type === spec.type) {
        done.push(spec.fieldId);
        continue;
      }
      const column = segment.column(spec.fieldName);
      if (!column) continue;
      const index = scalarIndexFactory(spec.type).build(column);
      await writeFileAtomic(this.indexPath(collectionId, segment.id, spec.fieldId), index.serialize());
      this.attach(segment, spec.fieldName, index);
      done.push(spec.fieldId);
    }
    return done;
  }

  /** Loads a segment's listed index files (those whose spec still exists). */
  async load(collectionId: number, segment: Segment, fieldIds: readonly number[]): Promise<void> {
    for (const spec of this.specsOf(collectionId)) {
      if (!fieldIds.includes(spec.fieldId)) continue;
      const path = this.indexPath(collectionId, segment.id, spec.fieldId);
      const bytes = await readFile(path);
      this.attach(
        segment,
        spec.fieldName,
        scalarIndexFactory(spec.type).deserialize(new Uint8Array(bytes), path),
      );
    }
  }

  /** Forgets and deletes the index files of `fieldIds` for the given segments. */
  async drop(
    collectionId: number,
    segments: readonly Segment[],
    fieldName: string,
    fieldId: number,
  ): Promise<void> {
    for (const segment of segments) {
      this.attached.get(segment)?.delete(fieldName);
      await rm(this.indexPath(collectionId, segment.id, fieldId), { force: true });
    }
  }
}
