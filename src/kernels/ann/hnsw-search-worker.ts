// Worker entry for hnsw-index.test.ts: attaches to the owner's KernelMemory and searches the owner's
// HNSW graph in place with its own DistanceKernels instance (and so its own scratch).
import { parentPort, workerData } from 'node:worker_threads';
import { DistanceKernels } from '../distance/distance-kernels.js';
import { KernelMemory } from '../distance/kernel-memory.js';
import type { ResidentVectors } from '../distance/resident-vectors.js';
import type { WasmMemory } from '../distance/web-assembly.js';
import { type HnswHandle, HnswIndex } from './hnsw-index.js';
import { releaseHnswScratch } from './hnsw-scratch.js';

interface Job {
  memory: WasmMemory;
  handle: HnswHandle;
  vectors: ResidentVectors;
  queries: Float32Array;
  k: number;
  ef: number;
  rounds: number;
}

const job = workerData as Job;
const kernels = DistanceKernels.load(KernelMemory.attach(job.memory));
const index = HnswIndex.attach(job.handle, job.vectors);
let result = index.search(kernels, { queries: job.queries, k: job.k, ef: job.ef });
// Repeat so the owner's and the other worker's searches overlap with this one.
for (let round = 1; round < job.rounds; round++) {
  result = index.search(kernels, { queries: job.queries, k: job.k, ef: job.ef }, result);
}
releaseHnswScratch(kernels);
kernels.dispose();
parentPort!.postMessage({ ids: result.ids, scores: result.scores, count: result.count });
