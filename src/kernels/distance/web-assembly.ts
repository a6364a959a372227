/**
 * The parts of the WebAssembly JavaScript API the kernels use, typed here because the project's lib
 * setting (ES2022 + @types/node, no DOM) does not declare the WebAssembly global. Module-scoped on
 * purpose: a global declaration would clash with lib.dom for anyone who adds it later.
 */
export interface WasmMemory {
  /** A SharedArrayBuffer for shared memories; re-read after growth to see the new pages. */
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  /** Adds pages (64 KiB each); returns the previous size in pages; throws RangeError past the maximum. */
  grow(pages: number): number;
}

export interface WasmMemoryDescriptor {
  initial: number;
  maximum?: number;
  shared?: boolean;
}

/** A compiled module (opaque here); it can be posted to workers. */
export interface WasmModule {
  readonly wasmModuleBrand?: never;
}

export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

export interface WebAssemblyApi {
  Memory: new (descriptor: WasmMemoryDescriptor) => WasmMemory;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => WasmInstance;
}

export const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;
