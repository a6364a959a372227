import { kernelsWasmBase64 } from '../wasm/build/kernels-wasm-base64.js';
import { type WasmMemory, type WasmModule, webAssembly } from './web-assembly.js';

/** ABI version the loader expects (kernelAbiVersion() in src/kernels/wasm/kernels.as). */
const KERNEL_ABI_VERSION = 1;

/**
 * The raw exports of the kernel module. Pointers are byte offsets into the KernelMemory; dims count
 * floats (float32 entry points) or bits (binary entry points). Metric codes are METRIC_CODES.
 * Entry points taking a metric return -1 for a code they do not handle.
 */
export interface KernelExports {
  kernelAbiVersion(): number;
  /** Writes each query's best min(k, candidates) rows, best first, and returns that count. */
  topKF32(
    metric: number,
    queries: number,
    nq: number,
    queryInvNorms: number,
    base: number,
    rows: number,
    dim: number,
    baseInvNorms: number,
    bitset: number,
    k: number,
    outIds: number,
    outScores: number,
    /** scanWorkBytes() bytes of scratch, overlapping nothing else. */
    work: number,
  ): number;
  topKBinary(
    metric: number,
    queries: number,
    nq: number,
    base: number,
    rows: number,
    dimBits: number,
    bitset: number,
    k: number,
    outIds: number,
    outScores: number,
    work: number,
  ): number;
  /** Bytes of the work area topKF32 and topKBinary need. */
  scanWorkBytes(): number;
  distancesF32(
    metric: number,
    query: number,
    base: number,
    rows: number,
    dim: number,
    baseInvNorms: number,
    out: number,
  ): number;
  distancesBinary(
    metric: number,
    query: number,
    base: number,
    rows: number,
    dimBits: number,
    out: number,
  ): number;
  inverseNormsF32(vectors: number, rows: number, dim: number, out: number): void;
  f16ToF32(src: number, dst: number, count: number): void;
  f32ToF16(src: number, dst: number, count: number): void;
  bf16ToF32(src: number, dst: number, count: number): void;
  f32ToBf16(src: number, dst: number, count: number): void;
  memoryReadProbe(ptr: number, sizeBytes: number): number;
}

let compiled: WasmModule | undefined;

/**
 * The compiled kernel module, compiled once per thread (synchronously: it is about 20 KB).
 * A WebAssembly.Module can also be posted to workers.
 */
export function kernelModule(): WasmModule {
  compiled ??= new webAssembly.Module(Buffer.from(kernelsWasmBase64, 'base64'));
  return compiled;
}

/** Instantiates the kernel module on a shared memory (see KernelMemory). */
export function instantiateKernels(memory: WasmMemory): KernelExports {
  const instance = new webAssembly.Instance(kernelModule(), { env: { memory } });
  const exports = instance.exports as unknown as KernelExports;
  const version = exports.kernelAbiVersion();
  if (version !== KERNEL_ABI_VERSION) {
    throw new Error(
      `kernel module ABI ${version} does not match the loader's ${KERNEL_ABI_VERSION}: run npm run build:wasm`,
    );
  }
  return exports;
}
