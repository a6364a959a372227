/**
 * Vectors stored in a KernelMemory, scanned in place by every kernel instance on that memory.
 * Plain data (no methods), so it can be posted to a worker that attached to the same memory.
 * Rows are contiguous and row-major from `ptr`. Created and released by DistanceKernels.
 */
export interface ResidentVectors {
  readonly kind: 'float32' | 'binary';
  /** Byte offset of row 0 in the KernelMemory. */
  readonly ptr: number;
  readonly rows: number;
  /** Floats per row (float32) or bits per row (binary). */
  readonly dim: number;
  readonly rowBytes: number;
  /** float32: byte offset of `rows` float32 inverse norms (1 / ||row||, 0 for a zero row); binary: 0. */
  readonly invNormsPtr: number;
}
